package cli

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// run runs the CLI in-process and returns the exit code, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runWithin(t, 0, args...)
}

// runWithin is run, interrupted as by Ctrl-C after limit (0: never), for
// commands that should fail at once but would run long if they did not.
func runWithin(t *testing.T, limit time.Duration, args ...string) (int, string, string) {
	t.Helper()
	ctx := context.Background()
	if limit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	var out, errb bytes.Buffer
	code := Run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

func writePNG(t *testing.T, path string, w, h int, c color.Color) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range w * h {
		img.Set(i%w, i/w, c)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// hugePNG is a valid PNG header that claims 100000×100000 pixels.
func hugePNG() []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 100000)
	binary.BigEndian.PutUint32(ihdr[4:], 100000)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk := append([]byte("IHDR"), ihdr...)
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

type probe struct {
	Streams []struct {
		Width, Height int
		CodecName     string `json:"codec_name"`
		NbReadFrames  string `json:"nb_read_frames"`
	}
}

func ffprobe(t *testing.T, path string) probe {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-count_frames", "-show_streams", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var p probe
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Streams) != 1 {
		t.Fatalf("%s: %d streams, want 1", path, len(p.Streams))
	}
	return p
}

func TestBadInputExitsTwoWithOneLineAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.png")
	writePNG(t, good, 32, 32, color.White)
	files := map[string][]byte{
		"empty.png": nil,
		"text.png":  []byte("this is not an image\n"),
		"huge.png":  hugePNG(),
	}
	var jpg bytes.Buffer
	jpeg.Encode(&jpg, image.NewGray(image.Rect(0, 0, 64, 64)), nil)
	files["truncated.jpg"] = jpg.Bytes()[:jpg.Len()/2]
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.Mkdir(filepath.Join(dir, "folder.png"), 0o755)
	os.Mkdir(filepath.Join(dir, "out-dir.mp4"), 0o755)
	in := func(name string) string { return filepath.Join(dir, name) }
	out := in("out.mp4")

	cases := []struct {
		name string
		args []string
		want string // must appear in the one line
	}{
		{"zero-byte image", []string{in("empty.png"), "-o", out}, "empty.png: the file is empty"},
		{"text named png", []string{in("text.png"), "-o", out}, "text.png: not a supported image"},
		{"truncated jpeg", []string{in("truncated.jpg"), "-o", out}, "truncated.jpg: the jpeg file is truncated"},
		{"huge png", []string{in("huge.png"), "-o", out}, "megapixels"},
		{"folder as image", []string{in("folder.png"), "-o", out}, "folder.png: is a folder"},
		{"missing image", []string{in("nope.png"), "-o", out}, "IMAGE: nope.png: no such file"},
		{"missing output folder", []string{good, "-o", in("missing/out.mp4")}, "--out: the folder"},
		{"output is a folder", []string{good, "-o", in("out-dir.mp4")}, "is a folder, not a file"},
		{"unknown extension", []string{good, "-o", in("out.avi")}, `--out: ".avi" is not a supported output type`},
		{"fps 0", []string{good, "-o", out, "--fps", "0"}, "--fps: must be between 1 and 120"},
		{"fps 121", []string{good, "-o", out, "--fps", "121"}, "--fps: must be between 1 and 120"},
		{"fps not a number", []string{good, "-o", out, "--fps", "fast"}, `--fps: "fast" is not a whole number`},
		{"duration 0", []string{good, "-o", out, "--duration", "0"}, "--duration: must be longer than zero"},
		{"duration negative", []string{good, "-o", out, "--duration", "-5s"}, "--duration: must be longer than zero"},
		{"duration over 24h", []string{good, "-o", out, "--duration", "24h0m1s"}, "--duration: must be at most 24h"},
		{"duration malformed", []string{good, "-o", out, "--duration", "soon"}, "--duration:"},
		{"size 0x0", []string{good, "-o", out, "--size", "0x0"}, "--size: 0x0 is too small"},
		{"size too large", []string{good, "-o", out, "--size", "8194x1000"}, "--size: 8194x1000 is too large"},
		{"size malformed", []string{good, "-o", out, "--size", "big"}, `--size: "big" is not a size`},
		{"bad colour", []string{good, "-o", out, "--background", "blue"}, "--background:"},
		{"bad fit", []string{good, "-o", out, "--fit", "zoom"}, "--fit: unknown fit"},
		{"bad preset", []string{good, "-o", out, "--preset", "turbo"}, "--preset: unknown x264 preset"},
		{"crf out of range", []string{good, "-o", out, "--crf", "60"}, "--crf: must be between"},
		{"unknown flag", []string{good, "--colour", "red"}, "unknown flag -colour"},
		{"bad progress mode", []string{good, "-o", out, "--progress", "fancy"}, "--progress:"},
		{"song as image", []string{good, in("song.mp3"), "-o", out}, "IMAGE: song.mp3 is a sound file: give it with --audio"},
		{"image-duration count", []string{good, good, good, "-o", out, "--image-duration", "1s,2s"}, "--image-duration: 2 durations for 3 images"},
		{"image-duration malformed", []string{good, "-o", out, "--image-duration", "long"}, `--image-duration: "long" is not a duration`},
		{"image-duration negative", []string{good, "-o", out, "--image-duration", "-1s"}, "--image-duration: good.png: the duration must be longer than zero"},
		{"crossfade malformed", []string{good, "-o", out, "--crossfade", "slow"}, `--crossfade: "slow" is not a duration`},
		{"crossfade too long", []string{good, "-o", out, "--crossfade", "11s"}, "--crossfade: must be between 0 (a cut) and 10s"},
		{"audio-loop without audio", []string{good, "-o", out, "--audio-loop", "--duration", "5s"}, "--audio-loop needs --audio"},
		{"audio-loop without duration", []string{good, "-o", out, "--audio-loop", "--audio", good}, "--audio-loop needs --duration"},
		{"audio without a value", []string{good, "-o", out, "--audio"}, "-audio needs a value"},
		{"bad audio codec", []string{good, "-o", out, "--audio-codec", "opus"}, `--audio-codec: unknown audio codec "opus"`},
	}
	before := listDir(t, dir)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := run(t, append([]string{"render"}, c.args...)...)
			if code != ExitUsage {
				t.Fatalf("exit %d, want %d; stderr: %s", code, ExitUsage, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
				t.Errorf("stderr is not one line: %q", stderr)
			}
			if !strings.HasPrefix(stderr, "stillcast: ") || !strings.Contains(stderr, c.want) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, c.want)
			}
			if after := listDir(t, dir); !slices.Equal(before, after) {
				t.Errorf("folder changed: %v → %v", before, after)
			}
		})
	}
}

func TestExistingOutputIsKeptWithoutForce(t *testing.T) {
	dir := t.TempDir()
	img, out := filepath.Join(dir, "in.png"), filepath.Join(dir, "out.mp4")
	writePNG(t, img, 64, 48, color.RGBA{200, 30, 30, 255})
	os.WriteFile(out, []byte("precious"), 0o644)

	code, _, stderr := run(t, "render", img, "-o", out, "--duration", "1")
	if code != ExitUsage || !strings.Contains(stderr, "already exists (use --force to replace it)") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if got, _ := os.ReadFile(out); string(got) != "precious" {
		t.Fatalf("existing file changed to %q", got)
	}

	code, _, stderr = run(t, "render", img, "-o", out, "--duration", "1", "--force")
	if code != ExitOK {
		t.Fatalf("with --force: exit %d, stderr %s", code, stderr)
	}
	if p := ffprobe(t, out); p.Streams[0].Width != 64 || p.Streams[0].NbReadFrames != "25" {
		t.Fatalf("replaced file: %+v", p.Streams[0])
	}
	if names := listDir(t, dir); !slices.Equal(names, []string{"in.png", "out.mp4"}) {
		t.Fatalf("folder holds %v", names)
	}
}

func TestFlagsAfterImageAndJSONProgress(t *testing.T) {
	dir := t.TempDir()
	img, out := filepath.Join(dir, "in.png"), filepath.Join(dir, "out.mkv")
	writePNG(t, img, 80, 60, color.RGBA{0, 0, 255, 255})
	code, stdout, stderr := run(t, "render", img, "--size", "square", "--fps", "10",
		"--duration", "0:00:03", "-o", out, "--progress", "json", "--preset", "ultrafast")
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var states []string
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var ev jsonEvent
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		if ev.TotalFrames != 0 && ev.TotalFrames != 30 && ev.State != "done" {
			t.Errorf("total_frames = %d, want 30", ev.TotalFrames)
		}
		states = append(states, ev.State)
	}
	if states[0] != "started" || states[len(states)-1] != "done" || !slices.Contains(states, "rendering") {
		t.Fatalf("states = %v", states)
	}
	p := ffprobe(t, out)
	if s := p.Streams[0]; s.Width != 1080 || s.Height != 1080 || s.NbReadFrames != "30" {
		t.Fatalf("stream %+v, want 1080x1080 with 30 frames", s)
	}
}

func TestDefaultOutputIsImageNameInCurrentFolder(t *testing.T) {
	src, work := t.TempDir(), t.TempDir()
	img := filepath.Join(src, "cover art.png")
	writePNG(t, img, 40, 40, color.White)
	t.Chdir(work)
	if code, _, stderr := run(t, "render", "--duration", "0.4", img); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if p := ffprobe(t, filepath.Join(work, "cover art.mp4")); p.Streams[0].NbReadFrames != "10" {
		t.Fatalf("frames %s, want 10", p.Streams[0].NbReadFrames)
	}
}

func TestNoImageRendersTheBundledSample(t *testing.T) {
	t.Chdir(t.TempDir())
	code, stdout, stderr := run(t, "render", "--size", "320x180", "--duration", "0.2", "--progress", "plain")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Wrote sample.mp4") {
		t.Errorf("stdout = %q", stdout)
	}
	if s := ffprobe(t, "sample.mp4").Streams[0]; s.Width != 320 || s.Height != 180 {
		t.Fatalf("sample render is %dx%d", s.Width, s.Height)
	}
}

func TestFailingFFmpegExitsOneWithItsLastLines(t *testing.T) {
	dir := t.TempDir()
	img, out := filepath.Join(dir, "in.png"), filepath.Join(dir, "out.mp4")
	writePNG(t, img, 16, 16, color.White)
	fake := filepath.Join(dir, "ffmpeg")
	os.WriteFile(fake, []byte("#!/bin/sh\necho 'first line' >&2\necho 'Unknown encoder '\\''libx264'\\''' >&2\nexit 1\n"), 0o755)
	code, _, stderr := run(t, "render", img, "-o", out, "--ffmpeg", fake)
	if code != ExitFailure {
		t.Fatalf("exit %d, want 1: %s", code, stderr)
	}
	for _, want := range []string{"built without libx264", "ffmpeg's last lines:", "  first line"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if names := listDir(t, dir); !slices.Equal(names, []string{"ffmpeg", "in.png"}) {
		t.Fatalf("folder holds %v", names)
	}
}

func TestHelpAndUnknownCommand(t *testing.T) {
	if code, out, _ := run(t, "help", "render"); code != ExitOK || !strings.Contains(out, "--duration D") {
		t.Errorf("help render: %d %q", code, out)
	}
	if code, out, _ := run(t, "render", "--help"); code != ExitOK || !strings.Contains(out, "Exit codes") {
		t.Errorf("render --help: %d %q", code, out)
	}
	if code, _, errOut := run(t, "paint"); code != ExitUsage || !strings.Contains(errOut, `unknown command "paint"`) {
		t.Errorf("paint: %d %q", code, errOut)
	}
}

func TestParseFlagsKeepsDoubleDashImages(t *testing.T) {
	f, err := parseRenderFlags([]string{"--fps", "30", "--", "-odd.png"})
	if err != nil || !slices.Equal(f.images, []string{"-odd.png"}) || f.fps != "30" {
		t.Fatalf("%+v %v", f, err)
	}
	if _, err := strconv.Atoi(f.fps); err != nil {
		t.Fatal(err)
	}
}

// Audio that cannot be used is found before anything is written or
// streamed: exit 2, one line naming the flag and the file or folder.
func TestBadAudioExitsTwoNamingIt(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "in.png")
	writePNG(t, img, 32, 32, color.White)
	noise := make([]byte, 4096)
	for i := range noise {
		noise[i] = byte(i*7919 + i/13) // not audio, and not silence either
	}
	if err := os.WriteFile(filepath.Join(dir, "x.mp3"), noise, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(dir, "empty"), 0o755)
	in := func(name string) string { return filepath.Join(dir, name) }
	out := in("out.mp4")
	// Nothing listens on port 9, so a stream that got as far as
	// connecting would fail quickly instead of hanging the test.
	server := []string{"--url", "rtmp://127.0.0.1:9/live", "--retries", "1", "--duration", "5s"}

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"render, missing file", []string{"render", img, "-o", out, "--audio", "nosuch.mp3"}, "stillcast: --audio: nosuch.mp3: no such file or folder"},
		{"render, random bytes", []string{"render", img, "-o", out, "--audio", in("x.mp3")}, "stillcast: --audio: x.mp3: not an audio file ffmpeg can read"},
		{"render, second file missing", []string{"render", img, "-o", out, "--audio", in("x.mp3"), "--audio", in("gone.wav")}, "stillcast: --audio: gone.wav: no such file or folder"},
		{"live, missing file", append([]string{"live", img, "--audio", "nosuch.mp3"}, server...), "stillcast: --audio: nosuch.mp3: no such file or folder"},
		{"live, random bytes", append([]string{"live", img, "--audio", in("x.mp3")}, server...), "stillcast: --audio: x.mp3: not an audio file ffmpeg can read"},
		{"live, empty folder", append([]string{"live", img, "--audio", in("empty")}, server...), "stillcast: --audio: empty: the folder has no audio files"},
	}
	before := listDir(t, dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runWithin(t, 20*time.Second, tt.args...)
			wantUsageLine(t, code, stdout, stderr, tt.want)
			if after := listDir(t, dir); !slices.Equal(before, after) {
				t.Errorf("folder changed: %v → %v", before, after)
			}
		})
	}
}

// pixelAt returns the colour of the top-left pixel of the frame at secs.
func pixelAt(t *testing.T, path string, secs float64) color.RGBA {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-v", "error", "-ss", strconv.FormatFloat(secs, 'f', 3, 64), "-i", path,
		"-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-").Output()
	if err != nil || len(out) < 3 {
		t.Fatalf("reading the frame at %.1f s of %s: %v", secs, path, err)
	}
	return color.RGBA{out[0], out[1], out[2], 255}
}

func TestSlideshowFollowsTheImagesDurationsInOrder(t *testing.T) {
	dir := t.TempDir()
	colours := map[string]color.RGBA{"r.png": {220, 0, 0, 255}, "g.png": {0, 220, 0, 255}, "b.png": {0, 0, 220, 255}}
	for name, c := range colours {
		writePNG(t, filepath.Join(dir, name), 64, 64, c)
	}
	in := func(name string) string { return filepath.Join(dir, name) }
	out := in("show.mp4")
	code, _, stderr := run(t, "render", in("g.png"), in("b.png"), in("r.png"), "--image-duration", "1s,2s,1s",
		"--crossfade", "0", "--fps", "10", "-o", out, "--progress", "plain")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if s := ffprobe(t, out).Streams[0]; s.NbReadFrames != "40" {
		t.Errorf("%s frames, want 40: 1 s + 2 s + 1 s at 10 fps", s.NbReadFrames)
	}
	for _, at := range []struct {
		secs float64
		want string
	}{{0.5, "g.png"}, {1.5, "b.png"}, {2.5, "b.png"}, {3.5, "r.png"}} {
		got, want := pixelAt(t, out, at.secs), colours[at.want]
		if diff(got.R, want.R) > 24 || diff(got.G, want.G) > 24 || diff(got.B, want.B) > 24 {
			t.Errorf("at %.1f s the frame is %v, want %s's %v", at.secs, got, at.want, want)
		}
	}
}

func diff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// wantUsageLine checks the answer to bad input: exit code 2, nothing on
// stdout, and one line on stderr that starts with want.
func wantUsageLine(t *testing.T, code int, stdout, stderr, want string) {
	t.Helper()
	if code != ExitUsage {
		t.Fatalf("exit %d, want %d; stderr: %s", code, ExitUsage, stderr)
	}
	if stdout != "" || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stdout %q, stderr %q: want nothing and one line", stdout, stderr)
	}
	if !strings.HasPrefix(stderr, want) {
		t.Errorf("stderr %q, want it to start with %q", stderr, want)
	}
}
