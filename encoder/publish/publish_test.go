package publish

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// target is a destination on an rtmptest server's application.
func target(s *rtmptest.Server, app, key string) Target {
	return Target{URL: s.URL(app), Key: key, Name: DisplayName(s.URL(app))}
}

// checkRecording ffprobes a recording: it starts at a keyframe near 0,
// holds both streams, and has no gap over maxGap seconds.
func checkRecording(t *testing.T, path string, minSecs, maxGap float64) {
	t.Helper()
	sp := spans(probePackets(t, path))
	v, a := sp["video"], sp["audio"]
	if v == nil || a == nil {
		t.Fatalf("%s: want video and audio, got %v", path, sp)
	}
	t.Logf("%s: video %s; audio %s", path, v, a)
	if !v.firstKey {
		t.Errorf("%s: the video does not start at a keyframe", path)
	}
	if v.first > 0.1 || math.Abs(a.first-v.first) > 0.1 {
		t.Errorf("%s: the streams start at %.3f (video) and %.3f (audio) s, want near 0", path, v.first, a.first)
	}
	if v.last-v.first < minSecs {
		t.Errorf("%s: %.1f s of video, want at least %.1f", path, v.last-v.first, minSecs)
	}
	if v.maxGap > maxGap || a.maxGap > maxGap {
		t.Errorf("%s: gaps of %.3f s (video) and %.3f s (audio), want at most %.3f", path, v.maxGap, a.maxGap, maxGap)
	}
}

// TestPublishTwoDestinations streams to two servers at once, the second
// with userinfo and a query string in its URL: each records the stream
// from a keyframe, with timestamps from 0 and no gap, and each
// destination reports its own figures.
func TestPublishTwoDestinations(t *testing.T) {
	m := makeMedia(t, "320x240", "300k", 4)
	a := rtmptest.Start(t, rtmptest.Options{})
	b := rtmptest.Start(t, rtmptest.Options{})
	withSecrets := Target{URL: strings.Replace(b.URL("live"), "rtmp://", "rtmp://user:pass@", 1) + "?token=t0k", Key: "two"}
	withSecrets.Name = DisplayName(withSecrets.URL)
	if strings.Contains(withSecrets.Name, "pass") || strings.Contains(withSecrets.Name, "t0k") {
		t.Fatalf("DisplayName shows a secret: %s", withSecrets.Name)
	}
	r := start(t, m, []Target{target(a, "live", "one"), withSecrets}, Options{})
	began := time.Now()
	for i := range 2 {
		r.log.wait(t, i, began, 15*time.Second, onAirState)
	}
	// Figures come once a second: wait for a bitrate over a few seconds.
	for i := range 2 {
		st := r.log.wait(t, i, began, 15*time.Second, func(s Status) bool { return s.State == OnAir && s.Uptime >= 4*time.Second })
		if st.Bitrate < 200_000 || st.Bitrate > 1_000_000 || st.Sent <= 0 || st.Attempt != 1 {
			t.Errorf("destination %d: %+v, want about 430 kbit/s on the first attempt", i, st.Status)
		}
	}
	if !r.pub.EverOnAir() {
		t.Error("EverOnAir is false while on air")
	}
	if err := r.end(t); err != nil {
		t.Fatalf("Run: %v", err)
	}
	for i, s := range []*rtmptest.Server{a, b} {
		if st, _ := r.log.last(i); st.State != Stopped {
			t.Errorf("destination %d ends %s, want stopped", i, st.State)
		}
		if err := s.WaitRecordingsClosed(10 * time.Second); err != nil {
			t.Fatal(err)
		}
		recs := s.Recordings("live")
		if len(recs) != 1 {
			t.Fatalf("server %d: %d recordings, want 1", i, len(recs))
		}
		checkRecording(t, recs[0], 4, 0.1)
	}
}

// TestAddress composes server URLs and keys as gortmplib needs them.
func TestAddress(t *testing.T) {
	for _, c := range []struct{ server, key, want, err string }{
		{"rtmp://h/app", "k", "rtmp://h/app#k", ""},
		{"rtmp://h:1936/app/", "k", "rtmp://h:1936/app#k", ""},
		{"rtmps://u:p@h/app?token=x", "k/1", "rtmps://u:p@h/app?token=x#k/1", ""},
		{"http://h/app", "k", "", "rtmp:// or rtmps://"},
		{"rtmp:///app", "k", "", "no host"},
		{"rtmp://h", "k", "", "no application"},
		{"rtmp://h/app#x", "k", "", "#fragment"},
		{"rtmp://h/%zz", "k", "", "not a valid URL"},
	} {
		u, err := Address(c.server, c.key)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Address(%q): %v, want an error with %q", c.server, err, c.err)
			}
			continue
		}
		if err != nil || u.String() != c.want {
			t.Errorf("Address(%q, %q) = %v, %v; want %s", c.server, c.key, u, err, c.want)
		}
	}
}

// TestRedactor hides keys, userinfo and query values in their raw and
// escaped forms.
func TestRedactor(t *testing.T) {
	redact := Redactor([]Target{{URL: "rtmp://alice:s3cr%2Ft@h/app?token=tok+en&x=a b", Key: "key/with space"}})
	for _, secret := range []string{"key/with space", "key%2Fwith%20space", "key%2Fwith+space", "alice", "s3cr/t", "s3cr%2Ft",
		"tok en", "tok+en", "tok%20en", "a b", "a+b"} {
		text := "before " + secret + " after"
		if got := redact(text); strings.Contains(got, secret) || !strings.Contains(got, "[") {
			t.Errorf("redact(%q) = %q", text, got)
		}
	}
	if got := redact("key/with space alice"); got != "[stream key] [hidden]" {
		t.Errorf("redact: %q, want the key and the user masked apart", got)
	}
	err := redactErr(redact, ErrRejected, errors.New("bad result: key/with space"), "refused: %v", "key/with space")
	if strings.Contains(err.Error(), "key/with") || !errors.Is(err, ErrRejected) || errors.Unwrap(err) != nil {
		t.Errorf("redactErr: %q", err)
	}
	if got := DisplayName("rtmp://alice:pw@h/app?token=x"); strings.Contains(got, "alice") || strings.Contains(got, "pw") || strings.Contains(got, "=x") {
		t.Errorf("DisplayName: %q", got)
	}
}
