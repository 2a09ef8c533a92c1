package encoder

import "github.com/stillcast/stillcast/encoder/ffmpeg"

// FFmpegEnv names the environment variable that points at ffmpeg.
const FFmpegEnv = ffmpeg.Env

// FFmpegError is ffmpeg failing: how it exited, a hint in plain words
// when the failure is a known one, and its last lines.
type FFmpegError = ffmpeg.Error

// ErrCancelled is the error of a job stopped by Cancel or its context.
// It wraps context.Canceled.
var ErrCancelled = ffmpeg.ErrCancelled

// FindFFmpeg resolves the ffmpeg binary: an explicit path first, then
// $STILLCAST_FFMPEG, then PATH. getenv is os.Getenv outside tests. Its
// errors are *FieldError values for "ffmpeg".
func FindFFmpeg(explicit string, getenv func(string) string) (string, error) {
	path, err := ffmpeg.Find(explicit, "--ffmpeg", getenv)
	if err != nil {
		return "", &FieldError{Field: "ffmpeg", Err: err}
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
