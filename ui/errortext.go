package ui

import (
	"errors"
	"fmt"
	"image"
	"io/fs"
	"path/filepath"

	"fyne.io/fyne/v2/lang"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/encoder/picture"
)

// The encoder's errors are English, for the command line. The window says
// them in its own language: by the pattern a FieldError was made from, by
// the sentinels and typed errors behind the others, and by ffmpeg's hints,
// a fixed list; never by matching English text. What none of these covers
// is shown as the encoder wrote it, after the field's translated name.

// fieldNames are the fields of encoder.FieldError as the window names them.
func fieldNames() map[string]string {
	return map[string]string{
		"image":          lang.L("Image"),
		"image-duration": lang.L("Shows for"),
		"crossfade":      lang.L("Crossfade"),
		"ken-burns":      lang.L("Slow zoom"),
		"audio":          lang.L("Audio"),
		"audio-codec":    lang.L("Audio codec"),
		"size":           lang.L("Size"),
		"fit":            lang.L("Fit"),
		"duration":       lang.L("Duration"),
		"fps":            lang.L("Frame rate"),
		"preset":         lang.L("Speed"),
		"crf":            lang.L("Quality"),
		"out":            lang.L("Save to"),
		"url":            lang.L("Server"),
		"key":            lang.L("Stream key"),
		"url2":           lang.L("Second server"),
		"key2":           lang.L("Second stream key"),
		"bitrate":        lang.L("Bitrate"),
		"retries":        lang.L("Reconnects"),
		"title-card":     lang.L("Title card"),
		"track-art":      lang.L("Track art"),
		"ca-file":        lang.L("CA file"),
		"ffmpeg":         "ffmpeg",
		// a file's keyframe interval: the Keyframes list (keyframes.go)
		"keyframe-interval": lang.L("Keyframes"),
	}
}

// fieldName is a field's name in the window's language.
func fieldName(field string) string {
	if name, ok := fieldNames()[field]; ok {
		return name
	}
	return field
}

// fieldProblem is fe with its field's name, for where the field is not
// beside it.
func fieldProblem(fe *encoder.FieldError) string {
	return lang.L("{{.Field}}: {{.Problem}}", map[string]any{"Field": fieldName(fe.Field), "Problem": fieldErrorText(fe)})
}

// fieldErrorText is what went wrong with fe's field, without its name.
// A pattern's translation keeps its verbs, in order or indexed (%[2]s).
func fieldErrorText(fe *encoder.FieldError) string {
	if fe.Format != "" {
		return fmt.Sprintf(lang.L(fe.Format), fe.Args...)
	}
	return errorText(fe.Err)
}

// errorText says err in the window's language where it is known.
func errorText(err error) string {
	var pathErr *fs.PathError
	var loadErr *picture.LoadError
	if errors.As(err, &loadErr) {
		return loadErr.Name + ": " + fmt.Sprintf(lang.L(loadErr.Format), loadErr.Args...)
	}
	named := func(reason string) string {
		if errors.As(err, &pathErr) {
			return filepath.Base(pathErr.Path) + ": " + reason
		}
		return reason
	}
	switch {
	case errors.Is(err, encoder.ErrCancelled):
		return lang.L("cancelled")
	case errors.Is(err, encoder.ErrKeyRejected):
		return lang.L("the server rejected the stream key")
	case errors.Is(err, encoder.ErrFFmpegNotFound):
		return lang.L("ffmpeg was not found. Install it (Debian/Ubuntu: sudo apt install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg), then start Stillcast again.")
	case errors.Is(err, encoder.ErrOutputExists):
		return lang.L("the file already exists")
	case errors.Is(err, image.ErrFormat):
		return named(lang.L("not an image Stillcast can read (use JPEG, PNG, GIF, BMP, TIFF or WebP)"))
	case errors.Is(err, fs.ErrNotExist):
		return named(lang.L("no such file or folder"))
	case errors.Is(err, fs.ErrPermission):
		return named(lang.L("permission denied"))
	}
	return err.Error()
}

// hintText is one of ffmpeg's hints, the encoder/ffmpeg package's fixed
// list of explanations, in the window's language.
func hintText(hint string) string {
	return lang.L(hint)
}

// phaseText names a render's phase, as the progress line starts.
func phaseText(p encoder.Phase) string {
	switch p {
	case encoder.PhaseAssemble:
		return lang.L("Assembling")
	case encoder.PhaseAudio:
		return lang.L("Preparing the audio")
	}
	return lang.L("Encoding")
}
