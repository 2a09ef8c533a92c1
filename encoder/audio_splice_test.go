package encoder

import (
	"bytes"
	"encoding/binary"
	"math"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/splice"
)

// Looped and cut mp3 and AAC by copy, checked on the decoded output: no
// gap and no click at the joins, copied frames byte for byte, the length.

// clickTolerance is how much larger than the source's own largest
// sample-to-sample jump the output's may be: the encoders' quantization
// noise at the joins and the fade, which are encoded.
const clickTolerance = 1.25

// loudSource writes seconds of a mix of tones and noise, loud everywhere
// (two tones per channel, so no moment is silent), at rate Hz, encoded as
// name's extension says.
func loudSource(t testing.TB, dir, name string, rate int, seconds float64, codec ...string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	expr := "0.35*sin(2*PI*440*t)+0.2*sin(2*PI*1234*t+1)+0.05*(random(0)-0.5)|0.35*sin(2*PI*554*t)+0.2*sin(2*PI*1500*t+2)+0.05*(random(1)-0.5)"
	args := []string{"-v", "error", "-f", "lavfi", "-i", "aevalsrc=" + expr + ":s=" + strconv.Itoa(rate) + ":d=" + strconv.FormatFloat(seconds, 'f', 3, 64)}
	args = append(append(args, codec...), "-y", path)
	ffmpegOut(t, args...)
	return path
}

// stereoFloats decodes path's audio, as it is, to interleaved stereo floats.
func stereoFloats(t testing.TB, path string) []float32 {
	t.Helper()
	raw := ffmpegOut(t, "-v", "error", "-i", "file:"+path, "-map", "0:a:0", "-ac", "2", "-c:a", "pcm_f32le", "-f", "f32le", "-")
	pcm := make([]float32, len(raw)/4)
	if err := binary.Read(bytes.NewReader(raw), binary.LittleEndian, pcm); err != nil {
		t.Fatal(err)
	}
	return pcm
}

// longestQuiet is the longest run of stereo samples in pcm[from:to]
// (sample indexes) where both channels are under quiet.
func longestQuiet(pcm []float32, from, to int) int {
	longest, run := 0, 0
	for i := from; i < to && 2*i+1 < len(pcm); i++ {
		if math.Abs(float64(pcm[2*i])) < quiet && math.Abs(float64(pcm[2*i+1])) < quiet {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// largestStep is the largest change from one sample to the next in
// pcm[from:to], and where it is.
func largestStep(pcm []float32, from, to int) (float64, int) {
	best, at := 0.0, 0
	for i := max(from, 1); i < to && 2*i+1 < len(pcm); i++ {
		for c := range 2 {
			if d := math.Abs(float64(pcm[2*i+c] - pcm[2*i-2+c])); d > best {
				best, at = d, i
			}
		}
	}
	return best, at
}

// elementaryFrames copies the audio of path out as an elementary stream
// and parses it.
func elementaryFrames(t testing.TB, path, codec string) splice.Stream {
	t.Helper()
	c := codecOf(codec)
	data := ffmpegOut(t, append([]string{"-v", "error", "-i", "file:" + path, "-map", "0:a:0", "-c:a", "copy"}, append(c.format, "-")...)...)
	s, err := c.parse(data)
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	return s
}

// reencodedFrames counts the frames of out that are no copy of a frame of
// src: their main data differs from every source frame's.
func reencodedFrames(t testing.TB, src, out, codec string) (encoded, total int) {
	t.Helper()
	in := map[string]bool{}
	s := elementaryFrames(t, src, codec)
	for _, f := range s.Frames {
		in[string(s.Data[f.Off+f.Head:f.Off+f.Len])] = true
	}
	o := elementaryFrames(t, out, codec)
	for _, f := range o.Frames {
		if !in[string(o.Data[f.Off+f.Head:f.Off+f.Len])] {
			encoded++
		}
	}
	return encoded, len(o.Frames)
}

// spliceCase is a loop or cut to check.
type spliceCase struct {
	name, codec string
	rate        int
	source      float64       // seconds
	length      time.Duration // of the video
	loop        bool
	ext         string // of the output
	srcExt      string // of the source, when not .mp3 or .m4a
}

// checkAudioPhase: the render says it is preparing the audio, after
// Started (sent once) and before any frame is encoded.
func checkAudioPhase(t *testing.T, evs []timedEvent) {
	t.Helper()
	started, audio, encoding := -1, -1, -1
	for i, tev := range evs {
		switch ev := tev.Event.(type) {
		case Started:
			if started >= 0 {
				t.Fatalf("Started twice, at events %d and %d", started, i)
			}
			started = i
		case Progress:
			if ev.Phase == PhaseAudio && audio < 0 {
				audio = i
			}
			if ev.Phase != PhaseAudio && encoding < 0 {
				encoding = i
			}
			if ev.Phase == PhaseAudio && encoding >= 0 {
				t.Fatalf("event %d prepares the audio after frames were encoded (event %d)", i, encoding)
			}
		}
	}
	if started != 0 || audio < 0 || (encoding >= 0 && audio > encoding) {
		t.Fatalf("Started at event %d, the audio's first report at %d, the first frames at %d: want 0, then the audio, then frames", started, audio, encoding)
	}
}

// checkSplice renders c with ffmpeg at bin and checks the output: the
// audio is the source's codec, mostly copied frames, as long as the video
// to a frame, with no gap and no click the source does not have, and a
// fade at the end.
func checkSplice(t *testing.T, bin string, c spliceCase) {
	dir := t.TempDir()
	enc := map[string][]string{"mp3": {"-c:a", "libmp3lame", "-b:a", "192k"}, "aac": {"-c:a", "aac", "-b:a", "160k"}}[c.codec]
	ext := map[string]string{"mp3": ".mp3", "aac": ".m4a"}[c.codec]
	if c.srcExt != "" {
		ext = c.srcExt
	}
	src := loudSource(t, dir, "src"+ext, c.rate, c.source, enc...)
	s := testSettings(writePNG(t, dir, "pic.png", solidImage(64, 36, tRed)), filepath.Join(dir, "v"+c.ext))
	s.Audio, s.LoopAudio, s.Duration, s.FFmpeg = []string{src}, c.loop, c.length, bin
	began := time.Now()
	checkAudioPhase(t, renderOK(t, s))
	t.Logf("rendered in %s", time.Since(began).Round(time.Millisecond))

	p := probeAV(t, s.Output)
	if a := p.stream(t, "audio"); a.CodecName != c.codec {
		t.Fatalf("audio %s, want %s copied", a.CodecName, c.codec)
	}
	n := map[string]int{"mp3": 1152, "aac": 1024}[c.codec]
	frame := float64(n) / float64(c.rate)
	video := secondsOf(t, p.Format.Duration)
	if v := p.stream(t, "video"); v.Duration != "" { // Matroska keeps it in a tag
		video = secondsOf(t, v.Duration)
	}
	audio := float64(len(stereoFloats(t, s.Output))/2) / float64(c.rate)
	if math.Abs(audio-video) > frame+0.001 || math.Abs(video-c.length.Seconds()) > 0.04 {
		t.Errorf("audio %.4f s, video %.4f s, want %.4f s to within a frame (%.4f s)", audio, video, c.length.Seconds(), frame)
	}
	encoded, total := reencodedFrames(t, src, s.Output, c.codec)
	joins := 0
	if c.loop {
		joins = int(c.length.Seconds()/(c.source-0.2)) + 1
	}
	limit := joins*(splice.Lead+3) + int(audioFadeOut.Seconds()/frame) + 3
	t.Logf("%d of %d frames encoded (at most %d: %d joins and the fade)", encoded, total, limit, joins)
	if encoded > limit {
		t.Errorf("%d of %d frames encoded, want at most %d: only the joins and the fade", encoded, total, limit)
	}
	if msg := decodeErrors(t, s.Output); msg != "" {
		t.Errorf("the output does not decode cleanly:\n%s", msg)
	}
	checkNoGapNoClick(t, src, s.Output, c)
	checkFollowsThePlan(t, bin, src, s.Output, c, video)
}

// minJoinSNR is the least signal-to-noise ratio, in dB, of any frame of
// the decoded output against the signal planned for it: the source's
// decoded samples, repeated, cross-faded and faded as the layout says.
// Copied frames match exactly; the encoded ones carry one more
// generation of quantization noise. A piece one frame off its place
// scores about 0 dB.
const minJoinSNR = 15

// checkFollowsThePlan decodes the output and compares every frame with
// the planned signal, made from the decoded source frames.
func checkFollowsThePlan(t *testing.T, bin, src, out string, c spliceCase, length float64) {
	ctx := t.Context()
	probe, err := ffmpeg.FindProbe(bin)
	if err != nil {
		t.Fatal(err)
	}
	info, err := probeAudio(ctx, probe, src)
	if err != nil {
		t.Fatal(err)
	}
	codec := codecOf(c.codec)
	el := filepath.Join(t.TempDir(), "el"+codec.ext)
	ffmpegOut(t, append([]string{"-v", "error", "-i", "file:" + src, "-map", "0:a:0", "-c:a", "copy"}, append(codec.format, el)...)...)
	s := elementaryFrames(t, src, c.codec)
	d := time.Duration(length * float64(time.Second))
	a := &audioPlan{Loop: c.loop, Length: d, FadeOut: min(audioFadeOut, d/4), Splice: &info}
	l, err := layOut(ctx, bin, el, s, a, codec) // as the render laid it out
	if err != nil {
		t.Fatal(err)
	}
	decoded := map[int][]float32{}
	if err := decodeFrames(ctx, ffmpegBin, el, s, func(i int, f []float32) { decoded[i] = append([]float32(nil), f...) }); err != nil {
		t.Fatal(err)
	}
	want, err := l.Signal(0, l.Want.Samples, 2, decoded)
	if err != nil {
		t.Fatal(err)
	}
	got := stereoFloats(t, out)
	worst, at := math.Inf(1), 0
	for j := 1; (j+1)*l.N*2 <= min(len(want), len(got)); j++ {
		var sig, noise float64
		for k := j * l.N * 2; k < (j+1)*l.N*2; k++ {
			sig += float64(want[k]) * float64(want[k])
			noise += float64(got[k]-want[k]) * float64(got[k]-want[k])
		}
		if sig < 1e-3*float64(l.N) {
			continue // the faded end: too quiet to compare
		}
		if snr := 10 * math.Log10(sig/max(noise, 1e-12)); snr < worst {
			worst, at = snr, j
		}
	}
	t.Logf("worst frame against the plan: %.1f dB, frame %d (%.3f s); loop of source frames [%d, %d)", worst, at, float64(at*l.N)/float64(c.rate), l.A, l.B)
	if worst < minJoinSNR {
		t.Errorf("frame %d (%.3f s) is %.1f dB from the planned signal, want at least %d dB", at, float64(at*l.N)/float64(c.rate), worst, minJoinSNR)
	}
}

// decodeErrors decodes path's audio and returns what the decoder
// complained of: a frame that takes main data from a frame that is not
// there, a damaged frame.
func decodeErrors(t testing.TB, path string) string {
	t.Helper()
	out, err := exec.Command(ffmpegBin, "-v", "error", "-i", "file:"+path, "-map", "0:a:0", "-f", "null", "-").CombinedOutput()
	if err != nil {
		t.Fatalf("decoding %s: %v\n%s", filepath.Base(path), err, out)
	}
	return string(out)
}

// checkNoGapNoClick compares the decoded output with the decoded source:
// no longer near-silence (over 1 ms) and no larger jump from one sample
// to the next than the source's own, and a fade-out at the end.
func checkNoGapNoClick(t *testing.T, src, out string, c spliceCase) {
	in, pcm := stereoFloats(t, src), stereoFloats(t, out)
	edge := c.rate / 10 // the priming and padding at either end
	srcQuiet := longestQuiet(in, edge, len(in)/2-edge)
	srcJump, _ := largestStep(in, edge, len(in)/2-edge)
	fadeAt := int((c.length - audioFadeOut).Seconds() * float64(c.rate))
	outQuiet := longestQuiet(pcm, edge, fadeAt)
	outJump, at := largestStep(pcm, edge, len(pcm)/2)
	t.Logf("longest near-silence %.3f ms (source %.3f ms); largest jump %.4f at %.4f s (source %.4f)",
		ms(outQuiet, c.rate), ms(srcQuiet, c.rate), outJump, float64(at)/float64(c.rate), srcJump)
	if outQuiet > max(srcQuiet, c.rate/1000) {
		t.Errorf("a gap of %.3f ms in the output, the source's longest is %.3f ms", ms(outQuiet, c.rate), ms(srcQuiet, c.rate))
	}
	if outJump > srcJump*clickTolerance {
		t.Errorf("a click: a jump of %.4f at %.4f s, the source's largest is %.4f", outJump, float64(at)/float64(c.rate), srcJump)
	}
	mono := make([]float64, len(pcm)/2)
	for i := range mono {
		mono[i] = float64(pcm[2*i])
	}
	end := c.length.Seconds()
	if full, last := loudness(mono, c.rate, end-4, end-3.5), loudness(mono, c.rate, end-0.1, end); full < 0.1 || last > full/5 {
		t.Errorf("rms %.3f before the fade and %.3f in the last 0.1 s: no fade-out", full, last)
	}
}

func ms(samples, rate int) float64 { return 1000 * float64(samples) / float64(rate) }

// checkSplices checks each case in parallel with ffmpeg at bin.
func checkSplices(t *testing.T, cases []spliceCase, bin string) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			checkSplice(t, bin, c)
		})
	}
}

// TestLoopByCopy: mp3 and AAC at 44.1 and 48 kHz, looped into MP4 and
// MKV, are copied frame for frame but for the joins and the fade,
// without a gap or a click at any join.
func TestLoopByCopy(t *testing.T) {
	needFFmpeg(t)
	checkSplices(t, []spliceCase{
		{"mp3 44.1k", "mp3", 44100, 5.5, 20 * time.Second, true, ".mp4", ""},
		{"mp3 48k", "mp3", 48000, 6.3, 19 * time.Second, true, ".mkv", ""},
		{"aac 44.1k", "aac", 44100, 6.1, 20 * time.Second, true, ".mp4", ""},
		{"aac 48k", "aac", 48000, 5.2, 21 * time.Second, true, ".mov", ""},
		{"raw aac: no gapless tags", "aac", 44100, 5.7, 18 * time.Second, true, ".mp4", ".aac"},
	}, ffmpegBin)
}

// TestCutByCopy: a duration shorter than the audio copies it up to the
// fade, and encodes only that.
func TestCutByCopy(t *testing.T) {
	needFFmpeg(t)
	checkSplices(t, []spliceCase{
		{"mp3", "mp3", 44100, 9, 6 * time.Second, false, ".mp4", ""},
		{"aac", "aac", 48000, 9, 5500 * time.Millisecond, false, ".mp4", ""},
	}, ffmpegBin)
}

// TestFFmpeg41LoopByCopy: the same with ffmpeg 4.1 and its encoders.
func TestFFmpeg41LoopByCopy(t *testing.T) {
	bin := FFmpeg41(t)
	needFFmpeg(t)
	checkSplices(t, []spliceCase{
		{"mp3 loop", "mp3", 44100, 5.5, 17 * time.Second, true, ".mp4", ""},
		{"aac loop", "aac", 48000, 6.1, 17 * time.Second, true, ".mp4", ""},
		{"aac cut", "aac", 44100, 9, 6 * time.Second, false, ".mkv", ""},
	}, bin)
}
