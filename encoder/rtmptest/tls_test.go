//go:build linux

package rtmptest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTLSEndpointVerifiesAndOutlivesRestarts: the RTMPS endpoint's
// certificate is trusted with its CA only; it keeps its port across a
// restart of nginx-rtmp; ffmpeg, verifying, streams through it.
func TestTLSEndpointVerifiesAndOutlivesRestarts(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{})
	e := s.StartTLS()
	if !strings.HasPrefix(e.URL("live"), "rtmps://127.0.0.1:") || e.Port == s.Port {
		t.Fatalf("endpoint %s beside %s", e.URL("live"), s.URL("live"))
	}
	_, err := tls.Dial("tcp", e.Addr(), &tls.Config{ServerName: "127.0.0.1"})
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Fatalf("dialling without the CA: %v, want x509's unknown authority", err)
	}
	t.Logf("without the CA: %v", err)
	b, err := os.ReadFile(e.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(b) {
		t.Fatalf("%s holds no certificate", e.CAFile)
	}
	for _, name := range []string{"127.0.0.1", "localhost"} {
		c, err := tls.Dial("tcp", e.Addr(), &tls.Config{ServerName: name, RootCAs: roots})
		if err != nil {
			t.Fatalf("dialling %s with the CA: %v", name, err)
		}
		c.Close()
	}

	pid := e.PID()
	s.Stop()
	c, err := tls.Dial("tcp", e.Addr(), &tls.Config{ServerName: "127.0.0.1", RootCAs: roots})
	if err != nil {
		t.Fatalf("the endpoint while nginx-rtmp is stopped: %v, want a handshake", err)
	}
	c.SetReadDeadline(time.Now().Add(tlsConnectTimeout + 5*time.Second))
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("reading from the endpoint while nginx-rtmp is stopped: %v, want the connection closed", err)
	}
	c.Close()
	s.Restart()
	if e.PID() != pid {
		t.Fatalf("the endpoint is %d after the restart, was %d", e.PID(), pid)
	}

	if out, err := publish(t, e.URL("live")+"/unverified", 1, "-tls_verify", "1"); err == nil || !strings.Contains(out, "Peer certificate failed verification") {
		t.Errorf("ffmpeg with -tls_verify 1 and without the CA: %v, want a failed verification:\n%s", err, out)
	}
	if out, err := publish(t, e.URL("live")+"/x", 3, "-tls_verify", "1", "-ca_file", e.CAFile); err != nil {
		t.Fatalf("streaming through the endpoint: %v\n%s", err, out)
	}
	if err := s.WaitRecordingsClosed(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	recs := s.Recordings("live")
	if len(recs) != 1 {
		t.Fatalf("recordings %v, want one", recs)
	}
	times, err := PacketTimes(recs[0], "video")
	if err != nil {
		t.Fatal(err)
	}
	if last := times[len(times)-1]; len(times) < 50 || last < 2*time.Second {
		t.Errorf("the recording has %d video packets up to %s, want 3 s of 25 fps", len(times), last)
	}
}
