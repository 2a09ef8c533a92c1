package encoder

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"os"
	"os/exec"
	"runtime/debug"
	"sync"
	"syscall"
	"time"
)

// Timeouts of the shutdown sequence.
const (
	// interruptGrace is how long ffmpeg gets to stop after SIGINT before it
	// is killed.
	interruptGrace = 5 * time.Second
	// stderrTail is how much of ffmpeg's stderr is kept for the error.
	stderrTail = 64 << 10
	// errorLines is how many of its last lines an FFmpegError carries.
	errorLines = 12
	// eventBuffer is the capacity of the events channel. The last slot is
	// kept for Finished, so it is delivered even when nobody reads.
	eventBuffer = 32
)

// errPipeAbandoned says the frame writer gave up waiting for ffmpeg.
var errPipeAbandoned = errors.New("ffmpeg never opened the frame pipe")

// ErrCancelled is the error of a job stopped by Cancel or its context.
// It wraps context.Canceled.
var ErrCancelled = fmt.Errorf("cancelled: %w", context.Canceled)

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
	ffmpeg, err := FindFFmpeg(s.FFmpeg, os.Getenv)
	if err != nil {
		return nil, err
	}
	tracks, err := ProbeAll(ctx, ffmpeg, s.Audio)
	if err != nil {
		return nil, err
	}
	if s.IsLive() {
		frame, canvas, err := composeFrame(s)
		if err != nil {
			return nil, err
		}
		return startLive(ctx, s, ffmpeg, frame, canvas, tracks), nil
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
		FPS:    s.FPS, Matrix: MatrixFor(canvas.H),
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
			err = render(j, s, ffmpeg, plan, tl, frame, canvas, began)
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
func render(j *Job, s Settings, ffmpeg string, plan encodePlan, tl Timeline, first []byte, canvas canvasDims, began time.Time) error {
	total := s.TotalFrames()
	started := func() {
		j.emit(Started{Output: s.Output, Width: canvas.W, Height: canvas.H, FPS: s.FPS, TotalFrames: total})
	}
	spans, fades := layout(tl, s.FPS, int(math.Round(s.Crossfade.Seconds()*float64(s.FPS))))
	runs := frameRuns(spans, fades)
	var video frameSource
	if s.KenBurns {
		video = kenBurnsFrames(runs, spans, fades, newZoomedSlides(s, canvas), canvas)
	} else {
		slides := newSlideFrames(s, canvas, first)
		if parts := stillParts(runs, stillSegmentFrames(s.FPS)); savesEncoding(parts, total) && !s.NoFastPath {
			started()
			r := stillRender{job: j, bin: ffmpeg, plan: plan, parts: parts, frames: runFrames(partRuns(parts), slides), total: total, began: began}
			return r.run(j.ctx)
		}
		video = runFrames(runs, slides)
	}
	return ffmpegRun{
		bin: ffmpeg,
		args: func(in runInputs) []string {
			plan.Input = in.Video
			return ffmpegArgs(plan)
		},
		video:    video,
		frames:   total,
		started:  started,
		progress: func(p ffmpegProgress) { j.emit(newProgress(p, total, time.Since(began))) },
	}.run(j.ctx)
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
	img, err := LoadImage(s.Images[0].Image)
	if err != nil {
		return nil, canvasDims{}, err
	}
	c := CanvasSize(s.Size, img.Bounds().Size())
	frame := ToYUV420(Compose(img, c, s.Fit, s.Background), MatrixFor(c.Y))
	// The decoded image and the RGBA canvas are garbage now and can be
	// several times the size of the frame: hand them back before encoding.
	img = nil
	debug.FreeOSMemory()
	return frame, canvasDims{W: c.X, H: c.Y}, nil
}

// ffmpegRun is one ffmpeg process, fed raw frames through a pipe of its
// own when it has video to write, and raw audio through another when it
// has a feed.
type ffmpegRun struct {
	bin string
	// args builds the argument list once the pipes' paths are known.
	args  func(in runInputs) []string
	video frameSource // nil: no frame pipe
	// frames is how many frames video should give; 0 writes until the run
	// stops.
	frames int
	audio  audioFeed // nil: no audio pipe
	// started, progress and redact may be nil.
	started  func()
	progress func(ffmpegProgress)
	redact   func(string) string
}

// runInputs are the paths of a run's pipes; "" for one it does not have.
type runInputs struct{ Video, Audio string }

// audioFeed writes raw audio into w until it has no more, or until ctx
// ends. It is how a live playlist reaches ffmpeg.
type audioFeed func(ctx context.Context, w io.Writer) error

// still yields frame n times, or forever when n is 0.
func still(frame []byte, n int) frameSource {
	return func(yield func([]byte, error) bool) {
		for i := 0; n <= 0 || i < n; i++ {
			if !yield(frame, nil) {
				return
			}
		}
	}
}

// run starts ffmpeg, feeds it and watches it and ctx, and shuts down in a
// fixed order: stop the writers, close the pipes, let ffmpeg finish
// (SIGINT to its group on cancel, SIGKILL after a grace period), reap it,
// remove the pipes. It returns nil, ErrCancelled, an *FFmpegError or
// another error.
func (r ffmpegRun) run(ctx context.Context) error {
	var in runInputs
	var videoPipe, audioPipe framePipe
	for _, p := range []struct {
		want bool
		pipe *framePipe
		path *string
	}{{r.video != nil, &videoPipe, &in.Video}, {r.audio != nil, &audioPipe, &in.Audio}} {
		if !p.want {
			continue
		}
		pipe, err := newFramePipe()
		if err != nil {
			return err
		}
		defer pipe.Remove()
		*p.pipe, *p.path = pipe, pipe.Path()
	}
	var parser progressParser
	cmd := exec.Command(r.bin, r.args(in)...)
	cmd.Stdout = &lineWriter{fn: func(line string) {
		if p, ok := parser.feed(line); ok && r.progress != nil {
			r.progress(p)
		}
	}}
	stderr := newTailBuffer(stderrTail)
	cmd.Stderr = stderr
	if err := startInGroup(cmd); err != nil {
		return fmt.Errorf("starting ffmpeg (%s): %w", r.bin, err)
	}
	if r.started != nil {
		r.started()
	}

	stopWriter := make(chan struct{})
	written := make(chan writeResult, 1)
	if videoPipe != nil {
		go func() { written <- writeFrames(videoPipe, stopWriter, r.video, r.frames) }()
	} else {
		written <- writeResult{} // nothing to write: ffmpeg reads files of its own
	}
	fed := make(chan error, 1)
	if audioPipe != nil {
		go func() { fed <- feedAudio(audioPipe, stopWriter, r.audio) }()
	} else {
		fed <- nil
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	var (
		wr        writeResult
		feedErr   error
		writerIn  = written // nil once the writer has reported
		feedIn    = fed     // nil once the feed has reported
		waitErr   error
		cancelled bool
		killAfter <-chan time.Time
		ctxDone   = ctx.Done()
	)
loop:
	for {
		select {
		case wr = <-writerIn:
			writerIn = nil
			if wr.err != nil && !errors.Is(wr.err, ErrCancelled) && !isBrokenPipe(wr.err) {
				// The frames cannot be made (an image that will not load):
				// stop ffmpeg rather than let it wait for them forever.
				_ = interruptGroup(cmd)
				killAfter = time.After(interruptGrace)
			}
		case feedErr = <-feedIn:
			feedIn = nil
			if feedErr != nil && !isBrokenPipe(feedErr) {
				_ = interruptGroup(cmd)
				killAfter = time.After(interruptGrace)
			}
		case waitErr = <-exited:
			break loop
		case <-ctxDone:
			ctxDone = nil
			cancelled = true
			close(stopWriter)
			_ = interruptGroup(cmd)
			killAfter = time.After(interruptGrace)
		case <-killAfter:
			_ = killGroup(cmd)
		}
	}
	if !cancelled {
		close(stopWriter)
	}
	if writerIn != nil {
		wr = <-writerIn // ffmpeg is gone, so a blocked write fails at once
	}
	if feedIn != nil {
		feedErr = <-feedIn
	}

	switch {
	case cancelled:
		return ErrCancelled
	case wr.err != nil && !errors.Is(wr.err, ErrCancelled) && !isBrokenPipe(wr.err):
		return fmt.Errorf("making the frames: %w", wr.err)
	case feedErr != nil && !isBrokenPipe(feedErr):
		return fmt.Errorf("reading the audio: %w", feedErr)
	case waitErr != nil:
		// The writer's broken pipe is only a symptom: report ffmpeg's own words.
		code := -1
		var ee *exec.ExitError
		if errors.As(waitErr, &ee) {
			code = ee.ExitCode()
		}
		tail := stderr.Lines(errorLines)
		if r.redact != nil {
			for i := range tail {
				tail[i] = r.redact(tail[i])
			}
		}
		return newFFmpegError(code, tail)
	case wr.err != nil:
		return fmt.Errorf("writing frames to ffmpeg: %w", wr.err)
	case r.frames > 0 && wr.frames < r.frames:
		return fmt.Errorf("ffmpeg stopped reading after %d of %d frames", wr.frames, r.frames)
	}
	return nil
}

// feedAudio runs feed into the pipe until it ends or stop is closed, then
// closes the pipe, which tells ffmpeg the audio has ended.
func feedAudio(pipe framePipe, stop <-chan struct{}, feed audioFeed) error {
	w, err := pipe.Open(stop)
	if err != nil {
		if errors.Is(err, errPipeAbandoned) {
			return nil
		}
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-stop
		cancel()
	}()
	err = feed(ctx, w)
	cancel()
	w.Close()
	if ctx.Err() != nil {
		return nil // stopped: whatever failed after that is no news
	}
	return err
}

// frameSource yields the frames to write to ffmpeg, in order, or an error
// that ends the writing. It stops early when yield returns false.
type frameSource = iter.Seq2[[]byte, error]

type writeResult struct {
	frames int
	err    error
}

// writeFrames writes the frames of src into the pipe, then closes it,
// which tells ffmpeg the input has ended.
func writeFrames(pipe framePipe, stop <-chan struct{}, src frameSource, total int) writeResult {
	w, err := pipe.Open(stop)
	if err != nil {
		return writeResult{err: err}
	}
	n, err := writeAll(w, stop, src, total)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return writeResult{frames: n, err: err}
}

// writeAll writes the frames of src, at most total of them when total is
// above 0, until stopped.
func writeAll(w io.Writer, stop <-chan struct{}, src frameSource, total int) (int, error) {
	n := 0
	for frame, err := range src {
		if err != nil {
			return n, err
		}
		if total > 0 && n == total {
			break
		}
		select {
		case <-stop:
			return n, ErrCancelled
		default:
		}
		if _, err := w.Write(frame); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// isBrokenPipe reports whether err is ffmpeg closing its end of a pipe:
// a symptom of ffmpeg stopping, whose own words say why.
func isBrokenPipe(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, os.ErrClosed) || errors.Is(err, errPipeAbandoned)
}
