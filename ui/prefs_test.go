package ui

import (
	"image/color"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestPreferencesRoundTrip(t *testing.T) {
	a := test.NewTempApp(t)
	h := newHarnessFor(t, a)
	img := writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White)
	h.openImage(t, img)

	h.form.size.SetSelected(sizeCustom)
	h.setText(h.form.customW, "800")
	h.setText(h.form.customH, "600")
	h.form.fit.SetSelected("Stretch")
	h.form.onBackgroundPicked(color.NRGBA{R: 0xff, G: 0x88, A: 0xff})
	h.setText(h.form.duration, "1:30")
	h.setText(h.form.fps, "50")
	h.form.preset.SetSelected(presetLabels()["medium"])
	h.form.crf.SetValue(30)
	h.setText(h.form.crossfade, "2.5s")
	h.form.kenBurns.SetChecked(true)
	h.form.audio.loop.SetChecked(true)
	h.form.audio.shuffle.SetChecked(true)
	videos := filepath.Join(h.dir, "videos")
	if err := os.Mkdir(videos, 0o755); err != nil {
		t.Fatal(err)
	}
	h.outputChosen(filepath.Join(videos, "mine.mov"))
	h.form.outputMode.SetSelected(outputLive)
	h.live.service.SetSelected("Twitch")
	want := h.form.values()

	// A second window on the same app reads the same preferences.
	h2 := newHarnessFor(t, a)
	h2.open(nil)
	h2.waitPreview(t, img)
	if want.Crossfade != "2.5s" || !want.KenBurns || !want.LoopAudio || !want.Shuffle {
		t.Fatalf("the form does not keep crossfade, Ken Burns, loop and shuffle: %+v", want)
	}
	if got := h2.form.values(); got != want {
		t.Errorf("after a restart\n got %+v\nwant %+v", got, want)
	}
	if got := h2.live.server.Text; got != "rtmp://live.twitch.tv/app" {
		t.Errorf("live server = %q", got)
	}
	// A new image is saved in the remembered folder.
	h2.form.outputMode.SetSelected(outputFile)
	if got, want := h2.form.output.Text, filepath.Join(videos, "photo.mp4"); got != want {
		t.Errorf("output = %q, want %q", got, want)
	}
}

func TestFirstRunLoadsTheSample(t *testing.T) {
	h := newHarness(t)
	h.open(nil)
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	sample := filepath.Join(cache, "stillcast", "sample.jpg")
	h.waitPreview(t, sample)
	if h.renderButton.Disabled() {
		t.Errorf("Render is disabled on first run: image %q, output %q", h.form.reason("image"), h.form.reason("out"))
	}
	if got := h.form.output.Text; filepath.Base(got) != "sample.mp4" {
		t.Errorf("output = %q", got)
	}
}
