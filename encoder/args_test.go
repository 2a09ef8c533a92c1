package encoder

import (
	"bytes"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/picture"
)

// optAfter returns the value that follows the first occurrence of opt in
// args at or after index from, and its index; -1 when absent.
func optAfter(args []string, opt string, from int) (string, int) {
	for i := from; i < len(args)-1; i++ {
		if args[i] == opt {
			return args[i+1], i
		}
	}
	return "", -1
}

func TestFFmpegArgs(t *testing.T) {
	t.Parallel()
	mp4, _ := ContainerFor("x.mp4")
	mov, _ := ContainerFor("x.mov")
	mkv, _ := ContainerFor("x.mkv")
	flv, _ := ContainerFor("x.flv")
	ts, _ := ContainerFor("x.ts")
	tests := []struct {
		name string
		plan encodePlan
	}{
		{"mp4 SD", encodePlan{Input: "/tmp/stillcast-1/frames.yuv", Width: 640, Height: 360, FPS: 25, Matrix: picture.BT601(), Preset: "veryfast", CRF: 20, Container: mp4, Output: "/out/.v.stillcast-1.part"}},
		{"mov HD", encodePlan{Input: "/p/frames.yuv", Width: 1280, Height: 720, FPS: 30, Matrix: picture.BT709(), Preset: "slow", CRF: 18, Container: mov, Output: "/o/x.part"}},
		{"mkv", encodePlan{Input: "-i", Width: 2, Height: 2, FPS: 1, Matrix: picture.BT601(), Preset: "ultrafast", CRF: 51, Container: mkv, Output: "-y"}},
		{"flv", encodePlan{Input: "in", Width: 1920, Height: 1080, FPS: 60, Matrix: picture.BT709(), Preset: "medium", CRF: 1, Container: flv, Output: "rtmp://host/x"}},
		{"ts", encodePlan{Input: "in", Width: 3840, Height: 2160, FPS: 120, Matrix: picture.BT709(), Preset: "veryslow", CRF: 30, Container: ts, Output: "out"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.plan
			args := ffmpegArgs(p)
			if len(args) == 0 || args[0] == "ffmpeg" {
				t.Fatalf("args %q include the program name or are empty", args)
			}
			in, iIdx := optAfter(args, "-i", 0)
			if in != "file:"+p.Input {
				t.Fatalf("-i %q, want %q", in, "file:"+p.Input)
			}
			if strings.Count(strings.Join(args, "\x00"), "\x00-i\x00") != 1 {
				t.Errorf("want exactly one -i in %q", args)
			}
			// The output is the very last argument, behind file:.
			if lastOf := args[len(args)-1]; lastOf != "file:"+p.Output {
				t.Errorf("last argument %q, want %q", lastOf, "file:"+p.Output)
			}
			// Global options first.
			for _, opt := range []string{"-nostdin", "-hide_banner", "-nostats"} {
				if i := indexOfString(args, opt); i < 0 || i > iIdx {
					t.Errorf("%s missing or after -i: %q", opt, args)
				}
			}
			if v, i := optAfter(args, "-progress", 0); v != "pipe:1" || i > iIdx {
				t.Errorf("-progress %q at %d, want pipe:1 before -i", v, i)
			}
			if v, _ := optAfter(args, "-stats_period", 0); v != progressInterval {
				t.Errorf("-stats_period %q", v)
			}
			if v, _ := optAfter(args, "-loglevel", 0); v != "warning" && v != "error" {
				t.Errorf("-loglevel %q: stderr must carry problems only", v)
			}
			// Input group: raw yuv420p of the plan's size and rate, tagged, before -i.
			wantIn := map[string]string{
				"-f": "rawvideo", "-pix_fmt": "yuv420p",
				"-video_size": strconv.Itoa(p.Width) + "x" + strconv.Itoa(p.Height),
				"-framerate":  strconv.Itoa(p.FPS),
				"-colorspace": p.Matrix.Colorspace, "-color_primaries": "bt709", "-color_trc": "bt709", "-color_range": "tv",
			}
			for opt, want := range wantIn {
				v, i := optAfter(args, opt, 0)
				if v != want || i < 0 || i > iIdx {
					t.Errorf("input option %s = %q at %d (-i at %d), want %q before -i", opt, v, i, iIdx, want)
				}
			}
			// Output group, after -i.
			wantOut := map[string]string{
				"-c:v:0": "libx264", "-preset": p.Preset, "-crf": strconv.Itoa(p.CRF), "-profile:v:0": "high",
				"-pix_fmt:v:0": "yuv420p", "-f": p.Container.Format, "-map": "0:v:0",
				"-colorspace": p.Matrix.Colorspace, "-color_primaries": "bt709", "-color_trc": "bt709", "-color_range": "tv",
			}
			for opt, want := range wantOut {
				if v, i := optAfter(args, opt, iIdx+2); v != want || i < 0 {
					t.Errorf("output option %s = %q, want %q after -i", opt, v, want)
				}
			}
			if indexOfString(args[iIdx:], "-y") < 0 {
				t.Errorf("-y missing after -i: the reserved temporary file exists already")
			}
			fs, _ := optAfter(args, "-movflags", 0)
			if p.Container.FastStart != strings.Contains(fs, "faststart") {
				t.Errorf("-movflags %q for %s (faststart %v)", fs, p.Container.Format, p.Container.FastStart)
			}
			// -f of the output comes after the encoder options and right
			// before the output: a later -f would apply to nothing.
			if _, fi := optAfter(args, "-f", iIdx); fi < 0 || fi < indexOfString(args, "-c:v:0") {
				t.Errorf("output -f misplaced in %q", args)
			}
			for _, a := range args {
				if strings.ContainsAny(a, "\n\x00") {
					t.Errorf("argument %q holds a newline or NUL", a)
				}
			}
		})
	}
}

// TestFFmpegArgsRunRealFFmpeg proves the argument list works: the real
// ffmpeg reads raw frames through it, from and to names that would
// otherwise read as an option or a protocol, and writes a playable,
// correctly tagged file, reporting progress the parser understands.
func TestFFmpegArgsRunRealFFmpeg(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	for _, ext := range []string{".mp4", ".mkv"} {
		t.Run(ext, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			const w, h, frames = 64, 48, 7
			frame := picture.ToYUV420(solidImage(w, h, color.RGBA{200, 60, 30, 255}), picture.BT601())
			in := "-frames:v 1.yuv"       // reads as an option without file:
			out := "http:clip -y 1" + ext // reads as a URL without file:
			if err := os.WriteFile(filepath.Join(dir, in), bytes.Repeat(frame, frames), 0o644); err != nil {
				t.Fatal(err)
			}
			c, _ := ContainerFor(out)
			args := ffmpegArgs(encodePlan{Input: in, Width: w, Height: h, FPS: 10, Matrix: picture.BT601(),
				Preset: "ultrafast", CRF: 20, Container: c, Output: out})
			cmd := exec.Command(ffmpegBin, args...)
			cmd.Dir = dir
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("ffmpeg %q: %v\n%s", args, err, stderr.String())
			}
			// A regular file as input (the real one is a FIFO) makes the
			// rawvideo demuxer guess the duration from the file size; any
			// other word on stderr is a problem.
			for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
				if line != "" && !strings.Contains(line, "Estimating duration from bitrate") {
					t.Errorf("ffmpeg wrote to stderr on a clean run: %s", line)
				}
			}
			checkDirHolds(t, dir, in, out)
			path := filepath.Join(dir, out)
			pr := ffprobeJSON(t, path, true)
			st := pr.video(t)
			if st.CodecName != "h264" || st.Width != w || st.Height != h || st.PixFmt != "yuv420p" ||
				st.NbReadFrames != strconv.Itoa(frames) || st.RFrameRate != "10/1" {
				t.Errorf("stream %+v", st)
			}
			if st.ColorSpace != "smpte170m" || st.ColorRange != "tv" || st.ColorPrimaries != "bt709" || st.ColorTransfer != "bt709" {
				t.Errorf("colour tags %s/%s/%s/%s", st.ColorSpace, st.ColorRange, st.ColorPrimaries, st.ColorTransfer)
			}
			if ext == ".mp4" {
				atoms := topLevelAtoms(t, path)
				if m, d := indexOfString(atoms, "moov"), indexOfString(atoms, "mdat"); m < 0 || d < 0 || m > d {
					t.Errorf("atoms %v: want moov before mdat", atoms)
				}
			}
			img := decodeFrame(t, path, frames-1)
			checkColor(t, "last frame", img, insetRect(img.Bounds(), 8), color.RGBA{200, 60, 30, 255}, 6)

			// The progress on stdout parses into blocks ending with "end"
			// at the last frame.
			blocks := ffmpeg.ParseProgress(stdout.String())
			if len(blocks) == 0 {
				t.Fatalf("no progress blocks in %q", stdout.String())
			}
			lastOf := blocks[len(blocks)-1]
			if !lastOf.End || lastOf.Frame != frames || lastOf.OutTime <= 0 || lastOf.Size <= 0 {
				t.Errorf("last progress block %+v, want End at frame %d with time and size", lastOf, frames)
			}
			for _, b := range blocks[:len(blocks)-1] {
				if b.End {
					t.Errorf("End before the last block: %+v", blocks)
				}
			}
		})
	}
}

// TestFFmpegArgsMoving: moving frames are never tuned for a still; at the
// default veryfast they take superfast with the macroblock tree kept, and
// any other preset as chosen.
func TestFFmpegArgsMoving(t *testing.T) {
	for _, c := range []struct {
		preset string
		moving bool
		want   []string
	}{
		{"veryfast", false, []string{"-preset", "veryfast", "-tune", "stillimage"}},
		{"veryfast", true, []string{"-preset", "superfast", "-x264-params", "mbtree=1:rc-lookahead=10"}},
		{"slow", true, []string{"-preset", "slow"}},
		{"ultrafast", true, []string{"-preset", "ultrafast"}},
	} {
		args := ffmpegArgs(encodePlan{Input: "in", Width: 64, Height: 36, FPS: 25, Matrix: picture.BT601(), Preset: c.preset, CRF: 20,
			Container: Containers()[0], Output: "out", Moving: c.moving})
		at := indexOfString(args, "-preset")
		if at < 0 || at+len(c.want) > len(args) || !slices.Equal(args[at:at+len(c.want)], c.want) || c.moving && indexOfString(args, "-tune") >= 0 {
			t.Errorf("preset %s, moving %v: %q, want %q (and no -tune when moving)", c.preset, c.moving, args, c.want)
		}
	}
}
