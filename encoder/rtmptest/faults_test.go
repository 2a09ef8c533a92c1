//go:build linux

package rtmptest

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// waitState polls until process pid is stopped (want true) or running.
func waitState(t *testing.T, pid int, stopped bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		state, _, err := procStat(pid)
		if err != nil {
			t.Fatalf("process %d: %v", pid, err)
		}
		if (state == 'T') == stopped {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("process %d is in state %c, want stopped=%v", pid, state, stopped)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestPauseStopsChildrenAndCleanupContinues: Pause stops the process of
// the pid file and its children, and the test's cleanup continues them.
// A shell with a child stands in for an nginx with a worker.
func TestPauseStopsChildrenAndCleanupContinues(t *testing.T) {
	t.Parallel()
	cmd := exec.Command("sh", "-c", "sleep 30 & wait")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	var kids []int
	for deadline := time.Now().Add(5 * time.Second); len(kids) == 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		kids = childrenOf(cmd.Process.Pid)
	}
	if len(kids) != 1 {
		t.Fatalf("the shell has children %v, want its sleep", kids)
	}
	defer func() { syscall.Kill(kids[0], syscall.SIGKILL) }()
	t.Run("paused", func(t *testing.T) {
		s := newServer(t, "", Options{}, t.TempDir())
		s.rtmp.cmd = cmd
		if err := os.WriteFile(filepath.Join(s.Dir, "nginx.pid"), []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		s.Pause()
		waitState(t, cmd.Process.Pid, true)
		waitState(t, kids[0], true)
	})
	waitState(t, cmd.Process.Pid, false)
	waitState(t, kids[0], false)
}

// TestPausedServerAnswersNothing: a paused nginx accepts a connection
// (the kernel does) but does not answer the RTMP handshake until Resume.
func TestPausedServerAnswersNothing(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{})
	s.Pause()
	waitState(t, s.PID(), true)
	c, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err != nil {
		t.Fatalf("dialling the paused server: %v, want the kernel to accept", err)
	}
	defer c.Close()
	// C0 (version 3) and C1 (time, zero, 1528 bytes of anything).
	if _, err := c.Write(append([]byte{3}, make([]byte, 1536)...)); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(time.Second))
	if n, err := c.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the paused server answered: %d bytes, %v", n, err)
	}
	s.Resume()
	waitState(t, s.PID(), false)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	s0 := make([]byte, 1)
	if _, err := c.Read(s0); err != nil || s0[0] != 3 {
		t.Fatalf("after Resume: S0 %v, %v; want version 3", s0, err)
	}
}

// TestStoppedServerRefusesAtOnce: while stopped, the port refuses
// connections (ECONNREFUSED), rather than let them time out.
func TestStoppedServerRefusesAtOnce(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{})
	s.Stop()
	began := time.Now()
	c, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err == nil {
		c.Close()
		t.Fatal("the stopped server accepted a connection")
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dialling the stopped server: %v, want connection refused", err)
	}
	t.Logf("refused in %s", time.Since(began))
	s.Restart()
	if c, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second); err != nil {
		t.Fatalf("after Restart: %v", err)
	} else {
		c.Close()
	}
}

// TestRestartEndsAPause: a paused server stops and restarts as any other.
func TestRestartEndsAPause(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{})
	paused := s.PID()
	s.Pause()
	s.Restart()
	if s.PID() == paused || s.PID() == 0 {
		t.Fatalf("nginx is %d after the restart, was %d", s.PID(), paused)
	}
	if _, _, err := procStat(paused); err == nil {
		t.Errorf("the paused nginx %d is still there", paused)
	}
	waitState(t, s.PID(), false)
}
