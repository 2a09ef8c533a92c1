//go:build linux

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// writeKeyFile writes key to a 0600 file, as --key-file reads it.
func writeKeyFile(t *testing.T, key string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// scanProcesses searches the arguments and environment of every process
// for secret until stop is closed, and returns what it found. The test's
// own ffprobe, reading recordings named after the key in the server's rec
// folder, is left out.
func scanProcesses(secret string, stop <-chan struct{}) func() []string {
	var mu sync.Mutex
	var found []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			procs, _ := filepath.Glob("/proc/[0-9]*")
			for _, dir := range procs {
				for _, f := range []string{"cmdline", "environ"} {
					data, err := os.ReadFile(filepath.Join(dir, f))
					if err != nil || !bytes.Contains(data, []byte(secret)) {
						continue
					}
					cmd, _ := os.ReadFile(filepath.Join(dir, "cmdline"))
					if bytes.Contains(cmd, []byte("/rec/live/")) {
						continue // the test's own ffprobe, reading a recording named after the key
					}
					mu.Lock()
					found = append(found, dir+"/"+f+": "+string(bytes.ReplaceAll(cmd, []byte{0}, []byte{' '})))
					mu.Unlock()
				}
			}
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	return func() []string {
		<-done
		mu.Lock()
		defer mu.Unlock()
		return found
	}
}

// TestLiveCLIRTMPSVerified streams over RTMPS to a server whose
// certificate a test CA signed: trusted through --ca-file it streams, and
// no process shows the key (given with --key-file); untrusted it fails
// with the certificate's reason and how to trust it, and never falls back
// to plain RTMP.
func TestLiveCLIRTMPSVerified(t *testing.T) {
	t.Parallel()
	srv := rtmptest.Start(t, rtmptest.Options{})
	tls := srv.StartTLS()
	// A key of this test's own: the other tests here pass theirs with
	// --key or in the environment, on purpose, and run beside it.
	const key = "sk-rtmps-5c7e9a1b3d"
	keyFile := writeKeyFile(t, key)
	img := liveImagePNG(t)

	stop := make(chan struct{})
	leaks := scanProcesses(key, stop)
	r := startLive(t, "", img, "--url", tls.URL("live"), "--key-file", keyFile, "--ca-file", tls.CAFile,
		"--size", "640x360", "--duration", "6s", "--progress", "json")
	code := r.wait(90 * time.Second)
	close(stop)
	if code != ExitOK {
		t.Fatalf("exit %d over trusted RTMPS\nstdout: %s\nstderr: %s", code, r.stdout.String(), r.stderr.String())
	}
	for _, leak := range leaks() {
		t.Errorf("a process held the key: %s", leak)
	}
	if out := r.stdout.String() + r.stderr.String(); strings.Contains(out, key) {
		t.Errorf("the key was printed:\n%s", out)
	}
	if err := srv.WaitRecordingsClosed(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	recs := srv.Recordings("live")
	if len(recs) != 1 || !strings.HasPrefix(filepath.Base(recs[0]), key+"-") {
		t.Fatalf("recordings %v, want one named after the key", recs)
	}
	if codecs, secs := probeLive(t, recs[0]); strings.Join(codecs, ", ") != "h264 640x360, aac 48000 2" || secs < 3 {
		t.Errorf("recording holds %v, %.2f s", codecs, secs)
	}
	r.checkEnd()

	// Without the CA: the certificate is not trusted, and it says how.
	u := startLive(t, "", img, "--url", tls.URL("live"), "--key-file", keyFile,
		"--size", "640x360", "--duration", "5s", "--progress", "plain")
	if code := u.wait(90 * time.Second); code != ExitFailure {
		t.Fatalf("exit %d over untrusted RTMPS, want %d\nstderr: %s", code, ExitFailure, u.stderr.String())
	}
	msg := u.stderr.String()
	if !strings.Contains(msg, "certificate") || !strings.Contains(msg, "--ca-file") {
		t.Errorf("the failure does not say the certificate is untrusted and how to trust it:\n%s", msg)
	}
	if recs := srv.Recordings("live"); len(recs) != 1 {
		t.Errorf("an untrusted server got the stream: recordings %v", recs)
	}
	u.checkEnd()
}
