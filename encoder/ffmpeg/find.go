package ffmpeg

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrNotFound is the error of Find when there is no ffmpeg beside
// Stillcast or on PATH.
var ErrNotFound = errors.New("ffmpeg was not found beside Stillcast or on PATH")

// Env names the environment variable that points at ffmpeg.
const Env = "STILLCAST_FFMPEG"

// Find resolves the ffmpeg binary: an explicit path first (from names
// where it came from, for the message: "--ffmpeg"), then $STILLCAST_FFMPEG,
// then an ffmpeg beside Stillcast's own executable (where a Windows user
// unzips ffmpeg.exe), then PATH. getenv is os.Getenv outside tests. Its
// errors say what was looked for and how to install ffmpeg.
func Find(explicit, from string, getenv func(string) string) (string, error) {
	path := explicit
	if path == "" {
		from, path = "$"+Env, getenv(Env)
	}
	if path != "" {
		return checkProgram(path, from)
	}
	if found, ok := besideExecutable("ffmpeg"); ok {
		return found, nil
	}
	found, err := exec.LookPath("ffmpeg")
	if err != nil {
		return "", fmt.Errorf("%w. Install it "+
			"(Debian/Ubuntu: sudo apt install ffmpeg; macOS: brew install ffmpeg; "+
			"Windows: winget install ffmpeg, or put ffmpeg.exe and ffprobe.exe beside stillcast.exe) "+
			"or point --ffmpeg or $"+Env+" at it", ErrNotFound)
	}
	return found, nil
}

// FindProbe finds ffprobe beside ffmpeg, where every ffmpeg build puts
// it, else beside Stillcast's executable, else on PATH.
func FindProbe(ffmpeg string) (string, error) {
	// Not filepath.Join: "./ffprobe" must stay a path, not become a name
	// that LookPath searches PATH for.
	dir := filepath.Dir(ffmpeg)
	if !os.IsPathSeparator(dir[len(dir)-1]) {
		dir += string(filepath.Separator)
	}
	if found, ok := program(dir + "ffprobe"); ok {
		return found, nil
	}
	if found, ok := besideExecutable("ffprobe"); ok {
		return found, nil
	}
	if found, err := exec.LookPath("ffprobe"); err == nil {
		return found, nil
	}
	return "", fmt.Errorf("ffprobe was not found beside %s, beside Stillcast or on PATH; it comes with ffmpeg, and Stillcast needs it to read audio files", ffmpeg)
}

// checkProgram returns the program at path, which from pointed at, or an
// error that says why it is none. Paths are printed as the user typed
// them: %q would double every backslash of a Windows path.
func checkProgram(path, from string) (string, error) {
	lookup := path
	if !strings.ContainsAny(lookup, `/\`) {
		// A bare name means the file in the current folder, not a PATH search.
		lookup = "." + string(filepath.Separator) + lookup
	}
	if found, ok := program(lookup); ok {
		if lookup != path && found == lookup {
			return path, nil
		}
		return found, nil
	}
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return "", fmt.Errorf("%s points at “%s”, which does not exist", from, path)
	case info.IsDir():
		return "", fmt.Errorf("%s points at “%s”, which is a folder, not an ffmpeg program", from, path)
	}
	return "", fmt.Errorf("%s points at “%s”, which is not an ffmpeg program (%s)", from, path, programRule)
}

// program reports whether path names a program the system can start, with
// exec.LookPath's rules (which on Windows also try path+".exe" and the
// other extensions of PATHEXT), and the name it found.
func program(path string) (string, bool) {
	found, err := exec.LookPath(path)
	if err != nil || !hasProgramExt(found) {
		return "", false
	}
	return found, true
}

// besideExecutable finds the program name in the folder of Stillcast's
// own executable.
func besideExecutable(name string) (string, bool) {
	self, err := os.Executable()
	if err != nil {
		return "", false
	}
	return program(filepath.Join(filepath.Dir(self), name))
}
