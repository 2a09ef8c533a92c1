package encoder

import (
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestAssembleArgs(t *testing.T) {
	got := assembleArgs(assemblePlan{List: "/tmp/s/list.ffconcat", Frames: 901, FPS: 25, Container: Containers()[0], Output: "/out/.x.part"})
	want := []string{"-hide_banner", "-nostdin", "-loglevel", "error",
		"-progress", "pipe:1", "-stats_period", "0.2", "-nostats",
		"-f", "concat", "-safe", "0", "-i", "file:/tmp/s/list.ffconcat",
		"-map", "0:v:0", "-c:v:0", "copy", "-t", "36.040000",
		"-movflags", "+faststart", "-f", "mp4", "-y", "file:/out/.x.part"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("assembleArgs:\n got %q\nwant %q", got, want)
	}
}

func TestConcatList(t *testing.T) {
	solid := func(n int) []clip { return []clip{{a: 0, b: -1, n: n}} }
	got := concatList([]part{{clips: solid(250)}, {clips: solid(250), copies: 2}, {clips: solid(120), copies: 1}}, 25)
	want := "ffconcat version 1.0\nfile part1.nut\nduration 10.000000\nfile part1.nut\nduration 10.000000\nfile part2.nut\nduration 4.800000\n"
	if got != want {
		t.Fatalf("concatList:\n%s\nwant\n%s", got, want)
	}
	if got := concatList([]part{{clips: solid(300)}, {clips: solid(300), copies: 3}}, 30); strings.Count(got, "file ") != 3 || strings.Contains(got, "part2") {
		t.Fatalf("no tail wanted:\n%s", got)
	}
}

// fpPacket is one video packet as ffprobe sees it.
type fpPacket struct {
	PTS   float64
	Key   bool
	Bytes int
}

func fpPackets(t *testing.T, path string) []fpPacket {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags,size", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	var r struct {
		Packets []struct {
			PTS   string `json:"pts_time"`
			Flags string `json:"flags"`
			Size  string `json:"size"`
		}
	}
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	ps := make([]fpPacket, len(r.Packets))
	for i, p := range r.Packets {
		ps[i].PTS, _ = strconv.ParseFloat(p.PTS, 64)
		ps[i].Key = strings.HasPrefix(p.Flags, "K")
		ps[i].Bytes, _ = strconv.Atoi(p.Size)
	}
	return ps
}

func fpImage(t *testing.T, dir string) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 160, 90))
	for y := range 90 {
		for x := range 160 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(2 * y), 90, 255})
		}
	}
	path := filepath.Join(dir, "still.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestStillPathOutput renders by the still path, for durations that are
// and are not whole multiples of the segment, and checks what a player
// depends on: the exact frame count, timestamps one frame apart with no
// gap, keyframes at most 10 s apart, a clean decode and moov before mdat.
func TestStillPathOutput(t *testing.T) {
	dir := t.TempDir()
	img := fpImage(t, dir)
	cases := []struct {
		fps      int
		duration time.Duration
		ext      string
	}{
		{25, 20 * time.Second, ".mp4"}, // exactly 2 segments
		{25, 23 * time.Second, ".mp4"}, // 2 segments and a part
		{30, 25 * time.Second, ".mkv"},
		{24, 27*time.Second + 500*time.Millisecond, ".ts"}, // a warm-up, 2 copies and a part
	}
	for _, c := range cases {
		name := strconv.Itoa(c.fps) + "fps-" + c.duration.String() + c.ext
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := DefaultSettings()
			s.Images, s.FPS, s.Duration, s.Preset = SlidesOf(img), c.fps, c.duration, "ultrafast"
			s.Output = filepath.Join(dir, name+c.ext)
			if s.TotalFrames() <= stillSegmentFrames(c.fps) {
				t.Fatal("the case is too short for the still path")
			}
			job, err := Start(context.Background(), s)
			if err != nil {
				t.Fatal(err)
			}
			var phases []Phase
			for ev := range job.Events() {
				if p, ok := ev.(Progress); ok && (len(phases) == 0 || phases[len(phases)-1] != p.Phase) {
					phases = append(phases, p.Phase)
				}
			}
			if err := job.Wait(); err != nil {
				t.Fatal(err)
			}
			if len(phases) != 2 || phases[0] != PhaseEncode || phases[1] != PhaseAssemble {
				t.Errorf("phases %v, want encoding then assembling", phases)
			}

			ps := fpPackets(t, s.Output)
			if len(ps) != s.TotalFrames() {
				t.Fatalf("%d frames, want %d", len(ps), s.TotalFrames())
			}
			step := 1 / float64(c.fps)
			// Packets come in decode order; B-frames make it differ from
			// the order they are shown in.
			shown := make([]float64, len(ps))
			for i, p := range ps {
				shown[i] = p.PTS
			}
			slices.Sort(shown)
			if c.ext != ".ts" && shown[0] != 0 { // MPEG-TS starts at 1.4 s by design
				t.Fatalf("the first frame is shown at %.3f s, not 0", shown[0])
			}
			for i := 1; i < len(shown); i++ {
				if d := shown[i] - shown[i-1]; math.Abs(d-step) > 0.002 {
					t.Fatalf("frame %d: pts %.4f follows %.4f; want a step of %.4f", i, shown[i], shown[i-1], step)
				}
			}
			lastKey := ps[0].PTS
			for i := 1; i < len(ps); i++ {
				if ps[i].Key {
					if gap := ps[i].PTS - lastKey; gap > maxKeyframeGap.Seconds()+step/2 {
						t.Fatalf("keyframes %.2f s apart", gap)
					}
					lastKey = ps[i].PTS
				}
			}
			if !ps[0].Key {
				t.Fatal("the first frame is not a keyframe")
			}
			if out, err := exec.Command("ffmpeg", "-v", "error", "-i", s.Output, "-f", "null", "-").CombinedOutput(); err != nil || len(out) > 0 {
				t.Fatalf("decode: %v %s", err, out)
			}
			if c.ext == ".mp4" {
				data, _ := os.ReadFile(s.Output)
				if moov, mdat := strings.Index(string(data), "moov"), strings.Index(string(data), "mdat"); moov < 0 || moov > mdat {
					t.Fatalf("moov at %d, mdat at %d: not faststart", moov, mdat)
				}
			}
		})
	}
}

// TestStillPathMatchesPerFramePath compares the decoded frames of both
// paths: the still path must show the same picture.
func TestStillPathMatchesPerFramePath(t *testing.T) {
	dir := t.TempDir()
	img := fpImage(t, dir)
	render := func(name string, noFast bool) string {
		s := DefaultSettings()
		s.Images, s.Duration, s.NoFastPath = SlidesOf(img), 22*time.Second, noFast
		s.Output = filepath.Join(dir, name)
		job, err := Start(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		if err := job.Wait(); err != nil {
			t.Fatal(err)
		}
		return s.Output
	}
	fast, slow := render("fast.mp4", false), render("slow.mp4", true)
	for _, at := range []string{"0.5", "10.4", "21.96"} {
		a := fpFrame(t, fast, at)
		b := fpFrame(t, slow, at)
		var sum float64
		for i := range a {
			sum += math.Abs(float64(a[i]) - float64(b[i]))
		}
		if mean := sum / float64(len(a)); mean > 1.5 {
			t.Errorf("at %s s the paths differ by %.2f per sample", at, mean)
		}
	}
}

func fpFrame(t *testing.T, path, at string) []byte {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-v", "error", "-ss", at, "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-").Output()
	if err != nil || len(out) != 160*90*3 {
		t.Fatalf("decoding %s at %s: %v (%d bytes)", path, at, err, len(out))
	}
	return out
}
