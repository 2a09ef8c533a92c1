//go:build linux

package encoder_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// statusesOf lists the statuses of one destination.
func (w *liveWatch) statusesOf(dest int) []encoder.LiveStatus {
	var out []encoder.LiveStatus
	for _, ls := range w.statuses() {
		if ls.Dest == dest {
			out = append(out, ls)
		}
	}
	return out
}

// warmCache plays a round of the playlist of s, and the start of the
// next, into the media cache of s, so that a test of what the stream
// shows does not also depend on how fast this machine prepares the
// tracks and cards: a slow machine plays silence, or the plain picture,
// until they are ready.
func warmCache(t *testing.T, s encoder.Settings, tracks int) encoder.Settings {
	t.Helper()
	s.Live.CacheDir = t.TempDir()
	w := liveStart(t, s)
	w.waitNowPlaying(tracks+1, 5*time.Minute)
	time.Sleep(2 * time.Second)
	if err := w.stop(); err != nil {
		t.Fatalf("warming the cache: %v", err)
	}
	return s
}

// waitNowPlaying waits for n NowPlaying events, each within limit of the
// one before, and returns the index after the last.
func (w *liveWatch) waitNowPlaying(n int, limit time.Duration) int {
	w.t.Helper()
	i := 0
	for k := range n {
		_, i = w.waitFor(fmt.Sprintf("NowPlaying %d", k+1), i, limit, func(ev encoder.Event) bool {
			_, ok := ev.(encoder.NowPlaying)
			return ok
		})
		i++
	}
	return i
}

// waitDest waits for a status of destination dest in state st, from
// index from on.
func (w *liveWatch) waitDest(dest int, st encoder.LiveState, from int, limit time.Duration) (encoder.LiveStatus, int) {
	w.t.Helper()
	ev, i := w.waitFor(st.String()+" status", from, limit, func(ev encoder.Event) bool {
		ls, ok := ev.(encoder.LiveStatus)
		return ok && ls.Dest == dest && ls.State == st
	})
	return ev.(encoder.LiveStatus), i
}

func TestLiveReconnectsAfterServerRestart(t *testing.T) {
	t.Parallel()
	srv := rtmptest.Start(t, rtmptest.Options{})
	s := liveSettings(t, destination(srv, liveKey))
	// One failed reconnect in a row is allowed: a reconnect that gets back
	// on air starts the count again, so two drops are survived.
	s.Live.MaxReconnects = 1
	w := liveStart(t, s)
	_, i := w.waitState(encoder.LiveOnAir, 0, 60*time.Second)
	if _, err := srv.WaitRecording("live", 1, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	for drop := 1; drop <= 2; drop++ {
		// Kill nginx mid-stream and start it again on the same port.
		srv.Restart()
		var rec encoder.LiveStatus
		rec, i = w.waitState(encoder.LiveReconnecting, i, 30*time.Second)
		// The backoff grows, 2 s then 3 s: it resets only after a minute on air.
		nominal := []time.Duration{2 * time.Second, 3 * time.Second}[drop-1]
		if lo, hi := nominal*9/10, nominal*11/10; rec.Err == nil || rec.NextTry < lo || rec.NextTry > hi || rec.Reconnects != drop {
			t.Errorf("drop %d: %+v, want a reason, the next try in %s ±10 %%, reconnect %d", drop, rec, nominal, drop)
		}
		var back encoder.LiveStatus
		back, i = w.waitState(encoder.LiveOnAir, i, 30*time.Second)
		if back.Reconnects != drop || back.Attempt != drop+1 {
			t.Errorf("back on air after drop %d: %+v, want %d reconnects, attempt %d", drop, back, drop, drop+1)
		}
		if _, err := srv.WaitRecording("live", drop+1, 20*time.Second); err != nil {
			t.Fatalf("after drop %d: %v\n%s", drop, err, w.dump())
		}
	}
	if err := w.stop(); err != nil {
		t.Fatalf("Wait after Cancel: %v", err)
	}
	w.checkEnd(true)
	if err := srv.WaitRecordingsClosed(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	recs := srv.Recordings("live")
	if len(recs) != 3 {
		t.Fatalf("recordings %v, want three", recs)
	}
	for _, rec := range recs {
		r := probeRecording(t, rec)
		checkIngest(t, r)
		checkKeyframes(t, r)
		checkAudioThroughout(t, r)
	}
	if fin := w.finished(); fin.Err != nil || fin.Duration < time.Second || fin.Duration > fin.Elapsed-4*time.Second {
		t.Errorf("Finished %+v", fin)
	}
	if st := w.statuses(); st[len(st)-1].State != encoder.LiveStopped || st[len(st)-1].Reconnects != 2 {
		t.Errorf("last status %+v, want stopped after 2 reconnects", st[len(st)-1])
	}
}

// TestLiveTwoDestinationsOneGoesDown: each destination has its own
// connection; one going down and coming back never disturbs the other.
func TestLiveTwoDestinationsOneGoesDown(t *testing.T) {
	t.Parallel()
	stay := rtmptest.Start(t, rtmptest.Options{})
	fall := rtmptest.Start(t, rtmptest.Options{})
	w := liveStart(t, liveSettings(t, destination(stay, liveKey), destination(fall, liveSecondKey)))
	_, i := w.waitDest(1, encoder.LiveOnAir, 0, 60*time.Second)
	stayRec, err := stay.WaitRecording("live", 1, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	fallRec, err := fall.WaitRecording("live", 1, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	fall.Stop()
	_, i = w.waitDest(1, encoder.LiveReconnecting, i, 30*time.Second)
	if err := rtmptest.WaitGrowing(stayRec, 10*time.Second); err != nil {
		t.Fatalf("after the other destination went down: %v\n%s", err, w.dump())
	}
	info1, _ := os.Stat(stayRec)
	time.Sleep(3 * time.Second)
	fall.Restart()
	w.waitDest(1, encoder.LiveOnAir, i, 30*time.Second)
	if _, err := fall.WaitRecording("live", 2, 20*time.Second); err != nil {
		t.Fatalf("the fallen destination did not come back on its own: %v\n%s", err, w.dump())
	}
	info2, _ := os.Stat(stayRec)
	if info2.Size() <= info1.Size() {
		t.Errorf("%s stopped at %d bytes", stayRec, info1.Size())
	}
	if err := w.stop(); err != nil {
		t.Fatalf("Wait after Cancel: %v", err)
	}
	w.checkEnd(true)
	for _, ls := range w.statusesOf(0) {
		if ls.State == encoder.LiveReconnecting || ls.State == encoder.LiveFailed || ls.Attempt != 1 {
			t.Errorf("the other destination going down disturbed this one: %+v\n%s", ls, w.dump())
		}
	}
	if recs := stay.Recordings("live"); len(recs) != 1 {
		t.Errorf("the destination that stayed has recordings %v, want one", recs)
	}
	if err := stay.WaitRecordingsClosed(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	a := probeRecording(t, stayRec)
	checkIngest(t, a)
	checkKeyframes(t, a)
	checkAudioThroughout(t, a)
	if want := int(math.Round(a.videoSeconds() * 30)); len(a.videoPTS) < want-1 || len(a.videoPTS) > want+1 {
		t.Errorf("%d frames in %.3f s at 30 fps: frames are missing or doubled", len(a.videoPTS), a.videoSeconds())
	}
	for k := 1; k < len(a.videoPTS); k++ {
		if gap := a.videoPTS[k] - a.videoPTS[k-1]; gap > 0.1 {
			t.Errorf("%s: a gap of %.3f s at %.3f s", filepath.Base(stayRec), gap, a.videoPTS[k-1])
		}
	}
	if !strings.HasPrefix(filepath.Base(fallRec), liveSecondKey+"-") {
		t.Errorf("second destination's recording %s is not named after its key", fallRec)
	}
}
