//go:build linux

package publish

import (
	"errors"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// stopUntilReconnect stops s with SIGSTOP until dest reconnects, for
// want, and hold has passed; then it resumes s and waits until dest is on
// air again, within backWithin.
func stopUntilReconnect(t *testing.T, r *running, s *rtmptest.Server, dest int, hold time.Duration, want error) {
	t.Helper()
	stopped := time.Now()
	s.Pause()
	st := r.log.wait(t, dest, stopped, hold+20*time.Second, func(s Status) bool { return s.State == Reconnecting })
	if !errors.Is(st.Err, want) {
		t.Errorf("reconnecting because %v, want %v", st.Err, want)
	}
	t.Logf("%.1f s after SIGSTOP: %v", st.at.Sub(stopped).Seconds(), st.Err)
	time.Sleep(time.Until(stopped.Add(hold)))
	resumed := time.Now()
	s.Resume()
	back := r.log.wait(t, dest, resumed, backWithin, onAirState)
	t.Logf("on air again %.1f s after SIGCONT (attempt %d)", back.at.Sub(resumed).Seconds(), back.Attempt)
}

// TestStall: a server that stops reading (SIGSTOP for 20 s) is noticed
// as a stall and the connection made again; the destination is back on
// air within 15 s of SIGCONT.
func TestStall(t *testing.T) {
	m := makeMedia(t, "640x360", "1000k", 4)
	s := rtmptest.Start(t, rtmptest.Options{})
	r := start(t, m, []Target{target(s, "live", "stall")}, Options{})
	r.log.wait(t, 0, time.Time{}, 15*time.Second, onAirState)
	stopUntilReconnect(t, r, s, 0, 20*time.Second, ErrStalled)
}

// TestOverflow: a destination that cannot keep up (its server stopped, a
// small socket buffer that fills at once, and a stall limit longer than
// its queue lasts) overflows its queue: it
// drops the connection and comes back at a keyframe, while Run never
// waits for it and the other destination stays on its first connection.
func TestOverflow(t *testing.T) {
	m := makeMedia(t, "640x360", "1000k", 4)
	a := rtmptest.Start(t, rtmptest.Options{})
	b := rtmptest.Start(t, rtmptest.Options{})
	r := start(t, m, []Target{target(a, "live", "slow"), target(b, "live", "fine")}, Options{Stall: time.Minute},
		func(p *Publisher) { p.queueLen, p.sendBuffer = 64, 16<<10 }) // about 0.8 s of packets; a small socket buffer
	r.log.wait(t, 0, time.Time{}, 15*time.Second, onAirState)
	r.log.wait(t, 1, time.Time{}, 15*time.Second, onAirState)
	began := time.Now()
	stopUntilReconnect(t, r, a, 0, 0, errOverflow)
	time.Sleep(3 * time.Second)
	if err := r.end(t); err != nil {
		t.Fatal(err)
	}
	if st, _ := r.log.last(1); st.Reconnects != 0 {
		t.Errorf("the other destination reconnected %d times", st.Reconnects)
	}
	if err := b.WaitRecordingsClosed(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	if recs := b.Recordings("live"); len(recs) != 1 {
		t.Fatalf("the other destination: %d recordings, want 1", len(recs))
	} else {
		checkRecording(t, recs[0], time.Since(began).Seconds()-1, 0.1)
	}
}
