package publish

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// tlsFront is an RTMPS endpoint made in the test: a TLS listener on
// 127.0.0.1, with a certificate of a CA made here, that passes every
// connection on to an nginx-rtmp.
type tlsFront struct {
	addr   string
	caFile string // the CA, in PEM
}

func startTLSFront(t *testing.T, backend string) *tlsFront {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Stillcast test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	f := &tlsFront{caFile: filepath.Join(t.TempDir(), "ca.pem")}
	if err := os.WriteFile(f.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}})
	if err != nil {
		t.Fatal(err)
	}
	f.addr = l.Addr().String()
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { pipe(c, backend) })
		}
	})
	return f
}

// pipe copies both ways between c and a new connection to backend.
func pipe(c net.Conn, backend string) {
	defer c.Close()
	b, err := net.Dial("tcp", backend)
	if err != nil {
		return
	}
	defer b.Close()
	done := make(chan struct{}, 2)
	go func() { io.Copy(b, c); done <- struct{}{} }()
	go func() { io.Copy(c, b); done <- struct{}{} }()
	<-done
}

// TestRTMPS: trusted through TLSConfig's CA file, the stream reaches
// nginx through TLS; untrusted, every attempt fails with the certificate
// reason and a hint, and goes on retrying (Retries 2 ends it here).
func TestRTMPS(t *testing.T) {
	m := makeMedia(t, "320x240", "300k", 2)
	s := rtmptest.Start(t, rtmptest.Options{})
	front := startTLSFront(t, s.Addr())
	url := fmt.Sprintf("rtmps://%s/live", front.addr)
	trusted, err := TLSConfig(front.caFile)
	if err != nil {
		t.Fatal(err)
	}
	r := start(t, m, []Target{{URL: url, Key: "secure", Name: url, TLS: trusted}}, Options{})
	r.log.wait(t, 0, time.Time{}, 15*time.Second, func(s Status) bool { return s.State == OnAir && s.Uptime >= 3*time.Second })
	if err := r.end(t); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitRecordingsClosed(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	recs := s.Recordings("live")
	if len(recs) != 1 || !strings.Contains(filepath.Base(recs[0]), "secure") {
		t.Fatalf("recordings %v, want one of the stream", recs)
	}
	checkRecording(t, recs[0], 3, 0.1)

	r = start(t, m, []Target{{URL: url, Key: "secure", Name: url}}, Options{Retries: 2})
	select {
	case err = <-r.done:
		close(r.done)
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not end within 20 s")
	}
	want := "the server's certificate is not trusted (x509: certificate signed by unknown authority): if it is your own server, pass its CA with --ca-file"
	if err == nil || err.Error() != want || errors.Is(err, ErrRejected) {
		t.Fatalf("Run: %v\nwant: %s", err, want)
	}
	var sawRetry bool
	for _, st := range r.log.since(0, time.Time{}) {
		sawRetry = sawRetry || (st.State == Reconnecting && st.Err != nil && st.Err.Error() == want)
	}
	if !sawRetry {
		t.Error("no Reconnecting status with the certificate reason before it failed")
	}
}

// TestTLSConfig names the CA file and what is wrong with it.
func TestTLSConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct{ file, want string }{
		{filepath.Join(dir, "missing.pem"), "missing.pem: there is no such file"},
		{write("text.pem", "hello"), "text.pem: it is not a PEM file"},
		{write("key.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), "key.pem: it has 1 PEM blocks but no CERTIFICATE"},
	} {
		if _, err := TLSConfig(c.file); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("TLSConfig(%s): %v, want %q", filepath.Base(c.file), err, c.want)
		}
	}
	if cfg, err := TLSConfig(""); err != nil || cfg.RootCAs == nil || cfg.InsecureSkipVerify {
		t.Errorf("TLSConfig(\"\"): %v, %v", cfg, err)
	}
}
