package rtmptest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// StreamModulePath is where Debian's libnginx-mod-stream puts nginx's
// stream module, which terminates TLS for StartTLS.
const StreamModulePath = "/usr/lib/nginx/modules/ngx_stream_module.so"

// TLS is an RTMPS endpoint: a second nginx on 127.0.0.1 that terminates
// TLS with its stream module and passes the bytes on to the RTMP server.
// It runs on its own, so it keeps its port and goes on accepting while
// the RTMP server is stopped, restarted or paused: while nginx-rtmp is
// stopped it completes the handshake, then closes the connection.
type TLS struct {
	// Port is the RTMPS port on 127.0.0.1.
	Port int
	// CAFile is the PEM of the CA that signed the endpoint's certificate
	// (for 127.0.0.1 and localhost, ECDSA P-256, valid for two hours):
	// what ffmpeg's -ca_file or Stillcast's --ca-file trusts. Without it
	// a client that verifies fails with x509's "unknown authority".
	CAFile string

	d daemon
}

// StartTLS starts the RTMPS endpoint of s on a free port of 127.0.0.1, with
// a certificate made for it, and stops it when the test ends. Everything
// of it is in Dir/tls. It skips the test when the stream module is missing.
func (s *Server) StartTLS() *TLS {
	s.t.Helper()
	if _, err := os.Stat(StreamModulePath); err != nil {
		s.t.Skipf("rtmptest: nginx's stream module is needed for RTMPS (%s); install libnginx-mod-stream, or run make test", StreamModulePath)
	}
	dir := filepath.Join(s.Dir, "tls")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.t.Fatal(err)
	}
	certs, err := writeCerts(dir)
	if err != nil {
		s.t.Fatalf("rtmptest: %v", err)
	}
	e := &TLS{CAFile: certs.CA, d: daemon{bin: s.rtmp.bin, dir: dir}}
	s.t.Cleanup(func() {
		if err := e.d.stop(); err != nil {
			s.t.Errorf("rtmptest: the TLS endpoint: %v", err)
		}
	})
	e.Port, err = onFreePort(func(port int) error {
		e.Port = port
		return e.d.start(e.config(port, s.Port, certs), e.Addr())
	})
	if err != nil {
		s.t.Fatalf("rtmptest: starting the TLS endpoint: %v", err)
	}
	return e
}

// URL is the rtmps:// address of app, without a stream key.
func (e *TLS) URL(app string) string {
	return fmt.Sprintf("rtmps://127.0.0.1:%d/%s", e.Port, app)
}

// Addr is "127.0.0.1:port".
func (e *TLS) Addr() string { return "127.0.0.1:" + strconv.Itoa(e.Port) }

// PID is the endpoint's nginx process.
func (e *TLS) PID() int { return e.d.pid() }

// tlsConfig is the stream nginx's configuration: TLS on port, the plain
// bytes to rtmpPort. The connect timeout is short so that a client of a
// stopped RTMP server is let go at once; while nginx-rtmp is paused the
// kernel still accepts the connection.
func (e *TLS) config(port, rtmpPort int, certs certFiles) string {
	return e.d.configHead(StreamModulePath) + fmt.Sprintf(`stream {
	server {
		listen 127.0.0.1:%d ssl;
		ssl_certificate %s;
		ssl_certificate_key %s;
		proxy_pass 127.0.0.1:%d;
		proxy_connect_timeout %ds;
	}
}
`, port, certs.Cert, certs.Key, rtmpPort, int(tlsConnectTimeout/time.Second))
}

// tlsConnectTimeout bounds how long the endpoint tries to reach nginx-rtmp.
const tlsConnectTimeout = 5 * time.Second
