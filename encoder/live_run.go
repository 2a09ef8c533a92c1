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
)

// ErrKeyRejected ends a stream whose server refused to let it publish
// several times in a row: retrying would only hammer it.
var ErrKeyRejected = errors.New("the server rejected the stream key")

// liveStream is the supervisor of a live job: one ffmpeg at a time,
// restarted with backoff until the job is stopped.
type liveStream struct {
	job    *Job
	s      Settings
	plan   livePlanned
	bin    string
	frame  []byte
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

// startLive carries out a live plan: frame is the composed picture, and
// tracks the playlist, if any.
func startLive(ctx context.Context, bin string, p livePlanned, frame []byte, tracks []AudioInfo) *Job {
	s := p.Settings
	l := &liveStream{
		job: newJob(ctx), s: s, plan: p, bin: bin, frame: frame,
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

// loop prepares the stream, then connects again and again until the job
// is stopped, the duration is over, the key is rejected or the
// reconnects run out.
func (l *liveStream) loop() Finished {
	ctx := l.job.ctx
	plan := l.plan.Encode
	l.job.emit(Started{Output: l.output(), Width: plan.Width, Height: plan.Height, FPS: plan.FPS})
	// conn is what each connection runs: a loop of the pre-encoded segment
	// by stream copy, or, without the fast path, every frame encoded live.
	conn := ffmpeg.Command{
		Bin: l.bin,
		Args: func(in ffmpeg.Inputs) []string {
			plan.Input, plan.Audio = in.Video, in.Audio
			return liveArgs(plan)
		},
		Video:  ffmpeg.Still(l.frame, 0),
		Redact: l.redact,
	}
	if l.plan.Segment > 0 {
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
		conn.Args = func(in ffmpeg.Inputs) []string { return liveLoopArgs(segment, in.Audio, plan.Outputs, plan.Limits) }
		conn.Video = nil
	}
	// The duration counts from here: the stream, not its preparation.
	if l.s.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, l.s.Duration)
		defer cancel()
	}
	return l.reconnect(ctx, conn)
}

// retries counts a stream's reconnects: all of them, those since it was
// last on air (what MaxReconnects limits), and refusals in a row.
type retries struct {
	reconnects, failedInRow, rejects int
}

// reconnect runs conn, with the playlist's audio, again and again with
// backoff between connections, until ctx ends or the stream gives up.
func (l *liveStream) reconnect(ctx context.Context, conn ffmpeg.Command) Finished {
	bo := newBackoff(rand.Float64)
	var n retries
	for attempt := 1; ; attempt++ {
		l.status(LiveStatus{State: LiveConnecting, Attempt: attempt, Reconnects: n.reconnects})
		conn.Audio = nil
		if l.tracks != nil {
			conn.Audio = playlistFeed(l.bin, l.tracks, l.mark)
		}
		conn.Progress = func(p ffmpeg.Progress) { l.progress(p, attempt, n.reconnects) }
		err := conn.Run(ctx)
		onAir := l.endConnection()
		if ctx.Err() != nil { // stopped, or the duration is over: a clean end
			l.status(LiveStatus{State: LiveStopped, Attempt: attempt, Reconnects: n.reconnects})
			return l.finished(nil)
		}
		if onAir >= stableAfter {
			bo.reset()
		}
		reason, final := l.judge(err, onAir, &n)
		if final != nil {
			l.status(LiveStatus{State: LiveFailed, Attempt: attempt, Reconnects: n.reconnects, Err: final})
			return l.finished(final)
		}
		wait := bo.wait()
		l.status(LiveStatus{State: LiveReconnecting, Attempt: attempt + 1, NextTry: wait, Reconnects: n.reconnects, Err: reason})
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			l.status(LiveStatus{State: LiveStopped, Attempt: attempt, Reconnects: n.reconnects})
			return l.finished(nil)
		}
		n.reconnects++
		n.failedInRow++
	}
}

// judge words why a connection that was on air for onAir ended, counts
// it, and says whether the stream gives up (final is then its error).
func (l *liveStream) judge(err error, onAir time.Duration, n *retries) (reason, final error) {
	if onAir > 0 {
		n.failedInRow = 0
	}
	reason = l.failure(err)
	if onAir == 0 && looksRejected(err) {
		n.rejects++
	} else {
		n.rejects = 0
	}
	switch {
	case n.rejects >= rejectLimit:
		final = fmt.Errorf("%w (%v)", ErrKeyRejected, reason)
	case l.s.Live.MaxReconnects > 0 && n.failedInRow >= l.s.Live.MaxReconnects:
		final = fmt.Errorf("gave up after %d reconnects in a row: %w", n.failedInRow, reason)
	}
	return reason, final
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
		Uptime: now.Sub(l.onAirSince), Bitrate: bitrate,
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
	total := l.plan.Segment
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
