package ui

import (
	"fmt"
	"image/color"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
)

// liveScript starts a scripted stream to names in the window: no
// encoder, the events are the test's.
func liveScript(t *testing.T, h *harness, names ...string) *liveView {
	t.Helper()
	h.run = &run{live: true, cancel: func() {}, done: make(chan struct{})}
	h.progress.beginLive(names)
	h.apply(encoder.Started{Output: strings.Join(names, ", "), Width: 320, Height: 180, FPS: 10})
	return h.progress.liveView
}

func TestLiveStatusPanel(t *testing.T) {
	h := newHarness(t)
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White))
	h.form.outputMode.SetSelected(outputLive)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	a, b := "rtmp://127.0.0.1:1935/live/[stream key]", "rtmps://127.0.0.1:1936/app/[stream key]"
	v := liveScript(t, h, a, b)
	v.now = func() time.Time { return now }
	if h.renderButton.Text != "Stop" || !h.form.chooseImage.Disabled() || !v.content.Visible() || len(v.rows) != 2 {
		t.Fatalf("while live: button %q, form locked %v, panel shown %v, %d rows", h.renderButton.Text, h.form.chooseImage.Disabled(), v.content.Visible(), len(v.rows))
	}
	ra, rb := v.rows[0], v.rows[1]
	if v.state.Text != "Connecting" || v.detail.Text != "0 of 2 on air" || ra.name.Text != a || rb.name.Text != b || rb.state.Text != "Connecting" {
		t.Errorf("connecting: %q %q, rows %q %q", v.state.Text, v.detail.Text, ra.name.Text, rb.name.Text)
	}

	h.apply(encoder.LiveStatus{Dest: 0, Name: a, State: encoder.LiveOnAir, Attempt: 1, Uptime: 65 * time.Second, Bitrate: 2_500_000, Sent: 3_000_000})
	figures := []string{ra.uptime.Text, ra.bitrate.Text, ra.sent.Text, ra.reconnects.Text}
	if v.state.Text != "LIVE" || v.state.Importance != widget.DangerImportance || v.detail.Text != "1 of 2 on air" || strings.Join(figures, "|") != "1:05|2.5 Mbit/s|3.0 MB|0" {
		t.Errorf("A on air: %q (%v) %q, figures %q", v.state.Text, v.state.Importance, v.detail.Text, figures)
	}
	if v.dot.FillColor != theme.Color(theme.ColorNameError) || ra.dot.FillColor != theme.Color(theme.ColorNameError) || rb.state.Text != "Connecting" {
		t.Errorf("the dots are not red on air, or B moved with A (%q)", rb.state.Text)
	}

	// B's key is refused: B fails with its reason, A stays on air.
	rejected := fmt.Errorf("%w (NetStream.Publish.BadName)", encoder.ErrKeyRejected)
	h.apply(encoder.LiveStatus{Dest: 1, State: encoder.LiveFailed, Attempt: 3, Err: rejected})
	if rb.state.Text != "Failed" || !strings.HasPrefix(rb.reason.Text, "The server rejected the stream key") || ra.reason.Visible() ||
		v.state.Text != "LIVE" || v.detail.Text != "1 of 2 on air" {
		t.Errorf("B failed: %q %q; A reason shown %v; headline %q %q", rb.state.Text, rb.reason.Text, ra.reason.Visible(), v.state.Text, v.detail.Text)
	}

	h.apply(encoder.LiveStatus{Dest: 0, State: encoder.LiveReconnecting, Attempt: 3, NextTry: 5 * time.Second, Reconnects: 1,
		Err: &encoder.FFmpegError{ExitCode: 1, Hint: "cannot reach the server (connection refused)"}})
	if v.state.Text != "Reconnecting" || v.detail.Text != "0 of 2 on air" || ra.detail.Text != "attempt 3, next try in 5 s" ||
		ra.reason.Text != "Cannot reach the server (connection refused)" || ra.uptime.Text != "–" || ra.reconnects.Text != "1" || ra.sent.Text != "–" {
		t.Errorf("A reconnecting: %q %q · %q · %q · uptime %q · reconnects %q, sent %q", v.state.Text, v.detail.Text, ra.detail.Text, ra.reason.Text, ra.uptime.Text, ra.reconnects.Text, ra.sent.Text)
	}
	now = now.Add(2 * time.Second)
	h.progress.tick()
	if ra.detail.Text != "attempt 3, next try in 3 s" {
		t.Errorf("after 2 s: %q", ra.detail.Text)
	}
	// A's graph: its one sample on air, then the drop's mark, drawn by the tick.
	if g := ra.graph; g.samples.len() != 2 || !g.samples.at(1).reconnect || g.samples.at(0).bps != 2_500_000 || g.dirty || !g.now.Equal(now) {
		t.Errorf("A's graph: %d samples, the last a mark %v, redrawn at %v", g.samples.len(), g.samples.at(1).reconnect, g.now)
	}
	if rb.graph.samples.len() != 0 {
		t.Error("B's graph has samples though B was never on air")
	}

	h.apply(encoder.LiveStatus{Dest: 0, State: encoder.LiveOnAir, Attempt: 3, Uptime: time.Second, Reconnects: 1})
	if ra.reason.Visible() || ra.detail.Text != "" || v.state.Text != "LIVE" {
		t.Error("the reason or the countdown stays once back on air")
	}
	h.cancel()
	if v.state.Text != "Stopping…" || !h.renderButton.Disabled() {
		t.Errorf("stopping: %q, button disabled %v", v.state.Text, h.renderButton.Disabled())
	}
	h.apply(encoder.LiveStatus{Dest: 0, State: encoder.LiveOnAir, Attempt: 3, Uptime: 2 * time.Second, Reconnects: 1})
	if v.state.Text != "Stopping…" {
		t.Errorf("a status while stopping made the headline %q", v.state.Text)
	}
	h.apply(encoder.LiveStatus{Dest: 0, State: encoder.LiveStopped, Attempt: 3, Reconnects: 1})
	h.apply(encoder.Finished{Output: a, Duration: 90 * time.Second})
	if h.progress.state != stateStopped || v.state.Text != "Stopped" || v.detail.Text != "on air for 1:30 in all" ||
		ra.state.Text != "Stopped" || ra.reconnects.Text != "1" || rb.state.Text != "Failed" || !rb.reason.Visible() {
		t.Errorf("stopped: %v %q %q, A %q reconnects %q, B %q", h.progress.state, v.state.Text, v.detail.Text, ra.state.Text, ra.reconnects.Text, rb.state.Text)
	}
	if h.renderButton.Text != "Go Live" || h.form.chooseImage.Disabled() {
		t.Errorf("after the end: button %q, form locked %v", h.renderButton.Text, h.form.chooseImage.Disabled())
	}
	h.apply(encoder.LiveStatus{State: encoder.LiveOnAir, Uptime: time.Hour})
	if v.state.Text != "Stopped" || ra.state.Text != "Stopped" {
		t.Error("a late status changed the ended stream")
	}
	h.form.outputMode.SetSelected(outputFile)
	if v.content.Visible() || !h.progress.status.Visible() || h.progress.state != stateIdle {
		t.Error("the ended stream's status stays in Save to file mode")
	}
}

func TestLiveStatusPanelFailure(t *testing.T) {
	h := newHarness(t)
	h.form.outputMode.SetSelected(outputLive)
	target := "rtmp://127.0.0.1:1935/live/[stream key]"
	v := liveScript(t, h, target)
	rejected := fmt.Errorf("%w (ffmpeg failed (exit code 1): Server error)", encoder.ErrKeyRejected)
	h.apply(encoder.LiveStatus{State: encoder.LiveFailed, Attempt: 3, Err: rejected})
	h.apply(encoder.Finished{Output: target, Err: rejected})
	if h.progress.state != stateFailed || v.state.Text != "Failed" || !strings.HasPrefix(v.rows[0].reason.Text, "The server rejected the stream key") {
		t.Errorf("failed: %v %q %q", h.progress.state, v.state.Text, v.rows[0].reason.Text)
	}
	if v.reason.Visible() {
		t.Errorf("the row's reason is said twice: %q", v.reason.Text)
	}
	if !h.progress.details.Visible() || !strings.Contains(h.progress.detailsText.Text, "Server error") {
		t.Errorf("details %q", h.progress.detailsText.Text)
	}

	// A stream that fails before any destination reports says why itself.
	v = liveScript(t, h, target)
	h.apply(encoder.Finished{Output: target, Err: &encoder.FFmpegError{ExitCode: 1, Hint: "the disk is full"}})
	if !v.reason.Visible() || v.reason.Text != "The disk is full" || v.rows[0].state.Text != "Stopped" {
		t.Errorf("an early failure: reason shown %v %q, row %q", v.reason.Visible(), v.reason.Text, v.rows[0].state.Text)
	}
}

func TestForwardThrottlesEachDestination(t *testing.T) {
	events := make(chan encoder.Event, 400)
	for range 100 { // interleaved, in different states: each is throttled on its own
		events <- encoder.LiveStatus{Dest: 0, State: encoder.LiveOnAir}
		events <- encoder.LiveStatus{Dest: 1, State: encoder.LiveConnecting}
	}
	events <- encoder.LiveStatus{Dest: 1, State: encoder.LiveReconnecting}
	events <- encoder.PictureChanged{Path: "b.png"}
	events <- encoder.Finished{}
	close(events)
	seen := map[int][]encoder.LiveState{}
	var others []string
	forward(events, func(f func()) { f() }, func(ev encoder.Event) {
		switch ev := ev.(type) {
		case encoder.LiveStatus:
			seen[ev.Dest] = append(seen[ev.Dest], ev.State)
		default:
			others = append(others, fmt.Sprintf("%T", ev))
		}
	}, time.Hour)
	// The first of a state, the first routine update, and the change.
	if len(seen[0]) != 2 || len(seen[1]) != 3 || seen[1][2] != encoder.LiveReconnecting {
		t.Errorf("delivered %v", seen)
	}
	if strings.Join(others, " ") != "encoder.PictureChanged encoder.Finished" {
		t.Errorf("other events delivered: %v", others)
	}
}

func TestDropWhileLiveChangesThePicture(t *testing.T) {
	h := newHarness(t)
	img := writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White)
	h.openImage(t, img)
	h.form.outputMode.SetSelected(outputLive)
	v := liveScript(t, h, "rtmp://127.0.0.1/live/[stream key]")
	other := writePNG(t, filepath.Join(h.dir, "other.png"), 20, 20, color.Black)

	h.onDropped(fyne.NewPos(0, 0), fileURIs(other))
	if !strings.Contains(h.preview.notice.Text, "still starting") {
		t.Errorf("a drop before the job runs: notice %q", h.preview.notice.Text)
	}
	// A job that cannot change its picture (a zero Job answers as a
	// render's does) says why, and nothing changes. The real change is
	// TestGoLiveChangesThePictureOnAir.
	h.run.job = new(encoder.Job)
	h.onDropped(fyne.NewPos(0, 0), fileURIs(other))
	if !v.pictureNote.Visible() || !strings.Contains(v.pictureNote.Text, "The picture was not changed") {
		t.Errorf("refused change: %q", v.pictureNote.Text)
	}
	h.render()
	if len(h.form.slides.items) != 1 || h.form.slides.items[0].path != img || h.progress.live != true {
		t.Error("a drop or Render went ahead as in an idle window during a stream")
	}

	v.switchingPicture(other)
	if v.pictureNote.Text != "Switching picture to other.png…" {
		t.Errorf("switching: %q", v.pictureNote.Text)
	}
	h.apply(encoder.PictureChanged{Path: other})
	if v.pictureNote.Text != "On air now: other.png" || v.pictureNote.Importance == widget.WarningImportance {
		t.Errorf("changed: %q", v.pictureNote.Text)
	}
	h.waitPreview(t, other)
}
