package ui

import (
	"errors"
	"fmt"
	"image/color"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// streamKey is distinctive, so any place it leaks to is found.
const streamKey = "sk-TOPSECRET-4f9a2c71"

// liveForm sets the form up for a small, cheap stream: 320×180 at 10 fps,
// to server with key, as a custom service.
func liveForm(t *testing.T, h *harness, server, key string) {
	t.Helper()
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "still.png"), 64, 36, color.NRGBA{R: 30, G: 90, B: 160, A: 255}))
	h.form.size.SetSelected(sizeCustom)
	h.setText(h.form.customW, "320")
	h.setText(h.form.customH, "180")
	h.setText(h.form.fps, "10")
	h.form.outputMode.SetSelected(outputLive)
	h.live.service.SetSelected("Custom RTMP")
	h.setText(&h.live.server.Entry, server)
	h.setText(h.live.key, key)
	if _, err := h.validate(); err != nil {
		t.Fatalf("settings: %v", err)
	}
}

// goLive presses Go Live and checks the window took the stream on.
func goLive(t *testing.T, h *harness) *run {
	t.Helper()
	tapButton(t, h.win.Canvas(), "Go Live")
	r := h.run
	switch {
	case r == nil || !r.live:
		t.Fatalf("Go Live started no stream: %q", h.progress.status.Text)
	case h.renderButton.Text != "Stop" || h.renderButton.Disabled():
		t.Errorf("while live the button is %q (disabled %v), want Stop", h.renderButton.Text, h.renderButton.Disabled())
	case h.progress.liveView.state.Text != "Connecting":
		t.Errorf("first state %q, want Connecting", h.progress.liveView.state.Text)
	case !h.live.key.Disabled() || !h.form.chooseImage.Disabled():
		t.Error("the form is not locked while live")
	}
	return r
}

// stopLive presses Stop and checks the stream ended cleanly, ffmpeg with
// it: no process mentions the server's address any more.
func stopLive(t *testing.T, h *harness, r *run, addr string) {
	t.Helper()
	tapButton(t, h.win.Canvas(), "Stop")
	if !h.renderButton.Disabled() || h.progress.liveView.state.Text != "Stopping…" {
		t.Errorf("while stopping: button disabled %v, state %q", h.renderButton.Disabled(), h.progress.liveView.state.Text)
	}
	h.waitState(t, stateStopped)
	if err := r.job.Wait(); err != nil {
		t.Errorf("Wait() = %v after Stop, want nil", err)
	}
	<-r.done
	if left := rtmptest.WaitNoProcessesMentioning(addr, 10*time.Second); len(left) > 0 {
		t.Errorf("processes left behind: %v", left)
	}
	if h.progress.liveView.state.Text != "Stopped" || h.renderButton.Text != "Go Live" || h.renderButton.Disabled() || h.live.key.Disabled() {
		t.Errorf("after Stop: state %q, button %q (disabled %v), form locked %v",
			h.progress.liveView.state.Text, h.renderButton.Text, h.renderButton.Disabled(), h.live.key.Disabled())
	}
}

func TestGoLiveStreamsAndStops(t *testing.T) {
	srv := rtmptest.Start(t, rtmptest.Options{})
	h := newHarness(t)
	liveForm(t, h, srv.URL("live"), streamKey)

	r := goLive(t, h)
	v := h.progress.liveView
	h.q.until(t, "the panel shows LIVE and an uptime", func() bool {
		row := v.rows[0]
		return v.state.Text == "LIVE" && row.uptime.Text != "–" && row.uptime.Text != "0:00" && row.bitrate.Text != "–"
	})
	if v.dot.FillColor != theme.Color(theme.ColorNameError) || v.rows[0].dot.FillColor != theme.Color(theme.ColorNameError) {
		t.Errorf("the live dots are %v and %v, not red", v.dot.FillColor, v.rows[0].dot.FillColor)
	}
	if !strings.Contains(v.rows[0].name.Text, srv.URL("live")+"/[stream key]") || v.detail.Text != "1 of 1 on air" {
		t.Errorf("row name %q, headline %q: want the redacted address, 1 of 1 on air", v.rows[0].name.Text, v.detail.Text)
	}
	if _, err := srv.WaitRecording("live", 1, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	checkKeyHidden(t, h, streamKey)

	// Esc cancels renders; a stream must not end on a stray key press.
	h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.stopping || !h.progress.streaming() {
		t.Fatal("Esc stopped the stream")
	}
	stopLive(t, h, r, srv.Addr())
	checkKeyHidden(t, h, streamKey)
}

func TestGoLiveRejectedKeyFails(t *testing.T) {
	hook := rtmptest.StartHook(t, http.StatusForbidden)
	srv := rtmptest.Start(t, rtmptest.Options{OnPublish: hook.URL})
	h := newHarness(t)
	liveForm(t, h, srv.URL("live"), streamKey)

	r := goLive(t, h)
	h.waitState(t, stateFailed)
	v := h.progress.liveView
	row := v.rows[0]
	if v.state.Text != "Failed" || row.state.Text != "Failed" || !strings.Contains(strings.ToLower(row.reason.Text), "the server rejected the stream key") {
		t.Errorf("state %q, row %q, reason %q", v.state.Text, row.state.Text, row.reason.Text)
	}
	if names := hook.Names(); len(names) == 0 || names[0] != streamKey {
		t.Errorf("the server saw the keys %q", names)
	}
	if !errors.Is(r.job.Wait(), encoder.ErrKeyRejected) {
		t.Errorf("Wait() = %v", r.job.Wait())
	}
	<-r.done
	if left := rtmptest.WaitNoProcessesMentioning(srv.Addr(), 10*time.Second); len(left) > 0 {
		t.Errorf("processes left behind: %v", left)
	}
	if !h.progress.details.Visible() || h.renderButton.Text != "Go Live" || h.renderButton.Disabled() {
		t.Errorf("after the failure: details shown %v, button %q (disabled %v)", h.progress.details.Visible(), h.renderButton.Text, h.renderButton.Disabled())
	}
	checkKeyHidden(t, h, streamKey)
}

func TestGoLiveUnreachableServerReconnects(t *testing.T) {
	port := rtmptest.FreePort(t) // nothing listens there
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	h := newHarness(t)
	liveForm(t, h, "rtmp://"+addr+"/live", streamKey)

	r := goLive(t, h)
	v := h.progress.liveView
	h.q.until(t, "the panel says it cannot reach the server", func() bool {
		return v.state.Text == "Reconnecting" && strings.Contains(strings.ToLower(v.rows[0].reason.Text), "cannot reach the server")
	})
	row := v.rows[0]
	if !strings.Contains(row.detail.Text, "attempt 2, next try in") || v.detail.Text != "0 of 1 on air" {
		t.Errorf("row detail %q, headline %q", row.detail.Text, v.detail.Text)
	}
	if !row.reason.Visible() || row.uptime.Text != "–" {
		t.Errorf("reason shown %v, uptime %q", row.reason.Visible(), row.uptime.Text)
	}
	checkKeyHidden(t, h, streamKey)
	stopLive(t, h, r, addr)
}

func TestCloseWhileLiveAsksThenStops(t *testing.T) {
	srv := rtmptest.Start(t, rtmptest.Options{})
	h := newHarness(t)
	liveForm(t, h, srv.URL("live"), streamKey)
	closed := false
	h.win.SetOnClosed(func() { closed = true })

	r := goLive(t, h)
	h.q.until(t, "the stream is on air", func() bool { return h.progress.liveView.state.Text == "LIVE" })

	h.onCloseRequested()
	if text := overlayText(t, h.win.Canvas()); !strings.Contains(text, "Stop the stream and quit?") {
		t.Fatalf("closing asks %q", text)
	}
	tapButton(t, h.win.Canvas(), "Keep streaming")
	if closed || !h.progress.streaming() {
		t.Fatal("keeping on streaming closed the window or stopped the stream")
	}

	h.onCloseRequested()
	tapButton(t, h.win.Canvas(), "Stop and quit")
	h.q.until(t, "the window closes", func() bool { return closed })
	select {
	case <-r.done:
	default:
		t.Error("the window closed before the stream was waited for")
	}
	if err := r.job.Wait(); err != nil {
		t.Errorf("Wait() = %v, want a clean stop", err)
	}
	if left := rtmptest.ProcessesMentioning(srv.Addr()); len(left) > 0 {
		t.Errorf("processes left behind: %v", left)
	}
}

func TestLiveFieldsAreCheckedInline(t *testing.T) {
	cases := []struct {
		name, field, reason string
		edit                func(h *harness)
	}{
		{"http server", "url", "http:// is not supported", func(h *harness) {
			h.live.service.SetSelected("Custom RTMP")
			h.setText(&h.live.server.Entry, "http://127.0.0.1/live")
		}},
		{"no application", "url", "no application path", func(h *harness) {
			h.live.service.SetSelected("Custom RTMP")
			h.setText(&h.live.server.Entry, "rtmp://127.0.0.1")
		}},
		{"no server", "url", "no server url", func(h *harness) {
			h.live.service.SetSelected("Custom RTMP")
			h.setText(&h.live.server.Entry, "")
		}},
		{"YouTube without a key", "key", "YouTube needs a stream key", func(h *harness) {
			h.live.service.SetSelected("YouTube")
			h.setText(h.live.key, "")
		}},
		{"key with a space", "key", "must not contain spaces", func(h *harness) { h.setText(h.live.key, "two words") }},
		{"bitrate not a number", "bitrate", "not a bitrate", func(h *harness) { h.setText(h.live.bitrate, "fast") }},
		{"bitrate too low", "bitrate", "between 100k and 50M", func(h *harness) { h.setText(h.live.bitrate, "10k") }},
		{"negative duration", "duration", "longer than zero", func(h *harness) { h.setText(h.form.duration, "-5s") }},
		{"second server http", "url2", "http:// is not supported", func(h *harness) {
			h.live.second.SetChecked(true)
			h.setText(&h.live.server2.Entry, "http://127.0.0.1/live")
		}},
		{"second server Twitch without a key", "key2", "Twitch needs a stream key", func(h *harness) {
			h.live.second.SetChecked(true)
			h.live.server2.SetText("rtmp://live.twitch.tv/app")
		}},
	}
	h := newHarness(t) // one window: each case starts from valid settings
	liveForm(t, h, "rtmp://127.0.0.1:1/live", streamKey)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h.live.service.SetSelected("Custom RTMP")
			h.live.server.SetText("rtmp://127.0.0.1:1/live")
			h.live.key.SetText(streamKey)
			h.live.bitrate.SetText("")
			h.form.duration.SetText("")
			h.live.second.SetChecked(false)
			h.settle() // the duration is checked once typing pauses
			if h.renderButton.Text != "Go Live" || h.renderButton.Disabled() {
				t.Fatalf("button %q (disabled %v) before the edit", h.renderButton.Text, h.renderButton.Disabled())
			}
			c.edit(h)
			if got := h.form.reason(c.field); !strings.Contains(strings.ToLower(got), strings.ToLower(c.reason)) {
				t.Errorf("reason under %s = %q, want it to contain %q", c.field, got, c.reason)
			}
			if !h.renderButton.Disabled() || h.progress.status.Text != liveInvalidText {
				t.Errorf("Go Live stays enabled (%v) with an invalid field; status %q", !h.renderButton.Disabled(), h.progress.status.Text)
			}
			h.onRenderTapped()
			if h.run != nil {
				t.Error("an invalid stream started")
			}
			for _, other := range []string{"url", "key", "url2", "key2"} {
				if other != c.field && h.form.reason(other) != "" {
					t.Errorf("%s is marked too: %q", other, h.form.reason(other))
				}
			}
		})
	}
}

func TestGoLiveToTwoServers(t *testing.T) {
	srv := rtmptest.Start(t, rtmptest.Options{Apps: []string{"a", "b"}})
	h := newHarness(t)
	liveForm(t, h, srv.URL("a"), streamKey)
	const otherKey = "sk-OTHERSECRET-77d1"
	h.live.second.SetChecked(true)
	if !h.live.secondFields.Visible() {
		t.Fatal("ticking a second server does not show its fields")
	}
	h.setText(&h.live.server2.Entry, srv.URL("b"))
	h.setText(h.live.key2, otherKey)

	r := goLive(t, h)
	v := h.progress.liveView
	h.q.until(t, "both destinations are on air", func() bool { return v.state.Text == "LIVE" && v.detail.Text == "2 of 2 on air" })
	for i, app := range []string{"a", "b"} {
		if row := v.rows[i]; row.state.Text != "LIVE" || !strings.Contains(row.name.Text, srv.URL(app)+"/") {
			t.Errorf("row %d: %q %q, want LIVE to %s", i, row.state.Text, row.name.Text, srv.URL(app))
		}
	}
	for _, app := range []string{"a", "b"} {
		if _, err := srv.WaitRecording(app, 1, 20*time.Second); err != nil {
			t.Fatalf("server %s: %v", app, err)
		}
	}
	for _, key := range []string{streamKey, otherKey} {
		checkKeyHidden(t, h, key)
	}
	stopLive(t, h, r, srv.Addr())
}

func TestLiveCustomServerNeedsNoKey(t *testing.T) {
	h := newHarness(t)
	liveForm(t, h, "rtmp://127.0.0.1:1/live", "")
	if h.renderButton.Disabled() || h.form.reason("key") != "" {
		t.Errorf("a custom server without a key is refused: %q", h.form.reason("key"))
	}
	if h.progress.status.Text != liveReadyText {
		t.Errorf("status = %q", h.progress.status.Text)
	}
}

func TestLiveDefaultBitrateFollowsTheSize(t *testing.T) {
	h := newHarness(t)
	liveForm(t, h, "rtmp://127.0.0.1:1/live", streamKey)
	if p := h.live.bitrate.PlaceHolder; p != "1000k (default)" {
		t.Errorf("placeholder at 320×180 = %q", p)
	}
	h.form.size.SetSelected(sizeLabel(encoder.NamedSizes()[2])) // 1080p
	if p := h.live.bitrate.PlaceHolder; p != "2500k (default)" {
		t.Errorf("placeholder at 1080p = %q", p)
	}
	if s, err := h.form.settings(); err != nil || s.Live.Bitrate != 0 {
		t.Errorf("an empty bitrate gives %d, %v; want 0, the encoder's default", s.Live.Bitrate, err)
	}
	h.setText(h.live.bitrate, "3.5M")
	if s, _ := h.form.settings(); s.Live.Bitrate != 3_500_000 {
		t.Errorf("bitrate 3.5M = %d", s.Live.Bitrate)
	}
}

func TestLiveDurationIsKeptApartAndMeansUntilStopped(t *testing.T) {
	h := newHarness(t)
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White))
	h.setText(h.form.duration, "10s")

	h.form.outputMode.SetSelected(outputLive)
	f := h.form
	if f.duration.Text != "" || f.duration.PlaceHolder != durationLivePlaceholder || f.durationLabel.Text != durationLiveLabel || !f.durationHint.Visible() {
		t.Errorf("live duration %q, placeholder %q, label %q, hint shown %v", f.duration.Text, f.duration.PlaceHolder, f.durationLabel.Text, f.durationHint.Visible())
	}
	for _, o := range f.fileOnly {
		if o.Visible() {
			t.Error("the speed and quality rows show in Go Live mode")
		}
	}
	h.setText(h.live.key, streamKey)
	s, err := h.validate()
	if err != nil || s.Duration != 0 || !s.IsLive() || s.Output != "" {
		t.Errorf("empty live duration: %v, %v, live %v, output %q", s.Duration, err, s.IsLive(), s.Output)
	}
	h.q.until(t, "the caption says until stopped", func() bool {
		return strings.Contains(h.preview.caption.Text, "until you press Stop")
	})
	h.setText(f.duration, "0")
	if s, err := h.validate(); err != nil || s.Duration != 0 {
		t.Errorf("live duration 0: %v, %v", s.Duration, err)
	}
	h.setText(f.duration, "2h")

	f.outputMode.SetSelected(outputFile)
	if f.duration.Text != "10s" || f.durationLabel.Text != durationFileLabel || f.durationHint.Visible() {
		t.Errorf("back to file: duration %q, label %q", f.duration.Text, f.durationLabel.Text)
	}
	for _, o := range f.fileOnly {
		if !o.Visible() {
			t.Error("the speed and quality rows stay hidden for a file")
		}
	}
	f.outputMode.SetSelected(outputLive)
	if f.duration.Text != "2h" {
		t.Errorf("the live duration came back as %q", f.duration.Text)
	}
	if v := f.values(); v.Duration != "10s" || v.LiveDuration != "2h" {
		t.Errorf("values %+v", v)
	}
}

func TestLivePreferencesRoundTrip(t *testing.T) {
	h := newHarness(t)
	h.form.outputMode.SetSelected(outputLive)
	h.live.service.SetSelected("Custom RTMP")
	h.setText(&h.live.server.Entry, "rtmp://ingest.example.com/app")
	h.setText(h.live.bitrate, "3000k")
	h.setText(h.live.key, streamKey) // Remember key is off: kept nowhere
	h.live.second.SetChecked(true)
	h.setText(&h.live.server2.Entry, "rtmp://live.twitch.tv/app")

	h.live.service.SetSelected("YouTube")
	if h.live.server.Text != "rtmp://a.rtmp.youtube.com/live2" {
		t.Errorf("YouTube's server = %q", h.live.server.Text)
	}
	h.live.service.SetSelected("Custom RTMP")
	if h.live.server.Text != "rtmp://ingest.example.com/app" {
		t.Errorf("the custom server came back as %q", h.live.server.Text)
	}

	again := newLivePanel(h.prefs, h.live.keys, func() {})
	if again.service.Selected != "Custom RTMP" || again.server.Text != "rtmp://ingest.example.com/app" || again.bitrate.Text != "3000k" {
		t.Errorf("after a restart: service %q, server %q, bitrate %q", again.service.Selected, again.server.Text, again.bitrate.Text)
	}
	if !again.second.Checked || again.server2.Text != "rtmp://live.twitch.tv/app" {
		t.Errorf("second server: on %v, %q", again.second.Checked, again.server2.Text)
	}
	if again.key.Text != "" {
		t.Error("the key was remembered without Remember key")
	}
}

func TestForwardKeepsLiveStateChanges(t *testing.T) {
	events := make(chan encoder.Event, 300)
	events <- encoder.Started{}
	events <- encoder.LiveStatus{State: encoder.LiveConnecting}
	for range 100 {
		events <- encoder.LiveStatus{State: encoder.LiveOnAir}
	}
	events <- encoder.LiveStatus{State: encoder.LiveReconnecting}
	events <- encoder.LiveStatus{State: encoder.LiveConnecting}
	for range 100 {
		events <- encoder.LiveStatus{State: encoder.LiveOnAir}
	}
	events <- encoder.LiveStatus{State: encoder.LiveStopped}
	events <- encoder.Finished{}
	close(events)

	var states []string
	forward(events, func(f func()) { f() }, func(ev encoder.Event) {
		switch ev := ev.(type) {
		case encoder.LiveStatus:
			if n := len(states); n == 0 || states[n-1] != ev.State.String() {
				states = append(states, ev.State.String())
			}
		case encoder.Finished:
			states = append(states, "finished")
		}
	}, time.Second/maxUpdatesPerSecond)
	if got, want := strings.Join(states, " "), "connecting live reconnecting connecting live stopped finished"; got != want {
		t.Errorf("states delivered: %s\nwant %s", got, want)
	}
}

// checkKeyHidden fails if key shows anywhere in the window, its dialogs or
// its Details, other than in the keys' own password entries.
func checkKeyHidden(t *testing.T, h *harness, key string) {
	t.Helper()
	texts := append(shownTexts(t, h), h.progress.detailsText.Text, h.win.Title(), h.app.Clipboard().Content())
	for _, text := range texts {
		if strings.Contains(text, key) {
			t.Errorf("the stream key shows in %q", text)
		}
	}
}

// shownTexts gathers the text of every widget in the window and its
// dialogs, without looking into the keys' password entries.
func shownTexts(t *testing.T, h *harness) []string {
	t.Helper()
	var out []string
	visit := func(o fyne.CanvasObject) bool {
		switch o := o.(type) {
		case *widget.Entry:
			if o != h.live.key && o != h.live.key2 {
				out = append(out, o.Text, o.PlaceHolder)
			}
			return false
		case *widget.SelectEntry:
			out = append(out, o.Text, o.PlaceHolder)
			return false
		case *widget.Label:
			out = append(out, o.Text)
			return false
		case *widget.Button:
			out = append(out, o.Text)
			return false
		case *widget.Select:
			out = append(out, o.Selected)
			return false
		case *widget.RichText:
			for _, s := range o.Segments {
				if ts, ok := s.(*widget.TextSegment); ok {
					out = append(out, ts.Text)
				}
			}
			return false
		case *canvas.Text:
			out = append(out, o.Text)
		}
		return true
	}
	walkObjects(t, h.win.Canvas().Content(), visit)
	for _, o := range h.win.Canvas().Overlays().List() {
		walkObjects(t, o, visit)
	}
	if len(out) < 20 {
		t.Fatalf("only %d texts found in the window: the walk misses widgets", len(out))
	}
	return out
}
