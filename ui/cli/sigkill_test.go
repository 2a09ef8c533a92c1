//go:build linux

package cli

import (
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// killAndCheckFFmpegEnds SIGKILLs stillcast, which has no chance to clean
// up, and checks that its ffmpeg, the processes whose command line
// mentions mark, are gone within 2 s: Linux sends them the parent-death
// signal.
func killAndCheckFFmpegEnds(t *testing.T, cmd *exec.Cmd, exited <-chan struct{}, mark string) {
	t.Helper()
	ffmpegs := slices.DeleteFunc(rtmptest.ProcessesMentioning(mark), func(p rtmptest.Process) bool {
		return p.PID == cmd.Process.Pid || filepath.Base(p.Cmdline[0]) != "ffmpeg"
	})
	if len(ffmpegs) == 0 {
		t.Fatalf("stillcast runs no ffmpeg that mentions %s", mark)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited
	killed := time.Now()
	if left := rtmptest.WaitNoProcessesMentioning(mark, 2*time.Second); len(left) > 0 {
		for _, p := range left {
			syscall.Kill(p.PID, syscall.SIGKILL)
		}
		t.Fatalf("ffmpeg still ran 2 s after stillcast was killed: %v", left)
	}
	t.Logf("ffmpeg %v ended %s after stillcast was killed", ffmpegs, time.Since(killed).Round(time.Millisecond))
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
	killAndCheckFFmpegEnds(t, cmd, exited, tmp)
}

// On the fast path a stream runs no ffmpeg once it is on air; on the
// per-frame path one encodes for as long as the stream lasts, and it must
// not outlive a killed stillcast (its frame pipe is in the test's TMPDIR).
func TestSIGKILLDuringLiveEndsFFmpeg(t *testing.T) {
	t.Parallel()
	srv := rtmptest.Start(t, rtmptest.Options{})
	r := startLive(t, cliKey, liveImagePNG(t), "--url", srv.URL("live"), "--size", "640x360", "--progress", "json", "--no-fast-path")
	r.waitOutput(`"state":"live"`, 30*time.Second)
	if _, err := srv.WaitRecording("live", 1, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	killAndCheckFFmpegEnds(t, r.cmd, r.exited, r.tmp)
}
