package rtmptest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// Hook is an on_publish endpoint on 127.0.0.1: nginx POSTs to it before
// it accepts a publish, and a status other than 2xx or 3xx refuses it,
// as an ingest server refuses a stream key.
//
// What a publisher sees of a refusal, with nginx-rtmp 1.2.2 (Debian's
// libnginx-mod-rtmp 1.2.2+dfsg-3): no reply at all. connect and
// createStream are answered as usual; then, on the publish command, nginx
// asks the hook and, on a 403, ends the session and closes the TCP
// connection, an orderly close (EOF to the client, not a reset), without
// writing a byte after the publish command: no onStatus (no
// NetStream.Publish.BadName, no level "error") and no _error. ffmpeg 5.1
// at -loglevel debug logs "Sending publish command for 'KEY'", then
// "URL: Input/output error", and never "Server error"; the close came a
// few milliseconds after the publish command
// (TestKeyHookRefusesWrongKeys, through a relay that watches the wire).
// nginx-rtmp's notify module returns NGX_ERROR from its publish handler
// for any status but 2xx and 3xx, and that closes the session. A client
// that wants to tell a refused key from a network fault can only go by
// when the connection closes: while it waits for the answer to publish.
type Hook struct {
	// URL goes into Options.OnPublish.
	URL    string
	answer func(name string) int
	mu     sync.Mutex
	calls  []Call
}

// Call is one publish the hook was asked about.
type Call struct {
	// Name is the stream name: the key.
	Name string
	// App is the RTMP application.
	App string
	// At is when the hook was called: when the publisher asked to publish,
	// which with record_unique is also when its new recording begins.
	At time.Time
	// Status is the hook's answer.
	Status int
}

// StartHook serves a hook that answers every call with status, until the
// test ends.
func StartHook(t testing.TB, status int) *Hook {
	t.Helper()
	return serveHook(t, func(string) int { return status })
}

// StartKeyHook serves a hook that accepts the keys with 204 No Content and
// refuses any other with 403 Forbidden, until the test ends.
func StartKeyHook(t testing.TB, keys ...string) *Hook {
	t.Helper()
	accepted := slices.Clone(keys)
	return serveHook(t, func(name string) int {
		if slices.Contains(accepted, name) {
			return http.StatusNoContent
		}
		return http.StatusForbidden
	})
}

func serveHook(t testing.TB, answer func(name string) int) *Hook {
	h := &Hook{answer: answer}
	srv := httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(srv.Close)
	h.URL = srv.URL + "/on_publish"
	return h
}

func (h *Hook) serve(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	c := Call{Name: r.Form.Get("name"), App: r.Form.Get("app"), At: time.Now()}
	c.Status = h.answer(c.Name)
	h.mu.Lock()
	h.calls = append(h.calls, c)
	h.mu.Unlock()
	w.WriteHeader(c.Status)
}

// Calls lists the publishes the hook was asked about, oldest first.
func (h *Hook) Calls() []Call {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.calls)
}

// Names lists the stream names (the keys) of the publishes the hook saw.
func (h *Hook) Names() []string {
	var names []string
	for _, c := range h.Calls() {
		names = append(names, c.Name)
	}
	return names
}

// growSpan is how long a recording must be seen growing: long enough that
// the stream itself flows, not just its headers.
const growSpan = 2 * time.Second

// WaitRecording waits until app holds at least n recordings and the n-th
// oldest keeps growing (see WaitGrowing), and returns its path.
func (s *Server) WaitRecording(app string, n int, limit time.Duration) (string, error) {
	deadline := time.Now().Add(limit)
	for {
		if recs := s.Recordings(app); len(recs) >= n {
			return recs[n-1], WaitGrowing(recs[n-1], time.Until(deadline))
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("%s has %d recordings after %s, want %d", app, len(s.Recordings(app)), limit, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// WaitGrowing polls the size of the file at path until it has kept
// growing for 2 s, and fails when that has not happened within limit.
func WaitGrowing(path string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	var (
		first, last int64     = -1, -1
		since       time.Time // when the size was first seen
		grew        int
	)
	for {
		now := time.Now()
		if info, err := os.Stat(path); err == nil {
			switch size := info.Size(); {
			case first < 0:
				first, last, since = size, size, now
			case size > last:
				last, grew = size, grew+1
				if grew >= 2 && now.Sub(since) >= growSpan {
					return nil
				}
			}
		}
		if now.After(deadline) {
			return fmt.Errorf("%s did not keep growing for %s within %s: %d bytes, then %d", filepath.Base(path), growSpan, limit, max(first, 0), max(last, 0))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
