package ui

import (
	"context"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/cli"
)

// fakeVersion writes a program at dir/ffmpeg that answers -version with
// the encoder's test data file version, the output of a real build, with
// the shell's builtins only.
func fakeVersion(t *testing.T, dir, version string) string {
	t.Helper()
	out, err := os.ReadFile(filepath.Join("..", "encoder", "ffmpeg", "testdata", version))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "ffmpeg")
	if err := os.WriteFile(path, []byte("#!/bin/sh\nprintf '%s' '"+string(out)+"'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// withoutFFmpeg gives the test a PATH with nothing on it and no
// $STILLCAST_FFMPEG. Tests that use it cannot run in parallel.
func withoutFFmpeg(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv(encoder.FFmpegEnv, "")
}

// waitChecked runs the UI work until the ffmpeg check has answered.
func (h *harness) waitChecked(t *testing.T) {
	t.Helper()
	h.q.until(t, "the ffmpeg check answers", func() bool { return !h.ffmpeg.checking })
}

// chooseFFmpegAndWait taps Choose ffmpeg… and runs the UI work until
// the file the dialog gave is checked.
func (h *harness) chooseFFmpegAndWait(t *testing.T) {
	t.Helper()
	checks := h.ffmpeg.gen
	tapButton(t, h.win.Canvas(), "Choose ffmpeg…")
	h.q.until(t, "the chosen file is checked", func() bool { return h.ffmpeg.gen > checks && !h.ffmpeg.checking })
}

// bannerText is what the banner says, "" when it is hidden.
func (h *harness) bannerText() string {
	if !h.banner.content.Visible() {
		return ""
	}
	return h.banner.title.Text + "\n" + h.banner.help.Text
}

func wantBanner(t *testing.T, h *harness, parts ...string) {
	t.Helper()
	text := h.bannerText()
	if text == "" {
		t.Fatal("no banner")
	}
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("the banner says %q, without %q", text, p)
		}
	}
}

func TestBannerSaysWhatIsWrongWithFFmpeg(t *testing.T) {
	help := installHelp(systemKind())
	tests := []struct {
		name, version string // version: test data for a fake on PATH; "" for none
		want          []string
	}{
		{"missing", "", []string{"Stillcast needs ffmpeg to make videos, and it was not found on this computer.", help}},
		{"too old", "version-4.0.2.txt", []string{"is version 4.0.2, which is too old: Stillcast needs ffmpeg 4.1 or newer.", help}},
		{"no libx264", "version-5.1-no-x264.txt", []string{"(5.1.6-0+deb12u1) was built without libx264", help}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			withoutFFmpeg(t)
			if tt.version != "" {
				dir := t.TempDir()
				fake := fakeVersion(t, dir, tt.version)
				t.Setenv("PATH", dir)
				tt.want = append(tt.want, "The ffmpeg at "+fake+" ")
			}
			h := newHarness(t)
			h.waitChecked(t)
			wantBanner(t, h, tt.want...)
			if h.banner.choose.Disabled() {
				t.Error("Choose ffmpeg… is disabled")
			}
			if got := h.progress.status.Text; !strings.Contains(got, "until it has ffmpeg") {
				t.Errorf("the status line says %q while ffmpeg is missing", got)
			}
		})
	}
}

// TestChooseFFmpegThenRemembered: a file that is no ffmpeg is refused,
// with the banner naming it and nothing saved; the real ffmpeg is taken,
// saved, and a new window and the CLI use it with nothing on PATH.
func TestChooseFFmpegThenRemembered(t *testing.T) {
	real, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Fatal("the tests need ffmpeg on PATH:", err)
	}
	ffprobe, err := exec.LookPath("ffprobe")
	if err != nil {
		t.Fatal("the tests need ffprobe on PATH:", err)
	}
	withoutFFmpeg(t)
	a := test.NewTempApp(t)
	h := newHarnessFor(t, a)
	h.waitChecked(t)
	wantBanner(t, h, "not found")

	notFFmpeg := filepath.Join(h.dir, "notes.txt")
	if err := os.WriteFile(notFFmpeg, []byte("#!/bin/sh\necho hello\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	h.dialogs.ffmpeg = notFFmpeg
	h.chooseFFmpegAndWait(t)
	wantBanner(t, h, notFFmpeg+" is not ffmpeg: it does not answer as ffmpeg does.")
	if _, err := os.Stat(h.ffmpeg.store.Path); err == nil {
		t.Errorf("%s was saved after a file that is no ffmpeg", h.ffmpeg.store.Path)
	}

	h.dialogs.ffmpeg = real
	h.chooseFFmpegAndWait(t)
	if text := h.bannerText(); text != "" {
		t.Fatalf("the banner stays after choosing %s: %q", real, text)
	}
	if got := h.progress.status.Text; strings.Contains(got, "ffmpeg") {
		t.Errorf("the status line still says %q", got)
	}
	if v, err := h.ffmpeg.store.Load(); err != nil || v.FFmpeg != real {
		t.Fatalf("the settings file holds %+v (%v), want ffmpeg %s", v, err, real)
	}

	// A new window on the same settings starts without the banner.
	h2 := newHarnessWith(t, a, h.ffmpeg.store)
	h2.waitChecked(t)
	if text := h2.bannerText(); text != "" || !h2.ffmpeg.usable {
		t.Errorf("a new window shows the banner %q", text)
	}

	// The CLI reads the same setting.
	t.Setenv("XDG_CONFIG_HOME", filepath.Dir(filepath.Dir(h.ffmpeg.store.Path)))
	img := writePNG(t, filepath.Join(h.dir, "in.png"), 32, 24, color.White)
	out := filepath.Join(h.dir, "out.mp4")
	var stdout, stderr strings.Builder
	if code := cli.Run(context.Background(), []string{"render", img, "-o", out, "--duration", "1s", "--preset", "ultrafast", "--progress", "plain"}, &stdout, &stderr); code != cli.ExitOK {
		t.Fatalf("the CLI exits %d: %s", code, stderr.String())
	}
	got, err := exec.Command(ffprobe, "-v", "error", "-select_streams", "v", "-count_frames",
		"-show_entries", "stream=codec_name,nb_read_frames", "-of", "csv=p=0", out).Output()
	if err != nil || strings.TrimSpace(string(got)) != "h264,25" {
		t.Errorf("ffprobe %s: %q, %v; want h264,25", out, got, err)
	}
}

func TestLinuxKind(t *testing.T) {
	tests := []struct{ osRelease, want string }{
		{"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n", "debian"},
		{"NAME=\"Linux Mint\"\nID=linuxmint\nID_LIKE=\"ubuntu debian\"\n", "debian"},
		{"ID=ubuntu\nID_LIKE=debian\n", "debian"},
		{"ID=fedora\n", "linux"},
		{"ID=arch\n", "linux"},
		{"", "linux"},
	}
	for _, tt := range tests {
		if got := linuxKind(tt.osRelease); got != tt.want {
			t.Errorf("linuxKind(%q) = %q, want %q", tt.osRelease, got, tt.want)
		}
	}
}

// TestBannerFitsItsWords: on a small window, long words wrap, and the
// banner grows to hold them instead of spilling over the preview.
func TestBannerFitsItsWords(t *testing.T) {
	withoutFFmpeg(t)
	h := newHarness(t)
	h.waitChecked(t)
	h.win.Resize(fyne.NewSize(1024, 700))
	long := `The ffmpeg at C:\Users\someone\Downloads\ffmpeg-4.0.2-win64-static\bin\ffmpeg.exe is version 4.0.2, which is too old: Stillcast needs ffmpeg 4.1 or newer.`
	h.banner.show(long, installHelp("windows"))
	h.q.until(t, "the banner holds its words", func() bool {
		h.win.Canvas().Capture() // lays out and paints, as a frame would
		return h.banner.content.Size().Height >= h.banner.content.MinSize().Height
	})
	if lines := h.banner.title.MinSize().Height / h.banner.choose.MinSize().Height; lines < 1.2 {
		t.Errorf("the long title did not wrap (%.1f button heights)", lines)
	}
}
