package encoder

// End-to-end renders with the real ffmpeg, read back with ffprobe and
// decoded to pixels the way a player does.

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRenderExifOrientation6 renders a photo stored landscape (60×40)
// with EXIF orientation 6 at its own size: the video is portrait, and the
// stored top-left corner (red) shows top-right.
func TestRenderExifOrientation6(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	out := filepath.Join(t.TempDir(), "portrait.mp4")
	s := testSettings(repoTestdata("orient6.jpg"), out)
	evs := renderOK(t, s)
	if st, ok := evs[0].Event.(Started); !ok || st.Width != 40 || st.Height != 60 {
		t.Errorf("first event %+v, want Started 40x60", evs[0].Event)
	}
	st := ffprobeJSON(t, out, false).video(t)
	if st.Width != 40 || st.Height != 60 {
		t.Fatalf("video is %dx%d, want 40x60 (portrait)", st.Width, st.Height)
	}
	f := decodeFrame(t, out, 0)
	// The stored image: red top-left, green top-right, blue bottom-left,
	// white bottom-right. Turned 90° clockwise for display: blue top-left,
	// red top-right, white bottom-left, green bottom-right.
	checkColor(t, "top-left", f, image.Rect(4, 4, 16, 26), tBlue, 20)
	checkColor(t, "top-right", f, image.Rect(24, 4, 36, 26), tRed, 20)
	checkColor(t, "bottom-left", f, image.Rect(4, 34, 16, 56), color.RGBA{255, 255, 255, 255}, 20)
	checkColor(t, "bottom-right", f, image.Rect(24, 34, 36, 56), tGreen, 20)
}

// TestRenderOddSourceEvened: a 101×77 source becomes a 100×76 video.
func TestRenderOddSourceEvened(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	dir := t.TempDir()
	img := writePNG(t, dir, "odd.png", solidImage(101, 77, color.RGBA{40, 200, 120, 255}))
	out := filepath.Join(dir, "odd.mp4")
	renderOK(t, testSettings(img, out))
	st := ffprobeJSON(t, out, false).video(t)
	if st.Width != 100 || st.Height != 76 {
		t.Fatalf("video is %dx%d, want 100x76", st.Width, st.Height)
	}
	f := decodeFrame(t, out, 0)
	checkColor(t, "whole frame", f, insetRect(f.Bounds(), 2), color.RGBA{40, 200, 120, 255}, 6)
}

// TestRenderColorFidelity renders a card of solid blocks at an SD and an
// HD size, decodes a frame the way a player does (by the stream's matrix
// and range tags) and compares the inside of every block with the source.
func TestRenderColorFidelity(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	tests := []struct {
		size  Size
		space string
	}{
		{Size{W: 640, H: 360}, "smpte170m"},
		{Size{W: 1280, H: 720}, "bt709"},
	}
	for _, tt := range tests {
		for _, mode := range renderModes {
			t.Run(tt.size.String()+"/"+mode.name, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				w, h := tt.size.W, tt.size.H
				img := writePNG(t, dir, "card.png", colorCard(w, h))
				out := filepath.Join(dir, "card.mp4")
				s := testSettings(img, out)
				s.Size = tt.size
				s.Duration = 120 * time.Millisecond // 3 frames
				s.CRF = 18
				mode.apply(&s)
				checkMode(t, mode, renderOK(t, s))
				st := ffprobeJSON(t, out, false).video(t)
				if st.Width != w || st.Height != h {
					t.Fatalf("video is %dx%d", st.Width, st.Height)
				}
				if st.ColorSpace != tt.space || st.ColorRange != "tv" || st.ColorPrimaries != "bt709" || st.ColorTransfer != "bt709" {
					t.Errorf("tags: space %q range %q primaries %q transfer %q; want %s, tv, bt709, bt709",
						st.ColorSpace, st.ColorRange, st.ColorPrimaries, st.ColorTransfer, tt.space)
				}
				f := decodeFrame(t, out, 1)
				for i, b := range blockColors {
					r := insetRect(cardBlockRect(i, w, h), 16)
					checkColor(t, b.Name, f, r, b.C, 6)
				}
				// The samples themselves are limited range: white at Y 235 and
				// black at Y 16, neutral chroma in between.
				yuv := decodeYUV(t, out, 1)
				for _, k := range []struct {
					block int
					y     float64
				}{{3, 235}, {4, 16}} {
					r := insetRect(cardBlockRect(k.block, w, h), 16)
					var sum, cb, cr float64
					n := 0
					for y := r.Min.Y; y < r.Max.Y; y += 2 {
						for x := r.Min.X; x < r.Max.X; x += 2 {
							sum += float64(yuv.Y[y*yuv.W+x])
							c := (y/2)*(yuv.W/2) + x/2
							cb += float64(yuv.Cb[c])
							cr += float64(yuv.Cr[c])
							n++
						}
					}
					if m := sum / float64(n); math.Abs(m-k.y) > 2 {
						t.Errorf("%s: mean Y %.1f, want %.0f (limited range)", blockColors[k.block].Name, m, k.y)
					}
					if m1, m2 := cb/float64(n), cr/float64(n); math.Abs(m1-128) > 2 || math.Abs(m2-128) > 2 {
						t.Errorf("%s: mean Cb/Cr %.1f/%.1f, want 128", blockColors[k.block].Name, m1, m2)
					}
				}
			})
		}
	}
}

// TestRenderFrameCount: the video holds exactly fps × duration frames.
func TestRenderFrameCount(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	tests := []struct {
		fps int
		d   time.Duration
		ext string
	}{
		{25, 2 * time.Second, ".mp4"},
		{30, 1500 * time.Millisecond, ".mp4"},
		{24, time.Second, ".mp4"},
		{30, 1500 * time.Millisecond, ".mkv"},
		{60, 500 * time.Millisecond, ".ts"},
		{1, 3 * time.Second, ".mov"},
		// Longer than one segment of the still path (at most 10 s), and
		// not a whole number of segments.
		{25, 11320 * time.Millisecond, ".mp4"}, // 283 frames
		{30, 12 * time.Second, ".mkv"},         // 360
		{24, 20 * time.Second, ".mov"},         // 480
		{25, 19840 * time.Millisecond, ".mp4"}, // 496
		{60, 21 * time.Second, ".ts"},          // 1260
		{1, 25 * time.Second, ".flv"},          // 25
		{7, 20 * time.Second, ".mp4"},          // 140: segments of 56
		{120, 10 * time.Second, ".mkv"},        // 1200: segments of 1152
	}
	dir := t.TempDir()
	img := writePNG(t, dir, "in.png", solidImage(64, 36, color.RGBA{90, 90, 200, 255}))
	for _, tt := range tests {
		name := fmt.Sprintf("%dfps_%s%s", tt.fps, tt.d, tt.ext)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := testSettings(img, filepath.Join(t.TempDir(), "v"+tt.ext))
			s.FPS, s.Duration = tt.fps, tt.d
			checkFrameCount(t, s, color.RGBA{90, 90, 200, 255})
		})
	}
}

// checkFrameCount renders s, a solid image of colour c, and checks that
// the video holds exactly fps × duration frames, that the events and the
// container agree, and that its last frame is whole. It returns the
// events.
func checkFrameCount(t *testing.T, s Settings, c color.RGBA) []timedEvent {
	t.Helper()
	evs := renderOK(t, s)
	fin := lastFinished(t, evs)
	want := int(math.Round(s.Duration.Seconds() * float64(s.FPS)))
	if st := evs[0].Event.(Started); st.TotalFrames != want {
		t.Errorf("Started.TotalFrames = %d, want %d", st.TotalFrames, want)
	}
	pr := ffprobeJSON(t, s.Output, true)
	st := pr.video(t)
	if st.NbReadFrames != strconv.Itoa(want) {
		t.Errorf("%s holds %s frames, want %d", filepath.Base(s.Output), st.NbReadFrames, want)
	}
	if st.RFrameRate != strconv.Itoa(s.FPS)+"/1" {
		t.Errorf("frame rate %s, want %d/1", st.RFrameRate, s.FPS)
	}
	if fin.Duration != s.Duration {
		t.Errorf("Finished.Duration = %v, want %v", fin.Duration, s.Duration)
	}
	if ext := filepath.Ext(s.Output); ext == ".mp4" || ext == ".mov" || ext == ".mkv" {
		d, err := strconv.ParseFloat(pr.Format.Duration, 64)
		exact := float64(want) / float64(s.FPS)
		if err != nil || math.Abs(d-exact) > 0.5/float64(s.FPS)+0.01 {
			t.Errorf("container duration %s s, want %.3f", pr.Format.Duration, exact)
		}
	}
	// The last frame is there and whole.
	f := decodeFrame(t, s.Output, want-1)
	checkColor(t, "last frame", f, insetRect(f.Bounds(), 4), c, 8)
	return evs
}

// TestRenderContainers renders every output type and checks it is what it
// claims, plays without a single decoder complaint, and that MP4 and MOV
// can start playing before they are fully downloaded.
func TestRenderContainers(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	tests := []struct {
		ext, format string
		faststart   bool
	}{
		{".mp4", "mov,mp4,m4a,3gp,3g2,mj2", true},
		{".mov", "mov,mp4,m4a,3gp,3g2,mj2", true},
		{".mkv", "matroska,webm", false},
		{".flv", "flv", false},
		{".ts", "mpegts", false},
	}
	dir := t.TempDir()
	img := writeJPEG(t, dir, "in.jpg", colorCard(128, 96))
	for _, tt := range tests {
		for _, mode := range renderModes {
			t.Run(tt.ext+"/"+mode.name, func(t *testing.T) {
				t.Parallel()
				odir := t.TempDir()
				out := filepath.Join(odir, "Video"+strings.ToUpper(tt.ext)) // the extension's case does not matter
				s := testSettings(img, out)
				// The default preset: ultrafast leaves out CABAC and 8×8
				// transforms, so x264 signals Constrained Baseline.
				s.Preset = DefaultSettings().Preset
				mode.apply(&s)
				evs := renderOK(t, s)
				checkMode(t, mode, evs)
				fin := lastFinished(t, evs)
				info, err := os.Stat(out)
				if err != nil {
					t.Fatal(err)
				}
				if fin.Size != info.Size() || fin.Size <= 0 {
					t.Errorf("Finished.Size = %d, file is %d bytes", fin.Size, info.Size())
				}
				checkDirHolds(t, odir, filepath.Base(out))
				pr := ffprobeJSON(t, out, false)
				st := pr.video(t)
				if pr.Format.FormatName != tt.format {
					t.Errorf("format %q, want %q", pr.Format.FormatName, tt.format)
				}
				if st.CodecName != "h264" || st.PixFmt != "yuv420p" || (st.Profile != "High" && st.Profile != "Main") {
					t.Errorf("stream: codec %s, pix_fmt %s, profile %s; want h264 yuv420p High or Main", st.CodecName, st.PixFmt, st.Profile)
				}
				if st.Width != 128 || st.Height != 96 {
					t.Errorf("size %dx%d", st.Width, st.Height)
				}
				if tt.faststart {
					atoms := topLevelAtoms(t, out)
					m, d := indexOfString(atoms, "moov"), indexOfString(atoms, "mdat")
					if m < 0 || d < 0 || m > d {
						t.Errorf("top-level atoms %v: want moov before mdat", atoms)
					}
					if atoms[0] != "ftyp" {
						t.Errorf("first atom %q, want ftyp", atoms[0])
					}
				}
				// A full decode reports nothing at all.
				cmd := exec.Command(ffmpegBin, "-v", "error", "-i", "file:"+out, "-f", "null", "-")
				msg, err := cmd.CombinedOutput()
				if err != nil || len(strings.TrimSpace(string(msg))) > 0 {
					t.Errorf("decoding %s: %v %s", tt.ext, err, msg)
				}
				f := decodeFrame(t, out, 2)
				for i, b := range blockColors {
					checkColor(t, b.Name, f, insetRect(cardBlockRect(i, 128, 96), 8), b.C, 12)
				}
			})
		}
	}
}

// renderModes are the two ways a file is rendered: every frame encoded,
// or the still path (one segment encoded, then copied), which Start picks
// for anything longer than a segment.
var renderModes = []struct {
	name  string
	still bool
	apply func(*Settings)
}{
	{"per-frame", false, func(s *Settings) { s.NoFastPath = true }},
	{"still", true, func(s *Settings) {
		// Two segments (at most 10 s each) and a part: the shortest video
		// the still path encodes less of.
		s.Duration = 23 * time.Second
	}},
}

// checkMode fails unless the events show the path the mode asks for: the
// still path reports an assembling phase, the per-frame path never does.
func checkMode(t *testing.T, mode struct {
	name  string
	still bool
	apply func(*Settings)
}, evs []timedEvent) {
	t.Helper()
	assembled := false
	for _, ev := range evs {
		if p, ok := ev.Event.(Progress); ok && p.Phase == PhaseAssemble {
			assembled = true
		}
	}
	if assembled != mode.still {
		t.Errorf("%s render: assembling phase seen = %v", mode.name, assembled)
	}
}

// TestStillPathKeyframes: the still path's output has a keyframe at least
// every 10 s, the first at 0, and every frame of it decodes to the image.
func TestStillPathKeyframes(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	dir := t.TempDir()
	img := writePNG(t, dir, "in.png", solidImage(64, 36, color.RGBA{200, 100, 50, 255}))
	out := filepath.Join(dir, "long.mp4")
	s := testSettings(img, out)
	s.FPS, s.Duration = 30, 45*time.Second
	checkMode(t, renderModes[1], renderOK(t, s))
	cmd := exec.Command(ffprobeBin, "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags",
		"-of", "csv=p=0", "file:"+out)
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("ffprobe packets: %v %s", err, stderrOf(err))
	}
	var keys []float64
	n := 0
	prev := -1.0
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		f := strings.Split(line, ",")
		if len(f) < 2 {
			t.Fatalf("packet line %q", line)
		}
		pts, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			t.Fatalf("packet line %q: %v", line, err)
		}
		if pts <= prev {
			t.Fatalf("packet %d: pts %.3f after %.3f", n, pts, prev)
		}
		prev = pts
		if strings.Contains(f[1], "K") {
			keys = append(keys, pts)
		}
		n++
	}
	if n != 1350 {
		t.Errorf("%d packets, want 1350", n)
	}
	if len(keys) == 0 || keys[0] != 0 {
		t.Fatalf("keyframes at %v: want the first at 0", keys)
	}
	keys = append(keys, 45)
	for i := 1; i < len(keys); i++ {
		if gap := keys[i] - keys[i-1]; gap > 10+1e-6 {
			t.Errorf("%.2f s without a keyframe after %.2f s", gap, keys[i-1])
		}
	}
	// Decoding the whole file reports nothing, and the frames around a
	// segment joint and the very last one show the image.
	msg, err := exec.Command(ffmpegBin, "-v", "error", "-i", "file:"+out, "-f", "null", "-").CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(msg))) > 0 {
		t.Errorf("decoding: %v %s", err, msg)
	}
	seg := stillSegmentFrames(s.FPS)
	for _, n := range []int{0, seg - 1, seg, 1349} {
		f := decodeFrame(t, out, n)
		checkColor(t, fmt.Sprintf("frame %d", n), f, insetRect(f.Bounds(), 4), color.RGBA{200, 100, 50, 255}, 8)
	}
}

// TestRenderFitModes renders a wide image onto a square canvas with each
// fit and checks bars, crop and stretch in the decoded frame.
func TestRenderFitModes(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	dir := t.TempDir()
	// 240×80: left third red, middle green, right third blue.
	src := image.NewRGBA(image.Rect(0, 0, 240, 80))
	for y := 0; y < 80; y++ {
		for x := 0; x < 240; x++ {
			src.SetRGBA(x, y, []color.RGBA{tRed, tGreen, tBlue}[x/80])
		}
	}
	img := writePNG(t, dir, "wide.png", src)
	bg := color.RGBA{255, 255, 0, 255}
	type region struct {
		r image.Rectangle
		c color.RGBA
	}
	tests := []struct {
		fit  Fit
		want []region
	}{
		{FitLetterbox, []region{
			{image.Rect(0, 0, 120, 36), bg},   // top bar: (120-40)/2 = 40 rows
			{image.Rect(0, 84, 120, 120), bg}, // bottom bar
			{image.Rect(4, 44, 36, 76), tRed},
			{image.Rect(44, 44, 76, 76), tGreen},
			{image.Rect(84, 44, 116, 76), tBlue},
		}},
		{FitCrop, []region{{image.Rect(4, 4, 116, 116), tGreen}}},
		{FitStretch, []region{
			{image.Rect(4, 4, 36, 116), tRed},
			{image.Rect(44, 4, 76, 116), tGreen},
			{image.Rect(84, 4, 116, 116), tBlue},
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.fit), func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "fit.mkv")
			s := testSettings(img, out)
			s.Size, s.Fit, s.Background = Size{W: 120, H: 120}, tt.fit, bg
			renderOK(t, s)
			f := decodeFrame(t, out, 0)
			for _, r := range tt.want {
				checkColor(t, string(tt.fit), f, r.r, r.c, 8)
			}
		})
	}
}

// TestRenderAwkwardPaths renders with names that trip up a shell or
// ffmpeg's own parsing: a TMPDIR with spaces and a colon (the frame pipe
// lives there), relative paths, and a target that starts with a dash and
// holds a colon and non-ASCII letters. Not parallel: it sets TMPDIR and
// changes the working folder.
func TestRenderAwkwardPaths(t *testing.T) {
	needFFmpeg(t)
	base := t.TempDir()
	tmp := filepath.Join(base, "my temp: dir -y")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", tmp)
	work := filepath.Join(base, "wörk dir")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	writePNG(t, work, "-i pic: 1.png", solidImage(64, 48, color.RGBA{10, 200, 30, 255}))
	for _, mode := range renderModes {
		t.Run(mode.name, func(t *testing.T) {
			out := "-y Vidéo: take 1 " + mode.name + ".mp4"
			s := testSettings("-i pic: 1.png", out)
			mode.apply(&s)
			checkMode(t, mode, renderOK(t, s))
			f := decodeFrame(t, filepath.Join(work, out), 0)
			checkColor(t, out, f, insetRect(f.Bounds(), 4), color.RGBA{10, 200, 30, 255}, 8)
		})
	}
	checkDirHolds(t, work, "-i pic: 1.png", "-y Vidéo: take 1 per-frame.mp4", "-y Vidéo: take 1 still.mp4")
	if left := stillcastTemps(t, tmp); len(left) > 0 {
		t.Errorf("temporary folders left: %v", left)
	}
}
