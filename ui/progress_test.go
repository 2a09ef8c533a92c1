package ui

import (
	"image/color"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/stillcast/stillcast/encoder"
)

// TestStateMachine drives the window with scripted job events, the way
// forward delivers them, through each way a job can end.
func TestStateMachine(t *testing.T) {
	cases := []struct {
		name   string
		end    encoder.Finished
		state  jobState
		status string
		check  func(t *testing.T, h *harness)
	}{
		{
			name:   "done",
			end:    encoder.Finished{Output: "/videos/out.mp4", Size: 1_234_567, Duration: 4 * time.Second, Elapsed: 2 * time.Second},
			state:  stateDone,
			status: "Saved out.mp4",
			check: func(t *testing.T, h *harness) {
				if h.progress.bar.Value != 1 {
					t.Errorf("bar = %v, want 1", h.progress.bar.Value)
				}
				if !h.progress.openFolder.Visible() || !h.progress.play.Visible() {
					t.Error("Open folder and Play are not shown")
				}
				if !strings.Contains(h.progress.stats.Text, "1.2 MB") {
					t.Errorf("stats = %q", h.progress.stats.Text)
				}
			},
		},
		{
			name: "failed",
			end: encoder.Finished{Output: "/videos/out.mp4", Err: &encoder.FFmpegError{
				ExitCode: 1, Hint: "the disk is full", Tail: []string{"[mp4 @ 0x1] write error", "No space left on device"},
			}},
			state:  stateFailed,
			status: "the disk is full",
			check: func(t *testing.T, h *harness) {
				if !h.progress.details.Visible() || !strings.Contains(h.progress.detailsText.Text, "No space left on device") {
					t.Errorf("details = %q (shown %v)", h.progress.detailsText.Text, h.progress.details.Visible())
				}
				if h.progress.openFolder.Visible() {
					t.Error("Open folder is shown after a failure")
				}
				tapButton(t, h.win.Canvas(), "Copy")
				if got := h.app.Clipboard().Content(); !strings.Contains(got, "No space left on device") {
					t.Errorf("copied %q", got)
				}
			},
		},
		{
			name:   "cancelled",
			end:    encoder.Finished{Output: "/videos/out.mp4", Err: encoder.ErrCancelled},
			state:  stateCancelled,
			status: "Cancelled",
			check: func(t *testing.T, h *harness) {
				if h.progress.details.Visible() || h.progress.play.Visible() {
					t.Error("a cancelled job shows details or Play")
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White))
			if h.progress.state != stateIdle {
				t.Fatalf("state = %v, want idle", h.progress.state)
			}

			h.apply(encoder.Started{Output: "/videos/out.mp4", Width: 1920, Height: 1080, FPS: 25, TotalFrames: 100})
			if h.progress.state != stateRendering || h.renderButton.Text != "Cancel" {
				t.Fatalf("after Started: state %v, button %q", h.progress.state, h.renderButton.Text)
			}
			if !h.form.duration.Disabled() {
				t.Error("the form is not locked while rendering")
			}

			h.apply(encoder.Progress{Phase: encoder.PhaseAudio, Elapsed: 2 * time.Second}) // a long loop's audio, before any frame
			if h.progress.bar.Value != 0 || h.progress.stats.Text != "Preparing the audio… 0:02" {
				t.Errorf("preparing the audio: bar %v, stats %q", h.progress.bar.Value, h.progress.stats.Text)
			}
			h.apply(encoder.Progress{Frame: 50, TotalFrames: 100, Fraction: 0.5, Speed: 2, ETA: 3 * time.Second})
			if h.progress.bar.Value != 0.5 {
				t.Errorf("bar = %v, want 0.5", h.progress.bar.Value)
			}
			for _, want := range []string{"Encoding: frame 50 of 100", "2.0×", "0:03 left"} {
				if !strings.Contains(h.progress.stats.Text, want) {
					t.Errorf("stats = %q, want %q in it", h.progress.stats.Text, want)
				}
			}
			h.apply(encoder.Progress{Phase: encoder.PhaseAssemble, Frame: 1200, TotalFrames: 3000, Fraction: 0.8})
			if h.progress.bar.Value != 0.8 || !strings.Contains(h.progress.stats.Text, "Assembling: frame 1200 of 3000") {
				t.Errorf("assembling: bar %v, stats %q", h.progress.bar.Value, h.progress.stats.Text)
			}

			if c.state == stateDone {
				test.AssertNotificationSent(t, &fyne.Notification{Title: "Video ready", Content: "out.mp4 · 4s of video, 1.2 MB"},
					func() { h.apply(c.end) })
			} else {
				h.apply(c.end)
			}
			if h.progress.state != c.state {
				t.Errorf("state = %v, want %v", h.progress.state, c.state)
			}
			if !strings.Contains(h.progress.status.Text, c.status) {
				t.Errorf("status = %q, want %q in it", h.progress.status.Text, c.status)
			}
			if h.renderButton.Text != "Render" || h.renderButton.Disabled() || h.form.duration.Disabled() {
				t.Errorf("after the end: button %q (disabled %v), form locked %v", h.renderButton.Text, h.renderButton.Disabled(), h.form.duration.Disabled())
			}
			bar := h.progress.bar.Value
			h.apply(encoder.Progress{Frame: 10, TotalFrames: 100, Fraction: 0.1})
			if h.progress.bar.Value != bar || h.progress.state != c.state {
				t.Error("a late Progress changed the ended job")
			}
			c.check(t, h)
		})
	}
}

func TestForwardDropsStaleProgress(t *testing.T) {
	events := make(chan encoder.Event, 600)
	events <- encoder.Started{TotalFrames: 500}
	for i := 1; i <= 500; i++ {
		events <- encoder.Progress{Frame: i, TotalFrames: 500}
	}
	events <- encoder.Finished{}
	close(events)

	var got []encoder.Event
	forward(events, func(f func()) { f() }, func(ev encoder.Event) { got = append(got, ev) }, time.Second/maxUpdatesPerSecond)
	if _, ok := got[0].(encoder.Started); !ok {
		t.Errorf("first event %T, want Started", got[0])
	}
	if _, ok := got[len(got)-1].(encoder.Finished); !ok {
		t.Errorf("last event %T, want Finished", got[len(got)-1])
	}
	// All 500 arrived at once: at most a couple of them may pass.
	if len(got) > 4 {
		t.Errorf("%d events delivered, want the burst of Progress dropped", len(got))
	}
}

func TestForwardRate(t *testing.T) {
	events := make(chan encoder.Event)
	go func() {
		for i := 0; i < 60; i++ { // one every 5 ms, 200 a second
			events <- encoder.Progress{Frame: i}
			time.Sleep(5 * time.Millisecond)
		}
		close(events)
	}()
	began := time.Now()
	n := 0
	forward(events, func(f func()) { f() }, func(encoder.Event) { n++ }, time.Second/maxUpdatesPerSecond)
	// An upper bound that load cannot break: the updates pass at least an
	// interval apart, all between began and now, so n-1 intervals fit in
	// the time taken however long it was. A busy machine only sends fewer
	// events in that time. (The first event is received after began: the
	// channel has no buffer.)
	limit := int(time.Since(began).Seconds()*maxUpdatesPerSecond) + 1
	if n > limit || n == 0 {
		t.Errorf("%d updates in %v, want 1..%d", n, time.Since(began), limit)
	}
}
