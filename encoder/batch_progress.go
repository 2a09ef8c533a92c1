package encoder

import (
	"math"
	"sync"
	"time"
)

// Rough costs of a batch's steps on two cores, to weigh them in its
// progress: x264 makes about 120 still 1080p frames a second, a stream
// copy about 20000, and ffmpeg's AAC encoder about 70 seconds of sound.
const (
	encodeFramesPerSecond = 120.0
	copyFramesPerSecond   = 20000.0
	aacSecondsPerSecond   = 70.0
)

// batchTracker keeps the state of a batch's work and reports it: as
// Started and Progress for a single video, as BatchProgress and VideoDone
// for Each.
type batchTracker struct {
	b          *songBatch
	mu         sync.Mutex
	encodeWork float64 // estimated seconds of the pictures' encode
	encodeDone float64
	audioWork  float64   // of the album's audio encode
	work       []float64 // estimated seconds of each video's copy
	copyDone   []float64 // of which done
	res        []*videoResult
	finished   int
	current    string
	started1   bool
}

func newBatchTracker(b *songBatch, pictures int) *batchTracker {
	p := b.plan
	t := &batchTracker{b: b, work: make([]float64, len(p.Videos)), copyDone: make([]float64, len(p.Videos)), res: make([]*videoResult, len(p.Videos))}
	scale := float64(p.Canvas.X*p.Canvas.Y) / (1920 * 1080)
	t.encodeWork = float64(pictures*p.Segment) * scale / encodeFramesPerSecond
	for i, v := range p.Videos {
		t.work[i] = float64(v.Frames) / copyFramesPerSecond
	}
	if b.album != nil { // the joined songs, encoded as AAC
		t.audioWork = totalLength(b.albumTracks()).Seconds() / aacSecondsPerSecond
	}
	return t
}

// refresh reports the state again: the album's audio has moved on.
func (t *batchTracker) refresh() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.report()
}

// encoded notes the pictures' encode has made frames of its frames.
func (t *batchTracker) encoded(frames int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	total := float64(t.b.plan.Pictures * t.b.plan.Segment)
	t.encodeDone = t.encodeWork * min(1, float64(frames)/total)
	t.report()
}

// started notes that video i is being made.
func (t *batchTracker) started(i int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.current = t.b.plan.Videos[i].Name()
	t.report()
}

// copied notes that video i has frames of its frames.
func (t *batchTracker) copied(i, frames int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.copyDone[i] = t.work[i] * min(1, float64(frames)/float64(max(1, t.b.plan.Videos[i].Frames)))
	t.report()
}

// done notes how video i ended, and says so.
func (t *batchTracker) done(i int, r videoResult) {
	t.mu.Lock()
	t.res[i] = &r
	t.copyDone[i] = t.work[i]
	t.finished++
	v := t.b.plan.Videos[i]
	ev := VideoDone{Output: v.Output, Index: i + 1, Total: len(t.res), Skipped: r.Skipped, Err: r.Err, Size: r.Size}
	if r.Err == nil && !r.Skipped {
		ev.Duration = time.Duration(v.Frames) * time.Second / time.Duration(t.b.plan.FPS)
	}
	t.report()
	t.mu.Unlock()
	if t.b.s.Each {
		t.b.job.emitSure(ev)
	}
}

// results are the videos' results, in order; a video never made (the
// batch was cancelled) has none.
func (t *batchTracker) results() []videoResult {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]videoResult, len(t.res))
	for i, r := range t.res {
		if r != nil {
			out[i] = *r
		}
	}
	return out
}

// report sends the state as an event. The caller holds mu.
func (t *batchTracker) report() {
	work := t.encodeWork + t.audioWork
	done := t.encodeDone + t.audioWork*math.Float64frombits(t.b.audioDone.Load())
	for i := range t.work {
		work += t.work[i]
		done += t.copyDone[i]
	}
	frac := 0.0
	if work > 0 {
		frac = min(1, done/work)
	}
	elapsed := time.Since(t.b.began)
	var eta time.Duration
	if frac > 0.02 {
		eta = (time.Duration(float64(elapsed)/frac) - elapsed).Round(100 * time.Millisecond)
	}
	j, p := t.b.job, t.b.plan
	if t.b.s.Each {
		j.emit(BatchProgress{Done: t.finished, Total: len(p.Videos), Current: t.current, Fraction: frac, Elapsed: elapsed, ETA: eta})
		return
	}
	v := p.Videos[0]
	if !t.started1 {
		t.started1 = true
		j.emit(Started{Output: v.Output, Width: p.Canvas.X, Height: p.Canvas.Y, FPS: p.FPS, TotalFrames: v.Frames})
	}
	phase, frame, total := PhaseEncode, int(t.encodeDone/t.encodeWork*float64(p.Pictures*p.Segment)), p.Pictures*p.Segment
	if t.copyDone[0] > 0 {
		phase, frame, total = PhaseAssemble, int(t.copyDone[0]/t.work[0]*float64(v.Frames)), v.Frames
	}
	j.emit(Progress{Phase: phase, Frame: frame, TotalFrames: total, Fraction: frac, Elapsed: elapsed, ETA: eta})
}
