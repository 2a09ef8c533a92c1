package publish

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// TestRejectedKey: a server whose on_publish check answers 403 refuses
// the key; nginx-rtmp then closes the connection in answer to the publish
// command. After three tries the destination fails with ErrRejected, and
// Run, whose only destination it was, returns that.
func TestRejectedKey(t *testing.T) {
	m := makeMedia(t, "320x240", "300k", 2)
	hook := rtmptest.StartHook(t, 403)
	s := rtmptest.Start(t, rtmptest.Options{OnPublish: hook.URL})
	r := start(t, m, []Target{target(s, "live", "wrong-key")}, Options{})
	var err error
	select {
	case err = <-r.done:
		close(r.done)
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not end within 30 s")
	}
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("Run: %v, want ErrRejected", err)
	}
	st, _ := r.log.last(0)
	if st.State != Failed || st.Attempt != 3 || !errors.Is(st.Err, ErrRejected) {
		t.Errorf("last status %+v, want failed after 3 attempts", st.Status)
	}
	if strings.Contains(err.Error(), "wrong-key") || strings.Contains(st.Err.Error(), "wrong-key") {
		t.Errorf("the key shows in %q", err)
	}
	if n := len(hook.Names()); n != 3 {
		t.Errorf("the hook saw %d publishes, want 3", n)
	}
	t.Logf("Run: %v", err)
}

// TestBadName: a second publisher of a stream nginx already has gets an
// onStatus of level error (NetStream.Publish.BadName): a refusal.
func TestBadName(t *testing.T) {
	m := makeMedia(t, "320x240", "300k", 2)
	s := rtmptest.Start(t, rtmptest.Options{})
	first := start(t, m, []Target{target(s, "live", "same")}, Options{})
	first.log.wait(t, 0, time.Time{}, 15*time.Second, onAirState)
	second := start(t, m, []Target{target(s, "live", "same")}, Options{RejectLimit: 1})
	select {
	case err := <-second.done:
		close(second.done)
		if !errors.Is(err, ErrRejected) || !strings.Contains(err.Error(), "NetStream.Publish.BadName") {
			t.Fatalf("Run: %v, want a rejection naming NetStream.Publish.BadName", err)
		}
		t.Logf("Run: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("the second publisher did not end within 20 s")
	}
	if st, _ := first.log.last(0); st.State != OnAir || st.Reconnects != 0 {
		t.Errorf("the first publisher: %+v, want on air throughout", st.Status)
	}
}
