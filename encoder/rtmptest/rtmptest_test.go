//go:build linux

package rtmptest

import (
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestServerStopsAndRestartsOnTheSamePort(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{Apps: []string{"a", "b"}})
	pid := s.PID()
	if pid == 0 || len(ProcessesMentioning(s.Dir)) != 1 {
		t.Fatalf("nginx %d; processes mentioning %s: %v", pid, s.Dir, ProcessesMentioning(s.Dir))
	}
	if c, err := net.Dial("tcp", s.Addr()); err != nil {
		t.Fatalf("port does not accept: %v", err)
	} else {
		c.Close()
	}
	port := s.Port
	s.Stop()
	if left := WaitNoProcessesMentioning(s.Dir, 5*time.Second); len(left) != 0 {
		t.Fatalf("Stop left %v", left)
	}
	if c, err := net.Dial("tcp", s.Addr()); err == nil {
		c.Close()
		t.Fatal("the port still accepts after Stop")
	}
	s.Restart()
	if s.Port != port || s.PID() == 0 || s.PID() == pid {
		t.Fatalf("restarted on %d as %d, was %d as %d", s.Port, s.PID(), port, pid)
	}
	if c, err := net.Dial("tcp", s.Addr()); err != nil {
		t.Fatalf("port does not accept after Restart: %v", err)
	} else {
		c.Close()
	}
	conf, err := os.ReadFile(filepath.Join(s.Dir, "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"daemon off;", "master_process off;", "listen 127.0.0.1:", "application a {", "application b {",
		"record_path " + s.RecordDir("b") + ";", "record_unique on;"} {
		if !strings.Contains(string(conf), want) {
			t.Errorf("configuration lacks %q:\n%s", want, conf)
		}
	}
	if strings.Contains(string(conf), "on_publish") {
		t.Error("on_publish without a hook")
	}
	// Everything nginx wrote is inside its folder.
	var names []string
	entries, _ := os.ReadDir(s.Dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	for _, want := range []string{"error.log", "nginx.conf", "nginx.pid", "rec"} {
		if !slices.Contains(names, want) {
			t.Errorf("%s holds %v, want %s among them", s.Dir, names, want)
		}
	}
	if s.Recordings("a") != nil {
		t.Errorf("recordings before any stream: %v", s.Recordings("a"))
	}
}

func TestHookCountsAndAnswers(t *testing.T) {
	t.Parallel()
	h := StartHook(t, http.StatusForbidden)
	resp, err := http.PostForm(h.URL, map[string][]string{"name": {"k1"}, "call": {"publish"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("status %d", resp.StatusCode)
	}
	if got := h.Names(); !slices.Equal(got, []string{"k1"}) {
		t.Errorf("names %v", got)
	}
	if !strings.HasPrefix(h.URL, "http://127.0.0.1:") {
		t.Errorf("hook at %s, not on 127.0.0.1", h.URL)
	}
}

func TestRecordingsAreOrderedByTheirStamp(t *testing.T) {
	t.Parallel()
	s := &Server{t: t, Dir: t.TempDir()}
	dir := s.RecordDir("live")
	os.MkdirAll(dir, 0o755)
	for _, n := range []string{"k-1700000010.flv", "k-999999999.flv", "k-1700000002.flv"} {
		os.WriteFile(filepath.Join(dir, n), nil, 0o644)
	}
	var got []string
	for _, p := range s.Recordings("live") {
		got = append(got, filepath.Base(p))
	}
	if want := []string{"k-999999999.flv", "k-1700000002.flv", "k-1700000010.flv"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	for _, n := range []string{"k-2-1700000005.flv", "kk-1700000001.flv"} {
		os.WriteFile(filepath.Join(dir, n), nil, 0o644)
	}
	for key, want := range map[string][]string{
		"k":   {"k-999999999.flv", "k-1700000002.flv", "k-1700000010.flv"},
		"k-2": {"k-2-1700000005.flv"},
		"x":   nil,
	} {
		var got []string
		for _, p := range s.RecordingsOf("live", key) {
			got = append(got, filepath.Base(p))
		}
		if !slices.Equal(got, want) {
			t.Errorf("RecordingsOf(%q) = %v, want %v", key, got, want)
		}
	}
	if got := RecordingBegan(filepath.Join(dir, "k-2-1700000005.flv")); !got.Equal(time.Unix(1700000005, 0)) {
		t.Errorf("RecordingBegan = %v", got)
	}
}

// TestFreePortStaysUnreachable: nothing answers on the port, and nothing
// can listen there until the test ends, not even nginx.
func TestFreePortStaysUnreachable(t *testing.T) {
	t.Parallel()
	port := FreePort(t)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err == nil {
		c.Close()
		t.Fatalf("%s accepted a connection", addr)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dialling %s: %v, want connection refused", addr, err)
	}
	if l, err := net.Listen("tcp", addr); err == nil {
		l.Close()
		t.Fatalf("another listener took the reserved port %d", port)
	}
	s := newServer(t, nginxBinary(t), Options{Apps: []string{"live"}}, t.TempDir())
	s.Port = port
	if err := s.start(); !errors.Is(err, errPortTaken) {
		s.Stop()
		t.Fatalf("nginx on the reserved port: %v, want errPortTaken", err)
	}
	if s.PID() != 0 {
		t.Errorf("nginx %d still runs", s.PID())
	}
}

// TestStartTellsItsOwnListener: when something else listens on the port
// nginx was to bind, start says the port is taken, rather than take the
// other listener for nginx because it accepts connections.
func TestStartTellsItsOwnListener(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s := newServer(t, nginxBinary(t), Options{Apps: []string{"live"}}, t.TempDir())
	s.Port = l.Addr().(*net.TCPAddr).Port
	if err := s.start(); !errors.Is(err, errPortTaken) {
		s.Stop()
		t.Fatalf("start on a port someone else listens on: %v, want errPortTaken", err)
	}
	if s.PID() != 0 || len(WaitNoProcessesMentioning(s.Dir, 10*time.Second)) != 0 {
		t.Errorf("nginx left running")
	}
}

// TestRestartWaitsForItsPort: a port held for a moment after Stop does
// not fail Restart; nginx comes back on it once it is free.
func TestRestartWaitsForItsPort(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{})
	s.Stop()
	l, err := net.Listen("tcp", s.Addr())
	if err != nil {
		t.Fatalf("taking the port after Stop: %v", err)
	}
	go func() {
		time.Sleep(time.Second)
		l.Close()
	}()
	s.Restart()
	if s.PID() == 0 {
		t.Fatal("nginx is not running after Restart")
	}
	if c, err := net.Dial("tcp", s.Addr()); err != nil {
		t.Fatalf("port does not accept after Restart: %v", err)
	} else {
		c.Close()
	}
}

// TestWaitRecordingsClosedReadsTheLog: only publishes to the running
// nginx count, each until its disconnect.
func TestWaitRecordingsClosedReadsTheLog(t *testing.T) {
	t.Parallel()
	cmd := exec.Command("sleep", "30") // stands in for the running nginx
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	s := newServer(t, "", Options{}, t.TempDir())
	s.rtmp.cmd = cmd
	pid := strconv.Itoa(cmd.Process.Pid)
	log := "2026/01/02 10:00:00 [info] 1#1: *2 publish: name='k' args='' type=live silent=0, client: 127.0.0.1\n" + // an nginx killed since
		"2026/01/02 10:00:01 [info] " + pid + "#" + pid + ": *1 client connected '127.0.0.1'\n" +
		"2026/01/02 10:00:01 [info] " + pid + "#" + pid + ": *1 disconnect, client: 127.0.0.1\n" +
		"2026/01/02 10:00:02 [info] " + pid + "#" + pid + ": *2 publish: name='k' args='' type=live silent=0, client: 127.0.0.1\n"
	path := filepath.Join(s.Dir, "error.log")
	if err := os.WriteFile(path, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitRecordingsClosed(100 * time.Millisecond); err == nil {
		t.Fatal("no error while a publisher is still connected")
	}
	log += "2026/01/02 10:00:09 [info] " + pid + "#" + pid + ": *2 deleteStream, client: 127.0.0.1\n" +
		"2026/01/02 10:00:09 [info] " + pid + "#" + pid + ": *2 disconnect, client: 127.0.0.1\n"
	if err := os.WriteFile(path, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitRecordingsClosed(time.Second); err != nil {
		t.Fatal(err)
	}
}
