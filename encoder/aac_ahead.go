package encoder

import (
	"context"
	"path/filepath"
	"sync"
	"time"
)

// aacAhead is audio encoded to AAC into a work folder while the picture
// is made: ffmpeg's AAC encoder is the longest step of a long render
// whose audio is not copied, and it needs nothing but the audio. The
// output then takes it by stream copy.
type aacAhead struct {
	path   string
	done   chan struct{}
	err    error // set before done is closed
	cancel context.CancelFunc
}

// startAAC starts encoding the audio of p, as e plans, into dir.
// progress gets the fraction encoded so far.
func startAAC(ctx context.Context, bin, dir string, p *audioPlan, e aacPlan, lim limits, progress func(float64)) *aacAhead {
	ctx, cancel := context.WithCancel(ctx)
	a := &aacAhead{path: filepath.Join(dir, "audio.m4a"), done: make(chan struct{}), cancel: cancel}
	total := time.Duration(e.Samples) * time.Second / time.Duration(e.Rate)
	go func() {
		defer close(a.done)
		a.err = encodeAAC(ctx, bin, dir, p, e, a.path, lim, func(d time.Duration) {
			progress(min(1, max(0, float64(d)/float64(total))))
		})
	}()
	return a
}

// wait waits for the audio, and returns it as the plan of audio that is
// copied into the output, cut to length, with its tags when tags is set.
func (a *aacAhead) wait(ctx context.Context, length time.Duration, tags bool) (*audioPlan, error) {
	select {
	case <-a.done:
	case <-ctx.Done():
		a.stop()
		return nil, ErrCancelled
	}
	if a.err != nil {
		return nil, a.err
	}
	return &audioPlan{Files: []string{a.path}, Copy: true, Length: length, Tags: tags}, nil
}

// stop ends the encode, if it still runs, and waits until its ffmpeg
// processes are gone: before the work folder is removed.
func (a *aacAhead) stop() {
	a.cancel()
	<-a.done
}

// foldedProgress folds the progress of audio encoded ahead into a
// render's events: both must finish, so the fraction is the smaller of
// the two, and the ETA the later.
type foldedProgress struct {
	job   *Job
	began time.Time
	mu    sync.Mutex
	last  Progress // the picture's latest
	audio float64  // fraction of the audio encoded
}

// picture sends the picture's progress, folded.
func (f *foldedProgress) picture(ev Progress) {
	f.mu.Lock()
	f.last = ev
	ev = f.fold(ev)
	f.mu.Unlock()
	f.job.emit(ev)
}

// audioAt notes how far the audio is, and sends the picture's latest
// progress folded with it: the audio takes longer.
func (f *foldedProgress) audioAt(frac float64) {
	f.mu.Lock()
	f.audio = frac
	ev := f.last
	ev.Elapsed = time.Since(f.began)
	ev = f.fold(ev)
	f.mu.Unlock()
	if ev.TotalFrames > 0 {
		f.job.emit(ev)
	}
}

// fold holds f.mu.
func (f *foldedProgress) fold(ev Progress) Progress {
	ev.Fraction = min(ev.Fraction, f.audio)
	if secs := ev.Elapsed.Seconds(); f.audio > 0 && f.audio < 1 && secs > 0 {
		eta := time.Duration(secs * (1 - f.audio) / f.audio * float64(time.Second)).Round(100 * time.Millisecond)
		ev.ETA = max(ev.ETA, eta)
	}
	return ev
}
