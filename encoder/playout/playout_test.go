package playout

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/publish"
)

// ffmpegOut runs ffmpeg with args, the output last, and returns the
// output file's bytes.
func ffmpegOut(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	bin, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("ffmpeg is not installed")
	}
	out := filepath.Join(t.TempDir(), name)
	args = append([]string{"-hide_banner", "-nostdin", "-loglevel", "error"}, append(args, "-y", out)...)
	if msg, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// h264Segment encodes frames frames of a test pattern at fps, keyframes
// every gop frames, as the live segments are.
func h264Segment(t *testing.T, frames, fps, gop int, params string) []byte {
	t.Helper()
	return ffmpegOut(t, "seg.h264",
		"-f", "lavfi", "-i", "testsrc2=size=320x240:rate="+itoa(fps), "-frames:v", itoa(frames),
		"-c:v", "libx264", "-preset", "veryfast", "-bf", "0", "-g", itoa(gop), "-keyint_min", itoa(gop),
		"-sc_threshold", "0", "-x264-params", params, "-f", "h264")
}

func itoa(n int) string { return string(bytesItoa(n)) }

func bytesItoa(n int) []byte {
	if n == 0 {
		return []byte("0")
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return b
}

func TestParseSegmentSplitsPictures(t *testing.T) {
	for _, params := range []string{"aud=1:nal-hrd=cbr", "aud=0"} {
		t.Run(params, func(t *testing.T) {
			seg, err := ParseSegment(h264Segment(t, 50, 25, 25, params), 25)
			if err != nil {
				t.Fatal(err)
			}
			if len(seg.AUs) != 50 {
				t.Fatalf("%d access units, want 50", len(seg.AUs))
			}
			for i, k := range seg.Key {
				if k != (i%25 == 0) {
					t.Errorf("access unit %d: key %v, want a keyframe every 25", i, k)
				}
			}
			if seg.Duration() != 2*time.Second || seg.SPS[0]&0x1f != 7 || seg.PPS[0]&0x1f != 8 {
				t.Errorf("duration %v, SPS %x…, PPS %x…", seg.Duration(), seg.SPS[:1], seg.PPS[:1])
			}
			for i, au := range seg.AUs {
				for _, n := range au {
					if n[0]&0x1f == 9 {
						t.Fatalf("access unit %d keeps its delimiter", i)
					}
				}
			}
		})
	}
}

func TestParseSegmentRefusesWhatIsNotASegment(t *testing.T) {
	cases := map[string][]byte{
		"empty":        nil,
		"not H.264":    []byte("hello, this is text"),
		"no keyframe":  {0, 0, 0, 1, 0x41, 0x9a, 0, 0},
		"no param set": {0, 0, 0, 1, 0x65, 0x88, 0, 0},
	}
	for name, data := range cases {
		if _, err := ParseSegment(data, 25); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestADTSReaderReadsEveryFrame(t *testing.T) {
	data := ffmpegOut(t, "a.aac", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=1",
		"-c:a", "aac", "-b:a", "128k", "-ac", "2", "-f", "adts")
	r := NewADTSReader(bytes.NewReader(data))
	n, total := 0, 0
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		total += len(f) + adtsHeader
	}
	// 48000 samples and the encoder's priming frame: 48 frames of 1024.
	if n < 47 || n > 49 || total != len(data) {
		t.Errorf("%d frames of %d bytes in all, want about 48 covering all %d bytes", n, total, len(data))
	}
	if _, err := NewADTSReader(bytes.NewReader(data[:len(data)-3])).Next(); err != nil {
		t.Fatal(err)
	}
	cut := NewADTSReader(bytes.NewReader(data[:20]))
	if _, err := cut.Next(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("a cut frame: %v, want io.ErrUnexpectedEOF", err)
	}
	if _, err := NewADTSReader(bytes.NewReader([]byte("garbage!"))).Next(); !errors.Is(err, ErrNotADTS) {
		t.Errorf("garbage: %v, want ErrNotADTS", err)
	}
}

// tracks plays track 0 for n frames, then track 1 for ever.
type tracks struct{ n, sent int }

func (a *tracks) Next() ([]byte, int, bool) {
	a.sent++
	switch {
	case a.sent == 1:
		return []byte{1}, 0, true
	case a.sent <= a.n:
		return []byte{1}, 0, false
	case a.sent == a.n+1:
		return []byte{2}, 1, true
	}
	return []byte{2}, 1, false
}

// fakeClock moves on only when the player sleeps.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func TestPlayerInterleavesSwitchesAtKeyframesAndPaces(t *testing.T) {
	a, err := ParseSegment(h264Segment(t, 50, 25, 25, "aud=1"), 25)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseSegment(h264Segment(t, 25, 25, 25, "aud=1:nal-hrd=cbr:bitrate=400:vbv-maxrate=400:vbv-bufsize=400"), 25)
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{t: time.Unix(1000, 0)}
	start := clock.now()
	var want atomic.Pointer[Segment]
	want.Store(a)
	var segments []*Segment
	var trackAt []time.Duration
	p := &Player{
		Video: want.Load, Audio: &tracks{n: 100}, SampleRate: 48000,
		OnTrack:   func(track int, at time.Duration) { trackAt = append(trackAt, at) },
		OnSegment: func(s *Segment) { segments = append(segments, s) },
		Now:       clock.now, Sleep: clock.sleep,
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan publish.Packet)
	done := make(chan error)
	go func() { done <- p.Run(ctx, out) }()
	var video, audio []publish.Packet
	for len(video) < 200 {
		pkt := <-out
		if late := clock.now().Sub(start) - pkt.DTS; late > batch || late < -batch {
			t.Fatalf("packet at %v sent at %v", pkt.DTS, clock.now().Sub(start))
		}
		if pkt.Kind == publish.Video {
			video = append(video, pkt)
			if len(video) == 60 {
				want.Store(b) // in a's second interval: on air at frame 75
			}
		} else {
			audio = append(audio, pkt)
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run: %v", err)
	}
	for i, v := range video {
		if v.DTS != time.Duration(i)*40*time.Millisecond || v.PTS != v.DTS {
			t.Fatalf("video %d at %v/%v, want %v", i, v.PTS, v.DTS, time.Duration(i)*40*time.Millisecond)
		}
		if v.Key != (i%25 == 0) {
			t.Errorf("video %d: key %v", i, v.Key)
		}
		if (v.Codecs != nil) != (i == 75) && !sameParameters(a, b) {
			t.Errorf("video %d: new codecs %v", i, v.Codecs != nil)
		}
	}
	if len(segments) != 2 || segments[1] != b || &video[75].Data[0][0] != &b.AUs[0][0][0] || &video[74].Data[0][0] != &a.AUs[24][0][0] {
		t.Errorf("segments %d: the switch is not at the first keyframe after the change", len(segments))
	}
	for i, f := range audio {
		if want := time.Duration(i) * 1024 * time.Second / 48000; f.PTS != want {
			t.Fatalf("audio %d at %v, want %v", i, f.PTS, want)
		}
	}
	if len(trackAt) != 2 || trackAt[0] != 0 || trackAt[1] != 100*1024*time.Second/48000 {
		t.Errorf("tracks began at %v", trackAt)
	}
}
