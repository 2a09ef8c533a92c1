package cli

import (
	"fmt"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// songWithCover writes a secs-long mp3 with title and track tags and the
// cover art of a solid colour (none when c's alpha is 0).
func songWithCover(t *testing.T, path string, secs float64, title string, track int, c color.RGBA) {
	t.Helper()
	args := []string{"-v", "error", "-f", "lavfi", "-i", fmt.Sprintf("sine=d=%g", secs)}
	if c.A != 0 {
		cover := filepath.Join(t.TempDir(), "cover.png")
		writePNG(t, cover, 32, 32, c)
		args = append(args, "-i", cover, "-map", "0:a", "-map", "1:v", "-disposition:v", "attached_pic")
	}
	args = append(args, "-c:a", "libmp3lame", "-id3v2_version", "3", "-metadata", "title="+title,
		"-metadata", fmt.Sprintf("track=%d", track), "-metadata", "album=Tests", "-y", path)
	if out, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
		t.Fatalf("making %s: %v\n%s", path, err, out)
	}
}

func TestEachMakesOneVideoPerSongAndReportsAFailure(t *testing.T) {
	dir := t.TempDir()
	greens := []uint8{40, 80, 120, 160}
	for i, g := range greens {
		songWithCover(t, filepath.Join(dir, fmt.Sprintf("%d.mp3", i+1)), 0.6+0.2*float64(i), fmt.Sprintf("Song %d", i+1), i+1, color.RGBA{0, g, 0, 255})
	}
	if err := os.WriteFile(filepath.Join(dir, "5 damaged.mp3"), []byte("not audio"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "videos") + string(filepath.Separator)
	code, stdout, stderr := run(t, "render", "--each", "--audio", dir, "-o", out,
		"--size", "160x90", "--preset", "ultrafast", "--progress", "plain")
	if code != ExitFailure {
		t.Fatalf("exit %d, want 1 (one song failed); stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	want := "01 - Song 1.mp4|02 - Song 2.mp4|03 - Song 3.mp4|04 - Song 4.mp4"
	if got := listDir(t, out); strings.Join(got, "|") != want {
		t.Errorf("the folder holds %q, want %q", got, want)
	}
	if n := strings.Count(stderr, "failed: "); n != 1 {
		t.Errorf("%d failures reported, want 1:\n%s", n, stderr)
	}
	for _, want := range []string{"[5/5] 5 damaged.mp4: failed: 5 damaged.mp3: not an audio file ffmpeg can read",
		"stillcast: 4 of 5 videos made, 0 skipped, 1 failed\n"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	for i, g := range greens {
		if c := centreAt(t, filepath.Join(out, fmt.Sprintf("%02d - Song %d.mp4", i+1, i+1)), 0.2); diff(c.G, g) > 24 || c.R > 24 {
			t.Errorf("song %d's video shows %v, want its cover's green %d", i+1, c, g)
		}
	}
	// Again, with the album: the four are there, and are skipped; the
	// album needs the damaged song too, and fails with its reason.
	code, _, stderr = run(t, "render", "--each", "--album", "--audio", dir, "-o", out,
		"--size", "160x90", "--preset", "ultrafast", "--progress", "plain")
	if code != ExitFailure || strings.Count(stderr, "skipped, it exists already (use --force to replace it)") != 4 ||
		!strings.Contains(stderr, "Tests.mp4: failed: the album needs every song, and 5 damaged.mp3 failed") {
		t.Errorf("a second run: exit %d, stderr:\n%s", code, stderr)
	}
}

func TestSongVideoShowsItsOwnCover(t *testing.T) {
	dir := t.TempDir()
	song := filepath.Join(dir, "song.mp3")
	songWithCover(t, song, 1, "Azul", 1, color.RGBA{0, 0, 210, 255})
	out := filepath.Join(dir, "azul.mp4")
	code, _, stderr := run(t, "render", "--audio", song, "-o", out, "--size", "160x90", "--preset", "ultrafast", "--progress", "plain")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if c := centreAt(t, out, 0.5); diff(c.B, 210) > 24 || c.R > 24 {
		t.Errorf("the video shows %v, want the song's blue cover", c)
	}
}

func TestEachAndCoverBadInputExitsTwo(t *testing.T) {
	dir := t.TempDir()
	bare := filepath.Join(dir, "bare.mp3")
	songWithCover(t, bare, 0.5, "Bare", 1, color.RGBA{})
	file := filepath.Join(dir, "a file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(dir, "i.png")
	writePNG(t, img, 16, 16, color.White)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"each without audio", []string{"render", "--each", img, "-o", t.TempDir()}, "stillcast: --audio: --each makes one video per song"},
		{"no art and no image", []string{"render", "--each", "--audio", bare, "-o", t.TempDir()}, "stillcast: IMAGE: bare.mp3 has no cover art of its own: give an IMAGE to show"},
		{"no art for one video", []string{"render", "--audio", bare, "-o", filepath.Join(t.TempDir(), "x.mp4")}, "stillcast: IMAGE: bare.mp3 has no cover art of its own"},
		{"output is a file", []string{"render", "--each", img, "--audio", bare, "-o", file}, "stillcast: --out: " + file + " is a file: --each writes one video per song into a folder"},
		{"album without each", []string{"render", img, "--album", "--audio", bare, "-o", filepath.Join(t.TempDir(), "x.mp4")}, "stillcast: --album: goes with --each"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tc.args...)
			wantUsageLine(t, code, stdout, stderr, tc.want)
		})
	}
}

// centreAt is the colour in the middle of the 160×90 frame at secs.
func centreAt(t *testing.T, path string, secs float64) color.RGBA {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-v", "error", "-ss", fmt.Sprint(secs), "-i", path,
		"-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-").Output()
	if err != nil || len(out) != 160*90*3 {
		t.Fatalf("reading the frame at %.1f s of %s: %v (%d bytes)", secs, path, err, len(out))
	}
	i := (45*160 + 80) * 3
	return color.RGBA{out[i], out[i+1], out[i+2], 255}
}

func TestAlbumVideoWithADamagedSongExitsTwo(t *testing.T) {
	dir := t.TempDir()
	songWithCover(t, filepath.Join(dir, "1.mp3"), 0.5, "One", 1, color.RGBA{0, 0, 200, 255})
	if err := os.WriteFile(filepath.Join(dir, "2.mp3"), []byte("not audio"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "album.mp4")
	code, stdout, stderr := run(t, "render", "--audio", dir, "-o", out, "--size", "160x90")
	wantUsageLine(t, code, stdout, stderr, "stillcast: --audio: 2.mp3: not an audio file ffmpeg can read")
	if _, err := os.Stat(out); err == nil {
		t.Error("a video was written")
	}
}
