package encoder

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"os/exec"
	"runtime/debug"
	"sync"
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

// Start checks the settings, loads and composes the image, and starts the
// job: a render to a file, or a live stream when s.Live has destinations.
// Problems with the settings or files come back at once as *FieldError
// values; what goes wrong later arrives in Finished and Wait.
func Start(ctx context.Context, s Settings) (*Job, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	ffmpeg, err := FindFFmpeg(s.FFmpeg, os.Getenv)
	if err != nil {
		return nil, err
	}
	if s.IsLive() {
		frame, canvas, err := composeFrame(s)
		if err != nil {
			return nil, err
		}
		return startLive(ctx, s, ffmpeg, frame, canvas), nil
	}
	container, _ := ContainerFor(s.Output) // Validate checked it
	if err := checkOutput(s.Output, s.Force); err != nil {
		return nil, err
	}
	frame, canvas, err := composeFrame(s)
	if err != nil {
		return nil, err
	}
	tmp, err := reserveTemp(s.Output)
	if err != nil {
		return nil, err
	}
	plan := encodePlan{
		Width:  canvas.W,
		Height: canvas.H,
		FPS:    s.FPS, Matrix: MatrixFor(canvas.H),
		Preset: s.Preset, CRF: s.CRF,
		Container: container,
		Output:    tmp,
	}
	j := newJob(ctx)
	total := s.TotalFrames()
	began := time.Now()
	started := func() {
		j.emit(Started{Output: s.Output, Width: canvas.W, Height: canvas.H, FPS: s.FPS, TotalFrames: total})
	}
	var run func(context.Context) error
	if segment := stillSegmentFrames(s.FPS); !s.NoFastPath && total > segment {
		started()
		run = (&stillRender{job: j, bin: ffmpeg, plan: plan, frame: frame, total: total, segment: segment, began: began}).run
	} else {
		run = ffmpegRun{
			bin: ffmpeg,
			args: func(input string) []string {
				plan.Input = input
				return ffmpegArgs(plan)
			},
			frame:    frame,
			frames:   total,
			started:  started,
			progress: func(p ffmpegProgress) { j.emit(newProgress(p, total, time.Since(began))) },
		}.run
	}
	go func() {
		err := run(j.ctx)
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

// ffmpegRun is one ffmpeg process, fed through its own frame pipe when it
// has a frame to write.
type ffmpegRun struct {
	bin string
	// args builds the argument list once the pipe's path is known.
	args  func(input string) []string
	frame []byte // nil: no pipe, and args gets ""
	// frames is how many frames to write; 0 writes until the run stops.
	frames int
	// started, progress and redact may be nil.
	started  func()
	progress func(ffmpegProgress)
	redact   func(string) string
}

// run starts ffmpeg, feeds it and watches it and ctx, and shuts down in a
// fixed order: stop the writer, close the pipe, let ffmpeg finish (SIGINT
// to its group on cancel, SIGKILL after a grace period), reap it, remove
// the pipe. It returns nil, ErrCancelled, an *FFmpegError or another error.
func (r ffmpegRun) run(ctx context.Context) error {
	input := ""
	var pipe framePipe
	if r.frame != nil {
		var err error
		if pipe, err = newFramePipe(); err != nil {
			return err
		}
		defer pipe.Remove()
		input = pipe.Path()
	}
	var parser progressParser
	cmd := exec.Command(r.bin, r.args(input)...)
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
	if pipe != nil {
		go func() { written <- writeFrames(pipe, stopWriter, r.frame, r.frames) }()
	} else {
		written <- writeResult{} // nothing to write: ffmpeg reads files of its own
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	var (
		wr        writeResult
		writerIn  = written // nil once the writer has reported
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

	switch {
	case cancelled:
		return ErrCancelled
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

// frameSource yields the frames to write to ffmpeg, in order, or an error
// that ends the writing. It stops early when yield returns false.
type frameSource = iter.Seq2[[]byte, error]

type writeResult struct {
	frames int
	err    error
}

// writeFrames writes frame total times into the pipe, then closes it,
// which tells ffmpeg the input has ended.
func writeFrames(pipe framePipe, stop <-chan struct{}, frame []byte, total int) writeResult {
	w, err := pipe.Open(stop)
	if err != nil {
		return writeResult{err: err}
	}
	n, err := writeRepeated(w, stop, frame, total)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return writeResult{frames: n, err: err}
}

// writeRepeated writes frame total times, or until stopped when total is 0.
func writeRepeated(w io.Writer, stop <-chan struct{}, frame []byte, total int) (int, error) {
	for i := 0; total <= 0 || i < total; i++ {
		select {
		case <-stop:
			return i, ErrCancelled
		default:
		}
		if _, err := w.Write(frame); err != nil {
			return i, err
		}
	}
	return total, nil
}
