package encoder

// Tests with ffmpeg 4.1, the oldest ffmpeg Stillcast supports: a static
// build of it (and an ffprobe of its time) that `make ffmpeg41` fetches,
// found through $STILLCAST_TEST_FFMPEG41. The checks are those the same
// jobs pass with the system's ffmpeg; the outputs are read back with the
// system's ffprobe and ffmpeg (that static ffprobe of 2019 crashes on any
// MPEG-TS file, which is no fault of the output).

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

// FFmpeg41Env names the folder that holds ffmpeg 4.1 and its ffprobe.
// `make test` fetches them (make ffmpeg41) and sets it.
const FFmpeg41Env = "STILLCAST_TEST_FFMPEG41"

// FFmpeg41 is the path of ffmpeg 4.1, with its ffprobe beside it. It skips
// the test when $STILLCAST_TEST_FFMPEG41 is unset, and fails it when the
// folder lacks them.
func FFmpeg41(t testing.TB) string {
	t.Helper()
	dir := os.Getenv(FFmpeg41Env)
	if dir == "" {
		t.Skip("ffmpeg 4.1 is not here: run `make ffmpeg41` and set " + FFmpeg41Env +
			"=~/.cache/stillcast/ffmpeg-4.1 (make test does both)")
	}
	for _, name := range []string{"ffmpeg", "ffprobe"} {
		if info, err := os.Stat(filepath.Join(dir, name)); err != nil || info.Mode()&0o111 == 0 {
			t.Fatalf("%s=%s, but it holds no %s program (%v): run make ffmpeg41", FFmpeg41Env, dir, name, err)
		}
	}
	return filepath.Join(dir, "ffmpeg")
}

// TestInspectFFmpeg41: the static 4.1 is a build from git, whose age
// only its libavutil tells; it has libx264 and no -stats_period. The
// system's ffmpeg is 4.4 or newer and takes it.
func TestInspectFFmpeg41(t *testing.T) {
	t.Parallel()
	bin := FFmpeg41(t)
	b, err := ffmpeg.Inspect(context.Background(), bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ffmpeg 4.1: %s", b.Describe())
	if !b.Known || b.Release != (ffmpeg.Release{Major: 4, Minor: 1}) || !b.Libx264 || b.StatsPeriod {
		t.Errorf("Inspect = %+v, want release 4.1 with libx264 and no -stats_period", b)
	}
	if err := checkBuild(b, bin); err != nil {
		t.Errorf("checkBuild refuses 4.1: %v", err)
	}
	if lim := limitsOf(b); !lim.NoStatsPeriod {
		t.Errorf("limits %+v, want NoStatsPeriod", lim)
	}

	needFFmpeg(t)
	sys, err := ffmpeg.Inspect(context.Background(), ffmpegBin)
	if err != nil {
		t.Fatal(err)
	}
	if !sys.Known || sys.Release.Before(ffmpeg.Release{Major: 4, Minor: 4}) || !sys.StatsPeriod || !sys.Libx264 {
		t.Errorf("the system's ffmpeg: %+v, want 4.4 or newer with libx264 and -stats_period", sys)
	}
}

// TestFFmpeg41Renders: with ffmpeg 4.1, the still path and the per-frame
// path make exactly fps × duration frames, as TestRenderFrameCount checks
// with the system's ffmpeg, and progress still arrives, at ffmpeg's own
// pace.
func TestFFmpeg41Renders(t *testing.T) {
	t.Parallel()
	bin := FFmpeg41(t)
	needFFmpeg(t)
	img := writePNG(t, t.TempDir(), "in.png", solidImage(64, 36, color.RGBA{90, 90, 200, 255}))
	tests := []struct {
		name    string
		fps     int
		d       time.Duration
		ext     string
		perPath bool // NoFastPath: encode every frame
		still   bool // takes the still path
	}{
		{"still path mp4", 25, 23 * time.Second, ".mp4", false, true},
		{"still path mkv", 30, 21 * time.Second, ".mkv", false, true},
		{"still path ts", 60, 21 * time.Second, ".ts", false, true},
		{"per-frame mp4", 25, 11320 * time.Millisecond, ".mp4", true, false},
		{"per-frame mov", 24, 2 * time.Second, ".mov", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := testSettings(img, filepath.Join(t.TempDir(), "v"+tt.ext))
			s.FPS, s.Duration, s.NoFastPath, s.FFmpeg = tt.fps, tt.d, tt.perPath, bin
			evs := checkFrameCount(t, s, color.RGBA{90, 90, 200, 255})
			if got := sawPhase(evs, PhaseAssemble); got != tt.still {
				t.Errorf("took the still path: %v, want %v", got, tt.still)
			}
			var last Progress
			for _, ev := range evs {
				if p, ok := ev.Event.(Progress); ok {
					last = p
				}
			}
			if last.Fraction != 1 || last.Frame != last.TotalFrames {
				t.Errorf("last Progress %+v, want every frame done", last)
			}
		})
	}
}

// TestFFmpeg41SongVideo: a song video made with ffmpeg 4.1 and read with
// its own ffprobe passes TestSongVideoFollowsTheAudio's checks.
func TestFFmpeg41SongVideo(t *testing.T) {
	t.Parallel()
	bin := FFmpeg41(t)
	needFFmpeg(t)
	checkSongVideo(t, bin)
}

// TestFFmpeg41ThatDoesNotSayWhatItIs: an ffmpeg 4.1 that does not answer
// -version (too slow on a first start under Wine or a virus scanner, or
// a wrapper) is taken for the oldest Stillcast works with, so its jobs
// ask for nothing 4.1 lacks, and the render still makes every frame.
func TestFFmpeg41ThatDoesNotSayWhatItIs(t *testing.T) {
	t.Parallel()
	bin := FFmpeg41(t)
	needFFmpeg(t)
	dir := t.TempDir()
	mute := filepath.Join(dir, "ffmpeg")
	script := "#!/bin/sh\ncase \" $* \" in *\" -version \"*) echo 'no version here' >&2; exit 1 ;; esac\nexec '" + bin + "' \"$@\"\n"
	if err := os.WriteFile(mute, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(filepath.Dir(bin), "ffprobe"), filepath.Join(dir, "ffprobe")); err != nil {
		t.Fatal(err)
	}
	if lim, err := inspectFFmpeg(t.Context(), mute); err != nil || lim != oldestLimits() {
		t.Fatalf("inspectFFmpeg = %+v, %v; want the oldest ffmpeg's limits %+v", lim, err, oldestLimits())
	}
	for _, perFrame := range []bool{false, true} {
		s := testSettings(filepath.Join(dir, "in.png"), filepath.Join(dir, fmt.Sprintf("v-%v.mp4", perFrame)))
		writePNG(t, dir, "in.png", solidImage(64, 36, color.RGBA{200, 90, 90, 255}))
		s.FPS, s.Duration, s.NoFastPath, s.FFmpeg = 25, 12*time.Second, perFrame, mute
		checkFrameCount(t, s, color.RGBA{200, 90, 90, 255})
	}
}

// TestFFmpeg41EachAndAlbum: one video per song and the album video, made
// by ffmpeg 4.1 (its concat demuxer cuts the picture's copies, and its
// muxer takes the joined audio), each as long as its song to the frame.
func TestFFmpeg41EachAndAlbum(t *testing.T) {
	bin := FFmpeg41(t)
	needFFmpeg(t)
	songs := fiveSongs()[:3]
	dir := makeAlbum(t, songs)
	out := t.TempDir()
	s := eachSettings(dir, out)
	s.Album, s.FFmpeg = true, bin
	if _, _, err := runBatch(t, s); err != nil {
		t.Fatalf("batch with ffmpeg 4.1: %v", err)
	}
	checkDirHolds(t, out, "01 - Opening.mp4", "02 - Second_ Song_.mp4", "03 - Third.mp4", "Test Album.mp4", "Test Album.tracklist.txt")
	if chs := probeChapters(t, filepath.Join(out, "Test Album.mp4")); len(chs) != 3 {
		t.Errorf("the album has %d chapters, want 3", len(chs))
	}
	var total float64
	for i, name := range []string{"01 - Opening.mp4", "02 - Second_ Song_.mp4", "03 - Third.mp4"} {
		secs := decodedSeconds(t, filepath.Join(dir, songs[i].File), songs[i].Rate)
		total += secs
		if n := ffprobeJSON(t, filepath.Join(out, name), true).firstVideo(t).frames(t); math.Abs(float64(n)-secs*25) > 1 {
			t.Errorf("%s: %d frames for %.3f s of audio", name, n, secs)
		}
	}
	if n := ffprobeJSON(t, filepath.Join(out, "Test Album.mp4"), true).firstVideo(t).frames(t); math.Abs(float64(n)-total*25) > 1 {
		t.Errorf("album: %d frames for %.3f s of audio", n, total)
	}
}
