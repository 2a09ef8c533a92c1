package encoder

// The tee-progress wrapper: the real ffmpeg, with a copy of its progress
// reports kept in a log, so a test can count the events a job emits
// against the reports ffmpeg made rather than against the wall clock. How
// often ffmpeg reports depends on how busy the machine is; that every
// report becomes an event does not.

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

const (
	// teeFFmpegEnv names the real ffmpeg that the wrapper runs.
	teeFFmpegEnv = "STILLCAST_TEST_TEE_FFMPEG"
	// teeLogEnv names the log the wrapper appends to: a line "run: ARGS"
	// for each run, then what that run wrote to stdout.
	teeLogEnv = "STILLCAST_TEST_TEE_LOG"
)

func init() {
	// Written by TestMain with the other fakes, before any test runs. The
	// runs of one job follow each other, so one log and one status file
	// serve them all. The wrapper exits with ffmpeg's own status.
	fakeScripts["tee-progress"] = `log="$` + teeLogEnv + `"
printf 'run:' >>"$log"
printf ' %s' "$@" >>"$log"
echo >>"$log"
{ "$` + teeFFmpegEnv + `" "$@"; echo $? >"$log.status"; } | tee -a "$log"
exit "$(cat "$log.status")"
`
}

// teeRun is one ffmpeg run seen by the wrapper: its arguments and the
// frame number of each progress report, in order.
type teeRun struct {
	args   []string
	frames []int
}

// readTeeLog reads the wrapper's log.
func readTeeLog(t testing.TB, path string) []teeRun {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the tee-progress log: %v", err)
	}
	var runs []teeRun
	frame := 0
	for _, line := range strings.Split(string(data), "\n") {
		if args, ok := strings.CutPrefix(line, "run:"); ok {
			runs = append(runs, teeRun{args: strings.Fields(args)})
			frame = 0
			continue
		}
		if len(runs) == 0 {
			continue
		}
		key, val, _ := strings.Cut(strings.TrimSpace(line), "=")
		switch key {
		case "frame":
			frame, _ = strconv.Atoi(val)
		case "progress":
			r := &runs[len(runs)-1]
			r.frames = append(r.frames, frame)
			frame = 0
		}
	}
	return runs
}

// teeReports counts the progress reports of all runs.
func teeReports(runs []teeRun) int {
	n := 0
	for _, r := range runs {
		n += len(r.frames)
	}
	return n
}

// argAfter is the argument that follows flag, or "".
func (r teeRun) argAfter(flag string) string {
	for i, a := range r.args {
		if a == flag && i+1 < len(r.args) {
			return r.args[i+1]
		}
	}
	return ""
}
