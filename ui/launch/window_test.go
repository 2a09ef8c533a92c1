//go:build linux && !headless

package launch

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startXvfb starts a virtual screen and returns its DISPLAY; it stops
// with the test.
func startXvfb(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("Xvfb"); err != nil {
		t.Skip("Xvfb is not installed (make deps-test installs it)")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// -displayfd: Xvfb picks a free display and writes its number to fd 3.
	x := exec.Command("Xvfb", "-displayfd", "3", "-nolisten", "tcp", "-screen", "0", "1280x800x24")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		x.Process.Signal(syscall.SIGTERM)
		x.Wait()
	})
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("Xvfb gave no display: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}

// quitLimit is how long an idle window may take to quit after a signal.
// It quits in well under a second on an idle machine (the log says how
// long); the limit only tells "never" from "late", so that a machine
// starved by other work cannot fail the test.
const quitLimit = 30 * time.Second

// The window quits cleanly on SIGTERM and SIGINT, as a logout or a
// service manager asks. This covers the idle window; the ui package's
// tests cover stopping a render and a stream before quitting.
func TestWindowQuitsOnSignal(t *testing.T) {
	bin := buildStillcast(t, t.TempDir(), "linux", runtimeArch(t), false)
	display := startXvfb(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		home := t.TempDir()
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), "DISPLAY="+display, "HOME="+home,
			"XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_CACHE_HOME="+filepath.Join(home, ".cache"))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		waitWindow(t, display, filepath.Join(home, ".cache", "stillcast"), exited, &out)

		sent := time.Now()
		cmd.Process.Signal(sig)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("%v: the window exited with %v\n%s", sig, err, out.String())
			}
			t.Logf("%v: the window quit in %s", sig, time.Since(sent).Round(time.Millisecond))
		case <-time.After(quitLimit):
			cmd.Process.Kill()
			<-exited
			t.Fatalf("%v: the window still ran %s later\n%s", sig, quitLimit, out.String())
		}
	}
}

// waitWindow waits until the window is up: the sample picture written to
// the cache, and the window on the screen where xwininfo can tell.
func waitWindow(t *testing.T, display, cache string, exited <-chan error, out *bytes.Buffer) {
	t.Helper()
	xwininfo, _ := exec.LookPath("xwininfo")
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-exited:
			t.Fatalf("the window exited at once (%v)\n%s", err, out.String())
		default:
		}
		names, _ := os.ReadDir(cache)
		up := len(names) > 0
		if up && xwininfo != "" {
			cmd := exec.Command(xwininfo, "-name", "Stillcast")
			cmd.Env = append(os.Environ(), "DISPLAY="+display)
			up = cmd.Run() == nil
		}
		if up {
			time.Sleep(500 * time.Millisecond) // let the event loop run
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the window did not appear within a minute\n%s", out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
