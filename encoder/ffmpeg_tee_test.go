package encoder

// The tee-progress wrapper: the real ffmpeg, with a copy of its progress
// reports kept in a log, so a test can check the events a job emits
// against the reports ffmpeg made rather than against the wall clock. How
// often ffmpeg reports, and how far it gets in a second, depend on how
// busy the machine is; that every report becomes an event, and that the
// output holds what ffmpeg reported, do not. The names are exported for
// the end-to-end tests in package encoder_test.

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	// TeeFFmpegEnv names the real ffmpeg that the wrapper runs; without
	// it, the wrapper runs the ffmpeg on PATH.
	TeeFFmpegEnv = "STILLCAST_TEST_TEE_FFMPEG"
	// TeeLogEnv names a log for the wrapper to append to. Without it each
	// run writes a log of its own in the tee-logs folder beside the
	// wrapper (see TeeRunsMentioning), which suits tests that run in
	// parallel and cannot set the environment.
	TeeLogEnv = "STILLCAST_TEST_TEE_LOG"
)

func init() {
	// Written by TestMain with the other fakes, before any test runs. A
	// log holds, for each run, a line "run: START ARGS…" (START in
	// nanoseconds of the Unix clock, to order the runs) and then what the
	// run wrote to stdout: its progress reports. The wrapper exits with
	// ffmpeg's own status. A Ctrl-C, SIGINT to the process group, is for
	// ffmpeg: the shell waits for it (its trap runs after), and tee -i
	// ignores it, so ffmpeg can still write its last reports and finish
	// cleanly. The runs that share a log follow each other. A run that
	// reports no progress, such as a playlist's decoder, which writes its
	// sound to stdout, is the real ffmpeg and nothing else.
	fakeScripts["tee-progress"] = teeScript(`"${` + TeeFFmpegEnv + `:-ffmpeg}"`)
	// The same around ffmpeg 4.1, when the tests have it.
	if dir := os.Getenv(FFmpeg41Env); dir != "" {
		fakeScripts["tee-progress-ffmpeg41"] = teeScript(shellQuote(filepath.Join(dir, "ffmpeg")))
	}
}

// teeScript is the wrapper's shell script around real, the ffmpeg to
// run, already quoted for the shell.
func teeScript(real string) string {
	return `case " $* " in
*" -progress "*) ;;
*) exec ` + real + ` "$@" ;;
esac
trap : INT
log="$` + TeeLogEnv + `"
if [ -z "$log" ]; then
	mkdir -p "$(dirname "$0")/tee-logs"
	log="$(dirname "$0")/tee-logs/$$.log"
fi
{ printf 'run: %s' "$(date +%s%N)"; printf ' %s' "$@"; echo; } >>"$log"
{ ` + real + ` "$@"; echo $? >"$log.status"; } | tee -i -a "$log"
exit "$(cat "$log.status")"
`
}

// shellQuote quotes s for the shell, in single quotes.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// TeeFFmpeg is the path of the tee-progress wrapper, for Settings.FFmpeg.
func TeeFFmpeg() string { return fakeFFmpeg("tee-progress") }

// TeeFFmpeg41 is the tee-progress wrapper around ffmpeg 4.1, for
// Settings.FFmpeg. It skips the test when ffmpeg 4.1 is not there.
func TeeFFmpeg41(t testing.TB) string {
	t.Helper()
	FFmpeg41(t)
	return fakeFFmpeg("tee-progress-ffmpeg41")
}

// TeeReport is one progress report of ffmpeg, as it wrote it.
type TeeReport struct {
	Frame   int
	OutTime time.Duration
	Size    int64 // total_size: bytes written so far
	End     bool  // progress=end: ffmpeg has finished writing
}

// TeeRun is one ffmpeg run seen by the wrapper: when it started, its
// arguments and its progress reports in order.
type TeeRun struct {
	Start   int64 // nanoseconds of the Unix clock
	Args    []string
	Reports []TeeReport
}

// ArgAfter is the argument that follows flag, or "".
func (r TeeRun) ArgAfter(flag string) string {
	if i := slices.Index(r.Args, flag); i >= 0 && i+1 < len(r.Args) {
		return r.Args[i+1]
	}
	return ""
}

// Last is the run's last report; the zero report when it made none.
func (r TeeRun) Last() TeeReport {
	if len(r.Reports) == 0 {
		return TeeReport{}
	}
	return r.Reports[len(r.Reports)-1]
}

// ReadTeeLog reads one log of the wrapper. It parses the reports on its
// own, not with the parser under test.
func ReadTeeLog(t testing.TB, path string) []TeeRun {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the tee-progress log: %v", err)
	}
	var runs []TeeRun
	var cur TeeReport
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "run: "); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				t.Fatalf("%s: a run without its start: %q", path, line)
			}
			start, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil {
				t.Fatalf("%s: %q: %v", path, line, err)
			}
			runs = append(runs, TeeRun{Start: start, Args: f[1:]})
			cur = TeeReport{}
			continue
		}
		if len(runs) == 0 {
			continue
		}
		key, val, _ := strings.Cut(strings.TrimSpace(line), "=")
		switch key {
		case "frame":
			cur.Frame, _ = strconv.Atoi(val)
		case "out_time_us", "out_time_ms": // both microseconds; ffmpeg 4.1 writes only the second
			if us, err := strconv.ParseInt(val, 10, 64); err == nil && us > 0 {
				cur.OutTime = time.Duration(us) * time.Microsecond
			}
		case "total_size":
			cur.Size, _ = strconv.ParseInt(val, 10, 64)
		case "progress":
			cur.End = val == "end"
			r := &runs[len(runs)-1]
			r.Reports = append(r.Reports, cur)
			cur = TeeReport{}
		}
	}
	return runs
}

// TeeRunsMentioning reads the logs that runs without TeeLogEnv wrote, and
// returns, oldest first, the runs with mark among their arguments: a
// server's address, a temporary folder.
func TeeRunsMentioning(t testing.TB, mark string) []TeeRun {
	t.Helper()
	logs, err := filepath.Glob(filepath.Join(filepath.Dir(TeeFFmpeg()), "tee-logs", "*.log"))
	if err != nil {
		t.Fatal(err)
	}
	var runs []TeeRun
	for _, log := range logs {
		for _, r := range ReadTeeLog(t, log) {
			if strings.Contains(strings.Join(r.Args, " "), mark) {
				runs = append(runs, r)
			}
		}
	}
	slices.SortFunc(runs, func(a, b TeeRun) int { return cmp.Compare(a.Start, b.Start) })
	return runs
}

// TeeReports counts the progress reports of runs.
func TeeReports(runs []TeeRun) int {
	n := 0
	for _, r := range runs {
		n += len(r.Reports)
	}
	return n
}
