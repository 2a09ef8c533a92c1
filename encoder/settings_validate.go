package encoder

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// FieldError is a problem with one field of Settings. Field is the name of
// the matching command-line flag ("fps", "size", "image", …), so the CLI can
// name the flag and the window can mark the field.
//
// Format and Args are the message before its values were filled in, when
// one pattern made it (fieldErr): Format is a stable ID the window
// translates the message by, so it never matches English text.
type FieldError struct {
	Field  string
	Err    error
	Format string
	Args   []any
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Err: fmt.Errorf(format, args...), Format: format, Args: args}
}

// Validate checks every value in s without touching the file system and
// returns all the problems it finds, each a *FieldError, joined with
// errors.Join. Problems with files (a missing image, a folder that cannot be
// written) are found by Start.
func (s Settings) Validate() error {
	var errs []error
	errs = append(errs, s.validateSlides()...)
	if s.songVideos() {
		errs = append(errs, s.validateSongVideos()...)
	}
	if s.Album && !s.Each {
		errs = append(errs, fieldErr("album", "goes with --each: without it, several songs make one album video already"))
	}
	switch {
	case s.IsLive():
		errs = append(errs, s.Live.validate()...)
		errs = append(errs, s.validateCards()...)
	case s.Each && strings.TrimSpace(s.Output) == "":
		errs = append(errs, fieldErr("out", "no folder chosen for the videos"))
	case s.Each:
		errs = append(errs, s.validateEach()...)
	case strings.TrimSpace(s.Output) == "":
		errs = append(errs, fieldErr("out", "no output file chosen"))
	default:
		if _, err := ContainerFor(s.Output); err != nil {
			errs = append(errs, &FieldError{Field: "out", Err: err})
		}
	}
	if err := s.Size.validate(); err != nil {
		errs = append(errs, &FieldError{Field: "size", Err: err})
	}
	switch s.Fit {
	case FitLetterbox, FitCrop, FitStretch, FitBlur:
	default:
		errs = append(errs, fieldErr("fit", "unknown fit %q: use letterbox, crop, stretch or blur", s.Fit))
	}
	if !slices.Contains(AudioCodecs(), s.AudioCodec) {
		errs = append(errs, fieldErr("audio-codec", "unknown audio codec %q: use aac, alac, flac or copy", s.AudioCodec))
	} else if s.AudioCodec != CodecAuto && (s.IsLive() || s.Each) {
		errs = append(errs, fieldErr("audio-codec", "is for a single video file: a live stream sends AAC, and --each chooses on its own"))
	}
	if s.FPS < minFPS || s.FPS > MaxFPS {
		errs = append(errs, fieldErr("fps", "must be between %d and %d, not %d", minFPS, MaxFPS, s.FPS))
	}
	switch {
	case s.Each && s.Duration != 0:
		errs = append(errs, fieldErr("duration", "each song's video is as long as the song: leave out --duration with --each"))
	case s.Each:
	case s.IsLive() && s.Duration == 0: // until stopped
	case s.Duration == 0 && len(s.Audio) > 0: // follows the audio
	case s.Duration == 0 && s.SlidesTimed(): // the slides' own
	case s.Duration <= 0:
		errs = append(errs, fieldErr("duration", "must be longer than zero"))
	case s.Duration > MaxDuration:
		errs = append(errs, fieldErr("duration", "must be at most 24h, not %s", s.Duration))
	case s.FPS >= minFPS && s.TotalFrames() < 1:
		errs = append(errs, fieldErr("duration", "%s is shorter than one frame at %d fps", s.Duration, s.FPS))
	}
	if !validPreset(s.Preset) {
		errs = append(errs, fieldErr("preset", "unknown x264 preset %q: use one of %s", s.Preset, strings.Join(Presets(), ", ")))
	}
	errs = append(errs, s.validateKeyframes()...)
	if s.CRF < MinCRF || s.CRF > MaxCRF {
		errs = append(errs, fieldErr("crf", "must be between %d (best) and %d (smallest), not %d", MinCRF, MaxCRF, s.CRF))
	}
	return errors.Join(errs...)
}

// validateKeyframes checks KeyframeInterval: from a second (a frame at
// least, at any frame rate) to ten minutes, for files.
func (s Settings) validateKeyframes() []error {
	switch {
	case s.KeyframeInterval == 0:
	case s.IsLive():
		return []error{fieldErr("keyframe-interval", "is for files: a live stream keeps a keyframe every %d s", liveKeyframeSeconds)}
	case s.KeyframeInterval < MinKeyframeInterval || s.KeyframeInterval > MaxKeyframeInterval:
		return []error{fieldErr("keyframe-interval", "must be between %s and %s, not %s", MinKeyframeInterval, MaxKeyframeInterval, s.KeyframeInterval)}
	}
	return nil
}

// validateCards checks that title cards and track art have what they
// need: tracks to show, and the fast path, which encodes each card once.
func (s Settings) validateCards() []error {
	field := "title-card"
	if !s.Live.TitleCard {
		field = "track-art"
	}
	switch {
	case !s.Live.TitleCard && !s.Live.TrackArt:
	case len(s.Audio) == 0:
		return []error{fieldErr(field, "shows the track on air: add audio to the stream")}
	case s.NoFastPath:
		return []error{fieldErr(field, "needs the fast path: leave out --no-fast-path")}
	}
	return nil
}

// validateSlides checks the images and their timing.
func (s Settings) validateSlides() []error {
	var errs []error
	switch {
	case len(s.Images) == 0 && s.picturesFromAudio():
	case len(s.Images) == 0:
		errs = append(errs, fieldErr("image", "no image chosen"))
	case s.IsLive() && len(s.Images) > 1:
		errs = append(errs, fieldErr("image", "a live stream shows one image, not %d: slideshows are for files", len(s.Images)))
	case len(s.Images) > MaxImages:
		errs = append(errs, fieldErr("image", "%d images; the limit is %d", len(s.Images), MaxImages))
		return errs // and each of so many would be checked below
	}
	for i, sl := range s.Images {
		switch {
		case strings.TrimSpace(sl.Image) == "":
			errs = append(errs, fieldErr("image", "no image chosen for slide %d", i+1))
		case sl.Duration < 0:
			errs = append(errs, fieldErr("image-duration", "%s: the duration must be longer than zero", filepath.Base(sl.Image)))
		case sl.Duration > MaxDuration:
			errs = append(errs, fieldErr("image-duration", "%s: the duration must be at most 24h, not %s", filepath.Base(sl.Image), sl.Duration))
		case sl.Duration > 0 && s.FPS >= minFPS && sl.Duration < time.Second/time.Duration(s.FPS):
			errs = append(errs, fieldErr("image-duration", "%s: %s is shorter than one frame at %d fps", filepath.Base(sl.Image), sl.Duration, s.FPS))
		}
	}
	if s.IsLive() && s.KenBurns {
		errs = append(errs, fieldErr("ken-burns", "is for files: a live stream shows its image still"))
	}
	if s.Crossfade < 0 || s.Crossfade > MaxCrossfade {
		errs = append(errs, fieldErr("crossfade", "must be between 0 (a cut) and %s, not %s", MaxCrossfade, s.Crossfade))
	}
	return errs
}

// SlidesTimed reports whether every slide has a duration of its own, so
// that a Duration of 0 means their sum.
func (s Settings) SlidesTimed() bool {
	for _, sl := range s.Images {
		if sl.Duration <= 0 {
			return false
		}
	}
	return len(s.Images) > 0
}

func validPreset(p string) bool {
	for _, q := range Presets() {
		if p == q {
			return true
		}
	}
	return false
}

// FieldErrors flattens an error returned by Validate or Start into its
// field errors, in order. An error that carries none gives nil.
func FieldErrors(err error) []*FieldError {
	if err == nil {
		return nil
	}
	if fe, ok := err.(*FieldError); ok {
		return []*FieldError{fe}
	}
	var out []*FieldError
	switch e := err.(type) {
	case interface{ Unwrap() []error }:
		for _, inner := range e.Unwrap() {
			out = append(out, FieldErrors(inner)...)
		}
	case interface{ Unwrap() error }:
		out = FieldErrors(e.Unwrap())
	}
	return out
}
