//go:build linux

package publish

import (
	"errors"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// settle is how long A stays on air between faults: a minute, so that
// its backoff starts again from 2 s each time, as in a long stream.
const settle = 61 * time.Second

// backWithin is how soon A must be on air again after each recovery.
const backWithin = 15 * time.Second

// TestFaults runs for about four minutes with three destinations: A, B,
// and C whose server refuses the key. A is killed and restarted, stopped
// with SIGSTOP for 20 s, and refuses connections for 30 s; it is back on
// air within 15 s of each recovery. C fails with ErrRejected after three
// tries. Through all of it B stays on its first connection, and its
// recording has no gap over 0.1 s. It is long, and runs in make test.
func TestFaults(t *testing.T) {
	m := makeMedia(t, "640x360", "800k", 4)
	a := rtmptest.Start(t, rtmptest.Options{})
	b := rtmptest.Start(t, rtmptest.Options{})
	c := rtmptest.Start(t, rtmptest.Options{OnPublish: rtmptest.StartHook(t, 403).URL})
	began := time.Now()
	r := start(t, m, []Target{target(a, "live", "aaa"), target(b, "live", "bbb"), target(c, "live", "wrong")}, Options{})
	r.log.wait(t, 0, began, backWithin, onAirState)
	r.log.wait(t, 1, began, backWithin, onAirState)
	failed := r.log.wait(t, 2, began, 30*time.Second, func(s Status) bool { return s.State == Failed })
	if !errors.Is(failed.Err, ErrRejected) || failed.Attempt != 3 {
		t.Errorf("C: %+v, want failed with ErrRejected after 3 attempts", failed.Status)
	}
	t.Logf("C failed %.1f s in: %v", failed.at.Sub(began).Seconds(), failed.Err)

	recovered := func(what string, at time.Time) {
		t.Helper()
		st := r.log.wait(t, 0, at, backWithin, onAirState)
		t.Logf("%s: A on air again %.1f s after the recovery (attempt %d)", what, st.at.Sub(at).Seconds(), st.Attempt)
	}
	time.Sleep(10 * time.Second)
	a.Restart() // kill and start again
	recovered("killed", time.Now())

	// The watchdog needs the kernel's buffers to fill before it sees no
	// acknowledgement for 10 s; after a minute on air that can take most
	// of the 20 s (TestStall checks the reason on a fresh connection), so
	// here A need only be on air again soon after SIGCONT.
	time.Sleep(settle)
	stopped := time.Now()
	a.Pause()
	time.Sleep(20 * time.Second)
	a.Resume()
	for _, st := range r.log.since(0, stopped) {
		if st.State == Reconnecting {
			t.Logf("SIGSTOP: A reconnecting %.1f s in: %v", st.at.Sub(stopped).Seconds(), st.Err)
			break
		}
	}
	recovered("SIGSTOP for 20 s", time.Now())

	time.Sleep(settle)
	a.Stop()
	time.Sleep(30 * time.Second)
	a.Restart()
	recovered("refused for 30 s", time.Now())
	time.Sleep(5 * time.Second)

	total := time.Since(began)
	if err := r.end(t); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if st, _ := r.log.last(1); st.Reconnects != 0 || st.Attempt != 1 {
		t.Errorf("B: %+v, want its first connection throughout", st.Status)
	}
	if err := b.WaitRecordingsClosed(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	recs := b.Recordings("live")
	if len(recs) != 1 {
		t.Fatalf("B: %d recordings, want 1", len(recs))
	}
	checkRecording(t, recs[0], total.Seconds()-5, 0.1)
	if err := a.WaitRecordingsClosed(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	recsA := a.Recordings("live")
	if len(recsA) < 3 { // the first, after the kill, after the refusal; SIGSTOP may add one
		t.Errorf("A: %d recordings, want one per connection, at least 3", len(recsA))
	}
	checkRecording(t, recsA[len(recsA)-1], 4, 0.1)
}
