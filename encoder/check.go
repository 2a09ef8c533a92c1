package encoder

import (
	"context"
	"errors"
	"fmt"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

// FFmpegSource says where the ffmpeg in use was named.
type FFmpegSource int

const (
	FromSystem   FFmpegSource = iota // found by looking on the system (PATH)
	FromExplicit                     // named outright: --ffmpeg, or a file just chosen
	FromEnv                          // $STILLCAST_FFMPEG
	FromSaved                        // the setting saved by the window's Choose ffmpeg…
)

// FFmpegLookup says where to look for ffmpeg, first match wins: Explicit,
// then $STILLCAST_FFMPEG, then Saved, then the system. Getenv is
// os.Getenv outside tests.
type FFmpegLookup struct {
	Explicit string
	Saved    string
	Getenv   func(string) string
}

// savedFrom names the saved setting in messages.
const savedFrom = "the saved ffmpeg setting"

// Find resolves the ffmpeg binary and says where it was named. The path
// is the one ffmpeg.Find resolved (on Windows "C:\ff\ffmpeg" becomes
// "C:\ff\ffmpeg.exe", which FindProbe needs to look for ffprobe.exe).
// Its errors are *FieldError values for "ffmpeg"; path is then the path
// that was named, "" when none was.
func (l FFmpegLookup) Find() (path string, from FFmpegSource, err error) {
	named, fromText := "", ""
	switch {
	case l.Explicit != "":
		from, named, fromText = FromExplicit, l.Explicit, "--ffmpeg"
	case l.Getenv(FFmpegEnv) != "":
		from, named = FromEnv, l.Getenv(FFmpegEnv) // ffmpeg.Find reads it itself
	case l.Saved != "":
		from, named, fromText = FromSaved, l.Saved, savedFrom
	}
	explicit := named
	if from == FromEnv {
		explicit = ""
	}
	path, err = ffmpeg.Find(explicit, fromText, l.Getenv)
	if err != nil {
		return named, from, &FieldError{Field: "ffmpeg", Err: err}
	}
	return path, from, nil
}

// FFmpegProblem is what keeps an ffmpeg from being used, typed so that
// the window can word it in the user's language.
type FFmpegProblem int

const (
	FFmpegUsable      FFmpegProblem = iota
	FFmpegNotFound                  // none on the system
	FFmpegNotAProgram               // the path named is missing, a folder, or not executable
	FFmpegNotFFmpeg                 // it runs, but does not answer -version as ffmpeg does
	FFmpegTooOld                    // older than 4.1
	FFmpegNoLibx264                 // built without libx264
	FFprobeNotFound                 // no ffprobe beside it or on PATH
)

// FFmpegCheck is what CheckFFmpeg found.
type FFmpegCheck struct {
	Path    string // the ffmpeg looked at, or named; for FFmpegNotFound, ""
	From    FFmpegSource
	Problem FFmpegProblem
	Version string // what it says it is; "" when it did not say
	Probe   string // the ffprobe beside it, when found
}

// MinFFmpeg is the oldest ffmpeg release Stillcast works with, "4.1".
func MinFFmpeg() string {
	return ffmpeg.Release{Major: minFFmpegMajor, Minor: minFFmpegMinor}.String()
}

// CheckFFmpeg finds ffmpeg as l says and checks that Stillcast can use
// it: it runs, says it is ffmpeg 4.1 or newer with libx264, and ffprobe
// is found beside it. Unlike Start, it refuses a program that does not
// say what it is. The error is nil when the check's Problem is
// FFmpegUsable, ErrCancelled when ctx ended, and otherwise a *FieldError
// for "ffmpeg" in plain words.
func CheckFFmpeg(ctx context.Context, l FFmpegLookup) (FFmpegCheck, error) {
	path, from, err := l.Find()
	c := FFmpegCheck{Path: path, From: from}
	if err != nil {
		c.Problem = FFmpegNotAProgram
		if from == FromSystem {
			c.Problem = FFmpegNotFound
		}
		return c, err
	}
	b, err := ffmpeg.Inspect(ctx, path)
	switch {
	case errors.Is(err, ffmpeg.ErrCancelled):
		return c, err
	case err != nil:
		c.Problem = FFmpegNotFFmpeg
		return c, &FieldError{Field: "ffmpeg", Err: fmt.Errorf("%s is not an ffmpeg Stillcast can use: %w", path, err)}
	}
	c.Version = b.Describe()
	if err := checkBuild(b, path); err != nil {
		c.Problem = FFmpegNoLibx264
		if b.OlderThan(ffmpeg.Release{Major: minFFmpegMajor, Minor: minFFmpegMinor}) {
			c.Problem = FFmpegTooOld
		}
		return c, err
	}
	if c.Probe, err = findFFprobe(path); err != nil {
		c.Problem = FFprobeNotFound
		return c, err
	}
	return c, nil
}
