//go:build linux

package encoder_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"io"
	"math"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder"
)

// BenchmarkLoop10hMP3 renders 10 hours of the 1080p sample with a
// 10-minute mp3 looped (--audio-loop --duration 10h): the audio is copied
// but for one join piece and the fade. It reports the whole render, the
// audio's preparation on its own (what must be ready when the video is),
// and beside them, in the same run, what the audio cost before: ffmpeg's
// AAC encode of the looped song (-stream_loop -1, as the render ran it)
// timed on 10 minutes and scaled ×60, an estimate, labelled so. It
// decodes the whole 10 h of the output's audio and reports its longest
// near-silence (under -60 dBFS on both channels) before the fade, beside
// the song's own.
func BenchmarkLoop10hMP3(b *testing.B) {
	img := benchSample(b)
	song := encoder.LoudSource(b, b.TempDir(), "loop.mp3", 44100, 600, "-c:a", "libmp3lame", "-b:a", "192k")
	var render, prep, before time.Duration
	var out string
	for range b.N {
		start := time.Now()
		spliced, cleanup, err := encoder.SpliceLoop(context.Background(), "ffmpeg", song, 10*time.Hour)
		prep = time.Since(start)
		cleanup()
		if err != nil {
			b.Fatal(err)
		}
		_ = spliced
		s := encoder.DefaultSettings()
		s.Images, s.Size, s.Audio, s.LoopAudio, s.Duration, s.Force = encoder.SlidesOf(img), encoder.NamedSizes()[2], []string{song}, true, 10*time.Hour, true
		s.Output = filepath.Join(filepath.Dir(img), "loop.mp4")
		render, out = timedJob(b, s), s.Output
		d, _ := benchRecipe(b, "-stream_loop", "-1", "-i", song, "-t", "600", "-vn", "-c:a", "aac", "-b:a", "192k")
		before = d * 60
	}
	outGap, outJump, secs := benchQuiet(b, out, 0.1, 10*3600-3)
	songGap, songJump, _ := benchQuiet(b, song, 0.1, 600-0.1)
	b.ReportMetric(render.Seconds(), "render-s")
	b.ReportMetric(prep.Seconds(), "audio-prep-s")
	b.ReportMetric(before.Seconds(), "aac-encode-est-s")
	b.ReportMetric(before.Seconds()/prep.Seconds(), "audio-speedup")
	b.ReportMetric(outGap, "gap-ms")
	b.ReportMetric(songGap, "song-gap-ms")
	b.ReportMetric(outJump/songJump, "jump-ratio")
	b.ReportMetric(secs-10*3600, "audio-end-s")
	b.ReportMetric(0, "ns/op")
}

// benchQuiet decodes path's audio on a pipe and returns the longest run
// of near-silence (both channels under -60 dBFS) between from and to
// seconds, in ms, the largest sample-to-sample jump there, and the
// audio's length in seconds.
func benchQuiet(b *testing.B, path string, from, to float64) (gapMS, jump, seconds float64) {
	cmd := exec.Command("ffmpeg", "-v", "error", "-i", path, "-map", "0:a:0", "-ac", "2", "-ar", "44100", "-c:a", "pcm_f32le", "-f", "f32le", "-")
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	r := bufio.NewReaderSize(pipe, 1<<20)
	var buf [8]byte
	var i, run, longest int
	var prev [2]float32
	lo, hi := int(from*44100), int(to*44100)
	for ; ; i++ {
		if _, err := io.ReadFull(r, buf[:]); err != nil {
			break
		}
		l := math.Float32frombits(binary.LittleEndian.Uint32(buf[:4]))
		rr := math.Float32frombits(binary.LittleEndian.Uint32(buf[4:]))
		if i >= lo && i < hi {
			if math.Abs(float64(l)) < 1e-3 && math.Abs(float64(rr)) < 1e-3 {
				run++
				longest = max(longest, run)
			} else {
				run = 0
			}
			jump = max(jump, math.Abs(float64(l-prev[0])), math.Abs(float64(rr-prev[1])))
		}
		prev = [2]float32{l, rr}
	}
	if err := cmd.Wait(); err != nil {
		b.Fatalf("decoding %s: %v\n%s", path, err, stderr.String())
	}
	return 1000 * float64(longest) / 44100, jump, float64(i) / 44100
}
