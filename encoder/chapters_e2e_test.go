package encoder

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/album"
	"github.com/stillcast/stillcast/encoder/internal/imgtest"
)

// albumTrack is a track of a test album, as it is made.
type albumTrack struct {
	name, title, artist string
	seconds             float64
	rate                int
	args                []string // the codec, and how the cover is stored
}

// testAlbum is four songs with tags and cover art: an mp3 at 44.1 kHz
// (with the encoder's delay and padding, which ffprobe counts in its
// length), AAC at 48 kHz, FLAC, and an mp3 at 48 kHz. Their lengths are
// no whole number of mp3 or AAC frames.
func testAlbum() []albumTrack {
	mp3 := []string{"-c:a", "libmp3lame", "-b:a", "64k", "-c:v", "copy", "-id3v2_version", "3"}
	return []albumTrack{
		{"01.mp3", "Intro = Start; #1", "Band", 10.4, 44100, mp3},
		{"02.m4a", "Second", "Band", 6.2, 48000, []string{"-c:a", "aac", "-b:a", "64k", "-c:v", "copy"}},
		{"03.flac", "Third", "Band", 11.3, 44100, []string{"-c:a", "flac", "-c:v", "copy"}},
		{"04.mp3", "Fourth", "Band", 7.7, 48000, mp3},
	}
}

// makeTaggedAlbum writes songs into dir, each with the colour card as its
// cover, and returns their paths.
func makeTaggedAlbum(t *testing.T, dir string, songs []albumTrack) []string {
	t.Helper()
	cover := imgtest.WritePNG(t, dir, "cover.png", imgtest.ColorCard(64, 64))
	paths := make([]string, len(songs))
	for i, s := range songs {
		paths[i] = filepath.Join(dir, s.name)
		args := []string{"-v", "error",
			"-f", "lavfi", "-i", fmt.Sprintf("sine=frequency=%d:sample_rate=%d:duration=%g", 300+100*i, s.rate, s.seconds),
			"-i", cover, "-map", "0:a", "-map", "1:v", "-disposition:v", "attached_pic"}
		args = append(args, s.args...)
		args = append(args, "-metadata", "title="+s.title, "-metadata", "artist="+s.artist,
			"-metadata", "track="+strconv.Itoa(i+1), "-y", paths[i])
		ffmpegOut(t, args...)
	}
	return paths
}

// decodedSamples decodes path's audio, as float stereo at its own rate,
// and counts the samples: the length a gapless join gives it.
func decodedSamples(t testing.TB, path string) int64 {
	t.Helper()
	cmd := exec.Command(ffmpegBin, "-v", "error", "-i", path, "-map", "0:a:0", "-ac", "2", "-f", "f32le", "pipe:1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, out)
	if werr := cmd.Wait(); err != nil || werr != nil {
		t.Fatalf("decoding %s: %v %v", path, err, werr)
	}
	return n / 8
}

// probedChapter is a chapter as ffprobe reads it from a file.
type probedChapter struct {
	Start time.Duration
	Title string
}

func probeChapters(t testing.TB, path string) []probedChapter {
	t.Helper()
	out, err := exec.Command(ffprobeBin, "-v", "error", "-print_format", "json", "-show_chapters", "file:"+path).Output()
	if err != nil {
		t.Fatalf("ffprobe -show_chapters %s: %v %s", path, err, stderrOf(err))
	}
	var r struct {
		Chapters []struct {
			StartTime string            `json:"start_time"`
			Tags      map[string]string `json:"tags"`
		} `json:"chapters"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	chs := make([]probedChapter, len(r.Chapters))
	for i, c := range r.Chapters {
		secs, err := strconv.ParseFloat(c.StartTime, 64)
		if err != nil {
			t.Fatalf("chapter %d starts at %q", i, c.StartTime)
		}
		chs[i] = probedChapter{time.Duration(secs * float64(time.Second)).Round(time.Microsecond), c.Tags["title"]}
	}
	return chs
}

// checkChapters checks the file at out has a chapter per song, named by
// its title tag, each starting where the decoded songs before it end,
// within a millisecond; and that the tracklist says the same.
func checkChapters(t *testing.T, out string, songs []albumTrack, paths []string, tracklist string) {
	t.Helper()
	chs := probeChapters(t, out)
	if len(chs) != len(songs) {
		t.Fatalf("%s has %d chapters, want %d: %+v", filepath.Base(out), len(chs), len(songs), chs)
	}
	var at time.Duration
	var lines []string
	for i, s := range songs {
		if chs[i].Title != s.title {
			t.Errorf("chapter %d is named %q, want %q", i+1, chs[i].Title, s.title)
		}
		if d := chs[i].Start - at; d < -time.Millisecond || d > time.Millisecond {
			t.Errorf("chapter %d starts at %v, its audio at %v: %v off", i+1, chs[i].Start, at, d)
		}
		lines = append(lines, album.Timestamp(at)+" "+s.title)
		at += time.Duration(decodedSamples(t, paths[i])) * time.Second / time.Duration(s.rate)
	}
	if got := strings.Join(nonComments(tracklist), "\n"); got != strings.Join(lines, "\n") {
		t.Errorf("tracklist:\n%s\nwant:\n%s", got, strings.Join(lines, "\n"))
	}
}

// nonComments is the lines of a tracklist other than comments.
func nonComments(text string) []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

// TestChaptersAndTracklist renders a four-song album into MP4, Matroska
// and MPEG-TS (which has no chapters), on the still path and frame by
// frame, and reads the chapters back.
func TestChaptersAndTracklist(t *testing.T) {
	needFFmpeg(t)
	t.Parallel()
	dir := t.TempDir()
	songs := testAlbum()
	paths := makeTaggedAlbum(t, dir, songs)
	img := imgtest.WritePNG(t, dir, "picture.png", imgtest.ColorCard(64, 64))
	t.Run("decoded lengths", func(t *testing.T) {
		t.Parallel()
		checkDecodedLengths(t, dir, songs, paths)
	})
	for _, c := range []struct {
		name, ext  string
		noFastPath bool
		titleCard  bool // made as song videos are: each song's picture encoded once
	}{{"mp4", ".mp4", false, false}, {"mkv", ".mkv", false, false}, {"ts", ".ts", false, false}, {"mov-per-frame", ".mov", true, false},
		{"mp4-title-cards", ".mp4", false, true}, {"mkv-title-cards", ".mkv", false, true}} {
		ext := c.ext
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			name := "album-" + c.name
			s := testSettings(img, filepath.Join(dir, name+ext))
			s.Audio, s.Duration, s.FPS, s.NoFastPath, s.TitleCard = paths, 0, 5, c.noFastPath, c.titleCard
			fin := lastFinished(t, renderOK(t, s))
			written, err := os.ReadFile(filepath.Join(dir, name+".tracklist.txt"))
			if err != nil || string(written) != fin.Tracklist {
				t.Fatalf("the tracklist beside the video is %q (%v), want %q", written, err, fin.Tracklist)
			}
			if len(fin.Chapters) != len(songs) {
				t.Fatalf("Finished has %d chapters, want %d", len(fin.Chapters), len(songs))
			}
			if !strings.HasPrefix(fin.Tracklist, "# YouTube makes chapters only of 3 or more, each at least 10 s long: chapter 2 (Second) is 6.2") {
				t.Errorf("tracklist does not say why YouTube makes no chapters of it:\n%s", fin.Tracklist)
			}
			if ext == ".ts" {
				if chs := probeChapters(t, s.Output); len(chs) != 0 {
					t.Errorf("MPEG-TS has chapters: %+v", chs)
				}
				return
			}
			checkChapters(t, s.Output, songs, paths, fin.Tracklist)
		})
	}
}

// checkDecodedLengths: ffprobe's length of an mp3 counts the encoder's
// padding; measureDecoded finds the samples the decoder gives.
func checkDecodedLengths(t *testing.T, dir string, songs []albumTrack, paths []string) {
	tracks, err := ProbeAll(context.Background(), ffmpegBin, paths)
	if err != nil {
		t.Fatal(err)
	}
	probed := tracks[0].Duration
	if err := measureDecoded(context.Background(), ffmpegBin, tracks); err != nil {
		t.Fatal(err)
	}
	for i, s := range songs {
		want := time.Duration(decodedSamples(t, paths[i])) * time.Second / time.Duration(s.rate)
		if tracks[i].Duration != want {
			t.Errorf("%s: measured %v, decoded %v", s.name, tracks[i].Duration, want)
		}
	}
	t.Logf("01.mp3: ffprobe %v, decoded %v", probed, tracks[0].Duration)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := measureDecoded(ctx, ffmpegBin, tracks); err != ErrCancelled {
		t.Errorf("measureDecoded with a cancelled context: %v, want ErrCancelled", err)
	}
	bad := append([]AudioInfo{}, tracks...)
	bad[2].Path = filepath.Join(dir, "gone.flac")
	if err := measureDecoded(context.Background(), ffmpegBin, bad); err == nil || !strings.Contains(err.Error(), "gone.flac") {
		t.Errorf("measureDecoded of a missing file: %v, want an error naming it", err)
	}
}

// TestTracklistPastAnHour renders a 61-minute album of silence, at a
// tiny size and one frame a second: past an hour the tracklist says
// h:mm:ss, below it m:ss.
func TestTracklistPastAnHour(t *testing.T) {
	needFFmpeg(t)
	t.Parallel()
	dir := t.TempDir()
	lengths := []string{"1220", "1220", "1220", "30"} // 3 × 20:20, then half a minute
	var paths []string
	for i, l := range lengths {
		p := filepath.Join(dir, fmt.Sprintf("%02d.flac", i+1))
		ffmpegOut(t, "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", l,
			"-c:a", "flac", "-metadata", "title=Part "+strconv.Itoa(i+1), "-y", p)
		paths = append(paths, p)
	}
	s := testSettings(imgtest.WritePNG(t, dir, "p.png", imgtest.ColorCard(64, 64)), filepath.Join(dir, "long.mkv"))
	s.Audio, s.Duration, s.FPS = paths, 0, 1
	s.Tracklist = filepath.Join(dir, "description.txt")
	fin := lastFinished(t, renderOK(t, s))
	want := "0:00 Part 1\n20:20 Part 2\n40:40 Part 3\n1:01:00 Part 4\n"
	if fin.Tracklist != want {
		t.Errorf("tracklist:\n%s\nwant:\n%s", fin.Tracklist, want)
	}
	sameBytes(t, s.Tracklist, []byte(want))
	if _, err := os.Stat(filepath.Join(dir, "long.tracklist.txt")); err == nil {
		t.Error("a tracklist beside the video too, though Tracklist names another path")
	}
	chs := probeChapters(t, s.Output)
	if len(chs) != 4 || chs[3].Start != 3660*time.Second {
		t.Errorf("chapters %+v, want 4, the last at 1h1m", chs)
	}
}

// TestTracklistFollowsOutput: an existing tracklist is replaced only
// with Force, like the video, and is checked before any work starts;
// "-" writes none.
func TestTracklistFollowsOutput(t *testing.T) {
	needFFmpeg(t)
	t.Parallel()
	dir := t.TempDir()
	songs := testAlbum()[1:3]
	for i := range songs {
		songs[i].seconds = 0.5
	}
	paths := makeTaggedAlbum(t, dir, songs)
	s := testSettings(imgtest.WritePNG(t, dir, "p.png", imgtest.ColorCard(64, 64)), filepath.Join(dir, "v.mp4"))
	s.Audio, s.Duration = paths, 0
	old := imgtest.WriteFile(t, dir, "v.tracklist.txt", []byte("mine"))
	_, err := Start(context.Background(), s)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "tracklist" || !errors.Is(err, ErrOutputExists) {
		t.Fatalf("Start with a tracklist there: %v, want a tracklist field error wrapping ErrOutputExists", err)
	}
	if _, err := os.Stat(s.Output); err == nil {
		t.Error("the video was written though the tracklist refused")
	}
	s.Tracklist = TracklistStdout
	fin := lastFinished(t, renderOK(t, s))
	sameBytes(t, old, []byte("mine"))
	if !strings.HasPrefix(fin.Tracklist, "# YouTube makes chapters only of 3 or more") {
		t.Errorf("Finished.Tracklist = %q", fin.Tracklist)
	}
	s.Tracklist, s.Force = "", true
	fin = lastFinished(t, renderOK(t, s))
	sameBytes(t, old, []byte(fin.Tracklist))
	if temps := hiddenParts(t, dir); len(temps) > 0 {
		t.Errorf("left behind: %v", temps)
	}
}

// hiddenParts lists the temporary files of saving left in dir.
func hiddenParts(t *testing.T, dir string) []string {
	var left []string
	for _, n := range dirNames(t, dir) {
		if strings.HasSuffix(n, ".part") {
			left = append(left, n)
		}
	}
	return left
}

// TestChaptersFFmpeg41: the oldest ffmpeg Stillcast supports writes the
// chapters into MP4 too.
func TestChaptersFFmpeg41(t *testing.T) {
	bin := FFmpeg41(t)
	needFFmpeg(t)
	t.Parallel()
	dir := t.TempDir()
	songs := testAlbum()[:3]
	paths := makeTaggedAlbum(t, dir, songs)
	s := testSettings(imgtest.WritePNG(t, dir, "p.png", imgtest.ColorCard(64, 64)), filepath.Join(dir, "old.mp4"))
	s.Audio, s.Duration, s.FPS, s.FFmpeg = paths, 0, 5, bin
	fin := lastFinished(t, renderOK(t, s))
	checkChapters(t, s.Output, songs, paths, fin.Tracklist)
}
