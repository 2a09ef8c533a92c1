package ffmpeg

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// exeName is name as a program file: name.exe on Windows.
func exeName(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}

// tempDir is t.TempDir for tests that also run under Wine, where Go's
// os.RemoveAll fails ("unlinkat: Invalid function") and plain os.Remove
// works: it removes the folder's files one by one.
func tempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "stillcast-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				t.Error(err)
			}
		}
		if err := os.Remove(dir); err != nil {
			t.Error(err)
		}
	})
	return dir
}

// copyProgram copies this test's own executable, a real program on every
// system, to dir as name, and returns its path.
func copyProgram(t *testing.T, dir, name string) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(self)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	path := filepath.Join(dir, exeName(name))
	dst, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func envOf(val string) func(string) string {
	return func(k string) string {
		if k == Env {
			return val
		}
		return ""
	}
}

// TestFindOrder: an explicit path beats $STILLCAST_FFMPEG, which beats an
// ffmpeg beside the executable, which beats PATH. Not parallel: it
// changes PATH and puts a file beside the test's executable.
func TestFindOrder(t *testing.T) {
	onPath := tempDir(t)
	t.Setenv("PATH", onPath)
	pathFFmpeg := copyProgram(t, onPath, "ffmpeg")
	explicit := copyProgram(t, tempDir(t), "ffmpeg")
	fromEnv := copyProgram(t, tempDir(t), "ffmpeg")
	if got, err := Find("", "--ffmpeg", envOf("")); err != nil || got != pathFFmpeg {
		t.Errorf("on PATH: Find = %s, %v; want %s", got, err, pathFFmpeg)
	}

	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	beside := filepath.Join(filepath.Dir(self), exeName("ffmpeg"))
	if _, err := os.Stat(beside); err == nil {
		t.Fatalf("%s is there already", beside)
	}
	if err := os.Link(pathFFmpeg, beside); err != nil {
		copyProgram(t, filepath.Dir(self), "ffmpeg") // no hard links under Wine
	}
	t.Cleanup(func() { os.Remove(beside) })

	for _, tt := range []struct {
		name, explicit, env, want string
	}{
		{"beside the executable beats PATH", "", "", beside},
		{"env beats beside", "", fromEnv, fromEnv},
		{"explicit beats env", explicit, fromEnv, explicit},
		// On Windows a name without .exe finds the .exe, as cmd.exe does.
		{"explicit without extension", strings.TrimSuffix(explicit, ".exe"), "", explicit},
	} {
		if got, err := Find(tt.explicit, "--ffmpeg", envOf(tt.env)); err != nil || got != tt.want {
			t.Errorf("%s: Find = %s, %v; want %s", tt.name, got, err, tt.want)
		}
	}
	probe := copyProgram(t, filepath.Dir(explicit), "ffprobe")
	if got, err := FindProbe(explicit); err != nil || got != probe {
		t.Errorf("FindProbe(%s) = %s, %v; want %s", explicit, got, err, probe)
	}
}

// TestFindRefuses: what is not a program is refused with a message that
// names the flag, and the path exactly as given (no doubled backslashes).
func TestFindRefuses(t *testing.T) {
	t.Parallel()
	dir := tempDir(t)
	data := filepath.Join(dir, "ffmpeg.txt")
	if err := os.WriteFile(data, []byte("not a program"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "no-such-ffmpeg")
	for _, tt := range []struct {
		name, explicit, env, why string
	}{
		{"missing", missing, "", "--ffmpeg points at “" + missing + "”, which does not exist"},
		{"env missing", "", missing, "$" + Env + " points at “" + missing + "”, which does not exist"},
		{"folder", dir, "", "--ffmpeg points at “" + dir + "”, which is a folder"},
		{"data file", data, "", "--ffmpeg points at “" + data + "”, which is not an ffmpeg program"},
	} {
		got, err := Find(tt.explicit, "--ffmpeg", envOf(tt.env))
		if err == nil || !strings.Contains(err.Error(), tt.why) {
			t.Errorf("%s: Find = %s, %v; want an error with %s", tt.name, got, err, tt.why)
		}
	}
}
