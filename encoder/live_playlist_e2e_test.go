//go:build linux

package encoder_test

import (
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// tone writes seconds of a sine at freq Hz to path, encoded as the
// extension and extra say, with a title tag unless it is empty.
func tone(t *testing.T, path string, freq int, seconds float64, title string, extra ...string) string {
	t.Helper()
	if title != "" {
		extra = append([]string{"-metadata", "title=" + title}, extra...)
	}
	return encoder.MakeTone(t, filepath.Dir(path), filepath.Base(path), freq, seconds, extra...)
}

// goertzel is the strength of the freq Hz component of samples at rate Hz.
func goertzel(samples []float64, freq float64, rate int) float64 {
	w := 2 * math.Pi * freq / float64(rate)
	c := 2 * math.Cos(w)
	var s1, s2 float64
	for _, x := range samples {
		s1, s2 = x+c*s1-s2, s1
	}
	return math.Sqrt(s1*s1+s2*s2-c*s1*s2) / float64(len(samples))
}

// TestLivePlaylistIsGapless streams three tracks of different tones in a
// loop to nginx and checks the recording: sound in every 20 ms from the
// first track to the end, the tones in playlist order and lengths, and a
// NowPlaying event for each track as it starts. Both ways of sending the
// video carry the playlist the same way.
func TestLivePlaylistIsGapless(t *testing.T) {
	t.Parallel()
	for _, perFrame := range []bool{false, true} {
		name := "still path"
		if perFrame {
			name = "per-frame"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testLivePlaylist(t, perFrame)
		})
	}
}

func testLivePlaylist(t *testing.T, perFrame bool) {
	dir := t.TempDir()
	freqs := []int{440, 660, 990}
	const trackSeconds = 3.0
	tracks := []string{
		tone(t, filepath.Join(dir, "1 first.mp3"), freqs[0], trackSeconds, "First", "-c:a", "libmp3lame", "-b:a", "128k"),
		tone(t, filepath.Join(dir, "2 second.flac"), freqs[1], trackSeconds, "Second"),
		// Opus rather than AAC: an AAC file made by ffmpeg ends in a frame
		// of padding, silence that is the file's own.
		tone(t, filepath.Join(dir, "3 third.opus"), freqs[2], trackSeconds, "", "-c:a", "libopus"),
	}
	srv := rtmptest.Start(t, rtmptest.Options{})
	s := liveSettings(t, destination(srv, liveKey))
	s.Audio = []string{dir} // the folder: its tracks in name order
	s.NoFastPath = perFrame
	if !perFrame {
		warm := rtmptest.Start(t, rtmptest.Options{})
		s.Live.Destinations = []encoder.Destination{destination(warm, liveKey)}
		s = warmCache(t, s, 3)
		s.Live.Destinations = []encoder.Destination{destination(srv, liveKey)}
	}
	w := liveStart(t, s)
	// The stream runs until it has played the round of three tracks and
	// come back to the first, by the stream's own clock: NowPlaying comes
	// when ffmpeg reports that the track has gone out. Then one status
	// more, and stop. A fixed duration would be eaten into by a slow start
	// on a busy machine.
	i := w.waitNowPlaying(4, 60*time.Second)
	w.waitState(encoder.LiveOnAir, i, 30*time.Second)
	if err := w.stop(); err != nil {
		t.Fatalf("Wait after Cancel: %v\n%s", err, w.dump())
	}
	w.checkEnd(perFrame) // the fast path plays from the warmed cache: no ffmpeg
	// The decoders of the tracks are gone too.
	if left := rtmptest.WaitNoProcessesMentioning(dir, 5*time.Second); len(left) > 0 {
		t.Errorf("still running after the stream ended: %v", left)
	}

	// NowPlaying: 0, 1, 2, then 0 again, with the titles from the tags or
	// the file name.
	var playing []encoder.NowPlaying
	for _, ev := range w.events() {
		if np, ok := ev.Event.(encoder.NowPlaying); ok {
			playing = append(playing, np)
		}
	}
	wantTitles := []string{"First", "Second", "3 third", "First"}
	if len(playing) < 3 {
		t.Fatalf("NowPlaying events %+v, want one per track", playing)
	}
	for i, np := range playing {
		if i >= len(wantTitles) {
			break
		}
		if np.Track != i%3 || np.Tracks != 3 || np.Info.Title != wantTitles[i] || np.Info.Path != tracks[i%3] {
			t.Errorf("NowPlaying %d = track %d/%d %q (%s), want %d/3 %q", i, np.Track, np.Tracks, np.Info.Title, np.Info.Path, i%3, wantTitles[i])
		}
	}

	if err := srv.WaitRecordingsClosed(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	recs := srv.Recordings("live")
	if len(recs) != 1 {
		t.Fatalf("recordings %v, want one", recs)
	}
	r := probeRecording(t, recs[0])
	checkIngest(t, r)
	const rate = 8000
	audio := encoder.PCMOf(t, recs[0], rate)
	seconds := float64(len(audio)) / rate
	// ffmpeg said it had sent the start of the fourth track, 9 s in.
	if seconds < 3*trackSeconds {
		t.Fatalf("%.2f s of audio in the recording, want the round of %.0f s and more", seconds, 3*trackSeconds)
	}
	// The tracks start with the stream, after the AAC encoder's first
	// frame of priming; the last half second may be cut off as the stream
	// stops.
	//
	// The per-frame path decodes the tracks into one stream of samples and
	// encodes it: not a 20 ms without sound. The fast path copies each
	// track's own AAC frames, and where two tracks meet the decoder
	// blends the last frame of one into the first of the next: a dip of
	// up to a frame (21 ms), never a gap over 25 ms.
	const window = rate / 50 // 20 ms
	if !perFrame {
		run := 0
		for k, v := range audio[:len(audio)-rate/2] {
			if run = run + 1; math.Abs(v) >= 0.01 {
				run = 0
			}
			if run == rate*25/1000 {
				t.Errorf("no sound for 25 ms at %.3f s: a gap in the playlist", float64(k-run)/rate)
			}
		}
	}
	var tones []int
	for at := window; at+window <= len(audio)-rate/2; at += window {
		chunk := audio[at : at+window]
		if level := encoder.RMS(chunk); level < 0.05 && perFrame {
			t.Errorf("silence (rms %.4f) at %.3f s: a gap in the playlist", level, float64(at)/rate)
			continue
		}
		best, strength := -1, 0.0
		for i, f := range freqs {
			if g := goertzel(chunk, float64(f), rate); g > strength {
				best, strength = i, g
			}
		}
		tones = append(tones, best)
	}
	// Each tone holds for its track's 3 s, in order, looping.
	for i, tn := range tones {
		at := float64((i+1)*window) / rate
		want := int(at/trackSeconds) % 3
		// Near a boundary, either neighbour is right.
		if edge := math.Mod(at, trackSeconds); edge < 0.06 || edge > trackSeconds-0.06 {
			continue
		}
		if tn != want {
			t.Errorf("at %.2f s the tone is track %d's, want track %d's", at, tn, want)
			break
		}
	}
}
