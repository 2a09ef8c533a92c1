//go:build windows

package ffmpeg

import (
	"os"
	"path/filepath"
	"strings"
)

// programRule says what makes a file a program, for the error about one
// that is not.
const programRule = "a program's name ends in .exe"

// hasProgramExt reports whether path ends in an extension of PATHEXT.
// exec.LookPath takes any name with a dot in it for a program, so
// "ffmpeg.txt" would pass without this.
func hasProgramExt(path string) bool {
	exts := os.Getenv("PATHEXT")
	if exts == "" {
		exts = ".com;.exe;.bat;.cmd" // Windows' own default
	}
	ext := filepath.Ext(path)
	for _, e := range strings.Split(exts, ";") {
		if e != "" && strings.EqualFold(e, ext) {
			return true
		}
	}
	return false
}
