package rtmptest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Hook is an on_publish endpoint on 127.0.0.1 that answers every call
// with one status code, as an ingest server answers a stream key.
type Hook struct {
	// URL goes into Options.OnPublish.
	URL   string
	mu    sync.Mutex
	names []string
}

// StartHook serves the hook until the test ends.
func StartHook(t testing.TB, status int) *Hook {
	t.Helper()
	h := &Hook{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		h.mu.Lock()
		h.names = append(h.names, r.Form.Get("name"))
		h.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	h.URL = srv.URL + "/on_publish"
	return h
}

// Names lists the stream names (the keys) of the publishes the hook saw.
func (h *Hook) Names() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.names...)
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
