package publish

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// TestRTMPS: trusted through TLSConfig's CA file, the stream reaches
// nginx-rtmp through rtmptest's RTMPS endpoint (nginx's stream module with
// a CA made by the test); untrusted, every attempt fails with the
// certificate reason and a hint, and goes on retrying (Retries 2 ends it
// here, after the first attempt and two reconnects).
func TestRTMPS(t *testing.T) {
	m := makeMedia(t, "320x240", "300k", 2)
	s := rtmptest.Start(t, rtmptest.Options{})
	front := s.StartTLS()
	url := front.URL("live")
	trusted, err := TLSConfig(front.CAFile)
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
	if err == nil || err.Error() != "gave up after 2 reconnects in a row: "+want || errors.Is(err, ErrRejected) {
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
