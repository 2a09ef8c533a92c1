// Package rtmptest runs a real RTMP server for tests: nginx with the RTMP
// module, started as an ordinary child process on 127.0.0.1 with a
// temporary configuration, recording every stream it receives into a
// temporary folder. Nothing is written outside that folder. For the
// tests of a live stream it also checks stream keys (Options.Keys),
// serves RTMPS through a TLS endpoint with a CA made by the test
// (StartTLS), plays faults (Stop and Restart, Pause and Resume), and finds
// gaps in recordings (Gaps).
//
// Like net/http/httptest it is an ordinary package beside the code it
// serves, so the encoder's, the command line's and the window's tests can
// all use it. It imports nothing of Stillcast.
package rtmptest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
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
	// Keys are the stream keys accepted: Start serves an on_publish hook
	// (Server.Hook, see StartKeyHook) that refuses any other with 403.
	// Set Keys or OnPublish, not both.
	Keys []string
}

// Server is one nginx. Its methods are meant for the test goroutine.
type Server struct {
	t    testing.TB
	opts Options
	// Dir is the nginx prefix: configuration, logs and recordings.
	Dir string
	// Port is the RTMP port on 127.0.0.1; it stays the same across Restart.
	Port int

	// Hook answers on_publish when Options.Keys is set, else it is nil.
	Hook *Hook

	rtmp daemon
}

// Start starts nginx on a free port of 127.0.0.1 and stops it when the
// test ends. It skips the test when nginx or its RTMP module is missing.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	bin := nginxBinary(t)
	if len(opts.Apps) == 0 {
		opts.Apps = []string{"live"}
	}
	s := newServer(t, bin, opts, t.TempDir())
	if len(opts.Keys) > 0 {
		if opts.OnPublish != "" {
			t.Fatal("rtmptest: Options.Keys and Options.OnPublish are both set: Keys starts a hook of its own")
		}
		s.Hook = StartKeyHook(t, opts.Keys...)
		s.opts.OnPublish = s.Hook.URL
	}
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
	var err error
	s.Port, err = onFreePort(func(port int) error {
		s.Port = port
		return s.start()
	})
	if err != nil {
		t.Fatalf("rtmptest: starting nginx: %v", err)
	}
	return s
}

func newServer(t testing.TB, bin string, opts Options, dir string) *Server {
	return &Server{t: t, opts: opts, Dir: dir, rtmp: daemon{bin: bin, dir: dir}}
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
func (s *Server) PID() int { return s.rtmp.pid() }

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
	return s.rtmp.configHead(ModulePath) + fmt.Sprintf(`rtmp {
	server {
		listen 127.0.0.1:%d;
		chunk_size 4096;%s
	}
}
`, s.Port, apps.String())
}

// start writes the configuration and runs nginx (see daemon.start).
func (s *Server) start() error { return s.rtmp.start(s.config(), s.Addr()) }

// Stop kills nginx at once with SIGKILL, as a crash would end it, and
// waits until it is gone. Stopping a stopped server does nothing. Its
// port refuses connections at once while it is stopped (ECONNREFUSED,
// 0.4 ms after the dial on 127.0.0.1 here, see
// TestStoppedServerRefusesAtOnce): Stop, then Restart later, is how a test
// makes a server refuse connections for a while. Its TLS endpoint (see
// StartTLS) keeps running and accepting: it completes the TLS handshake,
// then closes the connection when it cannot reach nginx.
func (s *Server) Stop() {
	if err := s.rtmp.stop(); err != nil {
		s.t.Errorf("rtmptest: %v", err)
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
