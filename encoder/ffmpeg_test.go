package encoder

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func emptyEnv(string) string { return "" }

func envWith(key, val string) func(string) string {
	return func(k string) string {
		if k == key {
			return val
		}
		return ""
	}
}

func checkFFmpegFieldError(t *testing.T, err error, parts ...string) {
	t.Helper()
	fes := FieldErrors(err)
	if len(fes) != 1 || fes[0].Field != "ffmpeg" {
		t.Fatalf("error %v: want one FieldError on ffmpeg, got %v", err, fes)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("message %q lacks %q", err.Error(), p)
		}
	}
}

// TestFindFFmpegMissing: no explicit path, no $STILLCAST_FFMPEG and an
// empty PATH. Not parallel: it changes PATH.
func TestFindFFmpegMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv(FFmpegEnv, "")
	path, err := FindFFmpeg("", emptyEnv)
	if err == nil {
		t.Fatalf("found %q on an empty PATH", path)
	}
	checkFFmpegFieldError(t, err, "apt", "brew", "winget", "not found", "$"+FFmpegEnv, "--ffmpeg")

	// Start says the same, before it touches any file.
	dir := t.TempDir()
	img := writePNG(t, dir, "a.png", solidImage(8, 8, tRed))
	s := testSettings(img, filepath.Join(dir, "v.mp4"))
	s.FFmpeg = ""
	if j, err := Start(context.Background(), s); err == nil {
		j.Cancel()
		j.Wait()
		t.Fatal("Start ran without an ffmpeg")
	} else {
		checkFFmpegFieldError(t, err, "apt", "brew", "winget")
	}
	checkDirHolds(t, dir, "a.png")
}

// TestFindFFmpegOnPath finds a program named ffmpeg on PATH. Not parallel:
// it changes PATH.
func TestFindFFmpegOnPath(t *testing.T) {
	bin := filepath.Join(fakesDir, "bin")
	t.Setenv("PATH", t.TempDir()+string(os.PathListSeparator)+bin)
	got, err := FindFFmpeg("", emptyEnv)
	if err != nil || got != filepath.Join(bin, "ffmpeg") {
		t.Errorf("FindFFmpeg = %q, %v; want %s", got, err, filepath.Join(bin, "ffmpeg"))
	}
	// $STILLCAST_FFMPEG wins over PATH, an explicit path over both.
	if got, err := FindFFmpeg("", envWith(FFmpegEnv, fakeFFmpeg("exit0-now"))); err != nil || got != fakeFFmpeg("exit0-now") {
		t.Errorf("with $%s: %q, %v", FFmpegEnv, got, err)
	}
	if got, err := FindFFmpeg(fakeFFmpeg("fail-now"), envWith(FFmpegEnv, fakeFFmpeg("exit0-now"))); err != nil || got != fakeFFmpeg("fail-now") {
		t.Errorf("explicit: %q, %v", got, err)
	}
}

func TestFindFFmpegExplicitAndEnv(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notExec := writeTestFile(t, dir, "ffmpeg-data", []byte("#!/bin/sh\n"))
	missing := filepath.Join(dir, "no-such-ffmpeg")
	tests := []struct {
		name     string
		explicit string
		env      string
		want     string // "" means an error
		parts    []string
	}{
		{"explicit", fakeFFmpeg("exit0-now"), "", fakeFFmpeg("exit0-now"), nil},
		{"env honoured", "", fakeFFmpeg("fail-now"), fakeFFmpeg("fail-now"), nil},
		{"explicit beats env", fakeFFmpeg("exit0-now"), fakeFFmpeg("fail-now"), fakeFFmpeg("exit0-now"), nil},
		{"explicit missing", missing, "", "", []string{"--ffmpeg", missing}},
		{"explicit missing, env fine", missing, fakeFFmpeg("exit0-now"), "", []string{"--ffmpeg", missing}},
		{"env missing", "", missing, "", []string{"$" + FFmpegEnv, missing}},
		{"explicit directory", dir, "", "", []string{dir, "not an ffmpeg program"}},
		{"explicit not executable", notExec, "", "", []string{notExec}},
	}
	if ffmpegBin != "" {
		tests = append(tests, struct {
			name     string
			explicit string
			env      string
			want     string
			parts    []string
		}{"real ffmpeg", ffmpegBin, "", ffmpegBin, nil})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FindFFmpeg(tt.explicit, envWith(FFmpegEnv, tt.env))
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Errorf("FindFFmpeg = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("FindFFmpeg = %q, want an error", got)
			}
			checkFFmpegFieldError(t, err, tt.parts...)
		})
	}
}

// TestStartHonoursFFmpegEnv: Start with no explicit ffmpeg uses
// $STILLCAST_FFMPEG (here a fake that fails, to tell it from the real
// one). Not parallel: it sets the environment.
func TestStartHonoursFFmpegEnv(t *testing.T) {
	t.Setenv(FFmpegEnv, fakeFFmpeg("fail-now"))
	dir := t.TempDir()
	img := writePNG(t, dir, "a.png", solidImage(8, 8, tRed))
	s := testSettings(img, filepath.Join(dir, "v.mp4"))
	s.FFmpeg = ""
	j, err := Start(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	_, err = collectEvents(t, j, 30*time.Second)
	var fe *FFmpegError
	if !errors.As(err, &fe) || !strings.Contains(strings.Join(fe.Tail, "\n"), "Something specific failed") {
		t.Fatalf("Wait = %v; want the fake's FFmpegError", err)
	}
	checkDirHolds(t, dir, "a.png")
}
