//go:build linux

package encoder_test

import (
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder"
)

// BenchmarkSongWAV1h1080p25 renders an hour-long song video from a WAV
// master into MP4: the 1080p sample and an hour of the tests' musical
// source (tones with envelopes, noise bursts, stereo, 44.1 kHz), whose
// AAC is encoded ahead in parallel chunks beside the picture. Beside it
// in the same invocation: the hour of the picture without audio, and
// the single-run AAC encode a render made before (one ffmpeg, -c:a aac
// at the same 256k) of ten minutes of the same WAV, scaled by six;
// today-est-s is the two added, as the single run followed the
// picture's encode. The quality is segmental SNR (see
// aac_quality_test.go) of the ten minutes around the chunks' join,
// ours against the source and the single run's against the source. On
// a machine others load, parallel chunks gain little wall time, so the
// CPU time of each side (this process and the ffmpegs it waited for)
// is reported too: with the chunks on free cores, the audio's wall time
// is about its CPU time over the cores.
func BenchmarkSongWAV1h1080p25(b *testing.B) {
	img := benchSample(b)
	dir := filepath.Dir(img)
	wav := filepath.Join(b.TempDir(), "master.wav")
	encoder.MakeMusic(b, "ffmpeg", wav, 3600)
	const from, window = 1500, 600 // 25:00 to 35:00, the join at 30:00 in the middle
	_, part := benchRecipe(b, "-ss", strconv.Itoa(from), "-t", strconv.Itoa(window), "-i", wav, "-c:a", "pcm_s16le", "-f", "wav")
	var ours, silent, single, oursCPU, todayCPU time.Duration
	var out, singleOut string
	for range b.N {
		for round := range benchRounds {
			s := encoder.DefaultSettings()
			s.Images, s.Size, s.Audio, s.Duration, s.Force = encoder.SlidesOf(img), encoder.NamedSizes()[2], []string{wav}, 0, true
			s.Output = filepath.Join(dir, "song.mp4")
			cpu := cpuTime(b)
			ours, out = best(ours, timedJob(b, s), round), s.Output
			oursCPU = best(oursCPU, cpuTime(b)-cpu, round)
			cpu = cpuTime(b)
			d, _ := benchRender(b, img, time.Hour, false, "")
			silent = best(silent, d, round)
			silentCPU := cpuTime(b) - cpu
			cpu = cpuTime(b)
			d, singleOut = benchRecipe(b, "-i", part, "-c:a", "aac", "-b:a", "256k", "-f", "mp4")
			single = best(single, d*6, round)
			todayCPU = best(todayCPU, silentCPU+6*(cpuTime(b)-cpu), round)
		}
	}
	source := encoder.StereoPCM(b, part, 44100)
	oursSNR, _ := encoder.AlignedSNR(source, windowPCM(b, out, from, window), 2, 44100)
	singleSNR, _ := encoder.AlignedSNR(source, encoder.StereoPCM(b, singleOut, 44100), 2, 44100)
	b.ReportMetric(ours.Seconds(), "song-s")
	b.ReportMetric(silent.Seconds(), "silent-s")
	b.ReportMetric(single.Seconds(), "single-run-aac-est-s")
	b.ReportMetric((silent + single).Seconds(), "today-est-s")
	b.ReportMetric((silent+single).Seconds()/ours.Seconds(), "speedup")
	b.ReportMetric(oursCPU.Seconds(), "song-cpu-s")
	b.ReportMetric(todayCPU.Seconds(), "today-est-cpu-s")
	b.ReportMetric(oursSNR, "segSNR-dB")
	b.ReportMetric(singleSNR, "single-segSNR-dB")
	b.ReportMetric(0, "ns/op")
}

// windowPCM decodes seconds from at of path's audio, stereo, 44.1 kHz.
func windowPCM(b *testing.B, path string, at, seconds int) []int16 {
	_, clip := benchRecipe(b, "-ss", strconv.Itoa(at), "-t", strconv.Itoa(seconds), "-i", path, "-map", "0:a:0", "-ac", "2", "-ar", "44100", "-c:a", "pcm_s16le", "-f", "wav")
	return encoder.StereoPCM(b, clip, 44100)
}

// cpuTime is the CPU time of this process and of the children it has
// waited for.
func cpuTime(b *testing.B) time.Duration {
	var self, children syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &self); err != nil {
		b.Fatal(err)
	}
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children); err != nil {
		b.Fatal(err)
	}
	var d time.Duration
	for _, r := range []syscall.Rusage{self, children} {
		d += time.Duration(r.Utime.Nano() + r.Stime.Nano())
	}
	return d
}
