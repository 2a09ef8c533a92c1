package ui

import (
	"crypto/rand"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/encoder/rtmptest"
	"github.com/stillcast/stillcast/ui/human"
)

// writeAudio makes a sine tone of d with ffmpeg, tagged with title and
// artist when they are not empty.
func writeAudio(t *testing.T, path string, d time.Duration, title, artist string) string {
	t.Helper()
	args := []string{"-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=" + d.String()}
	if title != "" {
		args = append(args, "-metadata", "title="+title)
	}
	if artist != "" {
		args = append(args, "-metadata", "artist="+artist)
	}
	if out, err := exec.Command("ffmpeg", append(args, path)...).CombinedOutput(); err != nil {
		t.Fatalf("making %s: %v\n%s", path, err, out)
	}
	return path
}

// TestOpenFilesFromTheCommandLine: the files a file manager or the command
// line hands the window are sorted as a drop is: images in order make the
// slideshow, sound files the audio, and the video follows the audio.
func TestOpenFilesFromTheCommandLine(t *testing.T) {
	h := newHarness(t)
	first := writePNG(t, filepath.Join(h.dir, "first.png"), 40, 30, color.White)
	second := writePNG(t, filepath.Join(h.dir, "second.png"), 40, 30, color.Black)
	song := writeAudio(t, filepath.Join(h.dir, "song.mp3"), 2*time.Second, "", "")
	h.open([]string{first, song, second})
	h.waitImages(t)
	h.waitAudio(t)
	s, err := h.validate()
	if err != nil {
		t.Fatalf("validate: %v", err)
	}
	if want := []string{first, second}; !reflect.DeepEqual(h.form.slides.paths(), want) {
		t.Errorf("images = %q, want %q", h.form.slides.paths(), want)
	}
	if !reflect.DeepEqual(s.Audio, []string{song}) || s.Duration != 0 {
		t.Errorf("Audio %q, Duration %s; want the song, followed", s.Audio, s.Duration)
	}
}

func TestDropAudioAndImages(t *testing.T) {
	h := newHarness(t)
	first := writePNG(t, filepath.Join(h.dir, "first.png"), 40, 30, color.White)
	h.openImage(t, first)
	a := writeAudio(t, filepath.Join(h.dir, "b-side.mp3"), 2*time.Second, "", "")
	b := writeAudio(t, filepath.Join(h.dir, "a-side.wav"), time.Second, "", "")
	img2 := writePNG(t, filepath.Join(h.dir, "second.png"), 40, 30, color.Black)
	img3 := writePNG(t, filepath.Join(h.dir, "third.png"), 40, 30, color.Black)

	// Audio and images mixed: the audio keeps the dropped order, not the names'.
	h.onDropped(fyne.NewPos(0, 0), fileURIs(a, img2, b, img3))
	h.waitImages(t)
	h.waitAudio(t)
	s, err := h.validate()
	if err != nil {
		t.Fatalf("validate: %v", err)
	}
	if want := []string{first, img2, img3}; !reflect.DeepEqual(h.form.slides.paths(), want) {
		t.Errorf("images = %q, want %q", h.form.slides.paths(), want)
	}
	if want := []string{a, b}; !reflect.DeepEqual(s.Audio, want) {
		t.Errorf("Settings.Audio = %q, want %q", s.Audio, want)
	}
	if got := h.form.audio.name.Text; !strings.Contains(got, "2 files") || !strings.Contains(got, "b-side.mp3, a-side.wav") {
		t.Errorf("audio field says %q", got)
	}
	if got := h.form.audio.length.Text; !strings.Contains(got, "2 tracks") || !strings.Contains(got, "0:03") {
		t.Errorf("audio length says %q, want 2 tracks, 0:03", got)
	}

	// Dropping audio again replaces it.
	h.onDropped(fyne.NewPos(0, 0), fileURIs(b))
	h.waitAudio(t)
	if s, _ := h.validate(); !reflect.DeepEqual(s.Audio, []string{b}) {
		t.Errorf("after a second drop Settings.Audio = %q, want only %q", s.Audio, b)
	}
	if len(h.form.slides.items) != 3 {
		t.Errorf("dropping audio alone changed the images: %q", h.form.slides.paths())
	}
}

func TestAudioFollowsTheAudio(t *testing.T) {
	h := newHarness(t)
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White))
	h.setText(h.form.duration, defaultFormValues().Duration)
	song := writeAudio(t, filepath.Join(h.dir, "song.mp3"), 3*time.Second, "Tone", "Oscillator")

	h.dialogs.audio = song
	h.chooseAudio()
	h.q.until(t, "the dialog is answered", func() bool { return !h.dialogOpen })
	h.waitAudio(t)
	s, err := h.validate()
	if err != nil {
		t.Fatalf("validate: %v", err)
	}
	if s.Duration != 0 || h.form.duration.Text != "" {
		t.Errorf("Duration = %v (field %q), want 0: a video at the default length follows its audio", s.Duration, h.form.duration.Text)
	}
	if got := h.form.duration.PlaceHolder; got != "follows the audio" {
		t.Errorf("duration placeholder = %q", got)
	}
	if got := h.form.audio.length.Text; !strings.Contains(got, "Oscillator – Tone") {
		t.Errorf("audio length says %q, want the tags", got)
	}
	if !h.form.audio.loop.Visible() || h.form.audio.shuffle.Visible() {
		t.Error("a file render offers Loop audio and not Shuffle")
	}
	if h.renderButton.Disabled() {
		t.Errorf("Render is disabled: %q", h.form.reason("duration"))
	}

	// A duration typed stays, and loop reaches the settings.
	h.setText(h.form.duration, "10s")
	test.Tap(h.form.audio.loop)
	s, _ = h.validate()
	if s.Duration != 10*time.Second || !s.LoopAudio {
		t.Errorf("Duration %v, LoopAudio %v; want 10s, true", s.Duration, s.LoopAudio)
	}
	if got := h.form.length.Text; !strings.Contains(got, "looped") {
		t.Errorf("length says %q, want the audio looped", got)
	}

	// The audio codec is offered for a file, and reaches the settings.
	if !h.form.audio.codecs.Visible() || h.form.audio.codec.SelectedIndex() != 0 {
		t.Errorf("the audio codec is shown %v, at %d; want shown, automatic", h.form.audio.codecs.Visible(), h.form.audio.codec.SelectedIndex())
	}
	h.form.audio.codec.SetSelectedIndex(3)
	if s, _ = h.validate(); s.AudioCodec != encoder.CodecFLAC {
		t.Errorf("AudioCodec %q after choosing %q, want flac", s.AudioCodec, h.form.audio.codec.Selected)
	}
	h.form.audio.codec.SetSelectedIndex(0)

	// Clear takes the audio away: an empty duration is wrong again.
	h.setText(h.form.duration, "")
	test.Tap(h.form.audio.clear)
	s, err = h.validate()
	if len(s.Audio) != 0 || err == nil || h.form.reason("duration") == "" || !h.renderButton.Disabled() {
		t.Errorf("after Clear: audio %q, duration reason %q, Render disabled %v", s.Audio, h.form.reason("duration"), h.renderButton.Disabled())
	}
	if h.form.audio.loop.Visible() {
		t.Error("Loop audio is offered without audio")
	}
}

func TestBadAudioIsMarked(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "x.mp3")
	noise := make([]byte, 64<<10)
	if _, err := rand.Read(noise); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(corrupt, noise, 0o644); err != nil {
		t.Fatal(err)
	}
	video := filepath.Join(dir, "x.mp4")
	if out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=d=1", "-f", "lavfi", "-i", "sine=d=1", video).CombinedOutput(); err != nil {
		t.Fatalf("making a video: %v\n%s", err, out)
	}
	empty := filepath.Join(dir, "empty.wav")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, path, reason string
	}{
		{"corrupt", corrupt, "x.mp3: not an audio file"},
		{"video", video, "x.mp4 is a video"},
		{"empty", empty, "empty.wav: the file is empty"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White))
			h.onDropped(fyne.NewPos(0, 0), fileURIs(c.path))
			h.waitAudio(t)
			got := h.form.reason("audio")
			if !strings.Contains(strings.ReplaceAll(got, ":", ""), strings.ReplaceAll(c.reason, ":", "")) {
				t.Errorf("reason under audio = %q, want it to name the file: %q", got, c.reason)
			}
			if !h.renderButton.Disabled() {
				t.Error("Render stays enabled with audio that cannot be used")
			}
			if !strings.Contains(h.progress.status.Text, "Fix the fields") {
				t.Errorf("status = %q", h.progress.status.Text)
			}
			// Clearing it makes the video renderable again.
			test.Tap(h.form.audio.clear)
			h.setText(h.form.duration, "2s")
			if h.renderButton.Disabled() || h.form.reason("audio") != "" {
				t.Errorf("after Clear: Render disabled %v, reason %q", h.renderButton.Disabled(), h.form.reason("audio"))
			}
		})
	}
}

func TestLiveAudioFolderIsAPlaylist(t *testing.T) {
	h := newHarness(t)
	liveForm(t, h, "rtmp://127.0.0.1:1/live", streamKey)
	music := filepath.Join(h.dir, "music")
	if err := os.Mkdir(music, 0o755); err != nil {
		t.Fatal(err)
	}
	writeAudio(t, filepath.Join(music, "2 two.mp3"), time.Second, "", "")
	writeAudio(t, filepath.Join(music, "10 ten.mp3"), 2*time.Second, "", "")

	h.onDropped(fyne.NewPos(0, 0), fileURIs(music))
	h.waitAudio(t)
	s, err := h.validate()
	if err != nil {
		t.Fatalf("validate: %v", err)
	}
	if !reflect.DeepEqual(s.Audio, []string{music}) {
		t.Errorf("Settings.Audio = %q, want the folder itself", s.Audio)
	}
	if got := h.form.audio.length.Text; !strings.Contains(got, "2 tracks") || !strings.Contains(got, "0:03") {
		t.Errorf("audio length says %q", got)
	}
	if !h.form.audio.shuffle.Visible() || h.form.audio.loop.Visible() || !h.form.audio.folder.Visible() {
		t.Error("a stream offers Shuffle and Folder…, not Loop audio")
	}
	test.Tap(h.form.audio.shuffle)
	if s, _ := h.validate(); !s.Shuffle || s.LoopAudio || s.Duration != 0 {
		t.Errorf("Shuffle %v, LoopAudio %v, Duration %v", s.Shuffle, s.LoopAudio, s.Duration)
	}

	// A folder without audio says so under the field.
	emptyDir := filepath.Join(h.dir, "nothing")
	if err := os.Mkdir(emptyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	h.dialogs.folder = emptyDir
	h.chooseAudioFolder()
	h.q.until(t, "the dialog is answered", func() bool { return !h.dialogOpen })
	h.waitAudio(t)
	if got := h.form.reason("audio"); !strings.Contains(got, "nothing: the folder has no audio files") || !h.renderButton.Disabled() {
		t.Errorf("reason under audio = %q, Render disabled %v", got, h.renderButton.Disabled())
	}
}

func TestNowPlayingShowsTheTrack(t *testing.T) {
	h := newHarness(t)
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White))
	h.form.outputMode.SetSelected(outputLive)
	h.run = &run{live: true, cancel: func() {}, done: make(chan struct{})}
	h.progress.beginLive([]string{"rtmp://127.0.0.1/live/[stream key]"})
	v := h.progress.liveView
	if v.track.Visible() {
		t.Fatalf("a track shows before any plays: %q", v.track.Text)
	}
	h.apply(encoder.LiveStatus{State: encoder.LiveOnAir, Attempt: 1})

	// Through forward, as a job's events come: a NowPlaying is never
	// dropped as a routine update, even right after a status.
	events := make(chan encoder.Event, 3)
	events <- encoder.LiveStatus{State: encoder.LiveOnAir, Attempt: 1, Uptime: time.Second}
	events <- encoder.NowPlaying{Track: 1, Tracks: 3, Info: encoder.AudioInfo{Title: "Second Song", Artist: "The Band"}}
	close(events)
	forward(events, h.q.do, h.apply, time.Hour)
	h.q.until(t, "the track shows", func() bool { return v.track.Visible() })
	if got, want := v.track.Text, "♪ The Band – Second Song (2/3)"; got != want {
		t.Errorf("track = %q, want %q", got, want)
	}

	h.apply(encoder.NowPlaying{Track: 0, Tracks: 1, Info: encoder.AudioInfo{Title: "alone"}})
	if got := v.track.Text; got != "♪ alone" {
		t.Errorf("a single track = %q, want no count", got)
	}
	h.progress.beginLive([]string{"rtmp://127.0.0.1/live/[stream key]"})
	if v.track.Visible() {
		t.Error("a new stream still shows the last one's track")
	}
}

// lengthOf is the total the form's settings make, by the encoder's own
// Timeline, as the length line writes it.
func lengthOf(t *testing.T, h *harness) string {
	t.Helper()
	s, err := h.validate()
	if err != nil {
		t.Fatalf("validate: %v", err)
	}
	tl, err := s.Timeline(h.form.audio.total())
	if err != nil {
		t.Fatalf("Timeline: %v", err)
	}
	return "Total " + human.Clock(tl.Total)
}

func TestGoLiveWithAPlaylistShowsEachTrack(t *testing.T) {
	srv := rtmptest.Start(t, rtmptest.Options{})
	h := newHarness(t)
	liveForm(t, h, srv.URL("live"), streamKey)
	music := filepath.Join(h.dir, "music")
	if err := os.Mkdir(music, 0o755); err != nil {
		t.Fatal(err)
	}
	writeAudio(t, filepath.Join(music, "1 first.mp3"), 2*time.Second, "First", "The Band")
	writeAudio(t, filepath.Join(music, "2 second.mp3"), 2*time.Second, "Second", "The Band")
	h.onDropped(fyne.NewPos(0, 0), fileURIs(music))
	h.waitAudio(t)
	if _, err := h.validate(); err != nil {
		t.Fatalf("settings: %v", err)
	}

	r := goLive(t, h)
	v := h.progress.liveView
	h.q.until(t, "the first track shows", func() bool { return v.track.Text == "♪ The Band – First (1/2)" })
	h.q.until(t, "the second track shows", func() bool { return v.track.Text == "♪ The Band – Second (2/2)" })
	stopLive(t, h, r, srv.Addr())
}
