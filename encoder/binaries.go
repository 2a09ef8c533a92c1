package encoder

import (
	"context"
	"errors"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

// FFmpegEnv names the environment variable that points at ffmpeg.
const FFmpegEnv = ffmpeg.Env

// FFmpegError is ffmpeg failing: how it exited, a hint in plain words
// when the failure is a known one, and its last lines.
type FFmpegError = ffmpeg.Error

// ErrCancelled is the error of a job stopped by Cancel or its context.
// It wraps context.Canceled.
var ErrCancelled = ffmpeg.ErrCancelled

// ErrFFmpegNotFound is behind the "ffmpeg" FieldError when no ffmpeg was
// found beside Stillcast or on PATH.
var ErrFFmpegNotFound = ffmpeg.ErrNotFound

// FindFFmpeg resolves the ffmpeg binary: an explicit path first, then
// $STILLCAST_FFMPEG, then one beside Stillcast's executable, then PATH.
// getenv is os.Getenv outside tests. Its errors are *FieldError values for
// "ffmpeg". FFmpegLookup also takes the saved setting.
func FindFFmpeg(explicit string, getenv func(string) string) (string, error) {
	path, _, err := FFmpegLookup{Explicit: explicit, Getenv: getenv}.Find()
	if err != nil {
		return "", err
	}
	return path, nil
}

// findFFprobe finds ffprobe beside ffmpeg, else on PATH.
func findFFprobe(bin string) (string, error) {
	path, err := ffmpeg.FindProbe(bin)
	if err != nil {
		return "", &FieldError{Field: "ffmpeg", Err: err}
	}
	return path, nil
}

// The oldest ffmpeg Stillcast works with: 4.1, the oldest the tests run
// (a static build of it is common, npm's @ffmpeg-installer among others).
const minFFmpegMajor, minFFmpegMinor = 4, 1

// limits are what an older ffmpeg cannot do, for the plans to leave out.
// The zero value is a modern ffmpeg (4.4 or newer); one that could not be
// inspected is taken to be the oldest (oldestLimits).
type limits struct {
	// NoStatsPeriod: before 4.4 ffmpeg has no -stats_period, and reports
	// progress at its own pace, every 0.5 s.
	NoStatsPeriod bool
	// NoSetts: before 4.4 ffmpeg has no setts bitstream filter, which
	// trims the last frame of audio that is copied to its exact length.
	NoSetts bool
	// NoALACInMP4: ffmpeg 4.1 does not write ALAC into .mp4 ("codec not
	// currently supported in container"), 5.1 does; those between are
	// taken to be like 4.1.
	NoALACInMP4 bool
}

// inspectFFmpeg learns what the ffmpeg at bin can do, and refuses one
// that Stillcast cannot work with. An ffmpeg that does not say what it is
// (it fails, answers too slowly or is no ffmpeg) is taken for the oldest
// one Stillcast works with, so its jobs ask only for what every ffmpeg
// from 4.1 on does; if it is no ffmpeg at all, the job fails in its own
// words.
func inspectFFmpeg(ctx context.Context, bin string) (limits, error) {
	b, err := ffmpeg.Inspect(ctx, bin)
	switch {
	case errors.Is(err, ffmpeg.ErrCancelled):
		return limits{}, err
	case err != nil:
		return oldestLimits(), nil
	}
	if err := checkBuild(b, bin); err != nil {
		return limits{}, err
	}
	return limitsOf(b), nil
}

// checkBuild refuses an ffmpeg older than 4.1, or one without libx264,
// with a *FieldError for "ffmpeg" that says what was found at bin and
// what is needed.
func checkBuild(b ffmpeg.Build, bin string) error {
	least := ffmpeg.Release{Major: minFFmpegMajor, Minor: minFFmpegMinor}
	if b.OlderThan(least) {
		return fieldErr("ffmpeg", "ffmpeg %s at %s is too old: Stillcast needs ffmpeg %s or newer", b.Describe(), bin, least)
	}
	if !b.Libx264 {
		return fieldErr("ffmpeg", "this ffmpeg (%s at %s) was built without libx264, which Stillcast needs to encode H.264: install a full build of ffmpeg", b.Describe(), bin)
	}
	return nil
}

// limitsOf is what the plans must leave out for build b.
// oldestLimits are the limits of ffmpeg 4.1, the oldest Stillcast works
// with.
func oldestLimits() limits { return limits{NoStatsPeriod: true, NoSetts: true, NoALACInMP4: true} }

func limitsOf(b ffmpeg.Build) limits {
	return limits{
		NoStatsPeriod: !b.StatsPeriod,
		NoSetts:       b.OlderThan(ffmpeg.Release{Major: 4, Minor: 4}),
		NoALACInMP4:   b.OlderThan(ffmpeg.Release{Major: 5, Minor: 0}),
	}
}
