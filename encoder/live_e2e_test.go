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
	liveKey       = "sk-live-9f8e7d6c5b4a"
	liveSecondKey = "sk-live-0a1b2c3d4e5f"
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

// liveStart starts the job and watches it; marks are strings every ffmpeg
// of this job has on its command line (the servers' addresses).
func liveStart(t *testing.T, s encoder.Settings, marks ...string) *liveWatch {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Fatal("ffmpeg must be on PATH (Debian: apt install ffmpeg, or run make test)")
	}
	job, err := encoder.Start(t.Context(), s)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	w := &liveWatch{t: t, job: job, began: time.Now(), marks: marks, pipes: map[string]bool{}, done: make(chan struct{})}
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
// ended: no stream key in any event, no ffmpeg left, no frame pipe left.
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
		for _, key := range []string{liveKey, liveSecondKey} {
			if strings.Contains(text, key) {
				w.t.Errorf("the stream key shows in %q", text)
			}
		}
	}
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

// ---- the tests ----

// TestLiveStreamArrivesAsIngestServersWantIt streams for 10 s and checks
// the events and the recording against what ffmpeg itself reported (it
// runs through the tee-progress wrapper), not against the wall clock: on
// a busy machine ffmpeg takes longer to start and connect, and less of
// the 10 s is on air, but every report still becomes a status and the
// server still records what ffmpeg sent. The only bounds in seconds are
// those that load cannot break: the stream ends when its duration is
// over, and -re sends no faster than the clock.
func TestLiveStreamArrivesAsIngestServersWantIt(t *testing.T) {
	t.Parallel()
	checkLiveStream(t, encoder.TeeFFmpeg(), 10*time.Second)
}

// TestLiveStreamWithFFmpeg41: 20 s streamed by ffmpeg 4.1, which reports
// progress at its own pace (it has no -stats_period), pass the same
// checks.
func TestLiveStreamWithFFmpeg41(t *testing.T) {
	t.Parallel()
	checkLiveStream(t, encoder.TeeFFmpeg41(t), 20*time.Second)
}

// checkLiveStream streams for d with bin, a tee-progress wrapper, to a
// server of its own, and checks the events and the recording as
// TestLiveStreamArrivesAsIngestServersWantIt says.
func checkLiveStream(t *testing.T, bin string, d time.Duration) {
	t.Helper()
	srv := rtmptest.Start(t, rtmptest.Options{})
	s := liveSettings(t, destination(srv, liveKey))
	s.Duration = d
	s.FFmpeg = bin
	w := liveStart(t, s, srv.Addr())
	if err := w.finish(60 * time.Second); err != nil {
		t.Fatalf("Wait: %v\n%s", err, w.dump())
	}
	fin := w.finished()
	if fin.Err != nil {
		t.Fatalf("Finished.Err: %v", fin.Err)
	}
	w.checkEnd(true)

	evs := w.events()
	st, ok := evs[0].Event.(encoder.Started)
	if !ok || st.Width != 640 || st.Height != 360 || st.FPS != 30 || st.Output != srv.URL("live")+"/[stream key]" {
		t.Errorf("first event %+v, want Started 640x360 at 30 fps to %s/[stream key]", evs[0].Event, srv.URL("live"))
	}
	var states []encoder.LiveState
	var onAir []encoder.LiveStatus
	for _, ls := range w.statuses() {
		if len(states) == 0 || states[len(states)-1] != ls.State {
			states = append(states, ls.State)
		}
		if ls.State == encoder.LiveOnAir {
			onAir = append(onAir, ls)
		}
	}
	if want := []encoder.LiveState{encoder.LiveConnecting, encoder.LiveOnAir, encoder.LiveStopped}; !slices.Equal(states, want) {
		t.Errorf("states %v, want %v\n%s", states, want, w.dump())
	}

	// ffmpeg's own account: one connection, which ended cleanly, and one
	// on-air status for each report with something sent (ffmpeg is asked
	// for one a second, TestLiveArgs checks that; 4.1 makes one each half
	// second of its own accord), none missed or made up.
	runs := encoder.TeeRunsMentioning(t, srv.Addr())
	if len(runs) != 1 {
		t.Fatalf("%d ffmpeg runs streamed to %s, want one", len(runs), srv.Addr())
	}
	var sent []encoder.TeeReport
	for _, rep := range runs[0].Reports {
		if rep.Frame > 0 || rep.OutTime > 0 {
			sent = append(sent, rep)
		}
	}
	last := runs[0].Last()
	if !last.End || last.Frame == 0 {
		t.Fatalf("ffmpeg's last report %+v, want progress=end after frames were sent", last)
	}
	if len(onAir) != len(sent) || len(onAir) < 2 {
		t.Fatalf("%d on-air statuses for %d reports of ffmpeg with frames sent, want one each, and at least 2\n%s", len(onAir), len(sent), w.dump())
	}
	// Uptime runs on one clock from the first report with frames out, and
	// the stream's time on air, in Finished, goes on to its end.
	if onAir[0].Uptime != 0 {
		t.Errorf("first on-air status %+v, want an uptime of 0", onAir[0])
	}
	for i, ls := range onAir {
		if i > 0 && ls.Uptime < onAir[i-1].Uptime {
			t.Errorf("uptime went back: %+v after %+v", ls, onAir[i-1])
		}
		if ls.Reconnects != 0 || ls.Attempt != 1 {
			t.Errorf("on-air status %+v, want attempt 1, no reconnects", ls)
		}
	}
	if lastOnAir := onAir[len(onAir)-1]; lastOnAir.Uptime > fin.Duration || fin.Duration > fin.Elapsed {
		t.Errorf("last uptime %s, on air %s, job %s: want each within the next", lastOnAir.Uptime, fin.Duration, fin.Elapsed)
	}
	// The duration counts from after the preparation, so the job lasts
	// at least as long.
	if fin.Elapsed < s.Duration {
		t.Errorf("a %s stream ended after %s", s.Duration, fin.Elapsed)
	}
	// The bitrate shown is bytes sent over the wall clock of the last
	// seconds: within a factor of two of the 1000k of video (the default
	// for 640x360) and 128k of audio, however busy the machine; a wrong
	// unit or window would be far off.
	if b := onAir[len(onAir)-1].Bitrate; b < 1_128_000/2 || b > 1_128_000*2 {
		t.Errorf("bitrate %d while on air, want about 1.1 Mbit/s", b)
	}

	if err := srv.WaitRecordingsClosed(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	recs := srv.Recordings("live")
	if len(recs) != 1 {
		t.Fatalf("recordings %v, want one", recs)
	}
	if !strings.HasPrefix(filepath.Base(recs[0]), liveKey+"-") {
		t.Errorf("recording %s is not named after the stream key: the server did not get it", recs[0])
	}
	r := probeRecording(t, recs[0])
	checkIngest(t, r)
	checkKeyframes(t, r)

	// The server has every frame that ffmpeg sent, and the video lasts as
	// long as ffmpeg said it did: nothing lost, nothing doubled.
	video := r.videoSeconds()
	t.Logf("on air %s of %s, ffmpeg sent %d frames, %s; recorded %.3f s of video in %d frames, audio %.3f s, keyframes %v",
		fin.Duration, fin.Elapsed, last.Frame, last.OutTime, video, len(r.videoPTS), r.span(r.audioPTS, 1024.0/48000), r.keyPTS)
	if len(r.videoPTS) != last.Frame {
		t.Errorf("%d frames recorded, ffmpeg sent %d", len(r.videoPTS), last.Frame)
	}
	if d := math.Abs(video - last.OutTime.Seconds()); d > 2.0/30 {
		t.Errorf("%.3f s of video recorded, ffmpeg sent %.3f s", video, last.OutTime.Seconds())
	}
	if want := int(math.Round(video * 30)); len(r.videoPTS) < want-1 || len(r.videoPTS) > want+1 {
		t.Errorf("%d frames in %.3f s at 30 fps: frames are missing or doubled", len(r.videoPTS), video)
	}
	// Paced by the wall clock (-re), and stopped when the duration is over:
	// no more than its duration of video, and a second for ffmpeg to act on the
	// stop. A busy machine only makes it less.
	if video > s.Duration.Seconds()+1 {
		t.Errorf("%.3f s of video for a %s stream", video, s.Duration)
	}
	checkAudioThroughout(t, r)
	// Constant bitrate: the video averages close to the 1000k asked for.
	if rate := float64(r.videoBytes) * 8 / video; rate < 800_000 || rate > 1_200_000 {
		t.Errorf("video averages %.0f bit/s, want about 1000000", rate)
	}
}

func TestLiveReconnectsAfterServerRestart(t *testing.T) {
	t.Parallel()
	srv := rtmptest.Start(t, rtmptest.Options{})
	s := liveSettings(t, destination(srv, liveKey))
	// One failed reconnect in a row is allowed: a reconnect that gets back
	// on air starts the count again, so two drops are survived.
	s.Live.MaxReconnects = 1
	w := liveStart(t, s, srv.Addr())
	_, i := w.waitState(encoder.LiveOnAir, 0, 30*time.Second)
	if _, err := srv.WaitRecording("live", 1, 20*time.Second); err != nil {
		t.Fatal(err)
	}

	for drop := 1; drop <= 2; drop++ {
		// Kill nginx mid-stream and start it again on the same port.
		srv.Restart()
		var rec encoder.LiveStatus
		rec, i = w.waitState(encoder.LiveReconnecting, i, 30*time.Second)
		// The backoff grows, 2 s then 3 s: it resets only after a minute on air.
		nominal := []time.Duration{2 * time.Second, 3 * time.Second}[drop-1]
		if lo, hi := nominal*9/10, nominal*11/10; rec.Err == nil || rec.NextTry < lo || rec.NextTry > hi || rec.Reconnects != drop-1 {
			t.Errorf("drop %d: %+v, want a reason, the next try in %s ±10 %%, %d reconnects so far", drop, rec, nominal, drop-1)
		}
		var back encoder.LiveStatus
		back, i = w.waitState(encoder.LiveOnAir, i, 30*time.Second)
		if back.Reconnects != drop || back.Attempt != drop+1 {
			t.Errorf("back on air after drop %d: %+v, want %d reconnects, attempt %d", drop, back, drop, drop+1)
		}
		// A new recording appears and grows.
		if _, err := srv.WaitRecording("live", drop+1, 20*time.Second); err != nil {
			t.Fatalf("after drop %d: %v\n%s", drop, err, w.dump())
		}
	}
	if err := w.stop(); err != nil {
		t.Fatalf("Wait after Cancel: %v", err)
	}
	w.checkEnd(true)
	if err := srv.WaitRecordingsClosed(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	recs := srv.Recordings("live")
	if len(recs) != 3 {
		t.Fatalf("recordings %v, want three", recs)
	}
	for _, rec := range recs {
		r := probeRecording(t, rec)
		checkIngest(t, r)
		checkKeyframes(t, r)
		checkAudioThroughout(t, r)
	}
	if fin := w.finished(); fin.Err != nil || fin.Duration < time.Second || fin.Duration > fin.Elapsed-4*time.Second {
		t.Errorf("Finished %+v", fin)
	}
	if st := w.statuses(); st[len(st)-1].State != encoder.LiveStopped || st[len(st)-1].Reconnects != 2 {
		t.Errorf("last status %+v, want stopped after 2 reconnects", st[len(st)-1])
	}
}

func TestLiveRejectedKeyStopsRetrying(t *testing.T) {
	t.Parallel()
	hook := rtmptest.StartHook(t, 403)
	srv := rtmptest.Start(t, rtmptest.Options{OnPublish: hook.URL})
	w := liveStart(t, liveSettings(t, destination(srv, liveKey)), srv.Addr())
	err := w.finish(30 * time.Second)
	if !errors.Is(err, encoder.ErrKeyRejected) || !strings.Contains(err.Error(), "the server rejected the stream key") {
		t.Fatalf("Wait = %v, want ErrKeyRejected\n%s", err, w.dump())
	}
	if fin := w.finished(); !errors.Is(fin.Err, encoder.ErrKeyRejected) {
		t.Errorf("Finished.Err = %v", fin.Err)
	}
	// It gave up without waiting longer than the backoff says: 2 s, then
	// 3 s, ±10 %, between the refusals. Measured by the waits the job
	// chose, not by the wall clock, which a busy machine stretches.
	var waits []time.Duration
	for _, ls := range w.statuses() {
		if ls.State == encoder.LiveReconnecting {
			waits = append(waits, ls.NextTry)
		}
	}
	if len(waits) > 2 {
		t.Errorf("%d reconnects before giving up, want at most 2: %v", len(waits), waits)
	}
	for i, d := range waits {
		nominal := time.Duration(float64(2*time.Second) * math.Pow(1.5, float64(i)))
		if d < nominal*9/10 || d > nominal*11/10 {
			t.Errorf("wait %d before giving up: %s, want %s ±10 %%", i+1, d, nominal)
		}
	}
	names := hook.Names()
	if len(names) == 0 || len(names) > 3 {
		t.Errorf("the hook saw %d publishes, want 1 to 3", len(names))
	}
	for _, n := range names {
		if n != liveKey {
			t.Errorf("the hook saw stream name %q, want the key", n)
		}
	}
	st := w.statuses()
	last := st[len(st)-1]
	if last.State != encoder.LiveFailed || !errors.Is(last.Err, encoder.ErrKeyRejected) {
		t.Errorf("last status %+v, want failed with ErrKeyRejected", last)
	}
	for _, ls := range st {
		if ls.State == encoder.LiveOnAir {
			t.Errorf("on air although every publish was refused: %+v", ls)
		}
	}
	if recs := srv.Recordings("live"); len(recs) != 0 {
		t.Errorf("refused publishes were recorded: %v", recs)
	}
	w.checkEnd(false)
}

func TestLiveUnreachableServerKeepsRetrying(t *testing.T) {
	t.Parallel()
	addr := "127.0.0.1:" + strconv.Itoa(rtmptest.FreePort(t))
	w := liveStart(t, liveSettings(t, encoder.Destination{URL: "rtmp://" + addr + "/live", Key: liveKey}), addr)
	var i int
	for n := 1; n <= 2; n++ {
		var ls encoder.LiveStatus
		ls, i = w.waitState(encoder.LiveReconnecting, i, 30*time.Second)
		i++
		if ls.Err == nil || !strings.Contains(ls.Err.Error(), "cannot reach the server") {
			t.Errorf("reconnect %d: reason %v, want it to say it cannot reach the server", n, ls.Err)
		}
		nominal := []time.Duration{2 * time.Second, 3 * time.Second}[n-1]
		if lo, hi := nominal*9/10, nominal*11/10; ls.NextTry < lo || ls.NextTry > hi || ls.Attempt != n+1 || ls.Reconnects != n-1 {
			t.Errorf("reconnect %d: %+v, want next try in %s ±10 %%, attempt %d", n, ls, nominal, n+1)
		}
	}
	if err := w.stop(); err != nil {
		t.Fatalf("Wait after Cancel: %v, want nil", err)
	}
	if fin := w.finished(); fin.Err != nil {
		t.Errorf("Finished.Err = %v", fin.Err)
	}
	st := w.statuses()
	if last := st[len(st)-1]; last.State != encoder.LiveStopped {
		t.Errorf("last status %+v, want stopped", last)
	}
	for _, ls := range st {
		if ls.State == encoder.LiveOnAir || ls.State == encoder.LiveFailed {
			t.Errorf("unexpected %+v", ls)
		}
	}
	w.checkEnd(false)
}

func TestLiveRetriesRunOut(t *testing.T) {
	t.Parallel()
	addr := "127.0.0.1:" + strconv.Itoa(rtmptest.FreePort(t))
	s := liveSettings(t, encoder.Destination{URL: "rtmp://" + addr + "/live", Key: liveKey})
	s.Live.MaxReconnects = 1
	w := liveStart(t, s, addr)
	err := w.finish(30 * time.Second)
	if err == nil || errors.Is(err, encoder.ErrKeyRejected) ||
		!strings.Contains(err.Error(), "gave up after 1 reconnects in a row") || !strings.Contains(err.Error(), "cannot reach the server") {
		t.Fatalf("Wait = %v, want giving up after 1 reconnect\n%s", err, w.dump())
	}
	var reconnecting int
	for _, ls := range w.statuses() {
		if ls.State == encoder.LiveReconnecting {
			reconnecting++
		}
	}
	if reconnecting != 1 {
		t.Errorf("%d reconnecting statuses, want 1\n%s", reconnecting, w.dump())
	}
	w.checkEnd(false)
}

func TestLiveTwoDestinationsOneGoesDown(t *testing.T) {
	t.Parallel()
	stay := rtmptest.Start(t, rtmptest.Options{})
	fall := rtmptest.Start(t, rtmptest.Options{})
	w := liveStart(t, liveSettings(t, destination(stay, liveKey), destination(fall, liveSecondKey)), stay.Addr(), fall.Addr())
	w.waitState(encoder.LiveOnAir, 0, 30*time.Second)
	stayRec, err := stay.WaitRecording("live", 1, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	fallRec, err := fall.WaitRecording("live", 1, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}

	// One destination goes down; the other goes on without a hitch.
	fall.Stop()
	down := len(w.events())
	time.Sleep(500 * time.Millisecond) // let ffmpeg notice
	if err := rtmptest.WaitGrowing(stayRec, 10*time.Second); err != nil {
		t.Fatalf("after the other destination went down: %v\n%s", err, w.dump())
	}
	info1, _ := os.Stat(stayRec)
	// Still on air, and still growing a while later.
	_, i := w.waitState(encoder.LiveOnAir, down, 10*time.Second)
	w.waitState(encoder.LiveOnAir, i+1, 10*time.Second)
	if err := rtmptest.WaitGrowing(stayRec, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	info2, _ := os.Stat(stayRec)
	if info2.Size() <= info1.Size() {
		t.Errorf("%s stopped at %d bytes", stayRec, info1.Size())
	}
	if err := w.stop(); err != nil {
		t.Fatalf("Wait after Cancel: %v", err)
	}
	w.checkEnd(true)
	for _, ls := range w.statuses() {
		if ls.State == encoder.LiveReconnecting || ls.State == encoder.LiveFailed {
			t.Errorf("one destination going down disturbed the stream: %+v\n%s", ls, w.dump())
		}
	}
	if recs := stay.Recordings("live"); len(recs) != 1 {
		t.Errorf("the destination that stayed has recordings %v, want one", recs)
	}
	if err := stay.WaitRecordingsClosed(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	a, b := probeRecording(t, stayRec), probeRecording(t, fallRec)
	checkIngest(t, a)
	checkIngest(t, b)
	checkKeyframes(t, a)
	// The one that stayed has the stream from the start, without a gap in
	// its video or sound where the other fell, to well after it fell: it
	// went on growing for two statuses after that. Measured in the
	// recordings' own time; how much of it a busy machine streams in a
	// given second does not matter.
	checkAudioThroughout(t, a)
	if want := int(math.Round(a.videoSeconds() * 30)); len(a.videoPTS) < want-1 || len(a.videoPTS) > want+1 {
		t.Errorf("%d frames in %.3f s at 30 fps: frames are missing or doubled", len(a.videoPTS), a.videoSeconds())
	}
	if len(a.videoPTS) == 0 || len(b.videoPTS) == 0 || a.videoPTS[0] > b.videoPTS[0]+1e-6 ||
		a.videoPTS[len(a.videoPTS)-1] <= b.videoPTS[len(b.videoPTS)-1] {
		t.Errorf("the destination that stayed got %.2f s, the one that fell %.2f s: the one that stayed must go on after the fall", a.videoSeconds(), b.videoSeconds())
	}
	if !strings.HasPrefix(filepath.Base(fallRec), liveSecondKey+"-") {
		t.Errorf("second destination's recording %s is not named after its key", fallRec)
	}
}
