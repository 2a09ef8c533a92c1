//go:build linux

package encoder_test

import (
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// The live streams of these tests go to real nginx servers; what nginx
// recorded is read back with ffprobe. Stillcast publishes itself: ffmpeg
// only encodes, and never learns an address or a key.

// TestLiveStreamArrivesAsIngestServersWantIt streams for 10 s on the fast
// path (a segment encoded once, then copied) and checks the events and
// the recording.
func TestLiveStreamArrivesAsIngestServersWantIt(t *testing.T) {
	t.Parallel()
	checkLiveStream(t, "", false, 10*time.Second)
}

// TestLiveStreamPerFrame: every frame encoded by ffmpeg, read back by
// Stillcast from its MPEG-TS and published, passes the same checks.
func TestLiveStreamPerFrame(t *testing.T) {
	t.Parallel()
	checkLiveStream(t, "", true, 10*time.Second)
}

// TestLiveStreamWithFFmpeg41: ffmpeg 4.1 prepares the segment, or encodes
// every frame, as well.
func TestLiveStreamWithFFmpeg41(t *testing.T) {
	t.Parallel()
	bin := encoder.FFmpeg41(t)
	for _, perFrame := range []bool{false, true} {
		t.Run(map[bool]string{false: "fast path", true: "per-frame"}[perFrame], func(t *testing.T) {
			t.Parallel()
			checkLiveStream(t, bin, perFrame, 8*time.Second)
		})
	}
}

// checkLiveStream streams for d with ffmpeg bin ("" for the system's) to
// a server of its own and checks the events and the recording.
func checkLiveStream(t *testing.T, bin string, perFrame bool, d time.Duration) {
	t.Helper()
	srv := rtmptest.Start(t, rtmptest.Options{})
	s := liveSettings(t, destination(srv, liveKey))
	s.Duration, s.FFmpeg, s.NoFastPath = d, bin, perFrame
	w := liveStart(t, s)
	if err := w.finish(90 * time.Second); err != nil {
		t.Fatalf("Wait: %v\n%s", err, w.dump())
	}
	fin := w.finished()
	if fin.Err != nil {
		t.Fatalf("Finished.Err: %v", fin.Err)
	}
	w.checkEnd(true)

	evs := w.events()
	st, ok := evs[0].Event.(encoder.Started)
	if !ok || st.Width != 640 || st.Height != 360 || st.FPS != 30 || st.Output != srv.URL("live")+"/[stream key]" {
		t.Errorf("first event %+v, want Started 640x360 at 30 fps to %s/[stream key]", evs[0].Event, srv.URL("live"))
	}
	var states []encoder.LiveState
	var onAir []encoder.LiveStatus
	for _, ls := range w.statuses() {
		if ls.Dest != 0 || ls.Name != srv.URL("live")+"/[stream key]" {
			t.Errorf("status of destination %d %q", ls.Dest, ls.Name)
		}
		if len(states) == 0 || states[len(states)-1] != ls.State {
			states = append(states, ls.State)
		}
		if ls.State == encoder.LiveOnAir {
			onAir = append(onAir, ls)
		}
	}
	if want := []encoder.LiveState{encoder.LiveConnecting, encoder.LiveOnAir, encoder.LiveStopped}; !slices.Equal(states, want) {
		t.Errorf("states %v, want %v\n%s", states, want, w.dump())
	}
	// On-air statuses come about once a second, with figures that only
	// grow; a starved machine can hold them back for seconds (the figures
	// are taken between writes), so the count asked for is what any
	// machine gives: the one saying it went on air, and one with figures.
	if len(onAir) < 2 {
		t.Errorf("%d on-air statuses in a %s stream\n%s", len(onAir), d, w.dump())
	}
	for i, ls := range onAir {
		if i > 0 && (ls.Uptime < onAir[i-1].Uptime || ls.Sent < onAir[i-1].Sent) {
			t.Errorf("figures went back: %+v after %+v", ls, onAir[i-1])
		}
		if ls.Reconnects != 0 || ls.Attempt != 1 {
			t.Errorf("on-air status %+v, want attempt 1, no reconnects", ls)
		}
	}
	last := onAir[len(onAir)-1]
	if last.Uptime > fin.Duration || fin.Duration > fin.Elapsed || fin.Duration < d/2 {
		t.Errorf("last uptime %s, on air %s, job %s: want each within the next", last.Uptime, fin.Duration, fin.Elapsed)
	}
	// The bitrate is this connection's own bytes over the last seconds:
	// within a factor of two of the 1000k of video and 128k of audio.
	if b := last.Bitrate; b < 1_128_000/2 || b > 1_128_000*2 {
		t.Errorf("bitrate %d while on air, want about 1.1 Mbit/s", b)
	}

	if err := srv.WaitRecordingsClosed(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	recs := srv.Recordings("live")
	if len(recs) != 1 {
		t.Fatalf("recordings %v, want one", recs)
	}
	if !strings.HasPrefix(filepath.Base(recs[0]), liveKey+"-") {
		t.Errorf("recording %s is not named after the stream key: the server did not get it", recs[0])
	}
	r := probeRecording(t, recs[0])
	checkIngest(t, r)
	checkKeyframes(t, r)
	video := r.videoSeconds()
	t.Logf("on air %s of %s; recorded %.3f s of video in %d frames, audio %.3f s, keyframes %v",
		fin.Duration, fin.Elapsed, video, len(r.videoPTS), r.span(r.audioPTS, 1024.0/48000), r.keyPTS)
	if want := int(math.Round(video * 30)); len(r.videoPTS) < want-1 || len(r.videoPTS) > want+1 {
		t.Errorf("%d frames in %.3f s at 30 fps: frames are missing or doubled", len(r.videoPTS), video)
	}
	// Paced by the wall clock, and stopped when the duration is over. A
	// connection starts with the packets since the latest keyframe, which
	// gathered while it was being made: up to one keyframe interval more
	// than the time on air, however slowly the machine connects.
	if video > d.Seconds()+encoder.LiveKeyframeSeconds+1 || video < d.Seconds()/2 {
		t.Errorf("%.3f s of video for a %s stream", video, d)
	}
	checkAudioThroughout(t, r)
	// Constant bitrate: the video averages close to the 1000k asked for.
	if rate := float64(r.videoBytes) * 8 / video; rate < 800_000 || rate > 1_200_000 {
		t.Errorf("video averages %.0f bit/s, want about 1000000", rate)
	}
}

// TestLiveKeyInNoProcess streams to a server URL with a user, a password
// and a query token, on both paths: no process's arguments or
// environment ever hold the key, the password or the token (liveWatch
// searches /proc all along), and nothing the job reports shows them.
func TestLiveKeyInNoProcess(t *testing.T) {
	t.Parallel()
	for _, perFrame := range []bool{false, true} {
		t.Run(map[bool]string{false: "fast path", true: "per-frame"}[perFrame], func(t *testing.T) {
			t.Parallel()
			srv := rtmptest.Start(t, rtmptest.Options{})
			url := "rtmp://bob:s3cret-pass@" + srv.Addr() + "/live?token=t0ken-9a8b7c"
			s := liveSettings(t, encoder.Destination{URL: url, Key: liveKey})
			s.NoFastPath = perFrame
			w := liveStart(t, s)
			w.waitState(encoder.LiveOnAir, 0, 60*time.Second)
			if _, err := srv.WaitRecording("live", 1, 20*time.Second); err != nil {
				t.Fatal(err)
			}
			if err := w.stop(); err != nil {
				t.Fatalf("Wait after Cancel: %v", err)
			}
			w.checkEnd(true)
			want := "rtmp://[hidden]@" + srv.Addr() + "/live/[stream key]?token=[hidden]"
			for _, ls := range w.statuses() {
				if ls.Name != want {
					t.Fatalf("destination shown as %q, want %q", ls.Name, want)
				}
			}
			recs := srv.Recordings("live")
			if len(recs) != 1 || !strings.HasPrefix(filepath.Base(recs[0]), liveKey+"-") {
				t.Errorf("recordings %v, want one named after the key: the query must stay with the application", recs)
			}
		})
	}
}

// TestLiveNeverOnAirFails: a stream with a duration whose server never
// answers ends with an error that says why, not with success.
func TestLiveNeverOnAirFails(t *testing.T) {
	t.Parallel()
	addr := "127.0.0.1:" + strconv.Itoa(rtmptest.FreePort(t))
	s := liveSettings(t, encoder.Destination{URL: "rtmp://" + addr + "/live", Key: liveKey})
	s.Duration = 5 * time.Second
	w := liveStart(t, s)
	err := w.finish(60 * time.Second)
	if err == nil || !strings.Contains(err.Error(), "never on air") || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("Wait = %v, want never on air, with the refusal\n%s", err, w.dump())
	}
	if fin := w.finished(); fin.Err == nil || fin.Duration != 0 {
		t.Errorf("Finished %+v", fin)
	}
	w.checkEnd(true)
}

// TestLiveRejectedKeyStops: a server that refuses the key three times in
// a row ends the stream with ErrKeyRejected, and nothing is recorded.
func TestLiveRejectedKeyStops(t *testing.T) {
	t.Parallel()
	hook := rtmptest.StartHook(t, 403)
	srv := rtmptest.Start(t, rtmptest.Options{OnPublish: hook.URL})
	w := liveStart(t, liveSettings(t, destination(srv, liveKey)))
	err := w.finish(60 * time.Second)
	if !errors.Is(err, encoder.ErrKeyRejected) || !strings.Contains(err.Error(), "the server rejected the stream key") {
		t.Fatalf("Wait = %v, want ErrKeyRejected\n%s", err, w.dump())
	}
	if names := hook.Names(); len(names) != 3 || slices.ContainsFunc(names, func(n string) bool { return n != liveKey }) {
		t.Errorf("the hook saw publishes %q, want 3 of the key", names)
	}
	st := w.statuses()
	if last := st[len(st)-1]; last.State != encoder.LiveFailed || !errors.Is(last.Err, encoder.ErrKeyRejected) {
		t.Errorf("last status %+v, want failed with ErrKeyRejected", last)
	}
	for _, ls := range st {
		if ls.State == encoder.LiveOnAir {
			t.Errorf("on air although every publish was refused: %+v", ls)
		}
	}
	if recs := srv.Recordings("live"); len(recs) != 0 {
		t.Errorf("refused publishes were recorded: %v", recs)
	}
	w.checkEnd(true)
}
