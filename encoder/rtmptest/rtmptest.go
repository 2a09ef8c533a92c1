// Package rtmptest runs a real RTMP server for tests: nginx with the RTMP
// module, started as an ordinary child process on 127.0.0.1 with a
// temporary configuration, recording every stream it receives into a
// temporary folder. Nothing is written outside that folder.
//
// Like net/http/httptest it is an ordinary package beside the code it
// serves, so the encoder's, the command line's and the window's tests can
// all use it. It imports nothing of Stillcast.
package rtmptest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// ModulePath is where Debian's libnginx-mod-rtmp puts the RTMP module.
const ModulePath = "/usr/lib/nginx/modules/ngx_rtmp_module.so"

// startTimeout bounds how long nginx may take to accept connections; a
// busy CI machine can be slow, a healthy nginx takes milliseconds.
const startTimeout = 15 * time.Second

// Options shape the server.
type Options struct {
	// Apps are the RTMP applications, each recording into a folder of its
	// own (see Server.Recordings). Empty means one application, "live".
	Apps []string
	// OnPublish is a URL nginx POSTs to before it accepts a publish. Any
	// answer other than 2xx (or 3xx) refuses the publish, as a platform
	// refuses a wrong stream key. Empty means every publish is accepted.
	OnPublish string
}

// Server is one nginx. Its methods are meant for the test goroutine.
type Server struct {
	t    testing.TB
	bin  string
	opts Options
	// Dir is the nginx prefix: configuration, logs and recordings.
	Dir string
	// Port is the RTMP port on 127.0.0.1; it stays the same across Restart.
	Port int

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd has been reaped
}

// Start starts nginx on a free port of 127.0.0.1 and stops it when the
// test ends. It skips the test when nginx or its RTMP module is missing.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	bin := nginxBinary(t)
	if len(opts.Apps) == 0 {
		opts.Apps = []string{"live"}
	}
	s := &Server{t: t, bin: bin, opts: opts, Dir: t.TempDir()}
	for _, app := range opts.Apps {
		if err := os.MkdirAll(s.RecordDir(app), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		s.Stop()
		for _, p := range WaitNoProcessesMentioning(s.Dir, 10*time.Second) {
			t.Errorf("rtmptest: process left behind: %s", p)
		}
	})
	// A port is free when it is picked, but nginx binds it only later:
	// another process may take it in between. start notices (nginx fails
	// to bind, and says so in its log) and then it is tried again with
	// another port. It never mistakes the other process's listener for
	// nginx: it waits for nginx's own word that it has bound the port.
	var err error
	for try := 0; try < 10; try++ {
		if s.Port, err = pickPort(); err != nil {
			break
		}
		if err = s.start(); err == nil || !errors.Is(err, errPortTaken) {
			break
		}
	}
	if err != nil {
		t.Fatalf("rtmptest: starting nginx: %v", err)
	}
	return s
}

// errPortTaken says that nginx could not bind its port: something else
// holds it.
var errPortTaken = errors.New("the port is taken (Address already in use)")

// pickPort returns a port of 127.0.0.1 that nothing listened on a moment
// ago, for nginx to bind.
func pickPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// nginxBinary finds nginx, also in /usr/sbin, which is not on every PATH.
func nginxBinary(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/nginx"); serr == nil {
			bin, err = "/usr/sbin/nginx", nil
		}
	}
	_, merr := os.Stat(ModulePath)
	if err != nil || merr != nil {
		t.Skipf("rtmptest: nginx with the RTMP module is needed (%s); install nginx-light and libnginx-mod-rtmp, or run make test", ModulePath)
	}
	return bin
}

// FreePort returns a TCP port of 127.0.0.1 that nothing listens on until
// the test ends: an unreachable server, whose connections are refused.
//
// On Linux the port stays reserved for the whole test: a socket is bound
// to it and never listens (see reservePort). Closing a listener and
// returning its port, as this once did, left the port to whoever took it
// next, such as another test's nginx, and the "unreachable" server would
// then answer. Elsewhere the port is only free when it is returned.
func FreePort(t testing.TB) int {
	t.Helper()
	port, release, err := reservePort()
	if err != nil {
		t.Fatalf("rtmptest: reserving a port: %v", err)
	}
	t.Cleanup(release)
	return port
}

// URL is the rtmp:// address of app, without a stream key.
func (s *Server) URL(app string) string {
	return fmt.Sprintf("rtmp://127.0.0.1:%d/%s", s.Port, app)
}

// Addr is "127.0.0.1:port": every client's command line mentions it.
func (s *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.Port) }

// PID is the nginx process, or 0 when it is stopped.
func (s *Server) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

func (s *Server) config() string {
	var apps strings.Builder
	for _, app := range s.opts.Apps {
		fmt.Fprintf(&apps, `
		application %s {
			live on;
			record all;
			record_path %s;
			record_unique on;`, app, s.RecordDir(app))
		if s.opts.OnPublish != "" {
			fmt.Fprintf(&apps, "\n\t\t\ton_publish %s;", s.opts.OnPublish)
		}
		apps.WriteString("\n\t\t}")
	}
	// No http block: nothing needs one, so nginx creates no temp folders.
	// Every path it could write is inside Dir.
	return fmt.Sprintf(`load_module %s;
daemon off;
master_process off;
error_log %s info;
pid %s;
lock_file %s;
events {
	worker_connections 128;
}
rtmp {
	server {
		listen 127.0.0.1:%d;
		chunk_size 4096;%s
	}
}
`, ModulePath, filepath.Join(s.Dir, "error.log"), filepath.Join(s.Dir, "nginx.pid"),
		filepath.Join(s.Dir, "nginx.lock"), s.Port, apps.String())
}

// start writes the configuration, runs nginx and waits until it has bound
// its port and the port accepts connections. It returns errPortTaken
// when nginx cannot bind the port.
//
// A connection alone does not prove that nginx listens: whoever took the
// port would accept it too. nginx writes its pid file only after it has
// bound every listening socket, and exits instead when a bind fails, so
// the pid file is the proof. A failed bind shows in the error log at
// once; nginx would go on trying for 2.5 s before it gives up.
func (s *Server) start() error {
	conf := filepath.Join(s.Dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(s.config()), 0o644); err != nil {
		return err
	}
	pidFile := filepath.Join(s.Dir, "nginx.pid")
	if err := os.Remove(pidFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err // a stale one, from before a Stop, would prove nothing
	}
	logFrom := len(s.ErrorLog()) // what this run logs comes after
	bindFailed := fmt.Sprintf("bind() to %s failed", s.Addr())
	out := filepath.Join(s.Dir, "nginx.out")
	f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	// -e: the error log before the configuration is read, which would
	// otherwise be the build's default.
	cmd := exec.Command(s.bin, "-p", s.Dir+"/", "-c", conf, "-e", filepath.Join(s.Dir, "error.log"))
	cmd.Dir = s.Dir
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	s.mu.Lock()
	s.cmd, s.exited = cmd, exited
	s.mu.Unlock()

	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-exited:
			s.mu.Lock()
			s.cmd = nil
			s.mu.Unlock()
			b, _ := os.ReadFile(out)
			log := s.ErrorLog()
			if strings.Contains(log[min(logFrom, len(log)):], bindFailed) {
				return fmt.Errorf("nginx on %s: %w", s.Addr(), errPortTaken)
			}
			return fmt.Errorf("nginx exited at once: %s%s", b, log)
		default:
		}
		if log := s.ErrorLog(); strings.Contains(log[min(logFrom, len(log)):], bindFailed) {
			s.Stop()
			return fmt.Errorf("nginx on %s: %w", s.Addr(), errPortTaken)
		}
		err := errors.New("no pid file yet")
		if b, rerr := os.ReadFile(pidFile); rerr == nil && strings.TrimSpace(string(b)) == strconv.Itoa(cmd.Process.Pid) {
			var c net.Conn
			if c, err = net.DialTimeout("tcp", s.Addr(), time.Second); err == nil {
				c.Close()
				return nil
			}
		}
		if time.Now().After(deadline) {
			s.Stop()
			return fmt.Errorf("nginx did not accept connections on %s within %s: %v\n%s", s.Addr(), startTimeout, err, s.ErrorLog())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop kills nginx at once with SIGKILL, as a crash would end it, and
// waits until it is gone. Stopping a stopped server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill()
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		s.t.Errorf("rtmptest: nginx %d did not die within 30 s of SIGKILL", cmd.Process.Pid)
	}
}

// Restart stops nginx if it runs and starts it again on the same port.
// The port is free only for the moment in between, but something may
// still take it, such as an outgoing connection that the kernel gave it
// as its local port: such a holder lets go soon, so nginx tries again
// until startTimeout has passed.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	deadline := time.Now().Add(startTimeout)
	for {
		err := s.start()
		if err == nil {
			return
		}
		if !errors.Is(err, errPortTaken) || time.Now().After(deadline) {
			s.t.Fatalf("rtmptest: restarting nginx on %s: %v", s.Addr(), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
