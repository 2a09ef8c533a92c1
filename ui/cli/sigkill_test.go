//go:build linux

package cli

import (
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// ffmpegChildren lists the PIDs of the ffmpeg processes whose parent is
// ppid, from /proc.
func ffmpegChildren(ppid int) []int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var pids []int
	for _, s := range stats {
		comm, state, parent, ok := readStat(s)
		if ok && parent == ppid && comm == "ffmpeg" && state != "Z" {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(s)))
			pids = append(pids, pid)
		}
	}
	return pids
}

// readStat reads a /proc/PID/stat file: the command name, the state and
// the parent's PID.
func readStat(path string) (comm, state string, ppid int, ok bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", 0, false // it ended meanwhile
	}
	text := string(b)
	open, end := strings.IndexByte(text, '('), strings.LastIndexByte(text, ')')
	if open < 0 || end < open {
		return "", "", 0, false
	}
	fields := strings.Fields(text[end+1:]) // state, ppid, …
	if len(fields) < 2 {
		return "", "", 0, false
	}
	ppid, err = strconv.Atoi(fields[1])
	return text[open+1 : end], fields[0], ppid, err == nil
}

// alive reports whether pid still runs; a zombie has ended.
func alive(pid int) bool {
	_, state, _, ok := readStat("/proc/" + strconv.Itoa(pid) + "/stat")
	return ok && state != "Z"
}

// killAndCheckFFmpegEnds SIGKILLs stillcast, which has no chance to clean
// up, and checks that its ffmpeg children, found before the kill, are gone
// within 2 s: Linux sends them the parent-death signal.
func killAndCheckFFmpegEnds(t *testing.T, cmd *exec.Cmd, exited <-chan struct{}) {
	t.Helper()
	children := ffmpegChildren(cmd.Process.Pid)
	if len(children) == 0 {
		t.Fatal("stillcast runs no ffmpeg")
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited
	killed := time.Now()
	for time.Since(killed) < 2*time.Second {
		left := living(children)
		if len(left) == 0 {
			t.Logf("ffmpeg %v ended %s after stillcast was killed", children, time.Since(killed).Round(time.Millisecond))
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	left := living(children)
	for _, pid := range left {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	t.Fatalf("ffmpeg %v still ran 2 s after stillcast was killed", left)
}

// living returns those of pids that still run.
func living(pids []int) []int {
	return slices.DeleteFunc(slices.Clone(pids), func(pid int) bool { return !alive(pid) })
}

// A render's ffmpeg would also end on its own, at the end of the frame
// pipe that dies with stillcast; this checks that it ends either way.
func TestSIGKILLDuringRenderEndsFFmpeg(t *testing.T) {
	t.Parallel()
	bin := stillcastBinary(t)
	dir, tmp := t.TempDir(), t.TempDir()
	img := filepath.Join(dir, "in.png")
	writePNG(t, img, 640, 360, color.RGBA{10, 120, 200, 255})
	cmd := exec.Command(bin, "render", img, "-o", filepath.Join(dir, "out.mp4"), "--duration", "10m", "--preset", "medium", "--progress", "json")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	var stdout, stderr lockedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	defer func() {
		cmd.Process.Kill()
		<-exited
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stdout.String(), `"rendering"`) {
		if time.Now().After(deadline) {
			t.Fatalf("no progress; stderr: %s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	killAndCheckFFmpegEnds(t, cmd, exited)
}

// A stream's ffmpeg loops a segment from a file on the fast path: only
// the parent-death signal ends it (without it this test fails).
func TestSIGKILLDuringLiveEndsFFmpeg(t *testing.T) {
	t.Parallel()
	srv := rtmptest.Start(t, rtmptest.Options{})
	r := startLive(t, cliKey, liveImagePNG(t), "--url", srv.URL("live"), "--size", "640x360", "--progress", "json")
	r.waitOutput(`"state":"live"`, 30*time.Second)
	if _, err := srv.WaitRecording("live", 1, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	killAndCheckFFmpegEnds(t, r.cmd, r.exited)
	if left := rtmptest.WaitNoProcessesMentioning(srv.Addr(), 2*time.Second); len(left) > 0 {
		t.Errorf("processes left behind: %v", left)
	}
}
