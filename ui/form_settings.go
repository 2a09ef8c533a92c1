package ui

import (
	"fyne.io/fyne/v2/lang"

	"errors"
	"image/color"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stillcast/stillcast/encoder"
)

// settings reads the widgets into encoder.Settings. Text that does not
// parse, images that did not load and audio that cannot be used come back
// as *encoder.FieldError values, joined with what Settings.Validate finds.
// In Go Live mode the settings stream to the live panel's destination
// instead of writing the output file, and an empty duration streams until
// stopped; for a file it follows the audio, or adds up the images' own
// durations.
func (f *form) settings() (encoder.Settings, error) {
	s := encoder.DefaultSettings()
	var errs []error
	bad := func(field string, err error) { errs = append(errs, &encoder.FieldError{Field: field, Err: err}) }

	s.Audio = f.audio.files()
	errs = append(errs, f.audio.problem())
	f.songSettings(&s)
	// Song videos show each song's picture still, as long as its songs.
	songVideos := s.Each || s.CoverFromAudio || s.TitleCard
	if n, err := strconv.Atoi(strings.TrimSpace(f.fps.Text)); err != nil {
		bad("fps", errors.New(lang.L("type a whole number of frames per second, like 25")))
	} else {
		s.FPS = n
	}
	frameRate := s.FPS
	if frameRate > encoder.MaxFPS {
		frameRate = 0 // the fps field says why
	}
	slides, slideErr := f.slides.slides(frameRate)
	s.Images = slides
	errs = append(errs, slideErr)
	if len(slides) > 1 && !f.isLive() {
		text := strings.TrimSpace(f.crossfade.Text)
		switch d, err := encoder.ParseDuration(text); {
		case text == "":
			s.Crossfade = 0 // a cut
		case err != nil:
			bad("crossfade", errors.New(lang.L("{{.Text}} is not a duration: use 1s or 0.5s, or leave it empty for a cut", map[string]any{"Text": strconv.Quote(text)})))
		default:
			s.Crossfade = d
		}
		s.KenBurns = f.kenBurns.Checked && !songVideos
	}
	if len(s.Audio) > 0 {
		s.LoopAudio = !f.isLive() && f.audio.loop.Checked && !songVideos
		if !f.isLive() && !songVideos {
			s.AudioCodec = f.audio.codecValue()
		}
		s.Shuffle = f.isLive() && f.audio.shuffle.Checked
	}
	if f.isLive() {
		live, err := f.live.settings()
		s.Live = live
		errs = append(errs, err)
	} else {
		s.Output = strings.TrimSpace(f.output.Text)
		s.KeyframeInterval = f.keyframeInterval() // a stream keeps its own
	}
	if z, err := f.sizeValue(); err != nil {
		bad("size", err)
	} else {
		s.Size = z
	}
	s.Fit = fitFor(f.fit.Selected)
	s.Background = f.background
	empty := strings.TrimSpace(f.duration.Text) == ""
	switch d, err := encoder.ParseDuration(f.duration.Text); {
	case s.Each:
		s.Duration = 0 // each video is as long as its song
	case empty && (f.isLive() || len(s.Audio) > 0 || s.SlidesTimed()):
		s.Duration = 0 // until stopped, as long as the audio, or the images' durations added up
	case empty:
		bad("duration", errors.New(lang.L("type how long the video lasts, like 90s, or choose audio for it to follow")))
	case err != nil:
		bad("duration", errors.New(lang.L("{{.Text}} is not a duration: use 90s, 1m30s or 1:30:00", map[string]any{"Text": strconv.Quote(strings.TrimSpace(f.duration.Text))})))
	default:
		s.Duration = d
	}
	s.Preset = presetFor(f.preset.Selected)
	s.CRF = int(f.crf.Value)

	invalid := s.Validate()
	if slideErr != nil {
		// The rows' own checks cover Validate's of the durations, and
		// mark the row.
		invalid = withoutField(invalid, "image-duration")
	}
	errs = append(errs, invalid)
	err := errors.Join(errs...)
	if dests := s.Live.Destinations; len(dests) > 1 {
		// Validate names the fields of every destination url and key:
		// check each alone to mark the right one.
		err = errors.Join(withoutField(withoutField(err, "url"), "key"),
			destinationProblems(dests[0], ""), destinationProblems(dests[1], "2"))
	}
	return s, err
}

// destinationProblems are Validate's problems with one destination, as
// field errors on url and key with suffix added to their names.
func destinationProblems(d encoder.Destination, suffix string) error {
	var errs []error
	alone := encoder.Settings{Live: encoder.Live{Destinations: []encoder.Destination{d}}}
	for _, fe := range encoder.FieldErrors(alone.Validate()) {
		if fe.Field == "url" || fe.Field == "key" {
			renamed := *fe
			renamed.Field += suffix
			errs = append(errs, &renamed)
		}
	}
	return errors.Join(errs...)
}

// sizeValue is the chosen canvas size; Custom reads the two entries.
func (f *form) sizeValue() (encoder.Size, error) {
	if z, ok := namedSize(f.size.Selected); ok {
		return z, nil
	}
	w, errW := strconv.Atoi(strings.TrimSpace(f.customW.Text))
	h, errH := strconv.Atoi(strings.TrimSpace(f.customH.Text))
	if errW != nil || errH != nil {
		return encoder.Size{}, errors.New(lang.L("type the width and height in pixels, like 1920 and 1080"))
	}
	return encoder.Size{W: w, H: h}, nil
}

// withoutField drops the field errors of one field.
func withoutField(err error, field string) error {
	var keep []error
	for _, fe := range encoder.FieldErrors(err) {
		if fe.Field != field {
			keep = append(keep, fe)
		}
	}
	return errors.Join(keep...)
}

// showErrors marks each field that err names with its first reason and
// clears the others.
func (f *form) showErrors(err error) {
	first := map[string]*encoder.FieldError{}
	for _, fe := range encoder.FieldErrors(err) {
		if _, seen := first[fe.Field]; !seen {
			first[fe.Field] = fe
		}
	}
	f.slides.showDurationErrors(err)
	for field, label := range f.errs {
		fe, bad := first[field]
		var reason error
		if bad {
			reason = fe.Err
		}
		for _, e := range f.entries[field] {
			e.SetValidationError(reason)
		}
		if !bad {
			label.Hide()
			continue
		}
		text := fieldErrorText(fe)
		if !namesFile(reason, field) { // these reasons start with a file name
			text = sentence(text)
		}
		label.SetText(text)
		label.Show()
	}
}

// namesFile reports whether a reason starts with a file's name, which
// keeps its case.
func namesFile(reason error, field string) bool {
	var se *slideError
	return field == "image" || field == "audio" || errors.As(reason, &se)
}

// reason is the text shown under a field, "" when it is fine.
func (f *form) reason(field string) string {
	if l := f.errs[field]; l != nil && l.Visible() {
		return l.Text
	}
	return ""
}

// sentence starts text with a capital letter, for a reason shown alone.
func sentence(text string) string {
	r, n := utf8.DecodeRuneInString(text)
	return string(unicode.ToUpper(r)) + text[n:]
}

// opaque turns any colour into an opaque RGBA: video has no alpha.
func opaque(c color.Color) color.RGBA {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return color.RGBA{R: n.R, G: n.G, B: n.B, A: 0xff}
}
