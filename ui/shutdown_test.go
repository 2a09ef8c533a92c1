package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// newQuitHarness is a window that counts how often it was closed, which
// ends the app.
func newQuitHarness(t *testing.T) (*harness, *int) {
	h := newHarness(t)
	closes := new(int)
	h.win.SetOnClosed(func() { *closes++ })
	return h, closes
}

func TestSignalQuitsIdleWindow(t *testing.T) {
	h, closes := newQuitHarness(t)
	h.quitAfterStop(time.Minute)
	h.q.until(t, "the window closes", func() bool { return *closes > 0 })
	if *closes != 1 {
		t.Errorf("the window closed %d times, want once", *closes)
	}
}

// A signal during a render cancels it, waits until ffmpeg is gone and the
// partial file deleted, and only then quits.
func TestSignalCancelsRenderThenQuits(t *testing.T) {
	h, closes := newQuitHarness(t)
	out := tinyJob(t, h, "24h")
	h.render()
	r := h.run
	h.q.until(t, "frames flow and ffmpeg runs", func() bool {
		return r.job != nil && h.progress.bar.Value > 0 && ffmpegChildren(t) > 0
	})

	h.quitAfterStop(jobStopWait)
	if *closes != 0 {
		t.Fatal("quit before the render ended")
	}
	h.q.until(t, "the app quits", func() bool { return *closes > 0 })
	select {
	case <-r.done:
	default:
		t.Error("quit before the job was waited for")
	}
	if err := r.job.Wait(); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait() = %v, want context.Canceled", err)
	}
	if n := ffmpegChildren(t); n != 0 {
		t.Errorf("%d ffmpeg processes left behind", n)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("output after the signal: %v", err)
	}
	if parts, _ := filepath.Glob(filepath.Join(h.dir, ".*part")); len(parts) > 0 {
		t.Errorf("partial files left: %v", parts)
	}
}

// A signal during a stream ends it cleanly, as Stop does, then quits.
func TestSignalStopsStreamThenQuits(t *testing.T) {
	srv := rtmptest.Start(t, rtmptest.Options{})
	h, closes := newQuitHarness(t)
	liveForm(t, h, srv.URL("live"), streamKey)
	r := goLive(t, h)
	if _, err := srv.WaitRecording("live", 1, 20*time.Second); err != nil {
		t.Fatal(err)
	}

	h.quitAfterStop(jobStopWait)
	h.q.until(t, "the app quits", func() bool { return *closes > 0 })
	select {
	case <-r.done:
	default:
		t.Error("quit before the stream was waited for")
	}
	if err := r.job.Wait(); err != nil {
		t.Errorf("Wait() = %v, want nil: a signal ends a stream as Stop does", err)
	}
	if left := rtmptest.WaitNoProcessesMentioning(srv.Addr(), 10*time.Second); len(left) > 0 {
		t.Errorf("processes left behind: %v", left)
	}
	if err := srv.WaitRecordingsClosed(30 * time.Second); err != nil {
		t.Error(err)
	}
}
