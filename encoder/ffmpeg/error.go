package ffmpeg

import (
	"fmt"
	"strings"
)

// Error is ffmpeg failing: how it exited and the last lines it wrote.
type Error struct {
	ExitCode int
	// Hint explains a known failure in plain words; empty when none matched.
	Hint string
	// Tail holds ffmpeg's last lines of stderr.
	Tail []string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("ffmpeg failed (exit code %d)", e.ExitCode)
	switch {
	case e.Hint != "":
		msg += ": " + e.Hint
	case len(e.Tail) > 0:
		msg += ": " + e.Tail[len(e.Tail)-1]
	}
	return msg
}

// hints maps pieces of ffmpeg's messages to explanations. The first
// match wins, so the more specific ones come first.
var hints = []struct{ match, hint string }{
	{"Unknown encoder 'libx264'", "this ffmpeg was built without libx264; install a full build of ffmpeg"},
	{"No space left on device", "the disk is full"},
	{"Permission denied", "permission denied writing the output"},
	{"Connection refused", "cannot reach the server (connection refused)"},
	{"Connection timed out", "cannot reach the server (the connection timed out)"},
	{"Failed to resolve hostname", "cannot reach the server (unknown host name)"},
	{"Name or service not known", "cannot reach the server (unknown host name)"},
	{"Network is unreachable", "cannot reach the server (no network)"},
	{"No route to host", "cannot reach the server (no route to the host)"},
	// Windows builds name no cause, only a Winsock error number.
	{"Cannot open connection", "cannot reach the server"},
	{"Connection reset by peer", "the server closed the connection"},
	{"Broken pipe", "the server closed the connection"},
	{"Invalid data found when processing input", "ffmpeg could not read the frames it was sent"},
}

// NewError is ffmpeg exiting with code after writing tail, with the hint
// for the first known failure found in it.
func NewError(code int, tail []string) *Error {
	e := &Error{ExitCode: code, Tail: tail}
	text := strings.Join(tail, "\n")
	for _, h := range hints {
		if strings.Contains(text, h.match) {
			e.Hint = h.hint
			break
		}
	}
	return e
}
