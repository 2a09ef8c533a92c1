package ui

import (
	"errors"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder"
)

// writeSong makes a song of d at path with title, album and track number
// tags, and cover as its embedded art (an ID3 APIC frame in an mp3) when
// not "".
func writeSong(t *testing.T, path string, d time.Duration, title, album string, track int, cover string) string {
	t.Helper()
	args := []string{"-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=" + d.String()}
	if cover != "" {
		args = append(args, "-i", cover, "-map", "0:a", "-map", "1:v", "-c:v", "copy", "-disposition:v", "attached_pic", "-id3v2_version", "3")
	}
	args = append(args, "-c:a", "libmp3lame", "-metadata", "title="+title, "-metadata", "album="+album,
		"-metadata", "track="+strconv.Itoa(track), path)
	if out, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
		t.Fatalf("making %s: %v\n%s", path, err, out)
	}
	return path
}

// songsIn makes n short songs of the album "Blue Hour" in dir/Blue Hour,
// the folder of songs[0].
func songsIn(t *testing.T, dir string, n int, d time.Duration, cover string) []string {
	t.Helper()
	folder := filepath.Join(dir, "Blue Hour")
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	titles := []string{"Dawn", "Noon", "Dusk"}
	var songs []string
	for i := range n {
		songs = append(songs, writeSong(t, filepath.Join(folder, titles[i]+".mp3"), d, titles[i], "Blue Hour", i+1, cover))
	}
	return songs
}

// With several songs the window offers one video or one per song; per
// song makes Settings.Each and the output a folder named after the album,
// which Save as… chooses as a folder. One song offers neither.
func TestSongChoiceForSeveralSongs(t *testing.T) {
	h := newHarness(t)
	songs := songsIn(t, h.dir, 2, 500*time.Millisecond, "")
	file := filepath.Join(h.dir, "out", "video.mp4")
	h.setText(h.form.output, file)
	o := h.form.songs
	if o.rows[1].Visible() {
		t.Fatal("the song options show without audio")
	}
	h.setAudio(songs)
	h.waitAudio(t)
	if !o.mode.Visible() || o.album.Visible() || o.mode.Selected != songsOneVideo {
		t.Fatalf("several songs: choice shown %v (%q), album check shown %v", o.mode.Visible(), o.mode.Selected, o.album.Visible())
	}
	if s, _ := h.validate(); s.Each || s.Output != file {
		t.Fatalf("one video: Each %v, output %q", s.Each, s.Output)
	}

	o.mode.SetSelected(songsPerSong)
	o.album.SetChecked(true)
	s, err := h.validate()
	if err != nil {
		t.Fatalf("per song: %v", err)
	}
	folder := filepath.Join(h.dir, "out", "Blue Hour")
	if !s.Each || !s.Album || s.Output != folder || h.form.output.Text != folder {
		t.Fatalf("per song: Each %v, Album %v, output %q, want the folder %q", s.Each, s.Album, s.Output, folder)
	}
	if h.form.durationRow[1].Visible() {
		t.Error("per song: the duration shows, but each video is as long as its song")
	}
	if !h.prefs.Bool(prefPerSong) || !h.prefs.Bool(prefAlbumVideo) {
		t.Error("the choices are not remembered")
	}
	chosen := filepath.Join(h.dir, "chosen")
	h.dialogs.videoDir = chosen
	tapButton(t, h.win.Canvas(), "Save as…")
	h.q.until(t, "the chosen folder is the output", func() bool { return h.form.output.Text == chosen })
	if s, _ := h.validate(); s.Output != chosen || !s.Each {
		t.Fatalf("after Save as…: output %q, Each %v", s.Output, s.Each)
	}

	o.mode.SetSelected(songsOneVideo)
	if s, _ := h.validate(); s.Each || s.Album || s.Output != file {
		t.Fatalf("back to one video: Each %v, Album %v, output %q, want %q", s.Each, s.Album, s.Output, file)
	}
	o.mode.SetSelected(songsPerSong)
	h.setAudio(songs[:1])
	h.waitAudio(t)
	if s, _ := h.validate(); o.mode.Visible() || s.Each || s.Output != file {
		t.Fatalf("one song: choice shown %v, Each %v, output %q", o.mode.Visible(), s.Each, s.Output)
	}
}

// "Use the song's cover" shows for a song with embedded art: checked, it
// needs no image and the preview shows the art. A song without art does
// not offer it.
func TestSongCoverOffered(t *testing.T) {
	h := newHarness(t)
	cover := writePNG(t, filepath.Join(h.dir, "cover.png"), 64, 64, color.NRGBA{R: 230, G: 20, B: 20, A: 255})
	withArt := writeSong(t, filepath.Join(h.dir, "art.mp3"), 500*time.Millisecond, "Art", "", 1, cover)
	plain := writeSong(t, filepath.Join(h.dir, "plain.mp3"), 500*time.Millisecond, "Plain", "", 1, "")
	h.setText(h.form.output, filepath.Join(h.dir, "video.mp4"))
	cov := h.form.songs.cover

	h.setAudio([]string{withArt})
	h.waitAudio(t)
	if !cov.Visible() || h.form.songs.mode.Visible() {
		t.Fatalf("a song with art: cover check shown %v, choice of videos shown %v", cov.Visible(), h.form.songs.mode.Visible())
	}
	if _, err := h.validate(); err == nil || h.form.reason("image") == "" {
		t.Fatalf("no image and the cover unchecked: %v, want the image's reason", err)
	}
	cov.SetChecked(true)
	s, err := h.validate()
	if err != nil || !s.CoverFromAudio || len(s.Images) != 0 {
		t.Fatalf("the cover checked: %v, CoverFromAudio %v, %d images", err, s.CoverFromAudio, len(s.Images))
	}
	h.q.until(t, "the preview shows the cover", h.previewSettled)
	frame := h.preview.frame.Image
	if c := frame.At(frame.Bounds().Dx()/2, frame.Bounds().Dy()/2); !isReddish(c) {
		t.Errorf("the preview's centre is %v, want the cover's red", c)
	}

	h.setAudio([]string{plain})
	h.waitAudio(t)
	if cov.Visible() {
		t.Error("a song without art offers its cover")
	}
	if s, _ := h.validate(); s.CoverFromAudio {
		t.Error("a song without art: CoverFromAudio is on")
	}
}

func isReddish(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r>>8 > 180 && g>>8 < 70 && b>>8 < 70
}

// One video per song, through the window: a folder of two tiny songs,
// chosen with Folder…, makes two videos in the output folder, and the
// progress counts them.
func TestPerSongRenderThroughWindow(t *testing.T) {
	h := newHarness(t)
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 80, 60, color.NRGBA{R: 40, G: 90, B: 200, A: 255}))
	songs := songsIn(t, h.dir, 2, time.Second, "")
	h.dialogs.folder = filepath.Dir(songs[0]) // the album's folder, with Folder…
	tapButton(t, h.win.Canvas(), "Folder…")
	h.q.until(t, "the folder is chosen", func() bool { return len(h.form.audio.paths) == 1 })
	h.waitAudio(t)
	h.form.size.SetSelected(sizeCustom)
	h.setText(h.form.customW, "320")
	h.setText(h.form.customH, "180")
	h.form.preset.SetSelected(presetLabels()["ultrafast"])
	h.form.songs.mode.SetSelected(songsPerSong)
	folder := filepath.Join(h.dir, "videos")
	h.setText(h.form.output, folder)
	if _, err := h.validate(); err != nil {
		t.Fatalf("settings: %v", err)
	}

	tapButton(t, h.win.Canvas(), "Render")
	counted := false
	h.q.until(t, "the videos are made", func() bool {
		counted = counted || strings.Contains(h.progress.stats.Text, "/2 videos")
		return h.progress.state != stateRendering
	})
	if h.progress.state != stateDone {
		t.Fatalf("state %v: %s\n%s", h.progress.state, h.progress.status.Text, h.progress.detailsText.Text)
	}
	if !counted {
		t.Error("the progress never showed the count of videos")
	}
	want := []string{"01 - Dawn.mp4", "02 - Noon.mp4"}
	entries, err := os.ReadDir(folder)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, want) {
		t.Fatalf("the folder holds %q, want %q", names, want)
	}
	for _, name := range want {
		kinds, length := ffprobeFile(t, filepath.Join(folder, name))
		if !slices.Contains(kinds, "video") || !slices.Contains(kinds, "audio") || length < 900*time.Millisecond || length > 1200*time.Millisecond {
			t.Errorf("%s: streams %q, %v long; want video and audio of 1s", name, kinds, length)
		}
	}
	if got := h.progress.status.Text; got != "Made 2 of 2 videos in videos" {
		t.Errorf("status %q", got)
	}
	if got := h.progress.detailsText.Text; !strings.Contains(got, "✓ 01 - Dawn.mp4") || !strings.Contains(got, "✓ 02 - Noon.mp4") {
		t.Errorf("the list of videos:\n%s", got)
	}
	if !h.progress.openFolder.Visible() || h.progress.play.Visible() {
		t.Error("after a batch: Open folder, and no Play, should show")
	}
}

// A batch with a failed video ends with the count of failures and each
// reason, not a generic error.
func TestBatchFailureSummary(t *testing.T) {
	h := newHarness(t)
	folder := filepath.Join(h.dir, "album")
	h.progress.beginBatch(folder)
	h.apply(encoder.BatchProgress{Done: 1, Total: 3, Current: "02 - Noon.mp4", Fraction: 0.5, ETA: 90 * time.Second})
	if got := h.progress.stats.Text; got != "1/3 videos  ·  02 - Noon.mp4  ·  1:30 left" || h.progress.bar.Value != 0.5 {
		t.Errorf("progress %q at %v", got, h.progress.bar.Value)
	}
	broken := encoder.VideoDone{Output: filepath.Join(folder, "03 - Dusk.mp4"), Index: 3, Total: 3,
		Err: &encoder.FieldError{Field: "audio", Err: errors.New("Dusk.mp3: has no audio in it")}}
	h.apply(encoder.VideoDone{Output: filepath.Join(folder, "02 - Noon.mp4"), Index: 2, Total: 3, Skipped: true})
	h.apply(broken)
	h.apply(encoder.VideoDone{Output: filepath.Join(folder, "01 - Dawn.mp4"), Index: 1, Total: 3, Size: 2048, Duration: time.Minute})
	h.apply(encoder.Finished{Output: folder, Err: &encoder.BatchError{Made: 1, Skipped: 1, Total: 3, Failed: []encoder.VideoDone{broken}}})

	if h.progress.state != stateFailed || h.progress.status.Text != "1 of 3 videos failed" {
		t.Fatalf("state %v, status %q", h.progress.state, h.progress.status.Text)
	}
	if got := h.progress.stats.Text; !strings.HasPrefix(got, "1 made  ·  1 skipped  ·  1 failed") {
		t.Errorf("summary %q", got)
	}
	list := strings.Split(h.progress.detailsText.Text, "\n")
	want := []string{"✓ 01 - Dawn.mp4: 1:00, 2.0 kB", "– 02 - Noon.mp4: skipped, it is there already", "✗ 03 - Dusk.mp4: failed: Audio: Dusk.mp3: has no audio in it"}
	if !slices.Equal(list, want) || !h.progress.details.Visible() || !h.progress.details.Items[0].Open {
		t.Errorf("details (shown %v):\n%s\nwant:\n%s", h.progress.details.Visible(), strings.Join(list, "\n"), strings.Join(want, "\n"))
	}
}

// A batch that made the album video shows its tracklist, to copy.
func TestBatchShowsTheAlbumsTracklist(t *testing.T) {
	h := newHarness(t)
	folder := filepath.Join(h.dir, "album")
	h.progress.beginBatch(folder)
	h.apply(encoder.VideoDone{Output: filepath.Join(folder, "Album.mp4"), Index: 1, Total: 1, Duration: time.Minute})
	h.apply(encoder.Finished{Output: folder, Tracklist: "0:00 Dawn\n0:30 Noon\n"})
	if !h.progress.tracklist.content.Visible() || h.progress.tracklist.text.Text != "0:00 Dawn\n0:30 Noon\n" {
		t.Errorf("tracklist shown %v: %q", h.progress.tracklist.content.Visible(), h.progress.tracklist.text.Text)
	}
}
