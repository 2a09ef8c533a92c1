package encoder

import (
	"context"
	"encoding/binary"
	"math"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Segmental SNR, the measure of the chunked AAC's quality: the source and
// the decoded audio, both as 16-bit PCM of every channel at the source's
// rate, aligned (the MP4's edit list skips the encoder's priming; the
// decoded audio is searched ±priming for the lag that fits best), are cut
// into segments of snrSegment; each segment's SNR is 10·log10(Σ source² /
// Σ (source − decoded)²) in dB, clamped to [snrFloor, snrCeil] (a silent
// or exact segment gives the ceiling, so no segment weighs infinitely);
// the measure is the mean over all segments of all channels.
const (
	snrSegment = 20 * time.Millisecond
	snrFloor   = -10.0
	snrCeil    = 60.0
)

// segmentalSNR measures decoded against source, channel by channel
// (interleaved samples of channels), at rate, with decoded shifted by lag
// samples.
func segmentalSNR(source, decoded []int16, channels, rate, lag int) float64 {
	seg := int(snrSegment.Seconds() * float64(rate))
	frames := min(len(source), len(decoded)-lag*channels) / channels
	var sum float64
	n := 0
	for c := range channels {
		for from := 0; from+seg <= frames; from += seg {
			var sig, noise float64
			for i := from; i < from+seg; i++ {
				s := float64(source[i*channels+c])
				d := float64(decoded[(i+lag)*channels+c])
				sig += s * s
				noise += (s - d) * (s - d)
			}
			snr := snrCeil
			if noise > 0 && sig > 0 {
				snr = min(snrCeil, max(snrFloor, 10*math.Log10(sig/noise)))
			} else if sig == 0 && noise > 0 {
				snr = snrFloor
			}
			sum += snr
			n++
		}
	}
	return sum / float64(max(1, n))
}

// alignedSNR is segmentalSNR at the lag in [0, aacFrameSamples] that fits
// best, and that lag.
func alignedSNR(source, decoded []int16, channels, rate int) (float64, int) {
	best, at := math.Inf(-1), 0
	for lag := 0; lag <= aacFrameSamples; lag++ {
		if len(decoded) < lag*channels {
			break
		}
		// A coarse look first: the full measure costs a pass per lag.
		if lag > 0 && lag < aacFrameSamples && quickError(source, decoded, channels, lag) > quickError(source, decoded, channels, at)*4 {
			continue
		}
		if snr := segmentalSNR(source, decoded, channels, rate, lag); snr > best {
			best, at = snr, lag
		}
	}
	return best, at
}

// quickError is the squared difference over the first second, at lag.
func quickError(source, decoded []int16, channels, lag int) float64 {
	var e float64
	for i := 0; i < min(44100*channels, len(source), len(decoded)-lag*channels); i++ {
		d := float64(source[i]) - float64(decoded[i+lag*channels])
		e += d * d
	}
	return e
}

// largestJump is the largest step between neighbouring samples of one
// channel in samples[from:to) (frames).
func largestJump(samples []int16, channels, from, to int) int {
	m := 0
	for i := max(1, from); i < min(to, len(samples)/channels); i++ {
		for c := range channels {
			d := int(samples[i*channels+c]) - int(samples[(i-1)*channels+c])
			m = max(m, d, -d)
		}
	}
	return m
}

// stereoPCM decodes path to interleaved stereo 16-bit samples at rate.
func stereoPCM(t testing.TB, path string, rate int) []int16 {
	t.Helper()
	raw := ffmpegOut(t, "-v", "error", "-i", "file:"+path, "-map", "0:a:0", "-ac", "2", "-ar", strconv.Itoa(rate), "-f", "s16le", "-")
	out := make([]int16, len(raw)/2)
	for i := range out {
		out[i] = int16(binary.LittleEndian.Uint16(raw[2*i:]))
	}
	return out
}

// musicExpr is a stereo "musical" source for aevalsrc: held and plucked
// tones with envelopes, high partials, bursts of noise and a noise floor,
// different on each side. Its tones repeat every second, so a minute of
// it can be looped without a jump.
const musicExpr = "0.15*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*0.5*t))+0.1*sin(2*PI*330*t)*exp(-4*mod(t,0.5))+0.08*sin(2*PI*523*t)*exp(-3*mod(t+0.25,1))+0.08*sin(2*PI*1760*t)*exp(-8*mod(t,0.25))+0.05*sin(2*PI*5274*t)*exp(-6*mod(t,0.75))+0.15*(random(0)-0.5)*exp(-12*mod(t,0.5))+0.03*(random(2)-0.5)" +
	"|0.15*sin(2*PI*277*t)*(0.6+0.4*sin(2*PI*0.25*t))+0.1*sin(2*PI*440*t)*exp(-4*mod(t+0.125,0.5))+0.08*sin(2*PI*659*t)*exp(-3*mod(t,1))+0.06*sin(2*PI*3520*t)*exp(-10*mod(t,0.125))+0.05*sin(2*PI*7040*t)*exp(-6*mod(t+0.5,0.75))+0.15*(random(1)-0.5)*exp(-12*mod(t+0.25,0.5))+0.03*(random(3)-0.5)"

// makeMusic writes seconds of musicExpr, stereo, 44.1 kHz, as a WAV file
// at path: a minute at most is computed, and repeated.
func makeMusic(t testing.TB, bin, path string, seconds int) {
	t.Helper()
	minute := path + ".minute.wav"
	args := [][]string{
		{"-v", "error", "-f", "lavfi", "-i", "aevalsrc='" + musicExpr + "':s=44100:d=" + strconv.Itoa(min(60, seconds)), "-c:a", "pcm_s16le", "-y", minute},
		{"-v", "error", "-stream_loop", "-1", "-i", minute, "-t", strconv.Itoa(seconds), "-metadata", "title=Lossless", "-y", path},
	}
	for _, a := range args {
		if out, err := exec.Command(bin, a...).CombinedOutput(); err != nil {
			t.Fatalf("making %s: %v\n%s", path, err, out)
		}
	}
}

// TestChunkedAACMatchesOneRun encodes 75 s of a musical WAV as AAC in
// three chunks, joined, and in one run as a render did before; the
// chunked one is as long, in step, within 0.5 dB of segmental SNR of the
// one run, and no join jumps further than the source does anywhere.
func TestChunkedAACMatchesOneRun(t *testing.T) {
	needFFmpeg(t)
	checkChunkedAAC(t, ffmpegBin, limits{}, 75*time.Second, false)
}

// TestChunkedAACJoinedCutAndPadded makes the same checks on the source
// in two files, joined, and cut with a fade-out, or followed by silence:
// against the source as the filters make it.
func TestChunkedAACJoinedCutAndPadded(t *testing.T) {
	needFFmpeg(t)
	for _, length := range []time.Duration{70 * time.Second, 85 * time.Second} {
		t.Run(length.String(), func(t *testing.T) { checkChunkedAAC(t, ffmpegBin, limits{}, length, true) })
	}
}

// TestChunkedAACFFmpeg41 makes the same checks with ffmpeg 4.1, which
// has no setts: the joined audio ends on a whole frame, under one frame
// longer than the single run's.
func TestChunkedAACFFmpeg41(t *testing.T) {
	checkChunkedAAC(t, FFmpeg41(t), oldestLimits(), 75*time.Second, false)
}

// checkChunkedAAC encodes 75 s of music, in two files when split, made
// into audio of length, in three chunks and in one run, and compares
// both with the audio the filters make.
func checkChunkedAAC(t *testing.T, bin string, lim limits, length time.Duration, split bool) {
	dir := t.TempDir()
	src := filepath.Join(dir, "music.wav")
	const secs, rate = 75, 44100
	makeMusic(t, ffmpegBin, src, secs)
	tracks := []AudioInfo{{Path: src, Codec: "pcm_s16le", SampleRate: rate, Channels: 2, Duration: secs * time.Second}}
	if split {
		tracks = nil
		for i, cut := range [][2]string{{"0", "40"}, {"40", "35"}} {
			path := filepath.Join(dir, strconv.Itoa(i)+".wav")
			ffmpegOut(t, "-v", "error", "-ss", cut[0], "-t", cut[1], "-i", src, "-y", path)
			d, _ := strconv.Atoi(cut[1])
			tracks = append(tracks, AudioInfo{Path: path, Codec: "pcm_s16le", SampleRate: rate, Channels: 2, Duration: time.Duration(d) * time.Second})
		}
	}
	plan := planAudio(tracks, length, false, Containers()[0], 25)
	e := aacPlan{Chunks: planAACChunks(length, rate, 3, 20*time.Second), Rate: rate, Samples: samplesIn(length, rate)}
	if len(e.Chunks) != 3 {
		t.Fatalf("%d chunks, want 3", len(e.Chunks))
	}
	if split {
		ref := filepath.Join(dir, "made.wav") // the source as the filters make it
		ffmpegOut(t, append(append([]string{"-v", "error"}, plan.inputArgs()...), "-filter_complex", plan.chain(0)+"[audio]", "-map", "[audio]", "-t", seconds(length), "-c:a", "pcm_s16le", "-y", ref)...)
		src = ref
	}
	chunked, single := filepath.Join(dir, "chunked.m4a"), filepath.Join(dir, "single.m4a")
	began := time.Now()
	if err := encodeAAC(context.Background(), bin, dir, plan, e, chunked, lim, func(time.Duration) {}); err != nil {
		t.Fatal(err)
	}
	t.Logf("chunked encode: %s", time.Since(began).Round(time.Millisecond))
	args := append(append([]string{"-v", "error"}, plan.inputArgs()...), "-filter_complex", plan.chain(0)+"[audio]", "-map", "[audio]")
	args = append(args, plan.codecArgs()...)
	if out, err := exec.Command(bin, append(args, "-t", seconds(plan.Length), "-f", "mp4", "-y", single)...).CombinedOutput(); err != nil {
		t.Fatalf("the single run: %v\n%s", err, out)
	}

	for _, f := range []string{chunked, single} {
		p := probeAV(t, f)
		t.Logf("%s: %s s", filepath.Base(f), p.stream(t, "audio").Duration)
	}
	a, b := probeAV(t, chunked).stream(t, "audio").Duration, probeAV(t, single).stream(t, "audio").Duration
	if over := secondsOf(t, a) - secondsOf(t, b); a != b && (!lim.NoSetts || over < 0 || over*rate >= aacFrameSamples) {
		t.Errorf("the chunked audio lasts %s s, the single run %s s", a, b)
	}
	source, c, s := stereoPCM(t, src, rate), stereoPCM(t, chunked, rate), stereoPCM(t, single, rate)
	if len(c) != len(s) {
		t.Errorf("the chunked audio decodes to %d samples, the single run to %d", len(c)/2, len(s)/2)
	}
	snrC, lagC := alignedSNR(source, c, 2, rate)
	snrS, lagS := alignedSNR(source, s, 2, rate)
	t.Logf("segmental SNR: chunked %.2f dB (lag %d), single run %.2f dB (lag %d)", snrC, lagC, snrS, lagS)
	if lagC != lagS || lagC != 0 {
		t.Errorf("lag %d chunked, %d single run: want both 0 (the edit list skips the priming)", lagC, lagS)
	}
	if snrC < snrS-0.5 {
		t.Errorf("segmental SNR %.2f dB chunked, %.2f dB single run: more than 0.5 dB worse", snrC, snrS)
	}
	own := largestJump(source, 2, 0, len(source)/2)
	for _, ch := range e.Chunks[1:] {
		at := int(ch.From)
		if j := largestJump(c, 2, at-aacFrameSamples, at+aacFrameSamples); j > own {
			t.Errorf("a jump of %d at the join at sample %d; the source's largest is %d", j, at, own)
		}
	}
}
