package ffmpeg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Timeouts and sizes of a supervised run.
const (
	// InterruptGrace is how long ffmpeg gets to stop after SIGINT before it
	// is killed.
	InterruptGrace = 5 * time.Second
	// stderrTail is how much of ffmpeg's stderr is kept for the error.
	stderrTail = 64 << 10
	// ErrorLines is how many of its last lines an Error carries.
	ErrorLines = 12
)

// errPipeAbandoned says the frame writer gave up waiting for ffmpeg.
var errPipeAbandoned = errors.New("ffmpeg never opened the frame pipe")

// ErrCancelled is the error of a run stopped by its context. It wraps
// context.Canceled.
var ErrCancelled = fmt.Errorf("cancelled: %w", context.Canceled)

// Command is one ffmpeg process, fed raw frames through a pipe of its
// own when it has video to write, and raw audio through another when it
// has a feed.
type Command struct {
	Bin string
	// Args builds the argument list once the pipes' paths are known.
	Args  func(in Inputs) []string
	Video Frames // nil: no frame pipe
	// Frames is how many frames Video should give; 0 writes until ffmpeg
	// stops.
	Frames int
	Audio  Feed // nil: no audio pipe
	// Started, Progress and Redact may be nil. Redact is applied to
	// ffmpeg's lines before they become an Error.
	Started  func()
	Progress func(Progress)
	Redact   func(string) string
	// Stdout, when set, receives ffmpeg's standard output: media written
	// to pipe:1. Progress is then not read (ffmpeg's -progress needs
	// another pipe).
	Stdout io.Writer
}

// Inputs are the paths of a command's pipes; "" for one it does not have.
type Inputs struct{ Video, Audio string }

// Feed writes raw audio into w until it has no more, or until ctx ends.
// It is how a live playlist reaches ffmpeg.
type Feed func(ctx context.Context, w io.Writer) error

// Frames yields the frames to write to ffmpeg, in order, or an error that
// ends the writing. It stops early when yield returns false.
type Frames = iter.Seq2[[]byte, error]

// Still yields frame n times, or forever when n is 0.
func Still(frame []byte, n int) Frames {
	return func(yield func([]byte, error) bool) {
		for i := 0; n <= 0 || i < n; i++ {
			if !yield(frame, nil) {
				return
			}
		}
	}
}

// Run starts ffmpeg, feeds it and watches it and ctx, and shuts down in a
// fixed order: stop the writers, close the pipes, let ffmpeg finish
// (SIGINT to its group on cancel, SIGKILL after a grace period), reap it,
// remove the pipes. It returns nil, ErrCancelled, an *Error or another
// error.
func (r Command) Run(ctx context.Context) error {
	var in Inputs
	var videoPipe, audioPipe framePipe
	for _, p := range []struct {
		want bool
		pipe *framePipe
		path *string
	}{{r.Video != nil, &videoPipe, &in.Video}, {r.Audio != nil, &audioPipe, &in.Audio}} {
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
	cmd := exec.Command(r.Bin, r.Args(in)...)
	cmd.Stdout = &lineWriter{fn: func(line string) {
		if p, ok := parser.feed(line); ok && r.Progress != nil {
			r.Progress(p)
		}
	}}
	if r.Stdout != nil {
		cmd.Stdout = r.Stdout
	}
	stderr := newTailBuffer(stderrTail)
	cmd.Stderr = stderr
	release, err := startInGroup(cmd)
	if err != nil {
		return fmt.Errorf("starting ffmpeg (%s): %w", r.Bin, err)
	}
	defer release() // after supervise has reaped ffmpeg
	if r.Started != nil {
		r.Started()
	}
	out := supervise(ctx, cmd, r.writers(videoPipe, audioPipe))
	return r.result(out, stderr)
}

// writers are the goroutines that feed ffmpeg's pipes, and how they end.
type writers struct {
	stop    chan struct{}    // closed to stop both
	written chan writeResult // the frame writer's result
	fed     chan error       // the audio feed's result
}

// writers starts writing the frames and feeding the audio into the pipes
// that are there; one that is not reports at once.
func (r Command) writers(videoPipe, audioPipe framePipe) writers {
	w := writers{stop: make(chan struct{}), written: make(chan writeResult, 1), fed: make(chan error, 1)}
	if videoPipe != nil {
		go func() { w.written <- writeFrames(videoPipe, w.stop, r.Video, r.Frames) }()
	} else {
		w.written <- writeResult{} // nothing to write: ffmpeg reads files of its own
	}
	if audioPipe != nil {
		go func() { w.fed <- feedAudio(audioPipe, w.stop, r.Audio) }()
	} else {
		w.fed <- nil
	}
	return w
}

// outcome is how a supervised run ended, for each of its parts.
type outcome struct {
	wr        writeResult
	feedErr   error
	waitErr   error
	cancelled bool
}

// supervise watches ffmpeg, its writers and ctx in one loop until ffmpeg
// has exited, and then collects the writers. A writer that fails for a
// reason of its own, or ctx ending, stops ffmpeg: SIGINT to its group,
// and SIGKILL after InterruptGrace.
func supervise(ctx context.Context, cmd *exec.Cmd, w writers) outcome {
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var (
		out       outcome
		writerIn  = w.written // nil once the writer has reported
		feedIn    = w.fed     // nil once the feed has reported
		killAfter <-chan time.Time
		ctxDone   = ctx.Done()
	)
	interrupt := func() {
		_ = interruptGroup(cmd)
		killAfter = time.After(InterruptGrace)
	}
loop:
	for {
		select {
		case out.wr = <-writerIn:
			writerIn = nil
			if out.wr.err != nil && !errors.Is(out.wr.err, ErrCancelled) && !IsBrokenPipe(out.wr.err) {
				// The frames cannot be made (an image that will not load):
				// stop ffmpeg rather than let it wait for them forever.
				interrupt()
			}
		case out.feedErr = <-feedIn:
			feedIn = nil
			if out.feedErr != nil && !IsBrokenPipe(out.feedErr) {
				interrupt()
			}
		case out.waitErr = <-exited:
			break loop
		case <-ctxDone:
			ctxDone = nil
			out.cancelled = true
			close(w.stop)
			interrupt()
		case <-killAfter:
			_ = killGroup(cmd)
		}
	}
	if !out.cancelled {
		close(w.stop)
	}
	if writerIn != nil {
		out.wr = <-writerIn // ffmpeg is gone, so a blocked write fails at once
	}
	if feedIn != nil {
		out.feedErr = <-feedIn
	}
	return out
}

// result words how a run ended: nil, ErrCancelled, an *Error with
// ffmpeg's own last lines, or what went wrong on Stillcast's side.
func (r Command) result(out outcome, stderr *tailBuffer) error {
	wr := out.wr
	switch {
	case out.cancelled:
		return ErrCancelled
	case wr.err != nil && !errors.Is(wr.err, ErrCancelled) && !IsBrokenPipe(wr.err):
		return fmt.Errorf("making the frames: %w", wr.err)
	case out.feedErr != nil && !IsBrokenPipe(out.feedErr):
		return fmt.Errorf("reading the audio: %w", out.feedErr)
	case out.waitErr != nil:
		// The writer's broken pipe is only a symptom: report ffmpeg's own words.
		tail := stderr.Lines(ErrorLines)
		if r.Redact != nil {
			for i := range tail {
				tail[i] = r.Redact(tail[i])
			}
		}
		return NewError(exitCode(out.waitErr), tail)
	case wr.err != nil:
		return fmt.Errorf("writing frames to ffmpeg: %w", wr.err)
	case r.Frames > 0 && wr.frames < r.Frames:
		return fmt.Errorf("ffmpeg stopped reading after %d of %d frames", wr.frames, r.Frames)
	}
	return nil
}

// feedAudio runs feed into the pipe until it ends or stop is closed, then
// closes the pipe, which tells ffmpeg the audio has ended.
func feedAudio(pipe framePipe, stop <-chan struct{}, feed Feed) error {
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

type writeResult struct {
	frames int
	err    error
}

// writeFrames writes the frames of src into the pipe, then closes it,
// which tells ffmpeg the input has ended.
func writeFrames(pipe framePipe, stop <-chan struct{}, src Frames, total int) writeResult {
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
func writeAll(w io.Writer, stop <-chan struct{}, src Frames, total int) (int, error) {
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

// IsBrokenPipe reports whether err is ffmpeg closing its end of a pipe:
// a symptom of ffmpeg stopping, whose own words say why. On Windows that
// is one of the errors readerGone knows.
func IsBrokenPipe(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, os.ErrClosed) || errors.Is(err, errPipeAbandoned) ||
		readerGone(err)
}
