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
	stderr := newTailBuffer(stderrTail)
	cmd.Stderr = stderr
	if err := startInGroup(cmd); err != nil {
		return fmt.Errorf("starting ffmpeg (%s): %w", r.Bin, err)
	}
	if r.Started != nil {
		r.Started()
	}

	stopWriter := make(chan struct{})
	written := make(chan writeResult, 1)
	if videoPipe != nil {
		go func() { written <- writeFrames(videoPipe, stopWriter, r.Video, r.Frames) }()
	} else {
		written <- writeResult{} // nothing to write: ffmpeg reads files of its own
	}
	fed := make(chan error, 1)
	if audioPipe != nil {
		go func() { fed <- feedAudio(audioPipe, stopWriter, r.Audio) }()
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
			if wr.err != nil && !errors.Is(wr.err, ErrCancelled) && !IsBrokenPipe(wr.err) {
				// The frames cannot be made (an image that will not load):
				// stop ffmpeg rather than let it wait for them forever.
				_ = interruptGroup(cmd)
				killAfter = time.After(InterruptGrace)
			}
		case feedErr = <-feedIn:
			feedIn = nil
			if feedErr != nil && !IsBrokenPipe(feedErr) {
				_ = interruptGroup(cmd)
				killAfter = time.After(InterruptGrace)
			}
		case waitErr = <-exited:
			break loop
		case <-ctxDone:
			ctxDone = nil
			cancelled = true
			close(stopWriter)
			_ = interruptGroup(cmd)
			killAfter = time.After(InterruptGrace)
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
	case wr.err != nil && !errors.Is(wr.err, ErrCancelled) && !IsBrokenPipe(wr.err):
		return fmt.Errorf("making the frames: %w", wr.err)
	case feedErr != nil && !IsBrokenPipe(feedErr):
		return fmt.Errorf("reading the audio: %w", feedErr)
	case waitErr != nil:
		// The writer's broken pipe is only a symptom: report ffmpeg's own words.
		tail := stderr.Lines(ErrorLines)
		if r.Redact != nil {
			for i := range tail {
				tail[i] = r.Redact(tail[i])
			}
		}
		return NewError(exitCode(waitErr), tail)
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
// a symptom of ffmpeg stopping, whose own words say why.
func IsBrokenPipe(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, os.ErrClosed) || errors.Is(err, errPipeAbandoned)
}
