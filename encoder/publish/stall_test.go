package publish

import (
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// pause stops nginx with SIGSTOP (it runs as one process, without a
// master) until the returned resume is called; the test's end resumes it.
func pause(t *testing.T, s *rtmptest.Server) (resume func()) {
	t.Helper()
	pid := s.PID()
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	resumed := false
	resume = func() {
		if !resumed {
			resumed = true
			_ = syscall.Kill(pid, syscall.SIGCONT)
		}
	}
	t.Cleanup(resume)
	return resume
}

// TestStall: a server that stops reading (SIGSTOP for 20 s) is noticed
// as a stall and the connection made again; the destination is back on
// air within 15 s of SIGCONT.
func TestStall(t *testing.T) {
	m := makeMedia(t, "640x360", "1000k", 4)
	s := rtmptest.Start(t, rtmptest.Options{})
	r := start(t, m, []Target{target(s, "live", "stall")}, Options{})
	r.log.wait(t, 0, time.Time{}, 15*time.Second, onAirState)
	stopped := time.Now()
	resume := pause(t, s)
	st := r.log.wait(t, 0, stopped, 20*time.Second, func(s Status) bool { return s.State == Reconnecting })
	if !errors.Is(st.Err, ErrStalled) {
		t.Errorf("reconnecting because %v, want a stall", st.Err)
	}
	t.Logf("%.1f s after SIGSTOP: %v", st.at.Sub(stopped).Seconds(), st.Err)
	time.Sleep(time.Until(stopped.Add(20 * time.Second)))
	resumed := time.Now()
	resume()
	back := r.log.wait(t, 0, resumed, 15*time.Second, onAirState)
	t.Logf("on air again %.1f s after SIGCONT, attempt %d", back.at.Sub(resumed).Seconds(), back.Attempt)
}
