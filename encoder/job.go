package encoder

import (
	"context"
	"math"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/picture"
)

// eventBuffer is the capacity of the events channel. The last slot is
// kept for Finished, so it is delivered even when nobody reads.
const eventBuffer = 32

// Job is one running render. Read its events until the channel closes, or
// call Wait.
type Job struct {
	ctx    context.Context // ends when the job is cancelled
	emitMu sync.Mutex      // one sender at a time, so the slot for Finished stays free
	events chan Event
	cancel context.CancelFunc
	done   chan struct{}
	err    error // set before done is closed
}

// Events delivers Started, then Progress, then always Finished, and is
// then closed. Progress is dropped while the reader falls behind.
func (j *Job) Events() <-chan Event { return j.events }

// Wait blocks until the job has ended and everything it made is cleaned
// up, and returns its error: nil, ErrCancelled, an *FFmpegError or another.
func (j *Job) Wait() error {
	<-j.done
	return j.err
}

// Cancel stops the job. A render is abandoned and its partial output
// deleted (Wait returns ErrCancelled); a live stream ends cleanly (Wait
// returns nil). Wait tells when the cleanup is over.
func (j *Job) Cancel() { j.cancel() }

// emit sends ev unless only the slot kept for Finished is left.
func (j *Job) emit(ev Event) {
	j.emitMu.Lock()
	defer j.emitMu.Unlock()
	if len(j.events) < cap(j.events)-1 {
		j.events <- ev
	}
}

// Start checks the settings, reads the audio, loads and composes the
// first image, and starts the job: a render to a file, or a live stream
// when s.Live has destinations. Problems with the settings or files come
// back at once as *FieldError values; what goes wrong later arrives in
// Finished and Wait.
func Start(ctx context.Context, s Settings) (*Job, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	bin, err := FindFFmpeg(s.FFmpeg, os.Getenv)
	if err != nil {
		return nil, err
	}
	tracks, err := ProbeAll(ctx, bin, s.Audio)
	if err != nil {
		return nil, err
	}
	if s.IsLive() {
		frame, canvas, err := composeFrame(s)
		if err != nil {
			return nil, err
		}
		return startLive(ctx, s, bin, frame, canvas, tracks), nil
	}
	container, _ := ContainerFor(s.Output) // Validate checked it
	if s.LoopAudio && len(tracks) > 1 {
		return nil, fieldErr("audio", "looping takes one audio file, not %d: join them into one first", len(tracks))
	}
	tl, err := s.Timeline(totalLength(tracks))
	if err != nil {
		return nil, err
	}
	s.Duration = tl.Total
	if err := s.Validate(); err != nil { // the length it came to
		return nil, err
	}
	if err := checkOutput(s.Output, s.Force); err != nil {
		return nil, err
	}
	frame, canvas, err := composeFrame(s)
	if err != nil {
		return nil, err
	}
	if err := checkImages(s); err != nil {
		return nil, err
	}
	tmp, err := reserveTemp(s.Output)
	if err != nil {
		return nil, err
	}
	total := s.TotalFrames()
	plan := encodePlan{
		Width:  canvas.W,
		Height: canvas.H,
		FPS:    s.FPS, Matrix: picture.MatrixFor(canvas.H),
		Preset: s.Preset, CRF: s.CRF,
		Container: container,
		Output:    tmp,
		Mux:       mux{Audio: planAudio(tracks, time.Duration(total)*time.Second/time.Duration(s.FPS), s.LoopAudio, container, s.FPS)},
	}
	j := newJob(ctx)
	began := time.Now()
	go func() {
		var err error
		cleanup := func() {}
		if takesCover(container) && len(tracks) > 0 { // a song's video: the song's cover
			plan.Mux.Cover, cleanup, err = writeCover(s.Images[0].Image, s.Background)
			plan.Mux.CoverStyle = container.cover
		}
		if err == nil {
			err = render(j, s, bin, plan, tl, frame, canvas, began)
		}
		cleanup() // before Finished: nothing of the job outlives it
		var size int64
		if err == nil {
			size, err = commitOutput(tmp, s.Output, s.Force)
		}
		os.Remove(tmp) // gone already after a successful commit
		fin := Finished{Output: s.Output, Elapsed: time.Since(began), Err: err}
		if err == nil {
			fin.Size = size
			fin.Duration = time.Duration(total) * time.Second / time.Duration(s.FPS)
		}
		j.finish(fin)
	}()
	return j, nil
}

// render makes the video of a file job: by the still path when whole
// segments of it can be copied, else by encoding every frame.
func render(j *Job, s Settings, bin string, plan encodePlan, tl Timeline, first []byte, canvas canvasDims, began time.Time) error {
	total := s.TotalFrames()
	started := func() {
		j.emit(Started{Output: s.Output, Width: canvas.W, Height: canvas.H, FPS: s.FPS, TotalFrames: total})
	}
	spans, fades := layout(tl, s.FPS, int(math.Round(s.Crossfade.Seconds()*float64(s.FPS))))
	runs := frameRuns(spans, fades)
	var video ffmpeg.Frames
	if s.KenBurns {
		video = kenBurnsFrames(runs, spans, fades, newZoomedSlides(s, canvas), canvas)
	} else {
		slides := newSlideFrames(s, canvas, first)
		if parts := stillParts(runs, stillSegmentFrames(s.FPS)); savesEncoding(parts, total) && !s.NoFastPath {
			started()
			r := stillRender{job: j, bin: bin, plan: plan, parts: parts, frames: runFrames(partRuns(parts), slides), total: total, began: began}
			return r.run(j.ctx)
		}
		video = runFrames(runs, slides)
	}
	return ffmpeg.Command{
		Bin: bin,
		Args: func(in ffmpeg.Inputs) []string {
			plan.Input = in.Video
			return ffmpegArgs(plan)
		},
		Video:    video,
		Frames:   total,
		Started:  started,
		Progress: func(p ffmpeg.Progress) { j.emit(newProgress(p, total, time.Since(began))) },
	}.Run(j.ctx)
}

func newJob(ctx context.Context) *Job {
	ctx, cancel := context.WithCancel(ctx)
	return &Job{ctx: ctx, events: make(chan Event, eventBuffer), cancel: cancel, done: make(chan struct{})}
}

// finish delivers the last event and releases Wait.
func (j *Job) finish(fin Finished) {
	j.cancel()
	j.err = fin.Err
	j.emitMu.Lock()
	j.events <- fin
	j.emitMu.Unlock()
	close(j.events)
	close(j.done)
}

// canvasDims is a composed frame's size.
type canvasDims struct{ W, H int }

// composeFrame loads the image, lays it on the canvas and converts it to
// yuv420p once; that frame is then written for every frame of the video.
func composeFrame(s Settings) ([]byte, canvasDims, error) {
	img, err := loadImage(s.Images[0].Image)
	if err != nil {
		return nil, canvasDims{}, err
	}
	c := CanvasSize(s.Size, img.Bounds().Size())
	frame := picture.ToYUV420(picture.Compose(img, c, s.Fit, s.Background), picture.MatrixFor(c.Y))
	// The decoded image and the RGBA canvas are garbage now and can be
	// several times the size of the frame: hand them back before encoding.
	img = nil
	debug.FreeOSMemory()
	return frame, canvasDims{W: c.X, H: c.Y}, nil
}
