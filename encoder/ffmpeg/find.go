package ffmpeg

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrNotFound is the error of Find when there is no ffmpeg on PATH.
var ErrNotFound = errors.New("ffmpeg was not found on PATH")

// Env names the environment variable that points at ffmpeg.
const Env = "STILLCAST_FFMPEG"

// Find resolves the ffmpeg binary: an explicit path first (from names
// where it came from, for the message: "--ffmpeg"), then $STILLCAST_FFMPEG,
// then PATH. getenv is os.Getenv outside tests. Its errors say what was
// looked for and how to install ffmpeg.
func Find(explicit, from string, getenv func(string) string) (string, error) {
	path := explicit
	if path == "" {
		from, path = "$"+Env, getenv(Env)
	}
	if path != "" {
		info, err := os.Stat(path)
		if err != nil || info.IsDir() || info.Mode()&0o111 == 0 {
			return "", fmt.Errorf("%s points at %q, which is not an ffmpeg program", from, path)
		}
		return path, nil
	}
	found, err := exec.LookPath("ffmpeg")
	if err != nil {
		return "", fmt.Errorf("%w. Install it "+
			"(Debian/Ubuntu: sudo apt install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg) "+
			"or point --ffmpeg or $"+Env+" at it", ErrNotFound)
	}
	return found, nil
}

// FindProbe finds ffprobe beside ffmpeg, where every ffmpeg build puts
// it, and else on PATH.
func FindProbe(ffmpeg string) (string, error) {
	name := "ffprobe"
	if strings.HasSuffix(strings.ToLower(ffmpeg), ".exe") {
		name += ".exe"
	}
	beside := filepath.Join(filepath.Dir(ffmpeg), name)
	if info, err := os.Stat(beside); err == nil && !info.IsDir() && info.Mode()&0o111 != 0 {
		return beside, nil
	}
	if found, err := exec.LookPath("ffprobe"); err == nil {
		return found, nil
	}
	return "", fmt.Errorf("ffprobe was not found beside %s or on PATH; it comes with ffmpeg, and Stillcast needs it to read audio files", ffmpeg)
}
