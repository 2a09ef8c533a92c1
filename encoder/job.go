package encoder

import (
	"context"
	"errors"
	"sync"
	"time"
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
	cancel context.CancelCauseFunc
	done   chan struct{}
	err    error // set before done is closed
	// picture changes a live stream's picture; nil for a render.
	picture func(path string)
}

// ChangePicture replaces a live stream's picture with the image at path,
// composed with the stream's settings. It returns at once: the new
// picture is encoded in the background and goes on air at a keyframe,
// without a reconnect; a PictureChanged event says when, or why not.
// A render cannot change its picture.
func (j *Job) ChangePicture(path string) error {
	if j.picture == nil {
		return errors.New("only a live stream can change its picture while it runs")
	}
	j.picture(path)
	return nil
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
func (j *Job) Cancel() { j.cancel(nil) }

// cancelWith ends the job from within, with err as the reason.
func (j *Job) cancelWith(err error) { j.cancel(err) }

// emit sends ev unless only the slot kept for Finished is left.
func (j *Job) emit(ev Event) {
	j.emitMu.Lock()
	defer j.emitMu.Unlock()
	if len(j.events) < cap(j.events)-1 {
		j.events <- ev
	}
}

// emitSure sends ev like emit, but waits up to a second for the reader
// to make room: for events a reader must not miss. A job whose events
// nobody reads (one that is only waited for) loses them after the wait.
func (j *Job) emitSure(ev Event) {
	for range 200 {
		j.emitMu.Lock()
		if len(j.events) < cap(j.events)-1 {
			j.events <- ev
			j.emitMu.Unlock()
			return
		}
		j.emitMu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
}

func newJob(ctx context.Context) *Job {
	ctx, cancel := context.WithCancelCause(ctx)
	return &Job{ctx: ctx, events: make(chan Event, eventBuffer), cancel: cancel, done: make(chan struct{})}
}

// finish delivers the last event and releases Wait.
func (j *Job) finish(fin Finished) {
	j.cancel(nil)
	j.err = fin.Err
	j.emitMu.Lock()
	j.events <- fin
	j.emitMu.Unlock()
	close(j.events)
	close(j.done)
}
