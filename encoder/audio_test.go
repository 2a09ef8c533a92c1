package encoder

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
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

// ---- making and reading audio ----

// makeTone writes seconds of a sine at freq Hz to dir/name, encoded as the
// extra arguments say (or as the extension does), and returns its path.
func makeTone(t testing.TB, dir, name string, freq int, seconds float64, extra ...string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	args := []string{"-v", "error", "-f", "lavfi", "-i",
		"sine=frequency=" + strconv.Itoa(freq) + ":sample_rate=44100:duration=" + strconv.FormatFloat(seconds, 'f', 3, 64)}
	args = append(args, extra...)
	args = append(args, "-y", path)
	if out, err := exec.Command(ffmpegBin, args...).CombinedOutput(); err != nil {
		t.Fatalf("making %s: %v\n%s", name, err, out)
	}
	return path
}

// avStream is what the audio tests read of a stream.
type avStream struct {
	Index       int    `json:"index"`
	CodecName   string `json:"codec_name"`
	CodecType   string `json:"codec_type"`
	Duration    string `json:"duration"`
	BitRate     string `json:"bit_rate"`
	NbFrames    string `json:"nb_read_frames"`
	Disposition struct {
		AttachedPic int `json:"attached_pic"`
	} `json:"disposition"`
}

type avProbe struct {
	Streams []avStream `json:"streams"`
	Format  struct {
		Duration string            `json:"duration"`
		Tags     map[string]string `json:"tags"`
	} `json:"format"`
}

func probeAV(t testing.TB, path string) avProbe {
	t.Helper()
	out, err := exec.Command(ffprobeBin, "-v", "error", "-of", "json", "-show_streams", "-show_format", "file:"+path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v %s", path, err, stderrOf(err))
	}
	var p avProbe
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// stream returns the first stream of kind, skipping cover art.
func (p avProbe) stream(t testing.TB, kind string) avStream {
	t.Helper()
	for _, s := range p.Streams {
		if s.CodecType == kind && s.Disposition.AttachedPic == 0 {
			return s
		}
	}
	t.Fatalf("no %s stream in %+v", kind, p.Streams)
	return avStream{}
}

func (p avProbe) cover() (avStream, bool) {
	for _, s := range p.Streams {
		if s.Disposition.AttachedPic == 1 {
			return s, true
		}
	}
	return avStream{}, false
}

func secondsOf(t testing.TB, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number of seconds", s)
	}
	return v
}

// pcmOf decodes the audio of path to mono samples at rate Hz, in [-1, 1].
func pcmOf(t testing.TB, path string, rate int) []float64 {
	t.Helper()
	raw := ffmpegOut(t, "-v", "error", "-i", "file:"+path, "-map", "0:a:0", "-f", "s16le", "-ac", "1", "-ar", strconv.Itoa(rate), "-")
	s16 := make([]int16, len(raw)/2)
	if err := binary.Read(bytes.NewReader(raw), binary.LittleEndian, s16); err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(s16))
	for i, v := range s16 {
		out[i] = float64(v) / 32768
	}
	return out
}

// loudness is the RMS of samples[from:to] in seconds at rate Hz.
func loudness(samples []float64, rate int, from, to float64) float64 {
	a, b := int(from*float64(rate)), min(len(samples), int(to*float64(rate)))
	if b <= a {
		return 0
	}
	return rms(samples[a:b])
}

// rms is the loudness of samples.
func rms(samples []float64) float64 {
	var sum float64
	for _, s := range samples {
		sum += s * s
	}
	return math.Sqrt(sum / float64(max(1, len(samples))))
}

// sawPhase reports whether the events include progress of phase ph.
func sawPhase(evs []timedEvent, ph Phase) bool {
	for _, ev := range evs {
		if p, ok := ev.Event.(Progress); ok && p.Phase == ph {
			return true
		}
	}
	return false
}

// ---- image and audio into a file ----

// TestSongVideoFollowsTheAudio: an image and a 30 s mp3 give 30 s of
// video and the mp3 itself, copied, with the image as cover art and the
// song's tags, by the still path.
func TestSongVideoFollowsTheAudio(t *testing.T) {
	needFFmpeg(t)
	checkSongVideo(t, ffmpegBin)
}

// checkSongVideo renders a 30 s song video with the ffmpeg at bin and
// checks it as TestSongVideoFollowsTheAudio says.
func checkSongVideo(t *testing.T, bin string) {
	t.Helper()
	dir := t.TempDir()
	song := makeTone(t, dir, "song.mp3", 440, 30, "-c:a", "libmp3lame", "-b:a", "128k",
		"-metadata", "title=Night Drive", "-metadata", "artist=The Stills")
	s := testSettings(writePNG(t, dir, "cover.png", colorCard(320, 180)), filepath.Join(dir, "song.mp4"))
	s.Audio = []string{song}
	s.Duration = 0
	s.FFmpeg = bin
	evs := renderOK(t, s)
	if !sawPhase(evs, PhaseAssemble) {
		t.Error("a 30 s song video did not take the still path")
	}
	fin := lastFinished(t, evs)
	p := probeAV(t, s.Output)
	v, a := p.stream(t, "video"), p.stream(t, "audio")
	vd, ad := secondsOf(t, v.Duration), secondsOf(t, a.Duration)
	t.Logf("video %.3f s, audio %.3f s (%s), Finished.Duration %s", vd, ad, a.CodecName, fin.Duration)
	if math.Abs(vd-30) > 0.1 || math.Abs(ad-30) > 0.1 {
		t.Errorf("video %.3f s and audio %.3f s, want 30 s of each", vd, ad)
	}
	if math.Abs(fin.Duration.Seconds()-vd) > 0.001 {
		t.Errorf("Finished.Duration %s, the file's video %.3f s", fin.Duration, vd)
	}
	if a.CodecName != "mp3" {
		t.Errorf("audio %s, want the mp3 copied as it is", a.CodecName)
	}
	// The decoded audio ends within a frame of the video.
	pcm := pcmOf(t, s.Output, 8000)
	if got := float64(len(pcm)) / 8000; math.Abs(got-vd) > 1.0/25 {
		t.Errorf("%.3f s of decoded audio beside %.3f s of video", got, vd)
	}
	if l := loudness(pcm, 8000, 29.5, 29.9); l < 0.05 {
		t.Errorf("the song's end is silent (rms %.3f): audio was cut short", l)
	}
	if c, ok := p.cover(); !ok || c.CodecName != "mjpeg" {
		t.Errorf("no JPEG cover art in %+v", p.Streams)
	}
	if p.Format.Tags["title"] != "Night Drive" || p.Format.Tags["artist"] != "The Stills" {
		t.Errorf("tags %v, want the song's title and artist", p.Format.Tags)
	}
}

// TestAudioFormats: every offered audio format goes into each kind of
// container, copied where the container takes it untouched, else AAC at
// 192k or more, and the video follows its length.
func TestAudioFormats(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	img := writePNG(t, dir, "pic.png", solidImage(160, 90, tRed))
	sources := map[string]string{
		"mp3":  makeTone(t, dir, "a.mp3", 440, 2, "-c:a", "libmp3lame", "-b:a", "96k"),
		"m4a":  makeTone(t, dir, "a.m4a", 440, 2, "-c:a", "aac", "-b:a", "96k"),
		"aac":  makeTone(t, dir, "a.aac", 440, 2, "-c:a", "aac", "-b:a", "96k"),
		"wav":  makeTone(t, dir, "a.wav", 440, 2),
		"flac": makeTone(t, dir, "a.flac", 440, 2),
		"ogg":  makeTone(t, dir, "a.ogg", 440, 2, "-c:a", "libvorbis"),
		"opus": makeTone(t, dir, "a.opus", 440, 2, "-c:a", "libopus", "-b:a", "96k"),
	}
	tests := []struct {
		src, out, codec string
		copied          bool
	}{
		{"mp3", ".mp4", "mp3", true},
		{"m4a", ".mp4", "aac", true},
		{"aac", ".mov", "aac", true},
		{"wav", ".mp4", "aac", false},
		{"flac", ".mp4", "aac", false},
		{"flac", ".mkv", "flac", true},
		{"ogg", ".mp4", "aac", false},
		{"opus", ".mp4", "aac", false},
		{"opus", ".mkv", "opus", true},
		{"mp3", ".flv", "mp3", true},
		{"wav", ".ts", "aac", false},
	}
	for _, tt := range tests {
		t.Run(tt.src+tt.out, func(t *testing.T) {
			s := testSettings(img, filepath.Join(t.TempDir(), "v"+tt.out))
			s.Audio = []string{sources[tt.src]}
			s.Duration = 0
			renderOK(t, s)
			p := probeAV(t, s.Output)
			v, a := p.stream(t, "video"), p.stream(t, "audio")
			if a.CodecName != tt.codec {
				t.Errorf("audio %s, want %s", a.CodecName, tt.codec)
			}
			// A copied stream keeps the source's 96k. (An encoded one asks
			// for 192k, but a sine takes less: TestPlanAudio checks the ask.)
			if br, _ := strconv.Atoi(a.BitRate); tt.copied && tt.codec != "flac" && br > 110_000 {
				t.Errorf("%s bit/s: re-encoded, not copied", a.BitRate)
			}
			got := float64(len(pcmOf(t, s.Output, 8000))) / 8000
			vd := 2.0
			if v.Duration != "" {
				vd = secondsOf(t, v.Duration)
			}
			if math.Abs(vd-2) > 0.1 || math.Abs(got-vd) > 0.06 {
				t.Errorf("video %.3f s, decoded audio %.3f s: want both 2 s", vd, got)
			}
			c, _ := ContainerFor(s.Output)
			cover, hasCover := p.cover()
			if hasCover != takesCover(c) || hasCover && cover.CodecName != "mjpeg" {
				t.Errorf("cover art %v (%+v) in %s", hasCover, cover, tt.out)
			}
		})
	}
}

// TestAudioCutShortFadesOut: a duration shorter than the audio cuts it
// with a fade, to the frame.
func TestAudioCutShortFadesOut(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	s := testSettings(writePNG(t, dir, "pic.png", solidImage(160, 90, tRed)), filepath.Join(dir, "v.mp4"))
	s.Audio = []string{makeTone(t, dir, "long.mp3", 440, 8, "-c:a", "libmp3lame")}
	s.Duration = 4 * time.Second
	renderOK(t, s)
	p := probeAV(t, s.Output)
	if a := p.stream(t, "audio"); a.CodecName != "mp3" {
		t.Errorf("audio %s: the mp3 is copied up to the fade, which is encoded as mp3", a.CodecName)
	}
	pcm := pcmOf(t, s.Output, 8000)
	if got := float64(len(pcm)) / 8000; math.Abs(got-4) > 0.05 {
		t.Errorf("%.3f s of audio, want 4 s", got)
	}
	full, end := loudness(pcm, 8000, 1, 2), loudness(pcm, 8000, 3.9, 4)
	if full < 0.05 || end > full/5 {
		t.Errorf("rms %.3f in the middle and %.3f in the last 0.1 s: no fade-out", full, end)
	}
}

// TestAudioShorterThanTheVideo: silence after it, or the audio again.
func TestAudioShorterThanTheVideo(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	img := writePNG(t, dir, "pic.png", solidImage(160, 90, tRed))
	short := makeTone(t, dir, "short.flac", 440, 2)
	for _, loop := range []bool{false, true} {
		t.Run("loop="+strconv.FormatBool(loop), func(t *testing.T) {
			s := testSettings(img, filepath.Join(t.TempDir(), "v.mp4"))
			s.Audio, s.LoopAudio, s.Duration = []string{short}, loop, 5*time.Second
			renderOK(t, s)
			pcm := pcmOf(t, s.Output, 8000)
			if got := float64(len(pcm)) / 8000; math.Abs(got-5) > 0.05 {
				t.Errorf("%.3f s of audio beside 5 s of video", got)
			}
			first, later := loudness(pcm, 8000, 0.5, 1.5), loudness(pcm, 8000, 2.5, 3.5)
			if first < 0.05 {
				t.Fatalf("rms %.3f at the start", first)
			}
			if loop && later < first/2 {
				t.Errorf("rms %.3f after the first round, %.3f in it: not looped", later, first)
			}
			if !loop && later > 0.001 {
				t.Errorf("rms %.3f after the audio ended, want silence", later)
			}
			if end := loudness(pcm, 8000, 4.9, 5); loop && end > first/5 {
				t.Errorf("rms %.3f at the end of the loop: no fade-out", end)
			}
		})
	}
}

// TestAlbumPlaysTracksInOrder: several audio files play one after the
// other, and the video lasts as long as all of them.
func TestAlbumPlaysTracksInOrder(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	s := testSettings(writePNG(t, dir, "pic.png", solidImage(160, 90, tRed)), filepath.Join(dir, "v.mp4"))
	s.Audio = []string{
		makeTone(t, dir, "1.mp3", 440, 1.5, "-c:a", "libmp3lame"),
		makeTone(t, dir, "2.wav", 880, 1),
	}
	s.Duration = 0
	renderOK(t, s)
	pcm := pcmOf(t, s.Output, 8000)
	if got := float64(len(pcm)) / 8000; math.Abs(got-2.5) > 0.06 {
		t.Errorf("%.3f s of audio, want 2.5 s", got)
	}
	for at := 0.02; at < 2.4; at += 0.02 {
		if l := loudness(pcm, 8000, at, at+0.02); l < 0.05 {
			t.Errorf("silence (rms %.3f) at %.2f s between the tracks", l, at)
			break
		}
	}
}

// TestBadAudio: each bad audio file gets an error for the audio field
// that names it, before anything clips.
func TestBadAudio(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	img := writePNG(t, dir, "pic.png", solidImage(160, 90, tRed))
	empty := filepath.Join(dir, "empty folder")
	os.Mkdir(empty, 0o755)
	junk := filepath.Join(dir, "junk folder")
	os.Mkdir(junk, 0o755)
	writeTestFile(t, junk, "notes.txt", []byte("not audio"))
	video := filepath.Join(dir, "clip.mp4")
	ffmpegOut(t, "-v", "error", "-f", "lavfi", "-i", "testsrc=s=160x90:d=1", "-f", "lavfi", "-i", "sine=d=1", "-shortest", "-y", video)
	tests := []struct {
		name, path, want string
		loop             []string
	}{
		{"corrupt", writeTestFile(t, dir, "broken.mp3", bytes.Repeat([]byte("not an mp3 "), 500)), "broken.mp3: not an audio file ffmpeg can read", nil},
		{"no audio", writePNG(t, dir, "picture.mp3", solidImage(8, 8, tRed)), "picture.mp3: has no audio in it", nil},
		{"video", video, "clip.mp4: is a video, not an audio file", nil},
		{"empty folder", empty, "empty folder: the folder has no audio files", nil},
		{"folder of other files", junk, "junk folder: the folder has no audio files", nil},
		{"missing", filepath.Join(dir, "nosuch.mp3"), "nosuch.mp3: no such file", nil},
		{"empty file", writeTestFile(t, dir, "zero.wav", nil), "zero.wav: the file is empty", nil},
		{"loop of several", makeTone(t, dir, "one.mp3", 440, 1, "-c:a", "libmp3lame"), "looping takes one audio file, not 2", []string{makeTone(t, dir, "two.mp3", 440, 1, "-c:a", "libmp3lame")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := isolateTemp(t)
			s := testSettings(img, filepath.Join(t.TempDir(), "v.mp4"))
			s.Audio, s.Duration = append([]string{tt.path}, tt.loop...), 0
			s.LoopAudio = tt.loop != nil
			if s.LoopAudio {
				s.Duration = 5 * time.Second
			}
			j, err := Start(context.Background(), s)
			if err == nil {
				j.Cancel()
				j.Wait()
				t.Fatal("Start accepted it")
			}
			fes := FieldErrors(err)
			if len(fes) != 1 || fes[0].Field != "audio" || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q (fields %v), want one for audio saying %q", err, fes, tt.want)
			}
			if _, err := os.Stat(s.Output); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the output exists after a refused start")
			}
			if left := stillcastTemps(t, tmp); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// TestHourLongSongStaysInSync renders a one-hour song video, which the
// still path makes in seconds, and checks that audio and video end within
// a frame of each other.
func TestHourLongSongStaysInSync(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	song := hourLongMP3(t, dir)
	s := testSettings(writePNG(t, dir, "pic.png", colorCard(320, 180)), filepath.Join(dir, "hour.mp4"))
	s.Audio, s.Duration = []string{song}, 0
	began := time.Now()
	evs := renderOK(t, s)
	took := time.Since(began)
	if !sawPhase(evs, PhaseAssemble) {
		t.Error("not by the still path")
	}
	p := probeAV(t, s.Output)
	vd, ad := secondsOf(t, p.stream(t, "video").Duration), secondsOf(t, p.stream(t, "audio").Duration)
	t.Logf("took %s; video %.3f s, audio %.3f s", took.Round(time.Millisecond), vd, ad)
	if math.Abs(vd-3600) > 2 { // the minute of mp3 is a frame or two longer
		t.Errorf("video %.3f s, want an hour", vd)
	}
	if math.Abs(vd-ad) > 1.0/25 {
		t.Errorf("audio %.3f s and video %.3f s end more than a frame apart", ad, vd)
	}
	// The last seconds still sound: nothing was dropped along the way.
	tail := ffmpegOut(t, "-v", "error", "-ss", "3595", "-i", "file:"+s.Output, "-map", "0:a:0", "-f", "s16le", "-ac", "1", "-ar", "8000", "-")
	if secs := float64(len(tail)) / 2 / 8000; math.Abs(secs-(ad-3595)) > 0.1 {
		t.Errorf("%.3f s of audio after 3595 s, want %.3f", secs, ad-3595)
	}
}

// hourLongMP3 writes an hour of mp3 quickly: a minute of CBR mp3 frames
// without a header, repeated; mp3 frames stand on their own.
func hourLongMP3(t testing.TB, dir string) string {
	t.Helper()
	minute := makeTone(t, dir, "minute.mp3", 440, 60, "-c:a", "libmp3lame", "-b:a", "128k", "-ar", "48000",
		"-write_xing", "0", "-id3v2_version", "0")
	data, err := os.ReadFile(minute)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "hour.mp3")
	if err := os.WriteFile(path, bytes.Repeat(data, 60), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// ---- slideshows ----

// rgbSlides writes a red, a green and a blue picture and makes slides of
// them, in that order.
func rgbSlides(t *testing.T, dir string) []Slide {
	return SlidesOf(
		writePNG(t, dir, "red.png", solidImage(160, 90, tRed)),
		writePNG(t, dir, "green.png", solidImage(160, 90, tGreen)),
		writePNG(t, dir, "blue.png", solidImage(160, 90, tBlue)),
	)
}

// TestSlideshowCrossfades: three images, a second-long crossfade between
// each, every frame there, and the middle of a crossfade half of each.
func TestSlideshowCrossfades(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	s := testSettings("", filepath.Join(dir, "slides.mp4"))
	s.Images = rgbSlides(t, dir)
	s.Duration, s.Crossfade, s.FPS = 6*time.Second, time.Second, 25
	renderOK(t, s)
	st := ffprobeJSON(t, s.Output, true).video(t)
	if st.NbReadFrames != "150" {
		t.Errorf("%s frames, want 150 (6 s at 25 fps)", st.NbReadFrames)
	}
	all := insetRect(image.Rect(0, 0, 160, 90), 8)
	mid := func(a, b color.RGBA) color.RGBA {
		return color.RGBA{uint8((int(a.R) + int(b.R) + 1) / 2), uint8((int(a.G) + int(b.G) + 1) / 2), uint8((int(a.B) + int(b.B) + 1) / 2), 255}
	}
	for _, c := range []struct {
		frame int
		want  color.RGBA
	}{
		{0, tRed}, {30, tRed},
		{50, mid(tRed, tGreen)}, // 2 s: the cut, halfway through the fade
		{70, tGreen}, {80, tGreen},
		{100, mid(tGreen, tBlue)},
		{120, tBlue}, {149, tBlue},
	} {
		checkColor(t, "frame "+strconv.Itoa(c.frame), decodeFrame(t, s.Output, c.frame), all, c.want, 10)
	}
	// Within a fade, each frame moves further from the first image.
	prev := -1.0
	for f := 38; f <= 62; f += 4 {
		g := meanRGB(decodeFrame(t, s.Output, f), all)[1]
		if g < prev {
			t.Errorf("green %.1f at frame %d after %.1f: the fade goes back", g, f, prev)
		}
		prev = g
	}
}

// TestSlideshowOnTheStillPath: long slides are copied, not encoded, and
// the video still has every frame, the right picture at each time, and a
// keyframe at least every 10 s.
func TestSlideshowOnTheStillPath(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	s := testSettings("", filepath.Join(dir, "slides.mkv"))
	s.Images = []Slide{
		{Image: writePNG(t, dir, "red.png", solidImage(160, 90, tRed)), Duration: 35 * time.Second},
		{Image: writePNG(t, dir, "blue.png", solidImage(160, 90, tBlue)), Duration: 35 * time.Second},
	}
	s.Duration, s.Crossfade, s.FPS = 0, 2*time.Second, 10
	evs := renderOK(t, s)
	encoded := 0
	for _, ev := range evs {
		if p, ok := ev.Event.(Progress); ok && p.Phase == PhaseEncode {
			encoded = p.TotalFrames
		}
	}
	if !sawPhase(evs, PhaseAssemble) || encoded == 0 || encoded > 450 {
		t.Errorf("encoded %d of 700 frames: the slides were not copied", encoded)
	}
	st := ffprobeJSON(t, s.Output, true).video(t)
	if st.NbReadFrames != "700" {
		t.Errorf("%s frames, want 700", st.NbReadFrames)
	}
	all := insetRect(image.Rect(0, 0, 160, 90), 8)
	checkColor(t, "15 s", decodeFrame(t, s.Output, 150), all, tRed, 10)
	checkColor(t, "35 s", decodeFrame(t, s.Output, 350), all, color.RGBA{128, 0, 128, 255}, 10)
	checkColor(t, "55 s", decodeFrame(t, s.Output, 550), all, tBlue, 10)
	checkColor(t, "last", decodeFrame(t, s.Output, 699), all, tBlue, 10)
	last := -1.0
	for _, p := range fpPackets(t, s.Output) {
		if p.Key {
			if last >= 0 && p.PTS-last > maxKeyframeGap.Seconds()+0.05 {
				t.Errorf("keyframes %.2f s apart at %.2f s", p.PTS-last, p.PTS)
			}
			last = p.PTS
		}
	}
}

// TestSlideshowSharesTheAudio: without durations, the images share the
// audio's length evenly.
func TestSlideshowSharesTheAudio(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	s := testSettings("", filepath.Join(dir, "slides.mp4"))
	s.Images = rgbSlides(t, dir)
	s.Audio = []string{makeTone(t, dir, "song.wav", 440, 6)}
	s.Duration, s.Crossfade = 0, 0
	renderOK(t, s)
	p := probeAV(t, s.Output)
	if vd := secondsOf(t, p.stream(t, "video").Duration); math.Abs(vd-6) > 0.05 {
		t.Errorf("video %.3f s, want the audio's 6 s", vd)
	}
	all := insetRect(image.Rect(0, 0, 160, 90), 8)
	for frame, want := range map[int]color.RGBA{49: tRed, 50: tGreen, 99: tGreen, 100: tBlue} {
		checkColor(t, "frame "+strconv.Itoa(frame), decodeFrame(t, s.Output, frame), all, want, 10)
	}
}

// TestSlideshowMissingImage: a missing image anywhere in the list is
// refused before the render starts, naming it.
func TestSlideshowMissingImage(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	s := testSettings(writePNG(t, dir, "one.png", solidImage(16, 16, tRed)), filepath.Join(dir, "v.mp4"))
	s.Images = append(s.Images, Slide{Image: filepath.Join(dir, "two.png")})
	_, err := Start(context.Background(), s)
	if fes := FieldErrors(err); len(fes) != 1 || fes[0].Field != "image" || !strings.Contains(err.Error(), "two.png") {
		t.Errorf("Start: %v, want an image error naming two.png", err)
	}
}
