package ui

import (
	"image/color"
	"math"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/stillcast/stillcast/encoder"
)

// automaticKeyframes is the Keyframes list's first choice, which says
// what automatic means.
const automaticKeyframes = "Automatic: every 10 s, a long still up to 2 min apart"

// onScreen reports whether o is drawn: it and everything around it shown.
func onScreen(t *testing.T, h *harness, o fyne.CanvasObject) bool {
	found := false
	walkObjects(t, h.win.Canvas().Content(), func(c fyne.CanvasObject) bool {
		found = found || c == o
		return c.Visible() && !found
	})
	return found && o.Visible()
}

func TestKeyframesMapToSettings(t *testing.T) {
	h := newHarness(t)
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White))
	f := h.form
	if f.keyframes.Selected != automaticKeyframes || !onScreen(t, h, f.keyframes) {
		t.Errorf("a new window: %q, shown %v; want %q", f.keyframes.Selected, onScreen(t, h, f.keyframes), automaticKeyframes)
	}
	cases := []struct {
		label string
		want  time.Duration
	}{
		{"Every 2 s", 2 * time.Second}, {"Every 5 s", 5 * time.Second}, {"Every 10 s", 10 * time.Second},
		{"Every 30 s", 30 * time.Second}, {"Every 1 min", time.Minute}, {"Every 2 min", 2 * time.Minute},
		{automaticKeyframes, 0},
	}
	for _, c := range cases {
		f.keyframes.SetSelected(c.label)
		s, err := h.validate()
		if err != nil || s.KeyframeInterval != c.want {
			t.Errorf("%s: KeyframeInterval %v, %v; want %v", c.label, s.KeyframeInterval, err, c.want)
		}
	}
	if len(f.keyframes.Options) != len(cases) {
		t.Errorf("options %q, want the %d above", f.keyframes.Options, len(cases))
	}
}

func TestKeyframesPreferencesRoundTrip(t *testing.T) {
	a := test.NewTempApp(t)
	h := newHarnessFor(t, a)
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White))
	h.form.keyframes.SetSelected("Every 1 min")
	if got := a.Preferences().String(prefKeyframes); got != "1m0s" {
		t.Fatalf("saved %q, want 1m0s", got)
	}
	h2 := newHarnessFor(t, a)
	if got := h2.form.keyframes.Selected; got != "Every 1 min" {
		t.Errorf("after a restart: %q, want Every 1 min", got)
	}
	for _, saved := range []string{"7s", "soon", "-2s", ""} {
		a.Preferences().SetString(prefKeyframes, saved)
		if got := newHarnessFor(t, a).form.keyframes.Selected; got != automaticKeyframes {
			t.Errorf("saved %q comes back as %q, want Automatic", saved, got)
		}
	}
}

func TestKeyframesAreForFilesOnly(t *testing.T) {
	h := newHarness(t)
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White))
	f := h.form
	f.keyframes.SetSelected("Every 30 s")
	if !onScreen(t, h, f.keyframes) {
		t.Fatal("the Keyframes list is not shown for a file")
	}

	f.outputMode.SetSelected(outputLive)
	h.setText(h.live.key, streamKey)
	if onScreen(t, h, f.keyframes) {
		t.Error("the Keyframes list shows in Go Live mode")
	}
	s, err := h.validate()
	if err != nil || s.KeyframeInterval != 0 {
		t.Errorf("live: KeyframeInterval %v, %v; want 0, the stream's own", s.KeyframeInterval, err)
	}

	f.outputMode.SetSelected(outputFile)
	if s, _ := h.validate(); !onScreen(t, h, f.keyframes) || s.KeyframeInterval != 30*time.Second {
		t.Errorf("back to a file: shown %v, KeyframeInterval %v; want the 30 s kept", onScreen(t, h, f.keyframes), s.KeyframeInterval)
	}
}

// The encoder's reasons for the interval show under the list, worded
// for the window: no command-line flag.
func TestKeyframesFieldErrorShowsOnTheList(t *testing.T) {
	h := newHarness(t)
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White))
	s := encoder.DefaultSettings()
	s.Images, s.Output, s.Duration = encoder.SlidesOf("photo.png"), "out.mp4", time.Minute
	live := s
	live.Output, live.Live.Destinations = "", []encoder.Destination{{URL: "rtmp://127.0.0.1/live", Key: "k"}}
	for _, c := range []struct {
		s        encoder.Settings
		interval time.Duration
		want     string
	}{
		{s, 11 * time.Minute, "Must be between 1s and 10m0s, not 11m0s"},
		{s, time.Millisecond, "Must be between 1s and 10m0s, not 1ms"},
		{live, 2 * time.Second, "Is for files: a live stream keeps a keyframe every 2 s"},
	} {
		c.s.KeyframeInterval = c.interval
		h.form.showErrors(c.s.Validate())
		got := h.form.reason("keyframe-interval")
		if got != c.want || strings.Contains(got, "--") {
			t.Errorf("%v: reason %q, want %q", c.interval, got, c.want)
		}
		if !onScreen(t, h, h.form.errs["keyframe-interval"]) {
			t.Errorf("%v: the reason is not shown", c.interval)
		}
	}
	if got := fieldName("keyframe-interval"); got != "Keyframes" {
		t.Errorf("the field's name is %q, where its row says Keyframes", got)
	}
	h.form.showErrors(nil)
	if h.form.reason("keyframe-interval") != "" {
		t.Error("the reason stays once the interval is fine")
	}
}

// A real render from the window: an 8 s still with keyframes every 2 s
// has them at 0, 2, 4 and 6 s; on Automatic, 8 s has only the first.
func TestRenderKeyframesReachTheFile(t *testing.T) {
	for _, c := range []struct {
		label string
		want  []float64
	}{
		{"Every 2 s", []float64{0, 2, 4, 6}},
		{automaticKeyframes, []float64{0}},
	} {
		t.Run(c.label, func(t *testing.T) {
			h := newHarness(t)
			out := tinyJob(t, h, "8s")
			h.form.keyframes.SetSelected(c.label)
			tapButton(t, h.win.Canvas(), "Render")
			h.waitState(t, stateDone)
			keys, frames := keyframeTimes(t, out)
			if frames != 200 {
				t.Errorf("%d frames, want 8 s at 25 fps = 200", frames)
			}
			if len(keys) != len(c.want) {
				t.Fatalf("keyframes at %v s, want %v", keys, c.want)
			}
			for i := range keys {
				if math.Abs(keys[i]-c.want[i]) > 0.001 {
					t.Errorf("keyframes at %v s, want %v", keys, c.want)
					break
				}
			}
		})
	}
}

// keyframeTimes are the presentation times, in seconds, of the keyframes
// of path's video as ffprobe reads its packets, and how many packets
// there are.
func keyframeTimes(t *testing.T, path string) (keys []float64, packets int) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0",
		"-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	for _, line := range strings.Fields(string(out)) {
		pts, flags, _ := strings.Cut(line, ",")
		packets++
		if !strings.Contains(flags, "K") {
			continue
		}
		sec, err := strconv.ParseFloat(pts, 64)
		if err != nil {
			t.Fatalf("ffprobe's pts_time %q: %v", pts, err)
		}
		keys = append(keys, sec)
	}
	slices.Sort(keys) // packets come in decoding order
	return keys, packets
}
