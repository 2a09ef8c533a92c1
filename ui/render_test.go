package ui

import (
	"context"
	"encoding/json"
	"errors"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/stillcast/stillcast/encoder"
)

// tinyJob sets the form up for a quick real render: 64×64, ultrafast.
func tinyJob(t *testing.T, h *harness, duration string) string {
	t.Helper()
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 80, 60, color.NRGBA{R: 200, G: 100, B: 50, A: 255}))
	h.form.size.SetSelected(sizeCustom)
	h.setText(h.form.customW, "64")
	h.setText(h.form.customH, "64")
	h.setText(h.form.duration, duration)
	h.form.preset.SetSelected(presetLabels()["ultrafast"])
	out := filepath.Join(h.dir, "out.mp4")
	h.setText(h.form.output, out)
	if _, err := h.validate(); err != nil {
		t.Fatalf("settings: %v", err)
	}
	return out
}

func (h *harness) waitState(t *testing.T, want jobState) {
	t.Helper()
	h.q.until(t, "the job is "+want.String(), func() bool { return h.progress.state == want })
}

func TestRenderRealJob(t *testing.T) {
	h := newHarness(t)
	out := tinyJob(t, h, "1s")

	tapButton(t, h.win.Canvas(), "Render")
	if h.renderButton.Text != "Cancel" || !h.progress.running() {
		t.Fatalf("after Render: button %q, state %v", h.renderButton.Text, h.progress.state)
	}
	h.waitState(t, stateDone)
	info, err := os.Stat(out)
	if err != nil || info.Size() == 0 {
		t.Fatalf("output: %v", err)
	}
	if h.progress.bar.Value != 1 || !h.progress.play.Visible() {
		t.Errorf("bar %v, Play shown %v", h.progress.bar.Value, h.progress.play.Visible())
	}
	if got := h.prefs.String(prefOutputDir); got != h.dir {
		t.Errorf("remembered output folder %q, want %q", got, h.dir)
	}
	tapButton(t, h.win.Canvas(), "Play") // the test app opens nothing, but the URL must build
	if strings.HasPrefix(h.progress.status.Text, "Could not open") {
		t.Error(h.progress.status.Text)
	}
}

func TestRenderAsksBeforeReplacing(t *testing.T) {
	h := newHarness(t)
	out := tinyJob(t, h, "1s")
	if err := os.WriteFile(out, []byte("an older video"), 0o644); err != nil {
		t.Fatal(err)
	}

	h.render()
	if h.run != nil {
		t.Fatal("the job started without asking")
	}
	if text := overlayText(t, h.win.Canvas()); !strings.Contains(text, "already exists") {
		t.Fatalf("no question about replacing; overlays say %q", text)
	}
	tapButton(t, h.win.Canvas(), "Keep it")
	if data, _ := os.ReadFile(out); string(data) != "an older video" || h.run != nil {
		t.Fatal("keeping the file still touched it")
	}

	h.render()
	tapButton(t, h.win.Canvas(), "Replace")
	h.waitState(t, stateDone)
	if data, _ := os.ReadFile(out); string(data) == "an older video" {
		t.Error("the file was not replaced")
	}
}

func TestSaveAsAnswerIsNotAskedAgain(t *testing.T) {
	h := newHarness(t)
	out := tinyJob(t, h, "1s")
	if err := os.WriteFile(out, []byte("an older video"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.dialogs.video = out // the system dialog asked "Replace?" and got yes
	h.chooseOutput()
	h.q.until(t, "the dialog is answered", func() bool { return !h.dialogOpen })

	h.render()
	if h.run == nil {
		t.Fatalf("asked again: %q", overlayText(t, h.win.Canvas()))
	}
	h.waitState(t, stateDone)
	if data, _ := os.ReadFile(out); string(data) == "an older video" {
		t.Error("the file was not replaced")
	}
	h.render() // the answer was for one render
	if h.run != nil {
		t.Error("a second render replaced the file without asking")
	}
}

func TestCancelStopsRunningJob(t *testing.T) {
	h := newHarness(t)
	out := tinyJob(t, h, "24h") // far longer than the test

	h.render()
	r := h.run
	h.q.until(t, "frames flow and ffmpeg runs", func() bool {
		return r.job != nil && h.progress.bar.Value > 0 && ffmpegChildren(t) > 0
	})

	h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if !h.renderButton.Disabled() || h.progress.status.Text != "Stopping…" {
		t.Errorf("while stopping: button disabled %v, status %q", h.renderButton.Disabled(), h.progress.status.Text)
	}
	h.waitState(t, stateCancelled)
	if err := r.job.Wait(); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait() = %v, want context.Canceled", err)
	}
	<-r.done
	if n := ffmpegChildren(t); n != 0 {
		t.Errorf("%d ffmpeg processes left behind", n)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("output after cancel: %v", err)
	}
	if parts, _ := filepath.Glob(filepath.Join(h.dir, ".*part")); len(parts) > 0 {
		t.Errorf("partial files left: %v", parts)
	}
}

func TestCloseDuringJobAsksThenCancels(t *testing.T) {
	h := newHarness(t)
	tinyJob(t, h, "24h")
	closed := false
	h.win.SetOnClosed(func() { closed = true })

	h.render()
	r := h.run
	h.q.until(t, "ffmpeg runs", func() bool { return r.job != nil })

	h.onCloseRequested()
	tapButton(t, h.win.Canvas(), "Keep rendering")
	if closed || !h.progress.running() {
		t.Fatal("keeping on rendering closed or stopped the job")
	}

	h.onCloseRequested()
	tapButton(t, h.win.Canvas(), "Stop and close")
	h.q.until(t, "the window closes", func() bool { return closed })
	select {
	case <-r.done:
	default:
		t.Error("the window closed before the job was waited for")
	}
	if n := ffmpegChildren(t); n != 0 {
		t.Errorf("%d ffmpeg processes left behind", n)
	}
}

func TestRenderFailureShowsFFmpegsWords(t *testing.T) {
	h := newHarness(t)
	tinyJob(t, h, "1s")
	fake := filepath.Join(h.dir, "ffmpeg")
	script := "#!/bin/sh\necho \"[vost#0:0] Unknown encoder 'libx264'\" >&2\nexit 1\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(encoder.FFmpegEnv, fake)

	h.render()
	h.waitState(t, stateFailed)
	if !strings.Contains(h.progress.status.Text, "without libx264") {
		t.Errorf("status = %q", h.progress.status.Text)
	}
	if !strings.Contains(h.progress.detailsText.Text, "Unknown encoder 'libx264'") {
		t.Errorf("details = %q", h.progress.detailsText.Text)
	}
}

func TestShortcuts(t *testing.T) {
	h := newHarness(t)
	tinyJob(t, h, "1s")
	menu := map[string]*fyne.MenuItem{}
	for _, m := range h.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Shortcut != nil {
				menu[it.Shortcut.ShortcutName()] = it
			}
		}
	}
	ctrl := func(k fyne.KeyName) string {
		return (&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}).ShortcutName()
	}

	img := writePNG(t, filepath.Join(h.dir, "picked.png"), 30, 30, color.Black)
	h.dialogs.image = img
	menu[ctrl(fyne.KeyO)].Action()
	h.waitPreview(t, img)

	h.dialogs.video = filepath.Join(h.dir, "chosen")
	menu[ctrl(fyne.KeyS)].Action()
	h.q.until(t, "the output is set", func() bool { return h.form.output.Text == filepath.Join(h.dir, "chosen.mp4") })
	if h.dialogs.saveName != "out.mp4" {
		t.Errorf("save dialog offered %q", h.dialogs.saveName)
	}

	menu[ctrl(fyne.KeyReturn)].Action()
	if !h.progress.running() {
		t.Fatal("Ctrl+Enter did not start a render")
	}
	h.waitState(t, stateDone)
}

// ffmpegChildren counts this process's child processes named ffmpeg.
func ffmpegChildren(t *testing.T) int {
	t.Helper()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	me := strconv.Itoa(os.Getpid())
	n := 0
	for _, s := range stats {
		data, err := os.ReadFile(s)
		if err != nil {
			continue // it ended meanwhile
		}
		text := string(data)
		open, end := strings.IndexByte(text, '('), strings.LastIndexByte(text, ')')
		if open < 0 || end < open {
			continue
		}
		fields := strings.Fields(text[end+1:]) // state, ppid, …
		if text[open+1:end] == "ffmpeg" && len(fields) > 1 && fields[1] == me {
			n++
		}
	}
	return n
}

// probed is what ffprobe says of a video file: its streams' kinds and its
// length.
type probed struct {
	Streams []struct {
		CodecType string `json:"codec_type"`
	} `json:"streams"`
	Format struct {
		Duration string `json:"duration"`
	} `json:"format"`
}

func ffprobeFile(t *testing.T, path string) (kinds []string, length time.Duration) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_type:format=duration", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var p probed
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("ffprobe's answer: %v\n%s", err, out)
	}
	for _, s := range p.Streams {
		kinds = append(kinds, s.CodecType)
	}
	secs, err := strconv.ParseFloat(p.Format.Duration, 64)
	if err != nil {
		t.Fatalf("ffprobe's duration %q: %v", p.Format.Duration, err)
	}
	return kinds, time.Duration(secs * float64(time.Second))
}

func TestRenderSlideshowWithAudio(t *testing.T) {
	h := newHarness(t)
	red := writePNG(t, filepath.Join(h.dir, "red.png"), 80, 60, color.NRGBA{R: 220, A: 255})
	blue := writePNG(t, filepath.Join(h.dir, "blue.png"), 80, 60, color.NRGBA{B: 220, A: 255})
	h.openImage(t, red)
	h.openImages(false, blue)
	h.waitImages(t)
	song := writeAudio(t, filepath.Join(h.dir, "song.m4a"), 3*time.Second, "Tone", "")
	h.setAudio([]string{song})
	h.waitAudio(t)
	h.form.size.SetSelected(sizeCustom)
	h.setText(h.form.customW, "64")
	h.setText(h.form.customH, "64")
	h.setText(h.form.duration, "")
	h.setText(h.form.crossfade, "0.5s")
	h.form.preset.SetSelected(presetLabels()["ultrafast"])
	out := filepath.Join(h.dir, "slideshow.mp4")
	h.setText(h.form.output, out)
	s, err := h.validate()
	if err != nil {
		t.Fatalf("settings: %v", err)
	}
	if len(s.Images) != 2 || len(s.Audio) != 1 || s.Duration != 0 {
		t.Fatalf("settings: %d images, audio %q, duration %v", len(s.Images), s.Audio, s.Duration)
	}
	want := h.total // the timeline's, as the window shows it
	if want < 2900*time.Millisecond || want > 3200*time.Millisecond {
		t.Fatalf("the window expects %v of video, want the audio's 3s", want)
	}

	tapButton(t, h.win.Canvas(), "Render")
	h.waitState(t, stateDone)
	if !strings.HasPrefix(h.progress.status.Text, "Saved slideshow.mp4") {
		t.Fatalf("status %q: %s", h.progress.status.Text, h.progress.detailsText.Text)
	}
	kinds, length := ffprobeFile(t, out)
	if !slices.Contains(kinds, "audio") || !slices.Contains(kinds, "video") {
		t.Errorf("streams %q, want video and audio", kinds)
	}
	if d := length - want; d < -100*time.Millisecond || d > 100*time.Millisecond {
		t.Errorf("the file lasts %v, the window said %v", length, want)
	}
	// The images play in the list's order.
	if c := frameColour(t, out, 300*time.Millisecond); c[0] < 150 || c[2] > 80 {
		t.Errorf("the first image is %v, want red", c)
	}
	if c := frameColour(t, out, want-300*time.Millisecond); c[2] < 150 || c[0] > 80 {
		t.Errorf("the last image is %v, want blue", c)
	}
}

// frameColour is the average RGB of the video's frame at.
func frameColour(t *testing.T, path string, at time.Duration) [3]byte {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-v", "error", "-ss", strconv.FormatFloat(at.Seconds(), 'f', 3, 64), "-i", path,
		"-frames:v", "1", "-vf", "scale=1:1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-").Output()
	if err != nil || len(out) != 3 {
		t.Fatalf("a frame at %v of %s: %v (%d bytes)", at, path, err, len(out))
	}
	return [3]byte(out)
}
