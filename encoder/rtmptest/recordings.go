package rtmptest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// RecordDir is the folder that holds app's recordings.
func (s *Server) RecordDir(app string) string { return filepath.Join(s.Dir, "rec", app) }

// Recordings lists app's recordings, oldest first. With record_unique each
// publish gets a file of its own, named after the stream key and the
// second it began.
func (s *Server) Recordings(app string) []string {
	s.t.Helper()
	paths, err := filepath.Glob(filepath.Join(s.RecordDir(app), "*.flv"))
	if err != nil {
		s.t.Fatal(err)
	}
	sort.Slice(paths, func(i, j int) bool {
		a, b := stamp(paths[i]), stamp(paths[j])
		if a != b {
			return a < b
		}
		return paths[i] < paths[j]
	})
	return paths
}

// RecordingsOf lists the recordings of one stream key of app, oldest
// first. nginx-rtmp begins a new file at every publish (record_unique on),
// so each file after the first is where the publisher reconnected, or
// nginx restarted: a stream that never dropped has one.
//
// A file's name holds the second it began (see RecordingBegan), and
// nothing finer: a second publish of the same key within the same second
// gets the same name, and nginx truncates the file (record_append is off).
// Tests that reconnect faster than once a second should count the
// publishes with a hook's Calls instead.
func (s *Server) RecordingsOf(app, key string) []string {
	var out []string
	for _, p := range s.Recordings(app) {
		name := filepath.Base(p)
		if i := strings.LastIndexByte(name, '-'); i >= 0 && name[:i] == key {
			out = append(out, p)
		}
	}
	return out
}

// RecordingBegan is when the recording at path began, to the second: the
// Unix time that record_unique puts into its name (KEY-UNIXTIME.flv).
func RecordingBegan(path string) time.Time { return time.Unix(stamp(path), 0) }

// stamp is the Unix time that record_unique appends to a recording's name.
func stamp(path string) int64 {
	name := strings.TrimSuffix(filepath.Base(path), ".flv")
	n, _ := strconv.ParseInt(name[strings.LastIndexByte(name, '-')+1:], 10, 64)
	return n
}

// ErrorLog is what nginx has logged so far.
func (s *Server) ErrorLog() string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, "error.log"))
	return string(b)
}

// sessionLine finds what nginx logs about an RTMP session: the process,
// the session's number and what happened.
var sessionLine = regexp.MustCompile(`\] (\d+)#\d+: \*(\d+) (publish|disconnect)\b`)

// WaitRecordingsClosed waits until nginx has logged the disconnect of
// every client that published to it, since it last started. A recording
// is complete only then: the client may be gone before nginx has read and
// written the last of its stream, and on a busy machine that takes a
// while. Publishes to an nginx that was stopped since are not waited for:
// their recordings ended when it was killed.
func (s *Server) WaitRecordingsClosed(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		pid := strconv.Itoa(s.PID())
		open := map[string]bool{}
		for _, m := range sessionLine.FindAllStringSubmatch(s.ErrorLog(), -1) {
			if m[1] != pid {
				continue
			}
			if m[3] == "publish" {
				open[m[2]] = true
			} else {
				delete(open, m[2])
			}
		}
		if len(open) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nginx on %s: %d publishing clients not disconnected after %s", s.Addr(), len(open), limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
