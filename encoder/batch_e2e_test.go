package encoder

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testSong is one song of a test album: its sound, tags and cover.
type testSong struct {
	File    string // name in the album's folder; its extension picks the codec
	Seconds float64
	Rate    int
	Title   string
	Artist  string
	Track   int
	Cover   color.RGBA // no cover when its alpha is 0
}

// makeAlbum writes the songs into a new folder with ffmpeg, each a tone
// of its own, with its tags and its cover embedded the way its format
// keeps one (ID3 APIC, MP4 covr, a FLAC picture), and returns the folder.
func makeAlbum(t testing.TB, songs []testSong) string {
	t.Helper()
	dir := t.TempDir()
	for i, sg := range songs {
		args := []string{"-v", "error", "-f", "lavfi", "-i",
			fmt.Sprintf("sine=frequency=%d:sample_rate=%d:duration=%g", 300+100*i, sg.Rate, sg.Seconds)}
		if sg.Cover.A != 0 {
			cover := filepath.Join(t.TempDir(), "cover.png")
			writeSolidPNG(t, cover, 64, 64, sg.Cover)
			args = append(args, "-i", cover, "-map", "0:a", "-map", "1:v", "-disposition:v", "attached_pic")
			if strings.HasSuffix(sg.File, ".m4a") {
				args = append(args, "-c:v", "png")
			}
		}
		args = append(args, "-ac", "2")
		switch filepath.Ext(sg.File) {
		case ".mp3":
			args = append(args, "-c:a", "libmp3lame", "-b:a", "128k", "-id3v2_version", "3")
		case ".m4a":
			args = append(args, "-c:a", "aac", "-b:a", "128k")
		case ".flac":
			args = append(args, "-c:a", "flac")
		}
		for k, v := range map[string]string{"title": sg.Title, "artist": sg.Artist, "album": "Test Album"} {
			if v != "" {
				args = append(args, "-metadata", k+"="+v)
			}
		}
		if sg.Track > 0 {
			args = append(args, "-metadata", "track="+strconv.Itoa(sg.Track))
		}
		ffmpegOut(t, append(args, "-y", filepath.Join(dir, sg.File))...)
	}
	return dir
}

func writeSolidPNG(t testing.TB, path string, w, h int, c color.RGBA) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// decodedSeconds is the length of the audio of path as a player decodes
// it: its samples counted, at its own rate.
func decodedSeconds(t testing.TB, path string, rate int) float64 {
	t.Helper()
	raw := ffmpegOut(t, "-v", "error", "-i", "file:"+path, "-map", "0:a:0", "-ac", "1", "-ar", strconv.Itoa(rate), "-f", "s16le", "-")
	return float64(len(raw)/2) / float64(rate)
}

// centreColour is the colour in the middle of frame n of the video at
// path.
func centreColour(t testing.TB, path string, n int) color.RGBA {
	t.Helper()
	img := decodeFrame(t, path, n)
	b := img.Bounds()
	return img.RGBAAt(b.Dx()/2, b.Dy()/2)
}

func near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) int { return int(math.Abs(float64(int(x) - int(y)))) }
	return d(a.R, b.R) <= tol && d(a.G, b.G) <= tol && d(a.B, b.B) <= tol
}

var (
	red    = color.RGBA{220, 30, 30, 255}
	green  = color.RGBA{30, 200, 60, 255}
	blue   = color.RGBA{40, 60, 220, 255}
	yellow = color.RGBA{230, 210, 40, 255}
	purple = color.RGBA{150, 40, 170, 255}
)

// fiveSongs is a test album of five short songs in three formats.
func fiveSongs() []testSong {
	return []testSong{
		{"a.mp3", 2.3, 44100, "Opening", "The Band", 1, red},
		{"b.m4a", 1.7, 48000, "Second: Song?", "The Band", 2, green},
		{"c.flac", 2.1, 44100, "Third", "The Band", 3, blue},
		{"d.mp3", 1.3, 48000, "Fourth", "The Band", 4, yellow},
		{"e.mp3", 1.9, 44100, "", "", 0, purple}, // no tags: named after its file
	}
}

// eachSettings makes one video per song of the album in dir into out.
func eachSettings(dir, out string) Settings {
	s := DefaultSettings()
	s.Each, s.Audio, s.Output = true, []string{dir}, out
	s.Size = Size{W: 320, H: 180}
	s.Preset, s.Duration, s.FFmpeg = "ultrafast", 0, ffmpegBin
	return s
}

func runBatch(t *testing.T, s Settings) ([]timedEvent, []VideoDone, error) {
	t.Helper()
	j, err := Start(context.Background(), s)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	evs, err := collectEvents(t, j, 3*time.Minute)
	var done []VideoDone
	for _, ev := range evs {
		if v, ok := ev.Event.(VideoDone); ok {
			done = append(done, v)
		}
	}
	sort.Slice(done, func(a, b int) bool { return done[a].Index < done[b].Index })
	return evs, done, err
}

func TestEachSongAndAlbum(t *testing.T) {
	needFFmpeg(t)
	tmp := isolateTemp(t)
	songs := fiveSongs()
	dir := makeAlbum(t, songs)
	out := filepath.Join(t.TempDir(), "videos")
	s := eachSettings(dir, out)
	s.Album = true
	evs, done, err := runBatch(t, s)
	if err != nil {
		t.Fatalf("batch: %v", err)
	}
	if fin := lastFinished(t, evs); len(fin.Chapters) != len(songs) || !strings.Contains(fin.Tracklist, "0:00 The Band – Opening\n0:02 The Band – Second: Song?\n") {
		t.Errorf("Finished has %d chapters and the tracklist %q", len(fin.Chapters), fin.Tracklist)
	}
	want := []string{"01 - Opening.mp4", "02 - Second_ Song_.mp4", "03 - Third.mp4", "04 - Fourth.mp4", "e.mp4", "Test Album.mp4"}
	checkDirHolds(t, out, "01 - Opening.mp4", "02 - Second_ Song_.mp4", "03 - Third.mp4", "04 - Fourth.mp4", "Test Album.mp4", "Test Album.tracklist.txt", "e.mp4")
	if len(done) != len(want) {
		t.Fatalf("%d VideoDone events, want %d", len(done), len(want))
	}
	codecs := []string{"mp3", "aac", "aac", "mp3", "mp3"} // FLAC is not for MP4: encoded
	var total float64
	for i, sg := range songs {
		path := filepath.Join(out, want[i])
		secs := decodedSeconds(t, filepath.Join(dir, sg.File), sg.Rate)
		total += secs
		r := ffprobeJSON(t, path, true)
		v := r.firstVideo(t)
		if frames := v.frames(t); math.Abs(float64(frames)-secs*25) > 1 {
			t.Errorf("%s: %d frames for %.3f s of audio, want %d ±1", want[i], frames, secs, int(math.Round(secs*25)))
		}
		if a := r.audio(t); a.CodecName != codecs[i] {
			t.Errorf("%s: audio is %s, want %s", want[i], a.CodecName, codecs[i])
		}
		if c := centreColour(t, path, 10); !near(c, sg.Cover, 24) {
			t.Errorf("%s: the middle of frame 10 is %v, want its cover's %v", want[i], c, sg.Cover)
		}
	}
	album := filepath.Join(out, want[5])
	if frames := ffprobeJSON(t, album, true).firstVideo(t).frames(t); math.Abs(float64(frames)-total*25) > 1 {
		t.Errorf("album: %d frames for %.3f s of audio, want %d ±1", frames, total, int(math.Round(total*25)))
	}
	chs := probeChapters(t, album)
	if len(chs) != len(songs) {
		t.Fatalf("the album has %d chapters, want %d", len(chs), len(songs))
	}
	var at float64
	for i, sg := range songs { // each song's cover while it plays, and its chapter
		if d := chs[i].Start.Seconds() - at; math.Abs(d) > 0.001 {
			t.Errorf("chapter %d starts at %v, its song at %.6f s", i+1, chs[i].Start, at)
		}
		secs := decodedSeconds(t, filepath.Join(dir, sg.File), sg.Rate)
		mid := int((at + secs/2) * 25)
		if c := centreColour(t, album, mid); !near(c, sg.Cover, 24) {
			t.Errorf("album frame %d (song %d): %v, want %v", mid, i+1, c, sg.Cover)
		}
		at += secs
	}
	if left := stillcastTemps(t, tmp); len(left) > 0 {
		t.Errorf("left behind in the temp folder: %v", left)
	}
}

func TestEachSkipsExistingAndGoesOnAfterAFailure(t *testing.T) {
	needFFmpeg(t)
	songs := fiveSongs()[:3]
	dir := makeAlbum(t, songs)
	if err := os.WriteFile(filepath.Join(dir, "b2 broken.mp3"), []byte("ID3 this is not an mp3 at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	existing := filepath.Join(out, "01 - Opening.mp4")
	if err := os.WriteFile(existing, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, done, err := runBatch(t, eachSettings(dir, out))
	var be *BatchError
	if !errors.As(err, &be) || len(be.Failed) != 1 || be.Made != 2 || be.Skipped != 1 {
		t.Fatalf("batch error = %v, want 2 made, 1 skipped, 1 failed", err)
	}
	if msg := be.Failed[0].Err.Error(); !strings.Contains(msg, "b2 broken.mp3") || !strings.Contains(msg, "not an audio file") {
		t.Errorf("the failure says %q, want the file and why", msg)
	}
	if len(done) != 4 || !done[0].Skipped {
		t.Errorf("VideoDone events: %+v", done)
	}
	sameBytes(t, existing, []byte("mine"))
	checkDirHolds(t, out, "01 - Opening.mp4", "02 - Second_ Song_.mp4", "03 - Third.mp4")
}

func TestEachRefusesBadInput(t *testing.T) {
	needFFmpeg(t)
	dir := makeAlbum(t, []testSong{{"plain.mp3", 0.5, 44100, "Plain", "", 1, color.RGBA{}}})
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*Settings)
		field string
		says  string
	}{
		{"no audio", func(s *Settings) { s.Audio = nil }, "audio", "give the songs"},
		{"no art, no image", func(s *Settings) {}, "image", "plain.mp3 has no cover art of its own"},
		{"output is a file", func(s *Settings) { s.Output = file }, "out", "is a file"},
		{"output is a video name", func(s *Settings) { s.Output = filepath.Join(t.TempDir(), "x.mp4") }, "out", "into a folder"},
		{"with a duration", func(s *Settings) { s.Duration = time.Minute }, "duration", "as long as the song"},
		{"two images for one song", func(s *Settings) { s.Images = SlidesOf("a.png", "b.png") }, "image", "2 images for one song: give one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := eachSettings(dir, t.TempDir())
			tc.edit(&s)
			_, err := Start(context.Background(), s)
			fes := FieldErrors(err)
			if len(fes) != 1 || fes[0].Field != tc.field || !strings.Contains(fes[0].Err.Error(), tc.says) {
				t.Fatalf("Start: %v, want one %q error saying %q", err, tc.field, tc.says)
			}
		})
	}
}

// frames is the stream's frame count, as ffprobe counted it.
func (s probeStream) frames(t testing.TB) int {
	t.Helper()
	n, err := strconv.Atoi(s.NbReadFrames)
	if err != nil {
		t.Fatalf("no frame count: %q", s.NbReadFrames)
	}
	return n
}

// audio is the first audio stream.
func (r probeResult) audio(t testing.TB) probeStream {
	t.Helper()
	for _, s := range r.Streams {
		if s.CodecType == "audio" {
			return s
		}
	}
	t.Fatal("no audio stream")
	return probeStream{}
}

func TestAlbumTitleCardsChangeWithTheSongs(t *testing.T) {
	needFFmpeg(t)
	songs := []testSong{
		{"1.mp3", 1.5, 44100, "First Light", "Ana", 1, color.RGBA{}},
		{"2.mp3", 1.5, 44100, "Second Wind", "Ana", 2, color.RGBA{}},
		{"3.mp3", 1.5, 44100, "Third Eye", "Ana", 3, color.RGBA{}},
	}
	dir := makeAlbum(t, songs)
	img := filepath.Join(t.TempDir(), "grey.png")
	writeSolidPNG(t, img, 320, 180, color.RGBA{128, 128, 128, 255})
	out := filepath.Join(t.TempDir(), "album.mkv")
	s := eachSettings(dir, out)
	s.Each, s.TitleCard, s.Images = false, true, SlidesOf(img)
	renderOK(t, s)
	var frames []*image.RGBA
	for i := range songs {
		frames = append(frames, decodeFrame(t, out, int((float64(i)*1.5+0.75)*25)))
	}
	for i := range frames {
		if changed := pixelsApart(frames[i], nil, color.RGBA{128, 128, 128, 255}); changed < 200 {
			t.Errorf("song %d: only %d pixels differ from the plain picture: no title drawn", i+1, changed)
		}
		if i > 0 {
			if d := pixelsApart(frames[i-1], frames[i], color.RGBA{}); d < 100 {
				t.Errorf("songs %d and %d: %d pixels differ: the title did not change", i, i+1, d)
			}
		}
	}
}

// pixelsApart counts the pixels of a that differ by more than 40 in a
// channel from b, or from the colour c when b is nil.
func pixelsApart(a, b *image.RGBA, c color.RGBA) int {
	n := 0
	for y := a.Rect.Min.Y; y < a.Rect.Max.Y; y++ {
		for x := a.Rect.Min.X; x < a.Rect.Max.X; x++ {
			want := c
			if b != nil {
				want = b.RGBAAt(x, y)
			}
			if !near(a.RGBAAt(x, y), want, 40) {
				n++
			}
		}
	}
	return n
}

func TestEachWithAnImagePerSongWithoutArt(t *testing.T) {
	needFFmpeg(t)
	dir := makeAlbum(t, []testSong{{"1.mp3", 0.8, 44100, "Red", "", 1, color.RGBA{}}, {"2.mp3", 0.8, 44100, "Blue", "", 2, green}})
	var imgs []string
	for i, c := range []color.RGBA{red, blue} {
		imgs = append(imgs, filepath.Join(t.TempDir(), fmt.Sprintf("%d.png", i)))
		writeSolidPNG(t, imgs[i], 32, 32, c)
	}
	out := t.TempDir()
	s := eachSettings(dir, out)
	s.Images = SlidesOf(imgs...)
	if _, _, err := runBatch(t, s); err != nil {
		t.Fatal(err)
	}
	// The second song has art of its own, which wins over its IMAGE.
	for name, want := range map[string]color.RGBA{"01 - Red.mp4": red, "02 - Blue.mp4": green} {
		if c := centreColour(t, filepath.Join(out, name), 5); !near(c, want, 24) {
			t.Errorf("%s shows %v, want %v", name, c, want)
		}
	}
}

// TestEachCancelledLeavesNothing: a batch cancelled while its album's
// audio encodes and its videos are made stops every ffmpeg, and leaves
// no temporary folder or half-made video behind; the videos made before
// stay whole.
func TestEachCancelledLeavesNothing(t *testing.T) {
	needFFmpeg(t)
	tmp := isolateTemp(t)
	dir := makeAlbum(t, []testSong{
		{"1.mp3", 100, 44100, "One", "", 1, red}, {"2.mp3", 100, 44100, "Two", "", 2, blue}, {"3.mp3", 100, 44100, "Three", "", 3, green},
	})
	out := t.TempDir()
	s := eachSettings(dir, out)
	s.Album = true
	j, err := Start(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	for ev := range j.Events() {
		if p, ok := ev.(BatchProgress); ok && p.Fraction > 0.05 {
			j.Cancel()
			break
		}
	}
	if err := j.Wait(); !errors.Is(err, ErrCancelled) {
		t.Fatalf("Wait = %v, want ErrCancelled", err)
	}
	checkNoLeftoverProcesses(t, []string{dir, tmp, out})
	if left := stillcastTemps(t, tmp); len(left) > 0 {
		t.Errorf("left behind in the temp folder: %v", left)
	}
	for _, name := range dirNames(t, out) {
		if strings.HasPrefix(name, ".") {
			t.Errorf("a half-made video is left: %s", name)
			continue
		}
		if n := ffprobeJSON(t, filepath.Join(out, name), true).firstVideo(t).frames(t); n != 2500 {
			t.Errorf("%s has %d frames, want all 2500", name, n)
		}
	}
}
