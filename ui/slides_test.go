package ui

import (
	"image/color"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/stillcast/stillcast/encoder"
)

// threeImages opens a.png and adds b.png and c.png, and waits for them.
func threeImages(t *testing.T, h *harness) (a, b, c string) {
	t.Helper()
	a = writePNG(t, filepath.Join(h.dir, "a.png"), 40, 30, color.White)
	b = writePNG(t, filepath.Join(h.dir, "b.png"), 30, 40, color.Black)
	c = writePNG(t, filepath.Join(h.dir, "c.png"), 20, 20, color.NRGBA{R: 255, A: 255})
	h.openImage(t, a)
	h.openImages(false, b, c)
	h.waitImages(t)
	return a, b, c
}

// imagesOf lists the images of the settings the form makes, in order.
func imagesOf(t *testing.T, h *harness) []string {
	t.Helper()
	s, err := h.validate()
	if err != nil {
		t.Fatalf("validate: %v", err)
	}
	var out []string
	for _, sl := range s.Images {
		out = append(out, filepath.Base(sl.Image))
	}
	return out
}

func TestSlidesReorderAndRemove(t *testing.T) {
	h := newHarness(t)
	threeImages(t, h)
	slide := func(name string) *slide {
		for _, s := range h.form.slides.items {
			if filepath.Base(s.path) == name {
				return s
			}
		}
		t.Fatalf("no image %s in %q", name, h.form.slides.paths())
		return nil
	}
	steps := []struct {
		name string
		do   func()
		want []string
	}{
		{"as added", func() {}, []string{"a.png", "b.png", "c.png"}},
		{"c up", func() { test.Tap(slide("c.png").up) }, []string{"a.png", "c.png", "b.png"}},
		{"a down", func() { test.Tap(slide("a.png").down) }, []string{"c.png", "a.png", "b.png"}},
		{"first up does nothing", func() { test.Tap(slide("c.png").up) }, []string{"c.png", "a.png", "b.png"}},
		{"last down does nothing", func() { test.Tap(slide("b.png").down) }, []string{"c.png", "a.png", "b.png"}},
		{"remove a", func() { test.Tap(slide("a.png").remove) }, []string{"c.png", "b.png"}},
		{"remove c", func() { test.Tap(slide("c.png").remove) }, []string{"b.png"}},
	}
	for _, st := range steps {
		st.do()
		if got := imagesOf(t, h); !reflect.DeepEqual(got, st.want) {
			t.Errorf("%s: images %q, want %q", st.name, got, st.want)
		}
	}
	// The video is named after the first image; one image is no slideshow.
	if got := filepath.Base(h.form.output.Text); got != "b.mp4" {
		t.Errorf("output %q, want b.mp4", got)
	}
	if h.form.crossfadeRow[1].Visible() || slide("b.png").up.Visible() {
		t.Error("a single image still shows the crossfade or the move buttons")
	}
}

func TestSlidesPreviewTheSelectedImage(t *testing.T) {
	h := newHarness(t)
	_, b, _ := threeImages(t, h)
	h.waitPreview(t, b) // the first image added shows
	a := h.form.slides.items[0]
	h.form.slides.selectSlide(a)
	h.waitPreview(t, a.path)
	// The canvas follows the first image whichever one is shown.
	if !strings.HasPrefix(h.preview.caption.Text, "40 × 30") {
		t.Errorf("caption %q, want the first image's size", h.preview.caption.Text)
	}
	test.Tap(a.remove)
	h.waitPreview(t, b)
}

func TestSlideDurations(t *testing.T) {
	h := newHarness(t)
	threeImages(t, h)
	items := h.form.slides.items
	if !items[0].timing.Visible() || !h.form.crossfadeRow[1].Visible() {
		t.Fatal("a slideshow shows no durations or crossfade")
	}
	h.setText(h.form.duration, "1m")
	h.setText(items[0].duration, "10s")
	h.setText(items[2].duration, "1:30")
	h.setText(h.form.crossfade, "0.5")
	if s, _ := h.validate(); s.KenBurns {
		t.Error("Ken Burns without asking for it")
	}
	h.form.kenBurns.SetChecked(true)
	s, _ := h.validate()
	if !s.KenBurns {
		t.Error("the Slow zoom check does not reach the settings")
	}
	want := []encoder.Slide{
		{Image: items[0].path, Duration: 10 * time.Second},
		{Image: items[1].path},
		{Image: items[2].path, Duration: 90 * time.Second},
	}
	if !reflect.DeepEqual(s.Images, want) || s.Crossfade != 500*time.Millisecond {
		t.Errorf("Images %+v, Crossfade %v\nwant %+v, 500ms", s.Images, s.Crossfade, want)
	}
	// Fixed durations longer than the video leave nothing for b.png.
	if got := h.form.reason("image-duration"); !strings.Contains(got, "leaves nothing") || !h.renderButton.Disabled() {
		t.Errorf("reason %q, Render disabled %v", got, h.renderButton.Disabled())
	}

	// Every image timed and no duration: the video adds them up.
	h.setText(items[1].duration, "20s")
	h.setText(h.form.duration, "")
	s, err := h.validate()
	if err != nil || s.Duration != 0 {
		t.Fatalf("Duration %v, %v; want 0, no error", s.Duration, err)
	}
	if got := h.form.length.Text; !strings.HasPrefix(got, "Total 2:00  ·  3 images") {
		t.Errorf("length %q", got)
	}
	if got := items[1].info.Text; got != "shows 0:20" {
		t.Errorf("b.png says %q", got)
	}

	// Text that is not a duration is marked on its own image.
	for _, c := range []struct{ text, reason string }{
		{"soon", "is not a duration"},
		{"0", "longer than zero"},
		{"-3s", "longer than zero"},
		{"25h", "at most"},
	} {
		h.setText(items[1].duration, c.text)
		got := h.form.reason("image-duration")
		if !strings.HasPrefix(got, "b.png: ") || !strings.Contains(got, c.reason) {
			t.Errorf("%q: reason %q, want it to name b.png and say %q", c.text, got, c.reason)
		}
		if items[1].durationErr == nil || items[0].durationErr != nil || items[2].durationErr != nil {
			t.Errorf("%q: the wrong entries are marked", c.text)
		}
		if !h.renderButton.Disabled() {
			t.Errorf("%q: Render stays enabled", c.text)
		}
	}
	h.setText(h.form.crossfade, "11s")
	if got := h.form.reason("crossfade"); !strings.Contains(got, "between 0") {
		t.Errorf("crossfade reason %q", got)
	}
}

func TestLengthLineMatchesTimeline(t *testing.T) {
	h := newHarness(t)
	threeImages(t, h)
	song := writeAudio(t, filepath.Join(h.dir, "song.mp3"), 4*time.Second, "", "")
	items := h.form.slides.items
	cases := []struct {
		name     string
		duration string
		audio    bool
		loop     bool
		images   []string
		extra    string
	}{
		{"fixed length", "3m", false, false, []string{"", "", ""}, ""},
		{"follows the audio", "", true, false, []string{"", "", ""}, "audio 0:04"},
		{"longer than the audio", "10s", true, false, []string{"", "", ""}, "audio 0:04, then silence"},
		{"audio looped", "10s", true, true, []string{"", "", ""}, "audio 0:04, looped"},
		{"audio cut", "2s", true, false, []string{"", "", ""}, "audio 0:04, cut at the end"},
		{"images add up", "", false, false, []string{"5s", "6s", "7s"}, ""},
		{"images share the audio", "", true, false, []string{"1s", "", ""}, "audio 0:04"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i, text := range c.images {
				h.setText(items[i].duration, text)
			}
			if c.audio && len(h.form.audio.paths) == 0 {
				h.setAudio([]string{song})
				h.waitAudio(t)
			} else if !c.audio && len(h.form.audio.paths) > 0 {
				test.Tap(h.form.audio.clear)
			}
			h.form.audio.loop.SetChecked(c.loop)
			h.setText(h.form.duration, c.duration)

			want := lengthOf(t, h) + "  ·  3 images"
			if c.extra != "" {
				want += "  ·  " + c.extra
			}
			if got := h.form.length.Text; got != want || !h.form.length.Visible() {
				t.Errorf("length line %q, want %q", got, want)
			}
			// The preview's caption counts the same length.
			h.q.until(t, "the preview is composed", h.previewSettled)
			if total := strings.TrimPrefix(lengthOf(t, h), "Total "); !strings.Contains(h.preview.caption.Text, "fps =") {
				t.Errorf("caption %q does not count the frames of %s", h.preview.caption.Text, total)
			}
		})
	}
}

func TestLiveTakesOneImage(t *testing.T) {
	h := newHarness(t)
	threeImages(t, h)
	h.form.outputMode.SetSelected(outputLive)
	if h.form.crossfadeRow[1].Visible() || h.form.slides.items[0].timing.Visible() {
		t.Error("a stream shows the crossfade or image durations")
	}
	if got := h.form.reason("image"); !strings.Contains(got, "shows one image") || !h.renderButton.Disabled() {
		t.Errorf("reason under images %q, Go Live disabled %v", got, h.renderButton.Disabled())
	}
}
