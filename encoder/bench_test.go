//go:build linux

package encoder_test

// Benchmarks run with `make bench`. Each compares Stillcast with the plain
// ffmpeg recipe in the same invocation, so the ratio holds on a noisy
// machine even when the absolute seconds do not.

import (
	"bufio"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/encoder/internal/imgtest"
	"github.com/stillcast/stillcast/encoder/picture"
	"github.com/stillcast/stillcast/encoder/rtmptest"
	"github.com/stillcast/stillcast/resources"
)

// benchRounds runs each side this many times, alternating, and keeps the
// best of each: the least disturbed run is the fairest.
const benchRounds = 2

// BenchmarkRender1080p60s renders the 1080p sample to 60 s of video by
// the per-frame path (every frame through the pipe and the encoder) and by
// the still path, beside the recipe `ffmpeg -loop 1 … -t 60` with the same
// preset and CRF. speedup is recipe ÷ per-frame path: the pipe's own cost.
func BenchmarkRender1080p60s(b *testing.B) {
	img := benchSample(b)
	def := encoder.DefaultSettings()
	var perFrame, still, recipe time.Duration
	for range b.N {
		for round := range benchRounds {
			d, _ := benchRender(b, img, time.Minute, true, def.Preset)
			perFrame = best(perFrame, d, round)
			d, _ = benchRender(b, img, time.Minute, false, def.Preset)
			still = best(still, d, round)
			d, _ = benchRecipe(b, "-loop", "1", "-framerate", "25", "-i", img, "-t", "60",
				"-c:v", "libx264", "-preset", def.Preset, "-crf", strconv.Itoa(def.CRF), "-pix_fmt", "yuv420p")
			recipe = best(recipe, d, round)
		}
	}
	b.ReportMetric(perFrame.Seconds(), "perframe-s")
	b.ReportMetric(still.Seconds(), "stillpath-s")
	b.ReportMetric(recipe.Seconds(), "recipe-s")
	b.ReportMetric(recipe.Seconds()/perFrame.Seconds(), "speedup")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkStill10min1080p25 renders 10 minutes of the 1080p sample by the
// still path beside the recipe with the file defaults a careful user would
// type, and compares time, size and the picture (SSIM of one frame).
func BenchmarkStill10min1080p25(b *testing.B) {
	img := benchSample(b)
	var ours, recipe time.Duration
	var oursOut, recipeOut string
	for range b.N {
		for round := range benchRounds {
			d, out := benchRender(b, img, 10*time.Minute, false, "")
			ours, oursOut = best(ours, d, round), out
		}
		recipe, recipeOut = benchRecipe(b, "-loop", "1", "-framerate", "25", "-i", img, "-t", "600",
			"-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "20",
			"-pix_fmt", "yuv420p", "-movflags", "+faststart")
	}
	b.ReportMetric(ours.Seconds(), "stillcast-s")
	b.ReportMetric(recipe.Seconds(), "recipe-s")
	b.ReportMetric(recipe.Seconds()/ours.Seconds(), "speedup")
	b.ReportMetric(float64(fileSize(b, oursOut))/float64(fileSize(b, recipeOut)), "size-ratio")
	b.ReportMetric(ssimAt(b, oursOut, recipeOut, "300"), "SSIM")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkStill1h1080p25 renders an hour of the 1080p sample.
func BenchmarkStill1h1080p25(b *testing.B) {
	img := benchSample(b)
	var ours time.Duration
	for range b.N {
		for round := range benchRounds {
			d, _ := benchRender(b, img, time.Hour, false, "")
			ours = best(ours, d, round)
		}
	}
	b.ReportMetric(ours.Seconds(), "stillcast-s")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkStill10h1080p25 renders ten silent hours of the 1080p sample
// by the still path as it is now (the segment written over and over by
// the Go writer, encoder/mp4file) and reports its time, size and frame
// count, and the SSIM of one frame against the recipe's 10-minute output.
// Beside it in the same invocation: the concat path it replaced (ffmpeg's
// concat demuxer, forced by encoder.WithConcatPath) on one hour, scaled
// ×10 (the real thing takes minutes), with its SSIM; the recipe's 10
// minutes scaled ×60; and a plain `ffmpeg -i … -c copy` of the 10-hour
// file, which is what the remux that adds audio or a cover costs.
func BenchmarkStill10h1080p25(b *testing.B) {
	img := benchSample(b)
	var ours, concat, recipe, remux time.Duration
	var oursOut, concatOut, recipeOut string
	for range b.N {
		recipe, recipeOut = benchRecipe(b, "-loop", "1", "-framerate", "25", "-i", img, "-t", "600",
			"-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "20",
			"-pix_fmt", "yuv420p", "-movflags", "+faststart")
		for round := range benchRounds {
			d, out := benchRender(b, img, 10*time.Hour, false, "")
			ours, oursOut = best(ours, d, round), out
		}
		s := encoder.DefaultSettings()
		s.Images, s.Size, s.Duration, s.Force = encoder.SlidesOf(img), encoder.NamedSizes()[2], time.Hour, true
		s.Output = filepath.Join(b.TempDir(), "concat.mp4")
		concat, concatOut = timedJob(b, encoder.WithConcatPath(s)), s.Output
		remux, _ = benchRecipe(b, "-i", oursOut, "-c", "copy", "-movflags", "+faststart")
	}
	packets, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
		"-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", oursOut).Output()
	if err != nil {
		b.Fatal(err)
	}
	if n, _ := strconv.Atoi(strings.TrimSpace(string(packets))); n != 900_000 {
		b.Fatalf("%d frames in ten hours, want 900000", n)
	}
	b.ReportMetric(ours.Seconds(), "stillcast-s")
	b.ReportMetric(float64(fileSize(b, oursOut))/1e6, "size-MB")
	b.ReportMetric(ssimAt(b, oursOut, recipeOut, "300"), "SSIM")
	b.ReportMetric(concat.Seconds()*10, "concat-1h-x10-s")
	b.ReportMetric(float64(fileSize(b, concatOut))*10/1e6, "concat-1h-x10-MB")
	b.ReportMetric(ssimAt(b, concatOut, recipeOut, "300"), "concat-SSIM")
	b.ReportMetric(recipe.Seconds()*60, "recipe-10min-x60-s")
	b.ReportMetric(concat.Seconds()*10/ours.Seconds(), "speedup-vs-concat")
	b.ReportMetric(remux.Seconds(), "remux-10h-s")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkSong1h1080p25 renders an hour-long song video: the 1080p
// sample as the picture and an hour of mp3, which is copied into the MP4
// with the picture as cover art. Beside it in the same invocation: an
// hour of the picture without audio (so the ratio is the cost of the
// audio), and the usual blog command for a song video
// (`ffmpeg -loop 1 -i cover -i song -c:v libx264 -tune stillimage -c:a
// copy -shortest`) on the first two minutes, scaled up to the hour, since
// the real thing takes most of an hour on this machine. It also reports
// how far apart audio and video end.
func BenchmarkSong1h1080p25(b *testing.B) {
	img := benchSample(b)
	song := benchHourMP3(b)
	var withAudio, silent, recipe time.Duration
	var out string
	for range b.N {
		for round := range benchRounds {
			s := encoder.DefaultSettings()
			s.Images, s.Size, s.Audio, s.Duration, s.Force = encoder.SlidesOf(img), encoder.NamedSizes()[2], []string{song}, 0, true
			s.Output = filepath.Join(filepath.Dir(img), "song.mp4")
			withAudio, out = best(withAudio, timedJob(b, s), round), s.Output
			d, _ := benchRender(b, img, time.Hour, false, "")
			silent = best(silent, d, round)
		}
		d, _ := benchRecipe(b, "-loop", "1", "-framerate", "25", "-i", img, "-t", "120", "-i", song,
			"-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "20", "-pix_fmt", "yuv420p",
			"-vf", "scale=1920:1080", "-c:a", "copy", "-shortest", "-movflags", "+faststart")
		recipe = d * 30
	}
	durations, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,duration", "-of", "csv=p=0", out).Output()
	if err != nil {
		b.Fatal(err)
	}
	var v, a float64
	for _, line := range strings.Split(strings.TrimSpace(string(durations)), "\n") {
		kind, secs, _ := strings.Cut(line, ",")
		f, _ := strconv.ParseFloat(secs, 64)
		switch {
		case kind == "video" && v == 0:
			v = f
		case kind == "audio":
			a = f
		}
	}
	b.ReportMetric(withAudio.Seconds(), "song-s")
	b.ReportMetric(silent.Seconds(), "silent-s")
	b.ReportMetric(withAudio.Seconds()/silent.Seconds(), "audio-cost")
	b.ReportMetric(recipe.Seconds(), "recipe-est-s")
	b.ReportMetric(recipe.Seconds()/withAudio.Seconds(), "speedup")
	b.ReportMetric((a-v)*1000, "av-end-ms")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkSlideshow1080p25 renders a 1080p slideshow of three images
// with 1 s crossfades over a song's three minutes, by the still path (each
// image's segment encoded once and copied, the crossfades encoded) and by
// the per-frame path. The same images with the Ken Burns zoom are
// BenchmarkKenBurns1min1080p25.
func BenchmarkSlideshow1080p25(b *testing.B) {
	img := benchSample(b)
	images := benchSlides(b, img)
	render := func(d time.Duration, perFrame bool) time.Duration {
		s := encoder.DefaultSettings()
		s.Images, s.Size, s.Duration, s.Force = encoder.SlidesOf(images...), encoder.NamedSizes()[2], d, true
		s.NoFastPath = perFrame
		s.Output = filepath.Join(filepath.Dir(img), "slides.mp4")
		return timedJob(b, s)
	}
	var still, perFrame time.Duration
	for range b.N {
		for round := range benchRounds {
			still = best(still, render(3*time.Minute, false), round)
			perFrame = best(perFrame, render(3*time.Minute, true), round)
		}
	}
	b.ReportMetric(still.Seconds(), "still-3min-s")
	b.ReportMetric(perFrame.Seconds(), "perframe-3min-s")
	b.ReportMetric(perFrame.Seconds()/still.Seconds(), "speedup")
	b.ReportMetric(0, "ns/op")
}

// benchHourMP3 writes an hour of stereo 192k mp3: a minute of CBR frames
// without a header, repeated; mp3 frames stand on their own.
func benchHourMP3(b *testing.B) string {
	dir := b.TempDir()
	minute := filepath.Join(dir, "minute.mp3")
	if msg, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=330:duration=60", "-ac", "2",
		"-c:a", "libmp3lame", "-b:a", "192k", "-ar", "44100", "-write_xing", "0", "-id3v2_version", "0", "-y", minute).CombinedOutput(); err != nil {
		b.Fatalf("making the song: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(minute)
	if err != nil {
		b.Fatal(err)
	}
	song := filepath.Join(dir, "hour.mp3")
	f, err := os.Create(song)
	if err != nil {
		b.Fatal(err)
	}
	for range 60 {
		if _, err := f.Write(data); err != nil {
			b.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return song
}

// BenchmarkPerFrameVsSeed compares the per-frame path with the original
// recipe this project started from: bgr24 frames written into a FIFO read
// by `ffmpeg -f rawvideo -pix_fmt bgr24 … -c:v libx264 -preset ultrafast
// -tune zerolatency -f flv`, at the same size, length and preset.
func BenchmarkPerFrameVsSeed(b *testing.B) {
	img := benchSample(b)
	const seconds = 20
	var ours, seed time.Duration
	for range b.N {
		for round := range benchRounds {
			d, _ := benchRender(b, img, seconds*time.Second, true, "ultrafast")
			ours = best(ours, d, round)
			seed = best(seed, seedRecipe(b, img, seconds*25), round)
		}
	}
	b.ReportMetric(ours.Seconds(), "perframe-s")
	b.ReportMetric(seed.Seconds(), "seed-s")
	b.ReportMetric(seed.Seconds()/ours.Seconds(), "speedup")
	b.ReportMetric(0, "ns/op")
}

func benchSample(b *testing.B) string {
	img := filepath.Join(b.TempDir(), "sample.jpg")
	if err := os.WriteFile(img, resources.SampleImage(), 0o644); err != nil {
		b.Fatal(err)
	}
	return img
}

// benchRender renders img at 1080p25 and returns the wall time and the
// output path. An empty preset keeps the default.
func benchRender(b *testing.B, img string, d time.Duration, perFrame bool, preset string) (time.Duration, string) {
	s := encoder.DefaultSettings()
	s.Images, s.Size, s.Duration, s.Force, s.NoFastPath = encoder.SlidesOf(img), encoder.NamedSizes()[2], d, true, perFrame
	if preset != "" {
		s.Preset = preset
	}
	s.Output = filepath.Join(filepath.Dir(img), "ours.mp4")
	return timedJob(b, s), s.Output
}

// timedJob runs a job to its end and returns its wall time.
func timedJob(b *testing.B, s encoder.Settings) time.Duration {
	start := time.Now()
	job, err := encoder.Start(context.Background(), s)
	if err != nil {
		b.Fatal(err)
	}
	if err := job.Wait(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// benchRecipe runs ffmpeg with args and an output beside the sample.
func benchRecipe(b *testing.B, args ...string) (time.Duration, string) {
	out := filepath.Join(b.TempDir(), "recipe.mp4")
	start := time.Now()
	cmd := exec.Command("ffmpeg", append(append([]string{"-v", "error", "-y"}, args...), out)...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("recipe: %v\n%s", err, msg)
	}
	return time.Since(start), out
}

// seedRecipe is the original Python recipe in Go: the image as bgr24 bytes,
// written frames times into a FIFO that ffmpeg encodes to FLV.
func seedRecipe(b *testing.B, img string, frames int) time.Duration {
	dir := b.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		b.Fatal(err)
	}
	src, err := picture.Load(img)
	if err != nil {
		b.Fatal(err)
	}
	canvas := picture.Compose(src, image.Pt(1920, 1080), picture.Letterbox, color.RGBA{A: 255})
	bgr := make([]byte, 0, 1920*1080*3)
	for i := 0; i < len(canvas.Pix); i += 4 {
		bgr = append(bgr, canvas.Pix[i+2], canvas.Pix[i+1], canvas.Pix[i])
	}
	start := time.Now()
	cmd := exec.Command("ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", "1920x1080",
		"-framerate", "25", "-i", fifo, "-c:v", "libx264", "-threads", "3", "-preset", "ultrafast", "-tune", "zerolatency",
		"-f", "flv", filepath.Join(dir, "seed.flv"))
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	for range frames {
		if _, err := w.Write(bgr); err != nil {
			b.Fatal(err)
		}
	}
	w.Close()
	if err := cmd.Wait(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

func fileSize(b *testing.B, path string) int64 {
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return info.Size()
}

// ssimAt compares one frame of two videos at the given second.
func ssimAt(b *testing.B, a, c, at string) float64 {
	return ssimOf(b, "-ss", at, "-i", a, "-ss", at, "-i", c, "-frames:v", "1")
}

// BenchmarkPeakRSS4K renders a 3840×2160 photo-like JPEG at its own size
// with the stillcast binary and reports the peak resident memory of that
// process alone (VmHWM), not of its ffmpeg child.
func BenchmarkPeakRSS4K(b *testing.B) {
	dir := b.TempDir()
	img := filepath.Join(dir, "big.jpg")
	writeNoisyJPEG(b, img, 3840, 2160)
	var peak int64
	for range b.N {
		peak = peakRSS(b, buildStillcast(b), "render", img, "-o", filepath.Join(dir, "out.mp4"), "--force",
			"--duration", "4s", "--preset", "ultrafast", "--progress", "plain")
	}
	b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkPeakRSS96MPOriented renders a 12000×8000 (96-megapixel)
// photo-like JPEG stored on its side (EXIF orientation 6, as phones
// write it) at 1080p, and reports the peak resident memory of stillcast.
func BenchmarkPeakRSS96MPOriented(b *testing.B) {
	dir := b.TempDir()
	raw := filepath.Join(dir, "raw.jpg")
	if out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=12000x8000:rate=1",
		"-vf", "noise=alls=24:allf=u,format=yuvj420p", "-frames:v", "1", "-q:v", "3", "-y", raw).CombinedOutput(); err != nil {
		b.Fatalf("making the photo: %v\n%s", err, out)
	}
	data, err := os.ReadFile(raw)
	if err != nil {
		b.Fatal(err)
	}
	img := filepath.Join(dir, "sideways.jpg")
	if err := os.WriteFile(img, imgtest.WithEXIF(data, 6, false), 0o644); err != nil {
		b.Fatal(err)
	}
	var peak int64
	for range b.N {
		peak = peakRSS(b, buildStillcast(b), "render", img, "-o", filepath.Join(dir, "out.mp4"), "--force",
			"--size", "1080p", "--duration", "4s", "--preset", "ultrafast", "--progress", "plain")
	}
	b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
	b.ReportMetric(0, "ns/op")
}

// buildStillcast builds the stillcast binary into a temporary folder.
func buildStillcast(b *testing.B) string {
	bin := filepath.Join(b.TempDir(), "stillcast")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/stillcast/stillcast").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// peakRSS runs bin with args to the end and returns its peak resident
// memory in KiB, polled every 20 ms.
func peakRSS(b *testing.B, bin string, args ...string) int64 {
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	status := "/proc/" + strconv.Itoa(cmd.Process.Pid) + "/status"
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var peak int64
	for {
		select {
		case err := <-done:
			if err != nil {
				b.Fatalf("%s %s: %v", bin, strings.Join(args, " "), err)
			}
			return peak
		case <-tick.C:
			peak = max(peak, vmHWM(status))
		}
	}
}

// vmHWM reads a process's peak resident set size in KiB.
func vmHWM(status string) int64 {
	f, err := os.Open(status)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}

// writeNoisyJPEG makes a gradient with noise, so the JPEG is as heavy to
// decode as a real photo.
func writeNoisyJPEG(b *testing.B, path string, w, h int) {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			n := uint8(rng.IntN(32))
			img.SetRGBA(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128 + n, 255})
		}
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
}

func best(cur, d time.Duration, round int) time.Duration {
	if round == 0 || d < cur {
		return d
	}
	return cur
}

// benchLiveSetup builds stillcast, makes a playlist of three mp3 tracks
// with title tags, and starts an nginx-rtmp with the applications given.
func benchLiveSetup(b *testing.B, apps ...string) (bin, music string, srv *rtmptest.Server) {
	music = b.TempDir()
	for i, f := range []string{"330", "440", "550"} {
		song := filepath.Join(music, strconv.Itoa(i+1)+".mp3")
		if out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency="+f+":duration=25", "-ac", "2",
			"-metadata", "artist=Bench", "-metadata", "title=Tone "+f,
			"-c:a", "libmp3lame", "-b:a", "192k", "-y", song).CombinedOutput(); err != nil {
			b.Fatalf("making %s: %v\n%s", song, err, out)
		}
	}
	srv = rtmptest.Start(b, rtmptest.Options{Apps: apps})
	bin = filepath.Join(b.TempDir(), "stillcast")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/stillcast/stillcast").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	return bin, music, srv
}

// liveCmd is `stillcast live` of the 1080p30 sample with a media cache of
// its own.
func liveCmd(bin, img, url, key, cache string, extra ...string) *exec.Cmd {
	args := append([]string{"live", img, "--url", url, "--key", key, "--size", "1080p", "--fps", "30", "--progress", "plain"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+cache)
	return cmd
}

// BenchmarkLive1080p30CPU streams the 1080p sample at 30 fps to a local
// nginx-rtmp for 60 s, four streams side by side: Stillcast with silence;
// Stillcast with a playlist of three mp3 tracks and title cards; the same
// picture encoded every frame by Stillcast (--no-fast-path); and the plain
// recipe `ffmpeg -re -loop 1 … -c:v libx264 -preset veryfast -b:v 3000k …`.
// It reports the CPU each uses between 15 s and 45 s, as a share of one
// core, counting Stillcast and all its children. The playlist's tracks and
// cards are prepared once by a short stream first, as a 24/7 stream has
// them after its first round.
func BenchmarkLive1080p30CPU(b *testing.B) {
	img := benchSample(b)
	bin, music, srv := benchLiveSetup(b, "ours", "recipe")
	cache := b.TempDir()
	warm := liveCmd(bin, img, srv.URL("ours"), "warm", cache, "--duration", "2s", "--audio", music, "--title-card")
	if out, err := warm.CombinedOutput(); err != nil {
		b.Fatalf("warming the cache: %v\n%s", err, out)
	}
	var ours, playlist, perFrame, recipe float64
	for range b.N {
		cmds := []*exec.Cmd{
			liveCmd(bin, img, srv.URL("ours"), "silence", cache, "--duration", "60s"),
			liveCmd(bin, img, srv.URL("ours"), "playlist", cache, "--duration", "60s", "--audio", music, "--title-card"),
			liveCmd(bin, img, srv.URL("ours"), "perframe", cache, "--duration", "60s", "--no-fast-path"),
			exec.Command("ffmpeg", "-v", "error", "-re", "-loop", "1", "-framerate", "30", "-i", img,
				"-f", "lavfi", "-i", "anullsrc=channel_layout=stereo:sample_rate=48000",
				"-c:v", "libx264", "-preset", "veryfast", "-b:v", "3000k", "-maxrate", "3000k", "-bufsize", "6000k",
				"-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-t", "60",
				"-f", "flv", srv.URL("recipe")+"/bench"),
		}
		for _, c := range cmds {
			if err := c.Start(); err != nil {
				b.Fatal(err)
			}
		}
		time.Sleep(15 * time.Second)
		var before, after []int64
		for _, c := range cmds {
			before = append(before, treeTicks(c.Process.Pid))
		}
		time.Sleep(30 * time.Second)
		for _, c := range cmds {
			after = append(after, treeTicks(c.Process.Pid))
		}
		for _, c := range cmds {
			if err := c.Wait(); err != nil {
				b.Fatalf("%s: %v", c.Path, err)
			}
		}
		const ticksPerSecond = 100 // USER_HZ on Linux
		share := func(i int) float64 { return float64(after[i]-before[i]) / ticksPerSecond / 30 * 100 }
		ours, playlist, perFrame, recipe = share(0), share(1), share(2), share(3)
	}
	b.ReportMetric(ours, "stillcast-%core")
	b.ReportMetric(playlist, "playlist-cards-%core")
	b.ReportMetric(perFrame, "per-frame-%core")
	b.ReportMetric(recipe, "recipe-%core")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkLiveFirstPacket measures, for a picture already in the media
// cache, the time from starting `stillcast live` at 1080p to the server's
// on_publish call, which comes just before the first media.
func BenchmarkLiveFirstPacket(b *testing.B) {
	img := benchSample(b)
	hook := rtmptest.StartHook(b, 200)
	srv := rtmptest.Start(b, rtmptest.Options{OnPublish: hook.URL})
	bin := filepath.Join(b.TempDir(), "stillcast")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/stillcast/stillcast").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	cache := b.TempDir()
	var first, cold time.Duration
	for run := range 2 { // the first run fills the cache
		began := time.Now()
		n := len(hook.Calls())
		cmd := liveCmd(bin, img, srv.URL("live"), "first"+strconv.Itoa(run), cache, "--duration", "3s")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
		calls := hook.Calls()
		if len(calls) != n+1 {
			b.Fatalf("%d publishes, want 1", len(calls)-n)
		}
		if d := calls[n].At.Sub(began); run == 0 {
			cold = d
		} else {
			first = d
		}
	}
	b.ReportMetric(first.Seconds(), "cached-s")
	b.ReportMetric(cold.Seconds(), "first-time-s")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkLiveRSS streams with silence for 10 minutes and samples
// Stillcast's resident memory every 10 s from the first minute on: it
// reports the highest and the spread (highest minus lowest).
func BenchmarkLiveRSS(b *testing.B) {
	img := benchSample(b)
	bin, _, srv := benchLiveSetup(b, "live")
	var peak, spread float64
	for range b.N {
		cmd := liveCmd(bin, img, srv.URL("live"), "rss", b.TempDir(), "--duration", "10m")
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		status := "/proc/" + strconv.Itoa(cmd.Process.Pid) + "/status"
		time.Sleep(time.Minute)
		lo, hi := int64(math.MaxInt64), int64(0)
		for range 53 {
			rss := vmRSS(status)
			lo, hi = min(lo, rss), max(hi, rss)
			time.Sleep(10 * time.Second)
		}
		if err := cmd.Wait(); err != nil {
			b.Fatal(err)
		}
		peak, spread = float64(hi)/1024, float64(hi-lo)/1024
	}
	b.ReportMetric(peak, "RSS-MB")
	b.ReportMetric(spread, "RSS-spread-MB")
	b.ReportMetric(0, "ns/op")
}

// vmRSS reads a process's resident set size in KiB.
func vmRSS(status string) int64 {
	data, err := os.ReadFile(status)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}

// treeTicks adds up the user and system CPU ticks of pid and everything
// it started.
func treeTicks(pid int) int64 {
	parent := map[int]int{}
	ticks := map[int]int64{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// The command name may hold spaces; the fields after it do not.
		end := strings.LastIndexByte(string(data), ')')
		fields := strings.Fields(string(data[end+2:]))
		p, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
		parent[p], _ = strconv.Atoi(fields[1])
		utime, _ := strconv.ParseInt(fields[11], 10, 64)
		stime, _ := strconv.ParseInt(fields[12], 10, 64)
		ticks[p] = utime + stime
	}
	var total int64
	for p, t := range ticks {
		for q := p; q > 1; q = parent[q] {
			if q == pid {
				total += t
				break
			}
		}
	}
	return total
}

// BenchmarkProgressEventRate renders a minute of 720p by the per-frame
// path and reports the Progress events a second of wall time. ffmpeg is
// asked for a report every 0.2 s, so an idle machine shows about 5; a
// busy one fewer, which is why TestEvents counts the events against
// ffmpeg's own reports and this figure lives here.
func BenchmarkProgressEventRate(b *testing.B) {
	img := benchSample(b)
	s := encoder.DefaultSettings()
	s.Images, s.Size, s.Duration, s.Force, s.NoFastPath = encoder.SlidesOf(img), encoder.NamedSizes()[1], time.Minute, true, true
	s.Output = filepath.Join(filepath.Dir(img), "events.mp4")
	var rate float64
	for range b.N {
		job, err := encoder.Start(context.Background(), s)
		if err != nil {
			b.Fatal(err)
		}
		var first, last time.Time
		n := 0
		for ev := range job.Events() {
			if _, ok := ev.(encoder.Progress); ok {
				if last = time.Now(); n == 0 {
					first = last
				}
				n++
			}
		}
		if err := job.Wait(); err != nil {
			b.Fatal(err)
		}
		if n < 2 {
			b.Fatalf("%d Progress events", n)
		}
		rate = float64(n-1) / last.Sub(first).Seconds()
	}
	b.ReportMetric(rate, "progress/s")
	b.ReportMetric(0, "ns/op")
}
