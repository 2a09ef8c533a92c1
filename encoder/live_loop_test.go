//go:build linux

package encoder

import (
	"context"
	"encoding/json"
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/picture"
	"github.com/stillcast/stillcast/encoder/rtmptest"
)

func TestADTSFrames(t *testing.T) {
	frame := func(n int) []byte {
		f := make([]byte, n)
		f[0], f[1] = 0xFF, 0xF1
		f[3] = byte(n>>11) & 3
		f[4] = byte(n >> 3)
		f[5] = byte(n<<5) | 0x1F
		return f
	}
	data := append(append(frame(13), frame(300)...), frame(7)...)
	frames, err := adtsFrames(data)
	if err != nil || len(frames) != 3 || len(frames[0]) != 13 || len(frames[1]) != 300 || len(frames[2]) != 7 {
		t.Fatalf("adtsFrames = %d frames, %v", len(frames), err)
	}
	if _, err := adtsFrames(data[:20]); err == nil {
		t.Error("a truncated frame was accepted")
	}
	if _, err := adtsFrames([]byte("not audio at all")); err == nil {
		t.Error("text was accepted as ADTS")
	}
}

func loopPackets(t *testing.T, path string) (video, audio []float64) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "packet=codec_type,dts_time", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var r struct {
		Packets []struct {
			Type string `json:"codec_type"`
			DTS  string `json:"dts_time"`
		}
	}
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	for _, p := range r.Packets {
		v, _ := strconv.ParseFloat(p.DTS, 64)
		if p.Type == "video" {
			video = append(video, v)
		} else {
			audio = append(audio, v)
		}
	}
	return video, audio
}

// checkSteps fails when two packets in a row are further apart than step
// (plus FLV's millisecond rounding), or not in order.
func checkSteps(t *testing.T, what string, ts []float64, step float64) {
	t.Helper()
	for i := 1; i < len(ts); i++ {
		if d := ts[i] - ts[i-1]; d <= 0 || d > step+0.0015 {
			t.Fatalf("%s: packet %d at %.3f s follows %.3f s (a step of %.4f s, want %.4f)", what, i, ts[i], ts[i-1], d, step)
		}
	}
}

// loopSegment encodes a live segment of a small picture the way a stream
// does with the ffmpeg on PATH, and returns its path and what that
// ffmpeg cannot do.
func loopSegment(t *testing.T, fps int) (string, limits) {
	t.Helper()
	dir := t.TempDir()
	img := image.NewRGBA(image.Rect(0, 0, 320, 180))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	frame := picture.ToYUV420(picture.Compose(img, image.Pt(320, 180), FitLetterbox, color.RGBA{A: 255}), picture.BT601())
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Fatal(err)
	}
	s := DefaultSettings()
	s.FPS = fps
	s.Live = Live{Destinations: []Destination{{URL: "rtmp://127.0.0.1/live", Key: "k"}}}
	lim, err := inspectFFmpeg(t.Context(), ffmpeg)
	if err != nil {
		t.Fatal(err)
	}
	p := planLive(s, facts{FFmpeg: lim, Image: image.Pt(320, 180)})
	l := &liveStream{job: newJob(context.Background()), s: s, plan: p, bin: ffmpeg, frame: frame,
		redact: redactor(s.Live.Destinations)}
	seg, err := l.encodeSegment(t.Context(), dir, p.Encode)
	if err != nil {
		t.Fatal(err)
	}
	return seg, lim
}

// TestLiveLoopHasNoDriftOverAnHour loops the segment for an hour of
// timestamps as fast as ffmpeg can copy (the same loop as a stream, less
// the wall-clock pacing) and checks that audio and video stay together.
func TestLiveLoopHasNoDriftOverAnHour(t *testing.T) {
	const fps = 30
	seg, lim := loopSegment(t, fps)
	video, audio := loopPackets(t, seg)
	if len(video) != liveSegmentFrames(fps) || len(audio) != silenceFrames {
		t.Fatalf("segment holds %d video and %d audio packets, want %d and %d", len(video), len(audio), liveSegmentFrames(fps), silenceFrames)
	}
	out := filepath.Join(t.TempDir(), "hour.flv")
	args := liveLoopArgs(seg, "", []string{out}, lim)
	for i, a := range args {
		if a == "-re" { // no pacing: an hour of stream in seconds
			args = append(args[:i:i], args[i+1:]...)
			break
		}
	}
	args = append([]string{"-t", "3600"}, args...)
	if msg, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, msg)
	}
	video, audio = loopPackets(t, out)
	checkSteps(t, "video", video, 1.0/fps)
	checkSteps(t, "audio", audio, float64(aacFrameSamples)/aacRate)
	videoEnd := video[len(video)-1] + 1.0/fps
	audioEnd := audio[len(audio)-1] + float64(aacFrameSamples)/aacRate
	if drift := videoEnd - audioEnd; drift > 0.05 || drift < -0.05 {
		t.Fatalf("after an hour video ends at %.3f s and audio at %.3f s: %.0f ms apart", videoEnd, audioEnd, drift*1000)
	}
	if videoEnd < 3599.9 {
		t.Fatalf("only %.1f s were looped", videoEnd)
	}
}

// TestLiveLoopIsSeamlessAtTheServer streams more than three loops to a
// real RTMP server and checks its recording: no gap longer than one frame
// in either stream, at the loop points or anywhere else. The stream runs
// until ffmpeg reports (through the tee-progress wrapper) that it has
// sent three loops and a keyframe interval more, rather than for a fixed
// time that a slow start on a busy machine would eat into.
func TestLiveLoopIsSeamlessAtTheServer(t *testing.T) {
	t.Parallel()
	srv := rtmptest.Start(t, rtmptest.Options{})
	s := DefaultSettings()
	s.Images = SlidesOf(filepath.Join(t.TempDir(), "still.png"))
	writeLoopPNG(t, s.Images[0].Image)
	s.Size, s.FPS, s.Duration = Size{W: 320, H: 180}, 25, 0
	s.FFmpeg = TeeFFmpeg()
	s.Live = Live{Destinations: []Destination{{URL: srv.URL("live"), Key: "loop"}}}
	job, err := Start(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for range job.Events() {
		}
	}()
	want := time.Duration(3*liveSegmentSeconds+liveKeyframeSeconds) * time.Second
	deadline := time.Now().Add(2 * time.Minute)
	for {
		runs := TeeRunsMentioning(t, srv.Addr())
		if len(runs) > 0 && runs[len(runs)-1].Last().OutTime >= want {
			break
		}
		if time.Now().After(deadline) {
			job.Cancel()
			t.Fatalf("ffmpeg has not reported %s sent after 2 minutes: %+v", want, runs)
		}
		time.Sleep(200 * time.Millisecond)
	}
	job.Cancel()
	if err := job.Wait(); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitRecordingsClosed(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	recs := srv.Recordings("live")
	if len(recs) != 1 {
		t.Fatalf("%d recordings, want 1", len(recs))
	}
	video, audio := loopPackets(t, recs[0])
	if least := int(want.Seconds()) * 25; len(video) < least {
		t.Fatalf("only %d video frames recorded, ffmpeg sent more than %d", len(video), least)
	}
	checkSteps(t, "video", video, 1.0/25)
	checkSteps(t, "audio", audio, float64(aacFrameSamples)/aacRate)
}

func writeLoopPNG(t *testing.T, path string) {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=s=320x180", "-frames:v", "1", path).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}
