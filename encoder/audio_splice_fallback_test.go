package encoder

import (
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestSpliceFallsBack: what cannot be spliced by copy is encoded to AAC
// as before, looped and faded: a WAV source, and an mp3 when ffmpeg has
// no mp3 encoder for the joins.
func TestSpliceFallsBack(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	noLame := filepath.Join(dir, "bin", "ffmpeg")
	if err := os.MkdirAll(filepath.Dir(noLame), 0o755); err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\ncase \" $* \" in *\" -encoders \"*) '" + ffmpegBin + "' \"$@\" | grep -v libmp3lame; exit 0 ;; esac\nexec '" + ffmpegBin + "' \"$@\"\n"
	if err := os.WriteFile(noLame, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(ffprobeBin, filepath.Join(dir, "bin", "ffprobe")); err != nil {
		t.Fatal(err)
	}
	img := writePNG(t, dir, "pic.png", solidImage(64, 36, tRed))
	for _, tt := range []struct {
		name, src, bin string
	}{
		{"wav", loudSource(t, dir, "src.wav", 44100, 3), ffmpegBin},
		{"mp3 without an mp3 encoder", loudSource(t, dir, "src.mp3", 44100, 3, "-c:a", "libmp3lame"), noLame},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := testSettings(img, filepath.Join(t.TempDir(), "v.mp4"))
			s.Audio, s.LoopAudio, s.Duration, s.FFmpeg = []string{tt.src}, true, 8*time.Second, tt.bin
			renderOK(t, s)
			if a := probeAV(t, s.Output).stream(t, "audio"); a.CodecName != "aac" {
				t.Errorf("audio %s, want AAC, encoded as before", a.CodecName)
			}
			pcm := pcmOf(t, s.Output, 8000)
			if got := float64(len(pcm)) / 8000; math.Abs(got-8) > 0.05 {
				t.Errorf("%.3f s of audio beside 8 s of video", got)
			}
			if first, later, end := loudness(pcm, 8000, 0.5, 2.5), loudness(pcm, 8000, 3.5, 4.5), loudness(pcm, 8000, 7.9, 8); later < first/2 || end > first/5 {
				t.Errorf("rms %.3f, %.3f after the first round and %.3f at the end: not looped and faded", first, later, end)
			}
		})
	}
}
