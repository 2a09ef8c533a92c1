//go:build linux

package cli

// `stillcast live` end to end: the real binary streams to a real nginx
// (see internal/rtmptest), and the tests check its exit codes, what it
// prints, what nginx recorded, and that the stream key shows nowhere.

import (
	"encoding/json"
	"fmt"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// cliKey is distinctive, so finding it anywhere is certain to be a leak.
const cliKey = "sk-live-9f8e7d6c5b4a"

// liveRun is one `stillcast live` process.
type liveRun struct {
	t              *testing.T
	cmd            *exec.Cmd
	tmp            string // its TMPDIR, where its frame pipes go
	stdout, stderr lockedBuffer
	began          time.Time
	exited         chan struct{}
}

// startLive runs the binary with args, in an environment without a stream
// key unless key is given, and a TMPDIR of its own.
func startLive(t *testing.T, key string, args ...string) *liveRun {
	t.Helper()
	r := &liveRun{t: t, tmp: t.TempDir(), exited: make(chan struct{})}
	r.cmd = exec.Command(stillcastBinary(t), append([]string{"live"}, args...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, StreamKeyEnv+"=") && !strings.HasPrefix(kv, "TMPDIR=") {
			r.cmd.Env = append(r.cmd.Env, kv)
		}
	}
	r.cmd.Env = append(r.cmd.Env, "TMPDIR="+r.tmp, "XDG_CACHE_HOME="+t.TempDir())
	if key != "" {
		r.cmd.Env = append(r.cmd.Env, StreamKeyEnv+"="+key)
	}
	r.cmd.Stdout, r.cmd.Stderr = &r.stdout, &r.stderr
	r.began = time.Now()
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		r.cmd.Wait()
		close(r.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-r.exited:
		default:
			r.cmd.Process.Kill()
			<-r.exited
		}
	})
	return r
}

// wait returns the exit code, killing the process and failing the test if
// it runs longer than limit.
func (r *liveRun) wait(limit time.Duration) int {
	r.t.Helper()
	select {
	case <-r.exited:
	case <-time.After(limit):
		r.cmd.Process.Kill()
		<-r.exited
		r.t.Fatalf("stillcast live still ran after %s\nstdout: %s\nstderr: %s", limit, r.stdout.String(), r.stderr.String())
	}
	return r.cmd.ProcessState.ExitCode()
}

// waitOutput waits until stdout or stderr holds want.
func (r *liveRun) waitOutput(want string, limit time.Duration) {
	r.t.Helper()
	deadline := time.Now().Add(limit)
	for !strings.Contains(r.stdout.String()+r.stderr.String(), want) {
		select {
		case <-r.exited:
			r.t.Fatalf("stillcast live exited (%d) before printing %q\nstdout: %s\nstderr: %s", r.cmd.ProcessState.ExitCode(), want, r.stdout.String(), r.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("no %q within %s\nstdout: %s\nstderr: %s", want, limit, r.stdout.String(), r.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkEnd checks, once the process has exited, that the key was printed
// nowhere and that nothing was left behind: no process mentioning marks or
// the TMPDIR, no frame pipe folder.
func (r *liveRun) checkEnd(marks ...string) {
	r.t.Helper()
	for name, text := range map[string]string{"stdout": r.stdout.String(), "stderr": r.stderr.String()} {
		if strings.Contains(text, cliKey) {
			r.t.Errorf("the stream key shows on %s:\n%s", name, text)
		}
	}
	for _, m := range append(marks, r.tmp) {
		for _, p := range rtmptest.WaitNoProcessesMentioning(m, 10*time.Second) {
			r.t.Errorf("process left behind: %s", p)
		}
	}
	if names := listDir(r.t, r.tmp); len(names) != 0 {
		r.t.Errorf("TMPDIR holds %v", names)
	}
}

func liveImagePNG(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "still.png")
	writePNG(t, path, 640, 360, color.RGBA{30, 90, 160, 255})
	return path
}

// probeLive reads the streams of a recording.
func probeLive(t *testing.T, path string) (codecs []string, seconds float64) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height,sample_rate,channels:format=duration", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var p struct {
		Streams []struct {
			CodecName  string `json:"codec_name"`
			Width      int    `json:"width"`
			Height     int    `json:"height"`
			SampleRate string `json:"sample_rate"`
			Channels   int    `json:"channels"`
		}
		Format struct {
			Duration string
		}
	}
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatal(err)
	}
	for _, s := range p.Streams {
		switch s.CodecName {
		case "h264":
			codecs = append(codecs, s.CodecName+" "+strconv.Itoa(s.Width)+"x"+strconv.Itoa(s.Height))
		default:
			codecs = append(codecs, s.CodecName+" "+s.SampleRate+" "+strconv.Itoa(s.Channels))
		}
	}
	seconds, _ = strconv.ParseFloat(p.Format.Duration, 64)
	return codecs, seconds
}

// recordedSeconds is how far the video of a recording reaches by its own
// timestamps: the last frame's. It reads a recording that is still being
// written as far as it goes.
func recordedSeconds(t *testing.T, path string) float64 {
	t.Helper()
	out, _ := exec.Command("ffprobe", "-v", "quiet", "-select_streams", "v:0", "-show_entries", "packet=pts_time", "-of", "csv=p=0", path).Output()
	last := 0.0
	for _, line := range strings.Fields(string(out)) {
		if v, err := strconv.ParseFloat(strings.Trim(line, ","), 64); err == nil && v > last {
			last = v
		}
	}
	return last
}

// waitRecorded waits until the recording at path reaches secs of video by
// its own timestamps, and returns how far it reaches then. A busy machine
// takes longer to get there; the stream is what is waited for, not the
// clock.
func waitRecorded(t *testing.T, path string, secs float64, limit time.Duration) float64 {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		if got := recordedSeconds(t, path); got >= secs {
			return got
		} else if time.Now().After(deadline) {
			t.Fatalf("%s reaches %.2f s after %s, want %.2f s", filepath.Base(path), got, limit, secs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// reconnectWaits are the waits "reconnecting in …" announces on stderr.
func reconnectWaits(t *testing.T, stderr string) []time.Duration {
	t.Helper()
	var waits []time.Duration
	for _, m := range regexp.MustCompile(`reconnecting in ([0-9.]+m?s) `).FindAllStringSubmatch(stderr, -1) {
		d, err := time.ParseDuration(m[1])
		if err != nil {
			t.Fatalf("reconnecting in %q: %v", m[1], err)
		}
		waits = append(waits, d)
	}
	return waits
}

func TestLiveCLIRejectedKeyExitsOne(t *testing.T) {
	t.Parallel()
	hook := rtmptest.StartHook(t, 403)
	srv := rtmptest.Start(t, rtmptest.Options{OnPublish: hook.URL})
	r := startLive(t, "", liveImagePNG(t), "--url", srv.URL("live"), "--key", cliKey, "--size", "640x360", "--progress", "plain")
	code := r.wait(60 * time.Second)
	stderr := r.stderr.String()
	if code != ExitFailure {
		t.Fatalf("exit %d, want 1\nstderr: %s", code, stderr)
	}
	// It gave up without waiting longer than the backoff says, 2 s and
	// then 3 s ±10 % between the refusals: the waits it announced, not
	// the wall clock, which a busy machine stretches.
	waits := reconnectWaits(t, stderr)
	if len(waits) > 2 {
		t.Errorf("%d reconnects before giving up, want at most 2: %v", len(waits), waits)
	}
	for i, d := range waits {
		nominal := []time.Duration{2 * time.Second, 3 * time.Second}[min(i, 1)]
		if d < nominal*9/10 || d > nominal*11/10 {
			t.Errorf("wait %d before giving up: %s, want %s ±10 %%", i+1, d, nominal)
		}
	}
	if !strings.Contains(stderr, "stillcast: the server rejected the stream key") {
		t.Errorf("stderr does not say the key was rejected:\n%s", stderr)
	}
	if n := len(hook.Names()); n == 0 || n > 3 {
		t.Errorf("%d connection attempts reached the hook, want 1 to 3", n)
	}
	for _, name := range hook.Names() {
		if name != cliKey {
			t.Errorf("the server got stream name %q, want the key", name)
		}
	}
	if recs := srv.Recordings("live"); len(recs) != 0 {
		t.Errorf("refused publishes were recorded: %v", recs)
	}
	r.checkEnd(srv.Addr())
}

func TestLiveCLICtrlCEndsCleanlyWithKeyFromEnv(t *testing.T) {
	t.Parallel()
	hook := rtmptest.StartHook(t, 200) // accepts, and shows which key arrived
	srv := rtmptest.Start(t, rtmptest.Options{OnPublish: hook.URL})
	r := startLive(t, cliKey, liveImagePNG(t), "--url", srv.URL("live"), "--size", "640x360", "--progress", "json")
	r.waitOutput(`"state":"live"`, 30*time.Second)
	rec, err := srv.WaitRecording("live", 1, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	// Ctrl-C once the recording holds 2 s of video by its own timestamps.
	before := waitRecorded(t, rec, 2, 60*time.Second)
	r.cmd.Process.Signal(syscall.SIGINT)
	if code := r.wait(30 * time.Second); code != ExitOK {
		t.Fatalf("exit %d after Ctrl-C, want 0\nstdout: %s\nstderr: %s", code, r.stdout.String(), r.stderr.String())
	}
	if err := srv.WaitRecordingsClosed(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	if names := hook.Names(); len(names) != 1 || names[0] != cliKey {
		t.Errorf("the server got stream names %q, want the key from $%s once", names, StreamKeyEnv)
	}
	// Every stdout line is a JSON object; the stream ends stopped, then done.
	var states []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout.String()), "\n") {
		var ev struct{ State, Output string }
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("stdout line %q is not JSON: %v", line, err)
		}
		if ev.Output != "" && ev.Output != srv.URL("live")+"/[stream key]" {
			t.Errorf("output %q", ev.Output)
		}
		if len(states) == 0 || states[len(states)-1] != ev.State {
			states = append(states, ev.State)
		}
	}
	if want := "started preparing connecting live stopped done"; strings.Join(states, " ") != want {
		t.Errorf("states %v, want %s", states, want)
	}
	// The stream ended cleanly: the recording is whole and holds at least
	// what it held before Ctrl-C.
	codecs, secs := probeLive(t, rec)
	if after := recordedSeconds(t, rec); strings.Join(codecs, ", ") != "h264 640x360, aac 48000 2" || after < before {
		t.Errorf("recording holds %v, %.2f s (video to %.2f s, %.2f s before Ctrl-C)", codecs, secs, after, before)
	}
	r.checkEnd(srv.Addr())
}

func TestLiveCLIDurationEndsWithExitZero(t *testing.T) {
	t.Parallel()
	srv := rtmptest.Start(t, rtmptest.Options{})
	r := startLive(t, "", liveImagePNG(t), "--url", srv.URL("live"), "--key", cliKey, "--size", "640x360",
		"--fps", "25", "--bitrate", "800k", "--duration", "3s", "--progress", "plain")
	if code := r.wait(60 * time.Second); code != ExitOK {
		t.Fatalf("exit %d, want 0\nstderr: %s", code, r.stderr.String())
	}
	// The duration counts from after the preparation: the stream cannot
	// end sooner.
	if took := time.Since(r.began); took < 3*time.Second {
		t.Errorf("a 3 s stream ended after %s", took)
	}
	stderr := r.stderr.String()
	for _, want := range []string{
		"Streaming to " + srv.URL("live") + "/[stream key]: 640x360, 25 fps; preparing the video…\n",
		"Connecting (attempt 1)…\n",
		"● LIVE",
		"Stopped.\n",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if out := r.stdout.String(); !strings.HasPrefix(out, "Stream ended after 0:0") || strings.Count(out, "\n") != 1 {
		t.Errorf("stdout %q, want one line saying how long it was on air", out)
	}
	if err := srv.WaitRecordingsClosed(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	recs := srv.Recordings("live")
	if len(recs) != 1 {
		t.Fatalf("recordings %v, want one", recs)
	}
	// Some of the 3 s went into connecting, more on a busy machine; what
	// went out is in the recording, and no more than 3 s of it: ffmpeg
	// sends no faster than the clock (-re) and is stopped when the 3 s
	// are over. A second is left for it to act on the stop.
	codecs, secs := probeLive(t, recs[0])
	if strings.Join(codecs, ", ") != "h264 640x360, aac 48000 2" || secs <= 0 || secs > 4 {
		t.Errorf("a 3 s stream recorded as %v, %.2f s", codecs, secs)
	}
	r.checkEnd(srv.Addr())
}

func TestLiveCLIUnreachableGivesUpWithExitOne(t *testing.T) {
	t.Parallel()
	addr := "127.0.0.1:" + strconv.Itoa(rtmptest.FreePort(t))
	r := startLive(t, cliKey, liveImagePNG(t), "--url", "rtmp://"+addr+"/live", "--size", "640x360", "--retries", "1", "--progress", "plain")
	if code := r.wait(30 * time.Second); code != ExitFailure {
		t.Fatalf("exit %d, want 1\nstderr: %s", code, r.stderr.String())
	}
	stderr := r.stderr.String()
	for _, want := range []string{
		"Connection lost: cannot reach the server (connection refused)",
		"reconnecting in ",
		"stillcast: gave up after 1 reconnects in a row: cannot reach the server (connection refused)",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	r.checkEnd(addr)
}

func TestLiveCLIBadInputExitsTwo(t *testing.T) {
	t.Parallel()
	img := liveImagePNG(t)
	tests := []struct {
		name string
		args []string
		want string // in the one line
	}{
		{"http", []string{"--url", "http://x/y", "--key", cliKey}, "stillcast: --url: http:// is not supported: use rtmp:// or rtmps://"},
		{"youtube without key", []string{"--service", "youtube"}, "stillcast: --key: YouTube needs a stream key (give --key, or set $STILLCAST_STREAM_KEY)"},
		{"twitch without key", []string{"--service", "twitch"}, "--key: Twitch needs a stream key"},
		{"no server", []string{"--key", cliKey}, "stillcast: no server: give --service or --url"},
		{"no application", []string{"--url", "rtmp://127.0.0.1:1935", "--key", cliKey}, "--url: rtmp://127.0.0.1:1935 has no application path"},
		{"unknown service", []string{"--service", "myspace"}, `--service: "myspace" is not a service`},
		{"custom without url", []string{"--service", "custom"}, "--service custom needs --url"},
		{"keys do not match", []string{"--url", "rtmp://h/a", "--url", "rtmp://h/b", "--key", cliKey}, "--key: give one key per server (2 servers, 1 keys)"},
		{"bad bitrate", []string{"--url", "rtmp://h/a", "--bitrate", "fast"}, `--bitrate: "fast" is not a bitrate`},
		{"bitrate out of range", []string{"--url", "rtmp://h/a", "--bitrate", "90M"}, "--bitrate: must be between 100k and 50M"},
		{"bad retries", []string{"--url", "rtmp://h/a", "--retries", "many"}, `--retries: "many" is not a whole number`},
		{"negative retries", []string{"--url", "rtmp://h/a", "--retries", "-1"}, "--retries: must be 0 (forever) or more"},
		{"key with a slash", []string{"--url", "rtmp://h/a", "--key", "a/" + cliKey}, "--key: the stream key must not contain spaces or slashes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := startLive(t, "", append([]string{img}, tt.args...)...)
			code := r.wait(30 * time.Second)
			stderr := r.stderr.String()
			if code != ExitUsage {
				t.Fatalf("exit %d, want 2\nstderr: %s", code, stderr)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "stillcast: ") {
				t.Errorf("stderr is not one line: %q", stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q, want it to say %q", stderr, tt.want)
			}
			if r.stdout.String() != "" {
				t.Errorf("stdout %q", r.stdout.String())
			}
			r.checkEnd()
		})
	}
}

// A folder as --audio streams as a playlist, and the CLI names each song
// as it reaches the stream: a ♪ line in plain mode, an object in json.
func TestLiveCLIPlaylistSaysWhatIsPlaying(t *testing.T) {
	t.Parallel()
	music := t.TempDir()
	for _, tr := range []struct{ file, title, artist string }{
		{"1 intro.mp3", "Intro", "DJ Test"},
		{"2 rain.mp3", "", ""}, // untagged: named after the file
	} {
		args := []string{"-v", "error", "-f", "lavfi", "-i", "sine=d=2", "-c:a", "libmp3lame"}
		if tr.title != "" {
			args = append(args, "-metadata", "title="+tr.title, "-metadata", "artist="+tr.artist)
		}
		if out, err := exec.Command("ffmpeg", append(args, filepath.Join(music, tr.file))...).CombinedOutput(); err != nil {
			t.Fatalf("making %s: %v\n%s", tr.file, err, out)
		}
	}
	srv := rtmptest.Start(t, rtmptest.Options{})
	img := liveImagePNG(t)
	for _, mode := range []string{"json", "plain"} {
		t.Run(mode, func(t *testing.T) {
			r := startLive(t, cliKey, img, "--url", srv.URL("live"), "--audio", music, "--size", "640x360",
				"--progress", mode)
			// Ctrl-C once the second song has reached the stream: by the
			// stream's own clock, however long connecting took.
			r.waitOutput(map[string]string{"plain": "♪ now playing 2/2", "json": `"type":"now_playing","track":2,`}[mode], 60*time.Second)
			r.cmd.Process.Signal(syscall.SIGINT)
			if code := r.wait(30 * time.Second); code != ExitOK {
				t.Fatalf("exit %d after Ctrl-C, want 0\nstdout: %s\nstderr: %s", code, r.stdout.String(), r.stderr.String())
			}
			var got []string
			if mode == "plain" {
				for _, line := range strings.Split(r.stderr.String(), "\n") {
					if strings.HasPrefix(line, "♪") {
						got = append(got, line)
					}
				}
			} else {
				for _, line := range strings.Split(strings.TrimSpace(r.stdout.String()), "\n") {
					var ev struct {
						Type                string
						Track, Tracks       int
						Title, Artist, Path string
					}
					if err := json.Unmarshal([]byte(line), &ev); err != nil {
						t.Fatalf("stdout line %q is not JSON: %v", line, err)
					}
					if ev.Type == "now_playing" {
						got = append(got, fmt.Sprintf("%d/%d %s|%s|%s", ev.Track, ev.Tracks, ev.Artist, ev.Title, filepath.Base(ev.Path)))
					}
				}
			}
			want := map[string][]string{
				"plain": {"♪ now playing 1/2: DJ Test – Intro", "♪ now playing 2/2: 2 rain"},
				"json":  {"1/2 DJ Test|Intro|1 intro.mp3", "2/2 |2 rain|2 rain.mp3"},
			}[mode]
			if len(got) < 2 || !slices.Equal(got[:2], want) {
				t.Errorf("now playing %q, want it to begin %q\nstdout: %s\nstderr: %s", got, want, r.stdout.String(), r.stderr.String())
			}
			r.checkEnd(srv.Addr())
		})
	}
}
