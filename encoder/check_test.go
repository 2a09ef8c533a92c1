package encoder

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// versionScript writes a program at dir/ffmpeg that answers -version
// with the test data file version, the output of a real build. It uses
// only the shell's builtins, so it runs with an empty PATH.
func versionScript(t *testing.T, dir, version string) string {
	t.Helper()
	out, err := os.ReadFile(filepath.Join("ffmpeg", "testdata", version))
	if err != nil {
		t.Fatal(err)
	}
	return writeScript(t, dir, "ffmpeg", "printf '%s' '"+string(out)+"'\n")
}

func writeScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCheckFFmpeg runs the check on the real ffmpeg and on programs that
// answer as unusable ones do. Not parallel: it changes PATH.
func TestCheckFFmpeg(t *testing.T) {
	needFFmpeg(t)
	real := ffmpegBin
	empty := t.TempDir() // a PATH with nothing on it
	dir := t.TempDir()
	old := versionScript(t, mkdir(t, dir, "old"), "version-4.0.2.txt")
	noX264 := versionScript(t, mkdir(t, dir, "nox264"), "version-5.1-no-x264.txt")
	// A usable build alone in its folder: no ffprobe beside it.
	alone := versionScript(t, mkdir(t, dir, "alone"), "version-debian-5.1.txt")
	notFFmpeg := writeScript(t, dir, "hello", "echo hello\n")
	gone := filepath.Join(dir, "gone", "ffmpeg")

	tests := []struct {
		name    string
		path    string // PATH while it runs
		lookup  FFmpegLookup
		problem FFmpegProblem
		from    FFmpegSource
		version string
		msg     []string
	}{
		{"usable", empty, FFmpegLookup{Explicit: real, Getenv: emptyEnv}, FFmpegUsable, FromExplicit, "", nil},
		{"on PATH", filepath.Dir(real), FFmpegLookup{Getenv: emptyEnv}, FFmpegUsable, FromSystem, "", nil},
		{"missing", empty, FFmpegLookup{Getenv: emptyEnv}, FFmpegNotFound, FromSystem, "", []string{"not found", "apt", "brew", "winget"}},
		{"saved and gone", empty, FFmpegLookup{Saved: gone, Getenv: emptyEnv}, FFmpegNotAProgram, FromSaved, "", []string{"the saved ffmpeg setting", gone}},
		{"env before saved", empty, FFmpegLookup{Saved: gone, Getenv: envWith(FFmpegEnv, real)}, FFmpegUsable, FromEnv, "", nil},
		{"saved before PATH", filepath.Dir(real), FFmpegLookup{Saved: old, Getenv: emptyEnv}, FFmpegTooOld, FromSaved, "4.0.2", []string{"4.0.2", old, "too old", "4.1 or newer"}},
		{"too old", empty, FFmpegLookup{Explicit: old, Getenv: emptyEnv}, FFmpegTooOld, FromExplicit, "4.0.2", []string{"too old"}},
		{"no libx264", empty, FFmpegLookup{Explicit: noX264, Getenv: emptyEnv}, FFmpegNoLibx264, FromExplicit, "5.1.6-0+deb12u1", []string{noX264, "without libx264"}},
		{"not ffmpeg", empty, FFmpegLookup{Explicit: notFFmpeg, Getenv: emptyEnv}, FFmpegNotFFmpeg, FromExplicit, "", []string{notFFmpeg, "not an ffmpeg", "ffmpeg version"}},
		{"no ffprobe", empty, FFmpegLookup{Explicit: alone, Getenv: emptyEnv}, FFprobeNotFound, FromExplicit, "5.1.9-0+deb12u1", []string{"ffprobe was not found beside " + alone}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PATH", tt.path)
			c, err := CheckFFmpeg(context.Background(), tt.lookup)
			if c.Problem != tt.problem || c.From != tt.from {
				t.Fatalf("CheckFFmpeg = %+v, %v; want problem %d from %d", c, err, tt.problem, tt.from)
			}
			if tt.problem == FFmpegUsable {
				if err != nil || c.Version == "" || c.Probe == "" {
					t.Fatalf("a usable ffmpeg: %+v, %v", c, err)
				}
				return
			}
			if want := tt.lookup.Explicit + tt.lookup.Saved; tt.problem != FFmpegNotFound && c.Path != want {
				t.Errorf("Path = %q, want the one named, %q", c.Path, want)
			}
			if tt.version != "" && c.Version != tt.version {
				t.Errorf("Version = %q, want %q", c.Version, tt.version)
			}
			checkFFmpegFieldError(t, err, tt.msg...)
		})
	}
}

// TestStartUsesTheSavedFFmpeg: with no --ffmpeg and no $STILLCAST_FFMPEG,
// Start takes the saved ffmpeg before PATH, and says so when it is gone.
func TestStartUsesTheSavedFFmpeg(t *testing.T) {
	needFFmpeg(t)
	real := ffmpegBin
	t.Setenv("PATH", t.TempDir())
	t.Setenv(FFmpegEnv, "")
	dir := t.TempDir()
	img := writePNG(t, dir, "a.png", solidImage(8, 8, tRed))
	s := testSettings(img, filepath.Join(dir, "v.mp4"))
	s.FFmpeg, s.SavedFFmpeg = "", filepath.Join(dir, "gone")
	if j, err := Start(context.Background(), s); err == nil {
		j.Cancel()
		j.Wait()
		t.Fatal("Start ran with a saved ffmpeg that is gone")
	} else if !strings.Contains(err.Error(), "the saved ffmpeg setting") {
		t.Errorf("error %q does not say the ffmpeg was the saved one", err)
	}
	s.SavedFFmpeg = real
	s.Duration = 1e9
	j, err := Start(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Wait(); err != nil {
		t.Fatal(err)
	}
	if d := probeAV(t, s.Output).Format.Duration; !strings.HasPrefix(d, "1.0") && !strings.HasPrefix(d, "0.9") {
		t.Errorf("the video lasts %s s, want 1", d)
	}
}

func mkdir(t *testing.T, parent, name string) string {
	t.Helper()
	dir := filepath.Join(parent, name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
