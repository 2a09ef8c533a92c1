//go:build linux

package encoder_test

import (
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/encoder/picture"
)

// BenchmarkKenBurns1min1080p25 renders one minute of three 1080p images
// with 1 s crossfades and the Ken Burns zoom, beside the usual ffmpeg
// recipe for the same zoom: each image through `zoompan` (the same size,
// fps, zoom range and frames per image) and joined with `xfade`, encoded
// with the same preset, tune and CRF. speedup is recipe ÷ Stillcast.
//
// With STILLCAST_BENCH_BEFORE naming an older stillcast binary (say
// main's, `go build -tags headless -o /tmp/stillcast-before .`), it
// renders the same minute with it too, and reports its time and the SSIM
// and size of ours against its output.
func BenchmarkKenBurns1min1080p25(b *testing.B) {
	img := benchSample(b)
	images := benchSlides(b, img)
	s := encoder.DefaultSettings()
	s.Images, s.Size, s.Duration, s.Force, s.KenBurns = encoder.SlidesOf(images...), encoder.NamedSizes()[2], time.Minute, true, true
	s.Output = filepath.Join(filepath.Dir(img), "kenburns.mp4")
	before := os.Getenv("STILLCAST_BENCH_BEFORE")
	beforeOut := filepath.Join(filepath.Dir(img), "kenburns-before.mp4")
	var ours, recipe, old time.Duration
	for range b.N {
		for round := range benchRounds {
			ours = best(ours, timedJob(b, s), round)
			d, _ := benchRecipe(b, zoompanRecipe(images, s)...)
			recipe = best(recipe, d, round)
			if before != "" {
				old = best(old, timedCommand(b, before, "render", "--ken-burns", "--size", "1080p", "--duration", "60",
					"--preset", s.Preset, "--crf", strconv.Itoa(s.CRF), "--force", "-o", beforeOut, images[0], images[1], images[2]), round)
			}
		}
	}
	b.ReportMetric(ours.Seconds(), "stillcast-s")
	b.ReportMetric(60/ours.Seconds(), "x-realtime")
	b.ReportMetric(recipe.Seconds(), "zoompan-s")
	b.ReportMetric(recipe.Seconds()/ours.Seconds(), "speedup")
	if before != "" {
		b.ReportMetric(old.Seconds(), "before-s")
		b.ReportMetric(old.Seconds()/ours.Seconds(), "vs-before")
		b.ReportMetric(ssimAll(b, s.Output, beforeOut), "SSIM-vs-before")
		b.ReportMetric(float64(fileSize(b, s.Output))/float64(fileSize(b, beforeOut)), "size-vs-before")
	}
	b.ReportMetric(0, "ns/op")
}

// zoompanRecipe is the ffmpeg command for the slideshow s of images, as
// blog posts write it: each image letterboxed to the size, zoomed by
// zoompan (in on the first and third, out on the second) for the frames
// it shows, and crossfaded into the next with xfade.
func zoompanRecipe(images []string, s encoder.Settings) []string {
	const secs, fade = 20.0, 1.0 // each image's share of the minute, and the crossfade
	var args []string
	var graph strings.Builder
	for i, img := range images {
		args = append(args, "-i", img)
		shown := secs + fade/2 // the crossfades are centred on the changes
		if i > 0 && i < len(images)-1 {
			shown += fade / 2
		}
		frames := int(shown * float64(s.FPS))
		zoom := fmt.Sprintf("1+%g*on/%d", picture.KenBurnsZoom-1, frames-1)
		if i%2 == 1 {
			zoom = fmt.Sprintf("%g-%g*on/%d", picture.KenBurnsZoom, picture.KenBurnsZoom-1, frames-1)
		}
		fmt.Fprintf(&graph, "[%d:v]scale=1920:1080:force_original_aspect_ratio=decrease,pad=1920:1080:(ow-iw)/2:(oh-ih)/2,setsar=1,"+
			"zoompan=z='%s':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=%d:s=1920x1080:fps=%d[s%d];", i, zoom, frames, s.FPS, i)
	}
	fmt.Fprintf(&graph, "[s0][s1]xfade=transition=fade:duration=%g:offset=%g[x1];", fade, secs-fade/2)
	fmt.Fprintf(&graph, "[x1][s2]xfade=transition=fade:duration=%g:offset=%g,format=yuv420p[v]", fade, 2*secs-fade/2)
	return append(args, "-filter_complex", graph.String(), "-map", "[v]",
		"-c:v", "libx264", "-preset", s.Preset, "-tune", "stillimage", "-crf", strconv.Itoa(s.CRF), "-pix_fmt", "yuv420p")
}

// benchSlides writes two 1080p gradients beside img and returns the three
// images of the slideshow benchmarks.
func benchSlides(b *testing.B, img string) []string {
	images := []string{img}
	for i, c := range []color.RGBA{{30, 60, 120, 255}, {200, 120, 40, 255}} {
		pic := image.NewRGBA(image.Rect(0, 0, 1920, 1080))
		for y := range 1080 {
			for x := range 1920 {
				pic.SetRGBA(x, y, color.RGBA{uint8(int(c.R) * x / 1920), c.G, uint8(int(c.B) * y / 1080), 255})
			}
		}
		path := filepath.Join(filepath.Dir(img), "slide"+strconv.Itoa(i)+".jpg")
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := jpeg.Encode(f, pic, &jpeg.Options{Quality: 90}); err != nil {
			b.Fatal(err)
		}
		f.Close()
		images = append(images, path)
	}
	return images
}

// timedCommand runs a program to its end and returns its wall time.
func timedCommand(b *testing.B, name string, args ...string) time.Duration {
	start := time.Now()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		b.Fatalf("%s: %v\n%s", name, err, out)
	}
	return time.Since(start)
}

// ssimAll compares every frame of two videos of the same size.
func ssimAll(b *testing.B, a, c string) float64 {
	return ssimOf(b, "-i", a, "-i", c)
}

// ssimOf is ffmpeg's SSIM ("All") of the first two video inputs of args.
func ssimOf(b *testing.B, args ...string) float64 {
	out, err := exec.Command("ffmpeg", append(append([]string{"-v", "info"}, args...), "-lavfi", "ssim", "-f", "null", "-")...).CombinedOutput()
	if err != nil {
		b.Fatalf("ssim: %v\n%s", err, out)
	}
	_, all, ok := strings.Cut(string(out), " All:")
	if !ok {
		b.Fatalf("no SSIM in %s", out)
	}
	v, err := strconv.ParseFloat(strings.Fields(all)[0], 64)
	if err != nil {
		b.Fatal(err)
	}
	return v
}

// BenchmarkKenBurnsDraw1min1080p25 draws the frames of
// BenchmarkKenBurns1min1080p25's minute as the render does, a worker per
// CPU, with no pipe and no x264: drawing's share of the render. cpu-s is
// the process's CPU time for it. With STILLCAST_BENCH_FRAMES naming a
// file, the raw yuv420p frames are also written there, to time x264
// alone on exactly the render's frames.
func BenchmarkKenBurnsDraw1min1080p25(b *testing.B) {
	images := benchSlides(b, benchSample(b))
	s := encoder.DefaultSettings()
	s.Images, s.Size, s.Duration, s.Force, s.KenBurns = encoder.SlidesOf(images...), encoder.NamedSizes()[2], time.Minute, true, true
	s.Output = filepath.Join(filepath.Dir(images[0]), "kenburns.mp4")
	var sink io.Writer = io.Discard
	if path := os.Getenv("STILLCAST_BENCH_FRAMES"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		sink = f
	}
	var wall, cpu time.Duration
	for range b.N {
		frames, total, err := encoder.KenBurnsFrames(s)
		if err != nil {
			b.Fatal(err)
		}
		n, start, used := 0, time.Now(), cpuTime(b)
		for frame, err := range frames {
			if err != nil {
				b.Fatal(err)
			}
			if _, err := sink.Write(frame); err != nil {
				b.Fatal(err)
			}
			n++
		}
		wall, cpu = time.Since(start), cpuTime(b)-used
		if n != total {
			b.Fatalf("drew %d frames, want %d", n, total)
		}
	}
	b.ReportMetric(wall.Seconds(), "draw-s")
	b.ReportMetric(cpu.Seconds(), "cpu-s")
	b.ReportMetric(0, "ns/op")
}
