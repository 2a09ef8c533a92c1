//go:build linux

package rtmptest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// publish streams a test picture and tone to url for seconds, in real
// time, with ffmpeg, and returns its output (at -loglevel debug).
func publish(t *testing.T, url string, seconds float64, extra ...string) (string, error) {
	t.Helper()
	bin, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("rtmptest: ffmpeg is needed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(seconds*float64(time.Second))+30*time.Second)
	defer cancel()
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "debug", "-re",
		"-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
		"-t", strconv.FormatFloat(seconds, 'f', -1, 64),
		"-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k"}
	args = append(append(args, extra...), "-f", "flv", url)
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	return string(out), err
}

// TestKeyHookRefusesWrongKeys: with Options.Keys nginx refuses any other
// key, and what the publisher sees of it: the connection closes right
// after its publish command, with no onStatus reply.
func TestKeyHookRefusesWrongKeys(t *testing.T) {
	t.Parallel()
	s := Start(t, Options{Keys: []string{"good"}})
	tap := startTap(t, s.Addr())
	began := time.Now()
	out, err := publish(t, "rtmp://"+tap.Addr+"/live/wrongkey", 5)
	took := time.Since(began)
	if err == nil {
		t.Fatalf("ffmpeg published with a wrong key:\n%s", out)
	}
	t.Logf("refused after %s", took.Round(time.Millisecond))
	// ffmpeg logs "Server error: <description>" for an onStatus of level
	// error or a _error reply (libavformat/rtmpproto.c); nginx-rtmp sends
	// neither: it ends the session as the hook refuses, after the publish
	// command, and ffmpeg's next read fails.
	tail := out[strings.LastIndex(out, "Sending publish command"):]
	if strings.Contains(out, "Server error") || strings.Contains(out, "NetStream.Publish") ||
		!strings.Contains(tail, "/live/wrongkey: Input/output error") {
		t.Errorf("ffmpeg's account of the refusal changed:\n%s", tail)
	}
	// On the wire: nothing from nginx after the publish command (the
	// client's last word), then a close (FIN), not a reset.
	if after, end, ok := tap.ending(10 * time.Second); !ok {
		t.Error("the relay did not end")
	} else if after != 0 || !errors.Is(end, io.EOF) {
		t.Errorf("after the publish command nginx wrote %d times, then: %v; want nothing, then EOF", after, end)
	}
	if took > 4*time.Second {
		t.Errorf("the refusal took %s: ffmpeg streamed instead", took)
	}
	if recs := s.Recordings("live"); len(recs) != 0 {
		t.Errorf("a refused publish left recordings %v", recs)
	}

	if out, err := publish(t, s.URL("live")+"/good", 3); err != nil {
		t.Fatalf("publishing with the accepted key: %v\n%s", err, out)
	}
	if err := s.WaitRecordingsClosed(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	recs := s.Recordings("live")
	if len(recs) != 1 || !strings.HasPrefix(filepath.Base(recs[0]), "good-") {
		t.Fatalf("recordings %v, want one of key good", recs)
	}
	for _, kind := range []string{"video", "audio"} {
		if gaps := Gaps(t, recs[0], kind, 100*time.Millisecond); gaps != nil {
			t.Errorf("%s gaps in %s: %v", kind, recs[0], gaps)
		}
	}
	calls := s.Hook.Calls()
	if len(calls) != 2 || calls[0].Name != "wrongkey" || calls[0].Status != http.StatusForbidden ||
		calls[1].Name != "good" || calls[1].App != "live" || calls[1].Status != http.StatusNoContent || !calls[1].At.After(calls[0].At) {
		t.Errorf("hook calls %+v", calls)
	}
}
