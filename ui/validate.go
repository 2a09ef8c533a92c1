package ui

import (
	"fyne.io/fyne/v2/lang"

	"errors"
	"image"
	"strings"
	"time"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/human"
)

// errStillReading holds Render back while an image loads or the audio is
// read. It is not shown: the form updates a moment later.
var errStillReading = errors.New("the images or the audio are still being read")

// validate reads the form, marks every bad field with its reason, sums
// up the video's length, and returns the settings with what is wrong
// with them.
func (m *mainWindow) validate() (encoder.Settings, error) {
	f := m.form
	s, err := f.settings()
	l := m.ffmpeg.lookup("")
	s.FFmpeg, s.SavedFFmpeg = l.Explicit, l.Saved
	tl, tlErr := m.timeline(s, err)
	err = errors.Join(err, tlErr)
	f.showErrors(err)
	f.slides.showTimeline(tl)
	m.total = 0
	if tl != nil {
		m.total = tl.total
	}
	f.showLength(lengthText(s, tl, f.audio))
	if err == nil && (f.slides.pending() || f.audio.pending()) {
		err = errStillReading
	}
	m.valid = err == nil
	return s, err
}

// timeline is what the window shows of the video's timeline: its length
// and how each image shows, summed up in closed form, so an edit costs
// O(images) however often they repeat.
type timeline struct {
	total time.Duration
	shows []encoder.Showing // one for each image
}

// timeline works out how long the video is and how each image shows,
// once the audio's length is known and the durations make sense. It is
// nil otherwise, and for a stream, which runs until it is stopped.
func (m *mainWindow) timeline(s encoder.Settings, problems error) (*timeline, error) {
	if s.IsLive() || len(s.Images) == 0 || !m.form.audio.known() {
		return nil, nil
	}
	for _, fe := range encoder.FieldErrors(problems) {
		if fe.Field == "duration" || fe.Field == "image-duration" {
			return nil, nil
		}
	}
	total, shows, err := s.Showings(m.form.audio.total())
	if err != nil {
		return nil, err
	}
	return &timeline{total: total, shows: shows}, nil
}

// lengthText sums up the video: "Total 3:00 · 3 images · audio 3:00",
// with what happens when the audio is shorter or longer than the video.
// It is "" when there is nothing to say.
func lengthText(s encoder.Settings, tl *timeline, audio *audioRow) string {
	switch {
	case audio.pending():
		return lang.L("Reading the audio…")
	case s.IsLive() && len(audio.paths) > 0 && audio.known():
		length := map[string]any{"Length": human.Clock(audio.total())}
		if s.Shuffle {
			return lang.L("The audio, {{.Length}}, plays round and round in a new order each time.", length)
		}
		return lang.L("The audio, {{.Length}}, plays round and round until the stream ends.", length)
	case tl == nil, len(s.Images) == 1 && len(s.Audio) == 0 && s.Duration > 0:
		return "" // nothing the duration does not say
	}
	parts := []string{lang.L("Total {{.Length}}", map[string]any{"Length": human.Clock(tl.total)})}
	if n := len(s.Images); n > 1 {
		parts = append(parts, lang.L("{{.Count}} images", map[string]any{"Count": n}))
	}
	if len(s.Audio) > 0 {
		a := audio.total()
		length := map[string]any{"Length": human.Clock(a)}
		text := lang.L("audio {{.Length}}", length)
		switch {
		case tl.total > a+time.Second/2 && s.LoopAudio:
			text = lang.L("audio {{.Length}}, looped", length)
		case tl.total > a+time.Second/2:
			text = lang.L("audio {{.Length}}, then silence", length)
		case tl.total < a-time.Second/2:
			text = lang.L("audio {{.Length}}, cut at the end", length)
		}
		parts = append(parts, text)
	}
	return strings.Join(parts, "  ·  ")
}

// refreshPreview shows the frame for s, unless its size or fit is bad:
// then the last good frame stays until they make sense again.
func (m *mainWindow) refreshPreview(s encoder.Settings, problems error) {
	pic := m.picture
	if cover := m.coverPicture(s); cover != nil {
		pic = cover
	}
	if pic == nil {
		m.preview.clear()
		return
	}
	canvas := m.canvasSize(s, problems)
	if canvas == (image.Point{}) {
		return // the first image, which sets the size, has not loaded
	}
	framesKnown := true
	for _, fe := range encoder.FieldErrors(problems) {
		switch fe.Field {
		case "size", "fit":
			return // keep the last good frame until the size makes sense
		case "fps", "duration", "image-duration":
			framesKnown = false
		}
	}
	m.preview.update(pic, canvas, s, m.total, framesKnown)
}
