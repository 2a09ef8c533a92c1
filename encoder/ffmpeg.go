package encoder

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
)

// FFmpegEnv names the environment variable that points at ffmpeg.
const FFmpegEnv = "STILLCAST_FFMPEG"

// FindFFmpeg resolves the ffmpeg binary: an explicit path first, then
// $STILLCAST_FFMPEG, then PATH. getenv is os.Getenv outside tests.
func FindFFmpeg(explicit string, getenv func(string) string) (string, error) {
	from, path := "--ffmpeg", explicit
	if path == "" {
		from, path = "$"+FFmpegEnv, getenv(FFmpegEnv)
	}
	if path != "" {
		info, err := os.Stat(path)
		if err != nil || info.IsDir() || info.Mode()&0o111 == 0 {
			return "", &FieldError{Field: "ffmpeg", Err: fmt.Errorf("%s points at %q, which is not an ffmpeg program", from, path)}
		}
		return path, nil
	}
	found, err := exec.LookPath("ffmpeg")
	if err != nil {
		return "", &FieldError{Field: "ffmpeg", Err: errors.New("ffmpeg was not found on PATH. Install it " +
			"(Debian/Ubuntu: sudo apt install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg) " +
			"or point --ffmpeg or $" + FFmpegEnv + " at it")}
	}
	return found, nil
}

// tailBuffer keeps the last max bytes written to it. ffmpeg's stderr is
// copied into one for the whole run, so a chatty ffmpeg can never fill
// memory or block on a full pipe.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func newTailBuffer(max int) *tailBuffer { return &tailBuffer{max: max} }

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(b)
	if len(b) >= t.max {
		b = b[len(b)-t.max:]
		t.buf = t.buf[:0]
	}
	if over := len(t.buf) + len(b) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	t.buf = append(t.buf, b...)
	return n, nil
}

// Lines returns the last n non-empty lines.
func (t *tailBuffer) Lines(n int) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for _, l := range strings.Split(string(t.buf), "\n") {
		if l = strings.TrimRight(l, "\r "); l != "" {
			out = append(out, l)
		}
	}
	if len(out) > n {
		out = out[len(out)-n:]
	}
	return out
}

// FFmpegError is ffmpeg failing: how it exited and the last lines it wrote.
type FFmpegError struct {
	ExitCode int
	// Hint explains a known failure in plain words; empty when none matched.
	Hint string
	// Tail holds ffmpeg's last lines of stderr.
	Tail []string
}

func (e *FFmpegError) Error() string {
	msg := fmt.Sprintf("ffmpeg failed (exit code %d)", e.ExitCode)
	switch {
	case e.Hint != "":
		msg += ": " + e.Hint
	case len(e.Tail) > 0:
		msg += ": " + e.Tail[len(e.Tail)-1]
	}
	return msg
}

// ffmpegHints maps pieces of ffmpeg's messages to explanations. The first
// match wins, so the more specific ones come first.
var ffmpegHints = []struct{ match, hint string }{
	{"Unknown encoder 'libx264'", "this ffmpeg was built without libx264; install a full build of ffmpeg"},
	{"No space left on device", "the disk is full"},
	{"Permission denied", "permission denied writing the output"},
	{"Connection refused", "cannot reach the server (connection refused)"},
	{"Connection timed out", "cannot reach the server (the connection timed out)"},
	{"Failed to resolve hostname", "cannot reach the server (unknown host name)"},
	{"Name or service not known", "cannot reach the server (unknown host name)"},
	{"Network is unreachable", "cannot reach the server (no network)"},
	{"No route to host", "cannot reach the server (no route to the host)"},
	{"Connection reset by peer", "the server closed the connection"},
	{"Broken pipe", "the server closed the connection"},
	{"Invalid data found when processing input", "ffmpeg could not read the frames it was sent"},
}

func newFFmpegError(code int, tail []string) *FFmpegError {
	e := &FFmpegError{ExitCode: code, Tail: tail}
	text := strings.Join(tail, "\n")
	for _, h := range ffmpegHints {
		if strings.Contains(text, h.match) {
			e.Hint = h.hint
			break
		}
	}
	return e
}
