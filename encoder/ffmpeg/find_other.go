//go:build !windows

package ffmpeg

// programRule says what makes a file a program, for the error about one
// that is not.
const programRule = "it is not executable: chmod +x it"

// hasProgramExt: outside Windows exec.LookPath's check of the exec bits
// is the whole rule.
func hasProgramExt(string) bool { return true }
