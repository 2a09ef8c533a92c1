package encoder

import (
	"context"
	"encoding/json"
	"errors"
	"image/color"
	"math"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestValidateKeyframeInterval(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		d    time.Duration
		live bool
		ok   bool
	}{
		{0, false, true}, {time.Second, false, true}, {10 * time.Minute, false, true}, {90 * time.Second, false, true},
		{999 * time.Millisecond, false, false}, {10*time.Minute + time.Second, false, false}, {-time.Second, false, false},
		{0, true, true}, {5 * time.Second, true, false},
	} {
		s := testSettings("a.png", "/v/a.mp4")
		s.KeyframeInterval = c.d
		if c.live {
			s.Output, s.Live = "", Live{Destinations: []Destination{{URL: "rtmp://127.0.0.1/live", Key: "k"}}}
		}
		err := s.Validate()
		fe := FieldErrors(err)
		switch {
		case c.ok && err != nil:
			t.Errorf("%v (live %v): %v", c.d, c.live, err)
		case !c.ok && (len(fe) != 1 || fe[0].Field != "keyframe-interval"):
			t.Errorf("%v (live %v): %v, want one keyframe-interval error", c.d, c.live, err)
		}
	}
}

// TestRepeatGap: 10 s up to an hour; past it at most 300 keyframes, in
// whole seconds, from 10 s to 2 min apart; the user's choice above all.
func TestRepeatGap(t *testing.T) {
	t.Parallel()
	s := DefaultSettings()
	for d, want := range map[time.Duration]time.Duration{
		time.Minute: 10 * time.Second, time.Hour: 10 * time.Second, time.Hour + time.Second: 13 * time.Second,
		2 * time.Hour: 24 * time.Second, 5 * time.Hour: time.Minute, 10 * time.Hour: 2 * time.Minute, 24 * time.Hour: 2 * time.Minute,
	} {
		if got := repeatGap(s, d); got != want {
			t.Errorf("repeatGap(%v) = %v, want %v", d, got, want)
		}
	}
	s.KeyframeInterval = 3 * time.Second
	if got := repeatGap(s, 10*time.Hour); got != 3*time.Second {
		t.Errorf("the user's 3 s became %v", got)
	}
}

// TestRepeatSegment: the segment, from the gap down to nine tenths of
// it, that leaves the fewest frames after its whole repetitions.
func TestRepeatSegment(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ total, gap, k, rest int }{
		{15000, 250, 250, 0},            // ten minutes: whole 10 s segments
		{1526, 250, 250, 26},            // nothing from 225 to 249 leaves fewer
		{5187, 250, 247, 0},             // a song of 3:27.48
		{30000, 175, 163, 8},            // TestLongStill
		{900_000 + 4321, 3000, 2880, 1}, // ten hours and 3 minutes: not 2 minutes more to encode
		{10, 1, 1, 0},
	} {
		k, rest := repeatSegment(c.total, c.gap)
		if k != c.k || rest != c.rest || c.total%k != rest || k > c.gap || k < c.gap-c.gap/10 {
			t.Errorf("repeatSegment(%d, %d) = %d, %d; want %d, %d", c.total, c.gap, k, rest, c.k, c.rest)
		}
	}
}

// lsPacket is a video packet: its timestamps in the stream's time base.
type lsPacket struct {
	PTS, DTS int64
	Key      bool
}

func lsPackets(t *testing.T, path string) ([]lsPacket, string) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
		"stream=time_base:packet=pts,dts,flags", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var r struct {
		Packets []struct {
			PTS   int64  `json:"pts"`
			DTS   int64  `json:"dts"`
			Flags string `json:"flags"`
		}
		Streams []struct {
			TimeBase string `json:"time_base"`
		}
	}
	if err := json.Unmarshal(out, &r); err != nil || len(r.Streams) != 1 {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	ps := make([]lsPacket, len(r.Packets))
	for i, p := range r.Packets {
		ps[i] = lsPacket{p.PTS, p.DTS, strings.HasPrefix(p.Flags, "K")}
	}
	return ps, r.Streams[0].TimeBase
}

// TestLongStill renders 20 minutes at 25 fps with keyframes at most 7 s
// apart, which do not divide the video (30000 frames: 184 segments of 163
// frames, the fewest left over from 158 to 175, and a last one of 8), by
// the Go writer alone (MP4) and with ffmpeg's remux (Matroska), and
// checks what a player relies on: every frame, decoded in order and shown
// exactly a frame apart from 0 (B-frames reorder them), keyframes where
// planned, a clean decode, seeking to any time, and the index first in
// the MP4.
func TestLongStill(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	dir := t.TempDir()
	blue := color.RGBA{40, 60, 200, 255}
	img := writePNG(t, dir, "still.png", solidImage(160, 90, blue))
	for _, ext := range []string{".mp4", ".mkv"} {
		t.Run(ext, func(t *testing.T) {
			t.Parallel()
			s := testSettings(img, filepath.Join(dir, "long"+ext))
			s.Duration, s.KeyframeInterval = 20*time.Minute, 7*time.Second
			s.Preset = "veryfast" // the default, with B-frames; the tests' ultrafast has none
			evs := renderOK(t, s)
			if !sawPhase(evs, PhaseAssemble) {
				t.Fatal("the still path was not taken")
			}
			ps, tb := lsPackets(t, s.Output)
			if len(ps) != 30000 {
				t.Fatalf("%d frames, want 30000", len(ps))
			}
			num, den, _ := strings.Cut(tb, "/")
			n, _ := strconv.ParseFloat(num, 64)
			d, _ := strconv.ParseFloat(den, 64)
			step := d / n / 25 // ticks a frame
			shown := make([]int64, len(ps))
			for i, p := range ps {
				// Matroska keeps no decode times: ffprobe guesses some, or none.
				if ext == ".mp4" && i > 0 && (p.DTS <= ps[i-1].DTS || p.PTS < p.DTS) {
					t.Fatalf("packet %d: pts %d dts %d after dts %d", i, p.PTS, p.DTS, ps[i-1].DTS)
				}
				if p.Key != (i%163 == 0) {
					t.Fatalf("packet %d: keyframe %v; want one every 163 frames", i, p.Key)
				}
				shown[i] = p.PTS
			}
			slices.Sort(shown)
			for i, pts := range shown {
				if want := math.Round(float64(i) * step); float64(pts) != want {
					t.Fatalf("the %d-th frame shown is at %d, want %v (time base %s)", i, pts, want, tb)
				}
			}
			if reordered := slices.ContainsFunc(ps, func(p lsPacket) bool { return p.PTS != p.DTS }); ext == ".mp4" && !reordered {
				t.Error("no B-frames: the segment is encoded without them")
			}
			if msg, err := exec.Command("ffmpeg", "-v", "error", "-i", s.Output, "-f", "null", "-").CombinedOutput(); err != nil || len(msg) > 0 {
				t.Fatalf("decoding: %v %s", err, msg)
			}
			for _, at := range []string{"0", "6.96", "7", "613.3", "1199.96"} {
				out, err := exec.Command("ffmpeg", "-v", "error", "-ss", at, "-i", s.Output, "-frames:v", "1",
					"-f", "rawvideo", "-pix_fmt", "rgb24", "-").Output()
				if err != nil || len(out) != 160*90*3 {
					t.Fatalf("seeking to %s s: %v (%d bytes)", at, err, len(out))
				}
				var sum [3]float64
				for i := 0; i < len(out); i += 3 {
					sum[0], sum[1], sum[2] = sum[0]+float64(out[i]), sum[1]+float64(out[i+1]), sum[2]+float64(out[i+2])
				}
				px := float64(160 * 90)
				if math.Abs(sum[0]/px-40) > 6 || math.Abs(sum[1]/px-60) > 6 || math.Abs(sum[2]/px-200) > 6 {
					t.Errorf("at %s s the frame is %.0f,%.0f,%.0f, want 40,60,200", at, sum[0]/px, sum[1]/px, sum[2]/px)
				}
			}
			if ext == ".mp4" {
				atoms := topLevelAtoms(t, s.Output)
				if moov, mdat := indexOfString(atoms, "moov"), indexOfString(atoms, "mdat"); moov < 0 || moov > mdat {
					t.Errorf("atoms %v: the index is not first", atoms)
				}
			}
		})
	}
}

// TestLongStillWithSongAndCover: a still with a song longer than a few
// segments goes through the Go writer and then ffmpeg's remux, which
// copies the song's mp3 and puts the cover in, with every frame.
func TestLongStillWithSongAndCover(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	dir := t.TempDir()
	song := makeTone(t, dir, "song.mp3", 440, 47.3, "-c:a", "libmp3lame", "-b:a", "128k")
	s := testSettings(writePNG(t, dir, "cover.png", colorCard(320, 180)), filepath.Join(dir, "song.mp4"))
	s.Audio, s.Duration = []string{song}, 0
	evs := renderOK(t, s)
	fin := lastFinished(t, evs)
	pr := ffprobeJSON(t, s.Output, true)
	var codecs []string
	for _, st := range pr.Streams {
		codecs = append(codecs, st.CodecType+":"+st.CodecName)
	}
	if strings.Join(codecs, " ") != "video:h264 audio:mp3 video:mjpeg" {
		t.Errorf("streams %v, want the video, the song copied and the cover", codecs)
	}
	frames, _ := strconv.Atoi(pr.firstVideo(t).NbReadFrames) // decoded, every one
	want := int(math.Round(fin.Duration.Seconds() * 25))
	if frames != want || want < 1180 {
		t.Errorf("%d frames, want %d", frames, want)
	}
	if msg, err := exec.Command("ffmpeg", "-v", "error", "-i", s.Output, "-f", "null", "-").CombinedOutput(); err != nil || len(msg) > 0 {
		t.Fatalf("decoding: %v %s", err, msg)
	}
}

// TestLongStillCancelled cancels while the Go writer's output is
// remuxed: nothing of the job is left, no .part, no work folder, no
// ffmpeg. Not parallel: it points TMPDIR at a folder of its own.
func TestLongStillCancelled(t *testing.T) {
	needFFmpeg(t)
	tmp := isolateTemp(t)
	dir := t.TempDir()
	img := writePNG(t, dir, "still.png", solidImage(64, 36, color.RGBA{200, 40, 40, 255}))
	s := testSettings(img, filepath.Join(dir, "day.mkv"))
	s.Duration = 24 * time.Hour // 2.16 million frames: the remux takes a while
	j, err := Start(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	waitProgress(t, j, func(p Progress) bool { return p.Phase == PhaseAssemble })
	j.Cancel()
	if _, err := collectEvents(t, j, time.Minute); !errors.Is(err, ErrCancelled) {
		t.Fatalf("Wait = %v, want ErrCancelled", err)
	}
	checkDirHolds(t, dir, "still.png")
	if left := stillcastTemps(t, tmp); len(left) > 0 {
		t.Errorf("temporary folders left in %s: %v", tmp, left)
	}
	checkNoLeftoverProcesses(t, []string{dir, tmp})
}

// TestLongStillFFmpeg41: ffmpeg 4.1 encodes the segment and remuxes; its
// own decoder plays the Go writer's MP4 cleanly, every frame.
func TestLongStillFFmpeg41(t *testing.T) {
	t.Parallel()
	bin := FFmpeg41(t)
	needFFmpeg(t)
	dir := t.TempDir()
	img := writePNG(t, dir, "still.png", solidImage(64, 36, color.RGBA{90, 90, 200, 255}))
	for _, ext := range []string{".mp4", ".mkv"} {
		s := testSettings(img, filepath.Join(dir, "old"+ext))
		s.FFmpeg, s.Duration, s.KeyframeInterval = bin, 3*time.Minute+130*time.Millisecond, 4*time.Second
		s.Preset = "veryfast" // with B-frames, as ffmpeg 4.1's muxer writes them into the segments
		if !sawPhase(renderOK(t, s), PhaseAssemble) {
			t.Fatalf("%s: the still path was not taken", ext)
		}
		out, err := exec.Command(bin, "-v", "error", "-i", s.Output, "-map", "0:v:0", "-f", "framemd5", "-").CombinedOutput()
		if err != nil {
			t.Fatalf("%s: ffmpeg 4.1 decoding: %v\n%s", ext, err, out)
		}
		if frames := strings.Count(string(out), "\n0,"); frames != s.TotalFrames() || strings.Contains(string(out), "rror") {
			t.Errorf("%s: ffmpeg 4.1 decoded %d frames, want %d", ext, frames, s.TotalFrames())
		}
	}
}
