package encoder

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/picture"
)

// ErrKeyRejected ends a stream whose server refused to let it publish
// several times in a row: retrying would only hammer it.
var ErrKeyRejected = errors.New("the server rejected the stream key")

// Reconnect timing.
const (
	firstRetry   = 2 * time.Second
	retryGrowth  = 1.5
	retryJitter  = 0.1 // ±10 %
	maxRetryWait = 60 * time.Second
	// stableAfter resets the backoff once a connection has lasted this long.
	stableAfter = time.Minute
	// rejectLimit is how many quick refusals in a row mean the key is wrong.
	rejectLimit = 3
)

// backoff computes reconnect waits: firstRetry, then ×1.5 each time with
// a little jitter, capped at maxRetryWait.
type backoff struct {
	next   time.Duration
	jitter func() float64 // in [0, 1)
}

func newBackoff(jitter func() float64) *backoff { return &backoff{next: firstRetry, jitter: jitter} }

func (b *backoff) wait() time.Duration {
	d := b.next
	b.next = min(time.Duration(float64(b.next)*retryGrowth), maxRetryWait)
	j := 1 + retryJitter*(2*b.jitter()-1)
	return min(time.Duration(float64(d)*j), maxRetryWait)
}

func (b *backoff) reset() { b.next = firstRetry }

// liveStream is the supervisor of a live job: one ffmpeg at a time,
// restarted with backoff until the job is stopped.
type liveStream struct {
	job    *Job
	s      Settings
	bin    string
	frame  []byte
	canvas canvasDims
	redact func(string) string
	began  time.Time
	tracks *playlist // nil without audio

	mu         sync.Mutex    // guards the figures below, written from ffmpeg's stdout reader
	marks      []trackMark   // where tracks start in this connection's audio, not yet announced
	playing    *trackMark    // the track on air, announced
	outTime    time.Duration // how much of this connection's stream ffmpeg has sent
	onAirSince time.Time
	sizes      []sizeSample // recent output sizes, oldest first, for the bitrate
	onAirTotal time.Duration
}

// sizeSample is how many bytes ffmpeg had sent at a moment.
type sizeSample struct {
	at   time.Time
	size int64
}

// bitrateWindow spans a keyframe interval and a bit, so the bitrate shown
// does not jump with every keyframe.
const bitrateWindow = 3 * time.Second

func startLive(ctx context.Context, s Settings, bin string, frame []byte, canvas canvasDims, tracks []AudioInfo) *Job {
	l := &liveStream{
		job: newJob(ctx), s: s, bin: bin, frame: frame, canvas: canvas,
		redact: redactor(s.Live.Destinations), began: time.Now(),
	}
	if len(tracks) > 0 {
		l.tracks = newPlaylist(tracks, s.Shuffle, rand.IntN)
	}
	go func() { l.job.finish(l.loop()) }()
	return l.job
}

func (l *liveStream) output() string {
	names := make([]string, len(l.s.Live.Destinations))
	for i, d := range l.s.Live.Destinations {
		names[i] = d.Redacted()
	}
	return strings.Join(names, ", ")
}

func (l *liveStream) plan() livePlan {
	p := livePlan{
		Width: l.canvas.W, Height: l.canvas.H, FPS: l.s.FPS,
		Matrix: picture.MatrixFor(l.canvas.H), Bitrate: l.s.Live.Bitrate,
	}
	if p.Bitrate == 0 {
		p.Bitrate = DefaultBitrate(p.Width, p.Height)
	}
	for _, d := range l.s.Live.Destinations {
		p.Outputs = append(p.Outputs, d.address())
	}
	return p
}

// loop runs ffmpeg again and again until the job is stopped, the duration
// is over, the key is rejected or the reconnects run out.
func (l *liveStream) loop() Finished {
	ctx := l.job.ctx
	plan := l.plan()
	l.job.emit(Started{Output: l.output(), Width: plan.Width, Height: plan.Height, FPS: plan.FPS})
	// args is what each connection runs: a loop of the pre-encoded segment
	// by stream copy, or, without the fast path, every frame encoded live.
	args := func(in ffmpeg.Inputs) []string {
		plan.Input, plan.Audio = in.Video, in.Audio
		return liveArgs(plan)
	}
	video := ffmpeg.Still(l.frame, 0)
	if !l.s.NoFastPath {
		dir, err := os.MkdirTemp("", "stillcast-live-")
		if err != nil {
			return l.finished(fmt.Errorf("making a folder for the live segment: %w", err))
		}
		defer os.RemoveAll(dir)
		segment, err := l.encodeSegment(ctx, dir, plan)
		if errors.Is(err, ErrCancelled) {
			l.status(LiveStatus{State: LiveStopped, Attempt: 1})
			return l.finished(nil)
		}
		if err != nil {
			return l.finished(fmt.Errorf("preparing the stream: %w", err))
		}
		args = func(in ffmpeg.Inputs) []string { return liveLoopArgs(segment, in.Audio, plan.Outputs) }
		video = nil
	}
	// The duration counts from here: the stream, not its preparation.
	if l.s.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, l.s.Duration)
		defer cancel()
	}
	bo := newBackoff(rand.Float64)
	// failedInRow counts the reconnects since the stream was last on air,
	// which is what MaxReconnects limits; reconnects counts them all.
	reconnects, failedInRow, rejects := 0, 0, 0
	for attempt := 1; ; attempt++ {
		l.status(LiveStatus{State: LiveConnecting, Attempt: attempt, Reconnects: reconnects})
		var feed ffmpeg.Feed
		if l.tracks != nil {
			feed = playlistFeed(l.bin, l.tracks, l.mark)
		}
		r := ffmpeg.Command{
			Bin:      l.bin,
			Args:     args,
			Video:    video,
			Audio:    feed,
			Progress: func(p ffmpeg.Progress) { l.progress(p, attempt, reconnects) },
			Redact:   l.redact,
		}
		err := r.Run(ctx)
		onAir := l.endConnection()
		if ctx.Err() != nil { // stopped, or the duration is over: a clean end
			l.status(LiveStatus{State: LiveStopped, Attempt: attempt, Reconnects: reconnects})
			return l.finished(nil)
		}
		if onAir >= stableAfter {
			bo.reset()
		}
		if onAir > 0 {
			failedInRow = 0
		}
		reason := l.failure(err)
		if onAir == 0 && looksRejected(err) {
			rejects++
		} else {
			rejects = 0
		}
		var final error
		switch {
		case rejects >= rejectLimit:
			final = fmt.Errorf("%w (%v)", ErrKeyRejected, reason)
		case l.s.Live.MaxReconnects > 0 && failedInRow >= l.s.Live.MaxReconnects:
			final = fmt.Errorf("gave up after %d reconnects in a row: %w", failedInRow, reason)
		}
		if final != nil {
			l.status(LiveStatus{State: LiveFailed, Attempt: attempt, Reconnects: reconnects, Err: final})
			return l.finished(final)
		}
		wait := bo.wait()
		l.status(LiveStatus{State: LiveReconnecting, Attempt: attempt + 1, NextTry: wait, Reconnects: reconnects, Err: reason})
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			l.status(LiveStatus{State: LiveStopped, Attempt: attempt, Reconnects: reconnects})
			return l.finished(nil)
		}
		reconnects++
		failedInRow++
	}
}

func (l *liveStream) finished(err error) Finished {
	l.mu.Lock()
	defer l.mu.Unlock()
	return Finished{Output: l.output(), Duration: l.onAirTotal, Elapsed: time.Since(l.began), Err: err}
}

// failure words why a connection ended, without the key.
func (l *liveStream) failure(err error) error {
	if err == nil {
		return errors.New("ffmpeg ended the stream")
	}
	var fe *FFmpegError
	if errors.As(err, &fe) {
		return fe // its tail was redacted as it was read
	}
	return errors.New(l.redact(err.Error()))
}

// looksRejected tells a refusal to publish from a network failure.
func looksRejected(err error) bool {
	var fe *FFmpegError
	if !errors.As(err, &fe) {
		return false
	}
	text := strings.Join(fe.Tail, "\n")
	for _, network := range []string{"Connection refused", "timed out", "No route to host", "resolve", "Name or service not known", "Network is unreachable"} {
		if strings.Contains(text, network) {
			return false
		}
	}
	for _, refusal := range []string{"Input/output error", "Server error", "403", "Forbidden", "Unauthorized", "rejected", "NetStream.Publish"} {
		if strings.Contains(text, refusal) {
			return true
		}
	}
	return false
}

// progress turns one of ffmpeg's reports into a status; the first one with
// frames out means the stream is on air.
func (l *liveStream) progress(p ffmpeg.Progress, attempt, reconnects int) {
	now := time.Now()
	l.mu.Lock()
	if p.Frame == 0 && p.OutTime == 0 {
		l.mu.Unlock()
		return
	}
	if l.onAirSince.IsZero() {
		l.onAirSince = now
	}
	bitrate := int(p.Bitrate * 1000) // ffmpeg's average since the start
	if p.Size > 0 {
		l.sizes = append(l.sizes, sizeSample{now, p.Size})
		for len(l.sizes) > 2 && now.Sub(l.sizes[1].at) >= bitrateWindow {
			l.sizes = l.sizes[1:]
		}
		first := l.sizes[0]
		if secs := now.Sub(first.at).Seconds(); secs >= 0.5 && p.Size >= first.size {
			bitrate = int(float64(p.Size-first.size) * 8 / secs)
		}
	}
	st := LiveStatus{
		State: LiveOnAir, Attempt: attempt, Reconnects: reconnects,
		Uptime: now.Sub(l.onAirSince), Bitrate: bitrate, Dropped: p.Dropped, Duplicated: p.Dup,
	}
	// The latest track to have reached the stream is the one playing.
	announce := -1
	for len(l.marks) > 0 && l.marks[0].at <= p.OutTime {
		m := l.marks[0]
		l.playing, announce = &m, m.track
		l.marks = l.marks[1:]
	}
	l.outTime = p.OutTime
	l.mu.Unlock()
	l.status(st)
	if announce >= 0 {
		l.job.emit(NowPlaying{Track: announce, Tracks: len(l.tracks.tracks), Info: l.tracks.tracks[announce]})
	}
}

// endConnection closes the books on one ffmpeg run and returns how long it
// was on air.
func (l *liveStream) endConnection() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var d time.Duration
	if !l.onAirSince.IsZero() {
		d = time.Since(l.onAirSince)
	}
	l.onAirTotal += d
	// The next connection goes on with the track that was on air, from
	// where it broke off, or, if none reached the air, with the first this
	// connection read: nothing read ahead is skipped.
	m := l.playing
	if m == nil && len(l.marks) > 0 {
		m = &l.marks[0]
	}
	if m != nil {
		l.tracks.resume(m.place, m.offset+max(0, l.outTime-m.at))
	}
	l.onAirSince, l.sizes, l.marks, l.playing, l.outTime = time.Time{}, nil, nil, nil, 0
	return d
}

func (l *liveStream) status(st LiveStatus) { l.job.emit(st) }

// mark notes where a track starts in the connection's audio, to announce
// it when the stream gets there.
func (l *liveStream) mark(m trackMark) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.marks = append(l.marks, m)
}

// encodeSegment encodes the live segment once, through the pipe, with
// silence beside it, and returns its path. Progress shows the encode.
func (l *liveStream) encodeSegment(ctx context.Context, dir string, plan livePlan) (string, error) {
	silence, err := silentAAC(ctx, l.bin, dir)
	if err != nil {
		if ctx.Err() != nil {
			return "", ErrCancelled
		}
		return "", err
	}
	segment := filepath.Join(dir, "segment.mkv")
	total := liveSegmentFrames(plan.FPS)
	began := time.Now()
	r := ffmpeg.Command{
		Bin: l.bin,
		Args: func(in ffmpeg.Inputs) []string {
			p := plan
			p.Input = in.Video
			return liveSegmentArgs(p, silence, segment)
		},
		Video:    ffmpeg.Still(l.frame, total),
		Frames:   total,
		Progress: func(p ffmpeg.Progress) { l.job.emit(newProgress(p, total, time.Since(began))) },
		Redact:   l.redact,
	}
	return segment, r.Run(ctx)
}
