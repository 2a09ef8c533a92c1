//go:build linux

package encoder_test

// End-to-end tests of live streaming: each streams to its own real nginx
// with the RTMP module and checks what nginx recorded, with ffprobe. They
// run in parallel, each with servers of its own.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// liveKey is distinctive, so finding it anywhere is certain to be a leak.
const (
	liveKey       = "sk-engine-4b6d8f0a2c"
	liveSecondKey = "sk-engine-1e3g5i7k9m"
)

// liveEvent is an event and when it arrived.
type liveEvent struct {
	encoder.Event
	at time.Time
}

// liveWatch runs a live job and records its events, and the frame-pipe
// folders of the ffmpeg processes it starts.
type liveWatch struct {
	t     *testing.T
	job   *encoder.Job
	began time.Time
	marks []string // what every ffmpeg of this job has on its command line

	mu    sync.Mutex
	evs   []liveEvent
	pipes map[string]bool // stillcast- temporary folders seen in ffmpeg's arguments
	leaks []string        // processes whose arguments or environment held a secret

	done chan struct{} // closed once the events channel is closed
	err  error         // Wait's error, set before done is closed
}

// liveImage writes a 640×360 picture with some detail for x264 to chew on.
func liveImage(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 640, 360))
	for y := range 360 {
		for x := range 640 {
			img.Set(x, y, color.RGBA{uint8(x * 255 / 639), uint8(y * 255 / 359), uint8((x ^ y) & 0xff), 0xff})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "still.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// liveSettings streams a 640×360 picture at 30 fps, cheap enough for
// several tests at once on a small machine.
func liveSettings(t *testing.T, dests ...encoder.Destination) encoder.Settings {
	s := encoder.DefaultSettings()
	s.Images = encoder.SlidesOf(liveImage(t))
	s.Size = encoder.Size{W: 640, H: 360}
	s.FPS = 30
	s.Duration = 0
	s.Live = encoder.Live{Destinations: dests}
	return s
}

// liveStart starts the job and watches it. Every ffmpeg of the job runs
// through a link of its own in a test folder, which is how the test finds
// them; the job's media cache is a test folder too. While it runs, every
// process on the machine is searched for the stream keys.
func liveStart(t *testing.T, s encoder.Settings) *liveWatch {
	t.Helper()
	if s.FFmpeg == "" {
		bin, err := exec.LookPath("ffmpeg")
		if err != nil {
			t.Fatal("ffmpeg must be on PATH (Debian: apt install ffmpeg, or run make test)")
		}
		s.FFmpeg = bin
	}
	link := filepath.Join(t.TempDir(), "ffmpeg-of-this-test")
	if err := os.Symlink(s.FFmpeg, link); err != nil {
		t.Fatal(err)
	}
	s.FFmpeg = link
	if s.Live.CacheDir == "" {
		s.Live.CacheDir = t.TempDir()
	}
	job, err := encoder.Start(t.Context(), s)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	w := &liveWatch{t: t, job: job, began: time.Now(), marks: []string{link}, pipes: map[string]bool{}, done: make(chan struct{})}
	go func() {
		for ev := range job.Events() {
			w.mu.Lock()
			w.evs = append(w.evs, liveEvent{ev, time.Now()})
			w.mu.Unlock()
		}
		w.err = job.Wait()
		close(w.done)
	}()
	go w.samplePipes()
	t.Cleanup(func() {
		job.Cancel()
		select {
		case <-w.done:
		case <-time.After(30 * time.Second):
			t.Error("the job did not end within 30 s of Cancel")
		}
	})
	return w
}

// samplePipes notes the temporary folders (the frame pipe's) of this job's
// ffmpeg processes until the job ends.
func (w *liveWatch) samplePipes() {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		w.findSecrets()
		for _, m := range w.marks {
			for _, p := range rtmptest.ProcessesMentioning(m) {
				for _, a := range p.Cmdline {
					// The frame pipe, or anything else the job keeps in a
					// temporary folder of its own.
					if in, ok := strings.CutPrefix(a, "file:"); ok && strings.HasPrefix(filepath.Base(filepath.Dir(in)), "stillcast-") {
						w.mu.Lock()
						w.pipes[filepath.Dir(in)] = true
						w.mu.Unlock()
					}
				}
			}
		}
		select {
		case <-w.done:
			return
		case <-tick.C:
		}
	}
}

// liveSecrets are what must never reach another process: the keys, and
// the userinfo and query token of TestLiveKeyInNoProcess.
var liveSecrets = []string{liveKey, liveSecondKey, "s3cret-pass", "t0ken-9a8b7c"}

// findSecrets searches the arguments and environment of every process
// for the secrets. The tests' own ffmpeg and ffprobe, reading recordings
// that nginx names after the key in its rec folder, are the one
// exception.
func (w *liveWatch) findSecrets() {
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, dir := range procs {
		if cmd, err := os.ReadFile(filepath.Join(dir, "cmdline")); err == nil && bytes.Contains(cmd, []byte("/rec/live/")) {
			continue
		}
		for _, f := range []string{"cmdline", "environ"} {
			data, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				continue
			}
			for _, secret := range liveSecrets {
				if bytes.Contains(data, []byte(secret)) {
					w.mu.Lock()
					w.leaks = append(w.leaks, fmt.Sprintf("%s/%s holds %q: %q", dir, f, secret, bytes.ReplaceAll(data, []byte{0}, []byte{' '})))
					w.mu.Unlock()
				}
			}
		}
	}
}

func (w *liveWatch) events() []liveEvent {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.evs)
}

// waitFor waits until an event at index from or later satisfies ok, and
// returns it and its index. It fails the test when the job ends first or
// limit passes.
func (w *liveWatch) waitFor(what string, from int, limit time.Duration, ok func(encoder.Event) bool) (encoder.Event, int) {
	w.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		evs := w.events()
		for i := from; i < len(evs); i++ {
			if ok(evs[i].Event) {
				return evs[i].Event, i
			}
		}
		select {
		case <-w.done:
			if len(w.events()) == len(evs) {
				w.t.Fatalf("the job ended (%v) before %s; events:\n%s", w.err, what, w.dump())
			}
			continue
		default:
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("no %s within %s; events:\n%s", what, limit, w.dump())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitState waits for a LiveStatus in state st from index from on.
func (w *liveWatch) waitState(st encoder.LiveState, from int, limit time.Duration) (encoder.LiveStatus, int) {
	w.t.Helper()
	ev, i := w.waitFor(st.String()+" status", from, limit, func(ev encoder.Event) bool {
		ls, ok := ev.(encoder.LiveStatus)
		return ok && ls.State == st
	})
	return ev.(encoder.LiveStatus), i
}

// finish waits for the job to end by itself and returns Wait's error.
func (w *liveWatch) finish(limit time.Duration) error {
	w.t.Helper()
	select {
	case <-w.done:
		return w.err
	case <-time.After(limit):
		w.t.Fatalf("the job still runs after %s; events:\n%s", limit, w.dump())
	}
	return nil
}

// stop cancels the job, as Stop in the window or Ctrl-C does, and returns
// Wait's error.
func (w *liveWatch) stop() error {
	w.t.Helper()
	w.job.Cancel()
	return w.finish(30 * time.Second)
}

// statuses lists the LiveStatus events.
func (w *liveWatch) statuses() []encoder.LiveStatus {
	var out []encoder.LiveStatus
	for _, ev := range w.events() {
		if ls, ok := ev.Event.(encoder.LiveStatus); ok {
			out = append(out, ls)
		}
	}
	return out
}

func (w *liveWatch) finished() encoder.Finished {
	w.t.Helper()
	evs := w.events()
	if len(evs) == 0 {
		w.t.Fatal("no events")
	}
	fin, ok := evs[len(evs)-1].Event.(encoder.Finished)
	if !ok {
		w.t.Fatalf("last event is %T, not Finished", evs[len(evs)-1].Event)
	}
	return fin
}

func (w *liveWatch) dump() string {
	var b strings.Builder
	for _, ev := range w.events() {
		fmt.Fprintf(&b, "  %6.2fs %T %+v\n", ev.at.Sub(w.began).Seconds(), ev.Event, ev.Event)
	}
	return b.String()
}

// checkEnd checks what every live test must leave behind once the job has
// ended: no secret in any event or any process's arguments or
// environment, no ffmpeg left, no frame pipe left.
// sawFFmpeg says whether an ffmpeg must have been seen running.
func (w *liveWatch) checkEnd(sawFFmpeg bool) {
	w.t.Helper()
	select {
	case <-w.done:
	default:
		w.t.Fatal("checkEnd before the job ended")
	}
	var texts []string
	for _, ev := range w.events() {
		texts = append(texts, fmt.Sprintf("%+v", ev.Event), fmt.Sprintf("%v", ev.Event), fmt.Sprintf("%#v", ev.Event))
		var err error
		switch e := ev.Event.(type) {
		case encoder.LiveStatus:
			err = e.Err
		case encoder.Finished:
			err = e.Err
		}
		if err != nil {
			texts = append(texts, err.Error(), fmt.Sprintf("%+v", err))
			var fe *encoder.FFmpegError
			if errors.As(err, &fe) {
				texts = append(texts, fe.Tail...)
			}
		}
	}
	if w.err != nil {
		texts = append(texts, w.err.Error(), fmt.Sprintf("%+v", w.err))
	}
	for _, text := range texts {
		for _, secret := range liveSecrets {
			if strings.Contains(text, secret) {
				w.t.Errorf("a secret shows in %q", text)
			}
		}
	}
	w.mu.Lock()
	for _, leak := range w.leaks {
		w.t.Errorf("a process held a secret: %s", leak)
	}
	w.mu.Unlock()
	for _, m := range w.marks {
		for _, p := range rtmptest.WaitNoProcessesMentioning(m, 10*time.Second) {
			w.t.Errorf("process left behind: %s", p)
		}
	}
	w.mu.Lock()
	pipes := slices.Sorted(maps.Keys(w.pipes))
	w.mu.Unlock()
	if sawFFmpeg && len(pipes) == 0 {
		w.t.Error("never saw this job's ffmpeg and its temporary folder")
	}
	for _, dir := range pipes {
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			w.t.Errorf("temporary folder %s left behind (%v)", dir, err)
		}
	}
}

// ---- reading recordings back ----

type liveProbe struct {
	Streams []struct {
		CodecType     string `json:"codec_type"`
		CodecName     string `json:"codec_name"`
		Profile       string `json:"profile"`
		Width         int    `json:"width"`
		Height        int    `json:"height"`
		PixFmt        string `json:"pix_fmt"`
		RFrameRate    string `json:"r_frame_rate"`
		SampleRate    string `json:"sample_rate"`
		Channels      int    `json:"channels"`
		ChannelLayout string `json:"channel_layout"`
	} `json:"streams"`
	Packets []struct {
		CodecType string `json:"codec_type"`
		PTS       string `json:"pts_time"`
		Flags     string `json:"flags"`
		Size      string `json:"size"`
	} `json:"packets"`
}

// liveRecording is what ffprobe reads in a recording.
type liveRecording struct {
	path                   string
	videoCodec, profile    string
	width, height          int
	pixFmt, frameRate      string
	audioCodec, sampleRate string
	channels               int
	layout                 string
	videoPTS, audioPTS     []float64 // sorted
	keyPTS                 []float64
	videoBytes             int64
}

func (r liveRecording) span(pts []float64, step float64) float64 {
	if len(pts) == 0 {
		return 0
	}
	return pts[len(pts)-1] - pts[0] + step
}

// videoSeconds is how long the video of the recording lasts.
func (r liveRecording) videoSeconds() float64 { return r.span(r.videoPTS, 1.0/30) }

func probeRecording(t *testing.T, path string) liveRecording {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_streams", "-show_entries",
		"packet=codec_type,pts_time,flags,size", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var p liveProbe
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	r := liveRecording{path: path}
	for _, s := range p.Streams {
		switch s.CodecType {
		case "video":
			r.videoCodec, r.profile, r.width, r.height, r.pixFmt, r.frameRate = s.CodecName, s.Profile, s.Width, s.Height, s.PixFmt, s.RFrameRate
		case "audio":
			r.audioCodec, r.sampleRate, r.channels, r.layout = s.CodecName, s.SampleRate, s.Channels, s.ChannelLayout
		}
	}
	for _, pk := range p.Packets {
		pts, err := strconv.ParseFloat(pk.PTS, 64)
		if err != nil {
			continue
		}
		switch pk.CodecType {
		case "video":
			r.videoPTS = append(r.videoPTS, pts)
			if strings.Contains(pk.Flags, "K") {
				r.keyPTS = append(r.keyPTS, pts)
			}
			n, _ := strconv.ParseInt(pk.Size, 10, 64)
			r.videoBytes += n
		case "audio":
			r.audioPTS = append(r.audioPTS, pts)
		}
	}
	sort.Float64s(r.videoPTS)
	sort.Float64s(r.audioPTS)
	sort.Float64s(r.keyPTS)
	return r
}

// checkIngest checks a recording against what the platforms ask: H.264
// High yuv420p at the chosen size and rate, AAC stereo 48 kHz.
func checkIngest(t *testing.T, r liveRecording) {
	t.Helper()
	name := filepath.Base(r.path)
	if r.videoCodec != "h264" || r.profile != "High" || r.pixFmt != "yuv420p" {
		t.Errorf("%s: video %s %s %s, want h264 High yuv420p", name, r.videoCodec, r.profile, r.pixFmt)
	}
	if r.width != 640 || r.height != 360 || r.frameRate != "30/1" {
		t.Errorf("%s: %dx%d at %s, want 640x360 at 30/1", name, r.width, r.height, r.frameRate)
	}
	if r.audioCodec != "aac" || r.sampleRate != "48000" || r.channels != 2 || r.layout != "stereo" {
		t.Errorf("%s: audio %s %s Hz %d channels (%s), want aac 48000 Hz stereo", name, r.audioCodec, r.sampleRate, r.channels, r.layout)
	}
	if len(r.videoPTS) == 0 || len(r.audioPTS) == 0 {
		t.Errorf("%s: %d video and %d audio packets", name, len(r.videoPTS), len(r.audioPTS))
	}
}

// checkAudioThroughout checks that the silence runs alongside the video,
// without gaps. It may end up to a second early: at the stop, x264 still
// holds the frames of its lookahead, and they go out after the last audio.
func checkAudioThroughout(t *testing.T, r liveRecording) {
	t.Helper()
	name := filepath.Base(r.path)
	if len(r.audioPTS) == 0 || len(r.videoPTS) == 0 {
		t.Errorf("%s: %d audio and %d video packets", name, len(r.audioPTS), len(r.videoPTS))
		return
	}
	if d := math.Abs(r.audioPTS[0] - r.videoPTS[0]); d > 0.2 {
		t.Errorf("%s: audio starts %.3f s away from the video", name, d)
	}
	if a, v := r.span(r.audioPTS, 1024.0/48000), r.videoSeconds(); a < v-1 || a > v+0.2 {
		t.Errorf("%s: %.3f s of audio beside %.3f s of video", name, a, v)
	}
	for i := 1; i < len(r.audioPTS); i++ {
		if gap := r.audioPTS[i] - r.audioPTS[i-1]; gap > 0.05 {
			t.Errorf("%s: %.3f s without audio at %.3f s", name, gap, r.audioPTS[i-1])
			break
		}
	}
}

// checkKeyframes checks a keyframe exactly every 2 s, within a frame.
func checkKeyframes(t *testing.T, r liveRecording) {
	t.Helper()
	const frame = 1.0 / 30
	if len(r.videoPTS) > 0 && (len(r.keyPTS) == 0 || math.Abs(r.keyPTS[0]-r.videoPTS[0]) > 1e-6) {
		t.Errorf("%s: the first frame is not a keyframe (keyframes at %v)", filepath.Base(r.path), r.keyPTS)
	}
	for i := 1; i < len(r.keyPTS); i++ {
		if d := r.keyPTS[i] - r.keyPTS[i-1]; math.Abs(d-2) > frame+1e-3 {
			t.Errorf("%s: keyframes %.3f s apart at %.3f s, want 2 s (all: %v)", filepath.Base(r.path), d, r.keyPTS[i], r.keyPTS)
		}
	}
	// Every keyframe slot in the recording has its keyframe.
	if want := int(r.videoSeconds()/2 + 0.999); len(r.keyPTS) != want {
		t.Errorf("%s: %d keyframes in %.2f s of video, want %d (%v)", filepath.Base(r.path), len(r.keyPTS), r.videoSeconds(), want, r.keyPTS)
	}
}

func destination(srv *rtmptest.Server, key string) encoder.Destination {
	return encoder.Destination{URL: srv.URL("live"), Key: key}
}
