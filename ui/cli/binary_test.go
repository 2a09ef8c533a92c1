//go:build linux

package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// These tests run the real stillcast binary, because exit codes and
// signals belong to a process.

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

// headlessEnv set to 1 makes these tests run against the headless build
// (CGO_ENABLED=0, -tags headless) instead of the one with the window.
// TestHeadlessBinaryPassesTheseTests sets it for a second run.
const headlessEnv = "STILLCAST_TEST_HEADLESS"

// stillcastBinary builds the command once per test run into a folder that
// any user can read, so it can also run as an unprivileged user.
func stillcastBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "stillcast-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binDir = dir
		os.Chmod(dir, 0o755)
		binPath = filepath.Join(dir, "stillcast")
		build := exec.Command("go", "build", "-o", binPath, "github.com/stillcast/stillcast")
		if os.Getenv(headlessEnv) == "1" {
			build.Args = []string{"go", "build", "-tags", "headless", "-o", binPath, "github.com/stillcast/stillcast"}
			build.Env = append(os.Environ(), "CGO_ENABLED=0")
		}
		out, err := build.CombinedOutput()
		if err != nil {
			buildErr = err
			binPath = string(out)
		}
	})
	if buildErr != nil {
		t.Fatalf("building stillcast: %v\n%s", buildErr, binPath)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// processesMentioning lists the PIDs whose command line contains s.
func processesMentioning(s string) []string {
	var pids []string
	dirs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, f := range dirs {
		b, err := os.ReadFile(f)
		if err == nil && bytes.Contains(b, []byte(s)) {
			pids = append(pids, filepath.Base(filepath.Dir(f)))
		}
	}
	return pids
}

func TestCtrlCStopsCleanlyWithExit130(t *testing.T) {
	bin := stillcastBinary(t)
	dir, tmp := t.TempDir(), t.TempDir()
	img, out := filepath.Join(dir, "in.png"), filepath.Join(dir, "out.mp4")
	writePNG(t, img, 640, 360, color.RGBA{10, 120, 200, 255})
	cmd := exec.Command(bin, "render", img, "-o", out, "--duration", "10m", "--preset", "medium", "--progress", "json")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	var stdout, stderr lockedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until frames flow, then press Ctrl-C.
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stdout.String(), `"rendering"`) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no progress; stderr: %s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(processesMentioning(dir)) == 0 {
		t.Fatal("ffmpeg is not running while rendering")
	}
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != ExitInterrupted {
		t.Fatalf("exit %d (%v), want 130; stderr: %s", code, err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "interrupted; nothing was written") {
		t.Errorf("stderr: %s", stderr.String())
	}
	if !strings.Contains(stdout.String(), `"state":"cancelled"`) {
		t.Errorf("no cancelled event in %s", stdout.String())
	}
	if pids := processesMentioning(dir); len(pids) > 0 {
		t.Errorf("processes left behind: %v", pids)
	}
	if names := listDir(t, dir); len(names) != 1 || names[0] != "in.png" {
		t.Errorf("output folder holds %v", names)
	}
	if names := listDir(t, tmp); len(names) != 0 {
		t.Errorf("temporary folder holds %v", names)
	}
}

func TestMissingFFmpegNamesItAndHowToInstall(t *testing.T) {
	bin := stillcastBinary(t)
	dir := t.TempDir()
	img := filepath.Join(dir, "in.png")
	writePNG(t, img, 16, 16, color.White)
	cmd := exec.Command(bin, "render", img, "-o", filepath.Join(dir, "out.mp4"))
	cmd.Env = []string{"PATH=" + t.TempDir(), "HOME=" + dir}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Run()
	msg := stderr.String()
	if code := cmd.ProcessState.ExitCode(); code != ExitUsage {
		t.Fatalf("exit %d, want 2: %s", code, msg)
	}
	for _, want := range []string{"ffmpeg was not found", "apt install ffmpeg", "brew install ffmpeg", "winget install ffmpeg", "--ffmpeg"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %s", want, msg)
		}
	}
	if strings.Count(msg, "\n") != 1 {
		t.Errorf("not one line: %q", msg)
	}
}

func TestUnwritableOutputFolder(t *testing.T) {
	bin := stillcastBinary(t)
	// Root may write anywhere, so run as nobody; a plain user is enough
	// otherwise.
	base, err := os.MkdirTemp("", "stillcast-ro-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	os.Chmod(base, 0o755)
	img := filepath.Join(base, "in.png")
	writePNG(t, img, 16, 16, color.White)
	os.Chmod(img, 0o644)
	locked := filepath.Join(base, "locked")
	os.Mkdir(locked, 0o555)

	cmd := exec.Command(bin, "render", img, "-o", filepath.Join(locked, "out.mp4"))
	cmd.Env = append(os.Environ(), "TMPDIR="+base)
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != ExitUsage {
		t.Fatalf("exit %d, want 2: %s", code, stderr.String())
	}
	if want := "--out: cannot write in the folder " + locked + ": permission denied\n"; !strings.HasSuffix(stderr.String(), want) || strings.Count(stderr.String(), "\n") != 1 {
		t.Fatalf("stderr %q, want it to end with %q", stderr.String(), want)
	}
	if names := listDir(t, locked); len(names) != 0 {
		t.Fatalf("locked folder holds %v", names)
	}
}

// lockedBuffer is a bytes.Buffer that exec's copying goroutine can write
// while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Debian servers and containers often run with LANG=C.UTF-8, which Fyne
// cannot parse; the headless commands must still print only their own line.
func TestCLocaleLeavesStderrClean(t *testing.T) {
	bin := stillcastBinary(t)
	for _, lang := range []string{"C.UTF-8", "C", "POSIX"} {
		cmd := exec.Command(bin, "render", "--duration", "0")
		// Unset, not empty: a variable the program must add is the hard case.
		cmd.Env = []string{"LANG=" + lang}
		for _, kv := range os.Environ() {
			if k, _, _ := strings.Cut(kv, "="); !slices.Contains([]string{"LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"}, k) {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Run()
		if got := stderr.String(); got != "stillcast: --duration: must be longer than zero\n" {
			t.Errorf("LANG=%s: stderr %q", lang, got)
		}
	}
}

// makeTone writes a sine tone of secs seconds to path with ffmpeg.
func makeTone(t *testing.T, path string, secs float64) {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", fmt.Sprintf("sine=d=%g", secs),
		"-c:a", "libmp3lame", path).CombinedOutput()
	if err != nil {
		t.Fatalf("making %s: %v\n%s", path, err, out)
	}
}

// probeDurations returns the length of each stream by codec type, and the
// file's length. An attached picture (the cover art) is not counted.
func probeDurations(t *testing.T, path string) (streams map[string]float64, total float64) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,duration:stream_disposition=attached_pic:format=duration", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var p struct {
		Streams []struct {
			CodecType   string `json:"codec_type"`
			Duration    string `json:"duration"`
			Disposition struct {
				AttachedPic int `json:"attached_pic"`
			}
		}
		Format struct{ Duration string }
	}
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatal(err)
	}
	streams = map[string]float64{}
	for _, s := range p.Streams {
		if s.Disposition.AttachedPic != 0 {
			continue
		}
		if _, dup := streams[s.CodecType]; dup {
			t.Fatalf("%s has two %s streams", path, s.CodecType)
		}
		streams[s.CodecType], _ = strconv.ParseFloat(s.Duration, 64)
	}
	total, _ = strconv.ParseFloat(p.Format.Duration, 64)
	return streams, total
}

func TestRenderCoverWithSongFollowsTheSong(t *testing.T) {
	bin := stillcastBinary(t)
	dir := t.TempDir()
	img, song, out := filepath.Join(dir, "img.png"), filepath.Join(dir, "3s.mp3"), filepath.Join(dir, "out.mp4")
	writePNG(t, img, 320, 240, color.RGBA{200, 120, 40, 255})
	makeTone(t, song, 3)
	cmd := exec.Command(bin, "render", img, "--audio", song, "-o", out, "--progress", "plain")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\nstderr: %s", err, stderr.String())
	}
	streams, total := probeDurations(t, out)
	if len(streams) != 2 {
		t.Fatalf("streams %v, want video and audio", streams)
	}
	for _, kind := range []string{"video", "audio"} {
		if d, ok := streams[kind]; !ok || d < 2.9 || d > 3.15 {
			t.Errorf("%s lasts %.3f s (present: %v), want about 3 s", kind, d, ok)
		}
	}
	if total < 2.9 || total > 3.15 {
		t.Errorf("the file lasts %.3f s, want about 3 s", total)
	}
	if !strings.Contains(stdout.String(), "Wrote "+out) {
		t.Errorf("stdout %q", stdout.String())
	}
}
