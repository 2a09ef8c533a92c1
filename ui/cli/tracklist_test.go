package cli

import (
	"bytes"
	"encoding/json"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTracklistFlag runs the real command on three songs: the tracklist
// goes beside the video, is kept without --force, and with --tracklist -
// is all that stdout carries; with --progress json it is in the last line.
func TestTracklistFlag(t *testing.T) {
	bin := stillcastBinary(t)
	dir := t.TempDir()
	img := filepath.Join(dir, "img.png")
	writePNG(t, img, 64, 64, color.RGBA{200, 120, 40, 255})
	var songs []string
	for _, name := range []string{"1 Alpha.mp3", "2 Beta.mp3", "3 Gamma.mp3"} {
		songs = append(songs, filepath.Join(dir, name))
		makeTone(t, songs[len(songs)-1], 1)
	}
	out := filepath.Join(dir, "album.mp4")
	render := func(extra ...string) (int, string, string) {
		args := []string{"render", img, "--fps", "5", "--preset", "ultrafast", "--progress", "plain", "-o", out}
		for _, s := range songs {
			args = append(args, "--audio", s)
		}
		cmd := exec.Command(bin, append(args, extra...)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if _, ok := err.(*exec.ExitError); err != nil && !ok {
			t.Fatal(err)
		}
		return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()
	}
	want := "# YouTube makes chapters only of 3 or more, each at least 10 s long: chapter 1 (1 Alpha) is 1s\n" +
		"0:00 1 Alpha\n0:01 2 Beta\n0:02 3 Gamma\n"

	code, stdout, stderr := render()
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	beside := filepath.Join(dir, "album.tracklist.txt")
	if got, err := os.ReadFile(beside); err != nil || string(got) != want {
		t.Errorf("%s holds %q (%v), want %q", beside, got, err, want)
	}
	if !strings.HasPrefix(stdout, "Wrote "+out) {
		t.Errorf("stdout %q", stdout)
	}

	os.Remove(out) // the tracklist alone stops the next render
	code, stdout, stderr = render()
	wantUsageLine(t, code, stdout, stderr, "stillcast: --tracklist: "+beside+" already exists (use --force to replace it)")
	if _, err := os.Stat(out); err == nil {
		t.Error("the video was written though its tracklist was in the way")
	}

	code, stdout, stderr = render("--tracklist", "-")
	if code != ExitOK || stdout != want || !strings.Contains(stderr, "Wrote "+out) {
		t.Errorf("--tracklist -: exit %d, stdout %q, want %q; stderr %q", code, stdout, want, stderr)
	}

	code, stdout, stderr = render("--force", "--progress", "json")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	var done struct{ State, Tracklist string }
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &done); code != ExitOK || err != nil || done.State != "done" || done.Tracklist != want {
		t.Errorf("--progress json: exit %d, last line %q (%v); stderr %q", code, lines[len(lines)-1], err, stderr)
	}
}
