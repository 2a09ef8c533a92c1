package encoder

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"image"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/picture"
	"github.com/stillcast/stillcast/encoder/playout"
	"github.com/stillcast/stillcast/encoder/publish"
)

// ErrKeyRejected ends a destination whose server refused to let it
// publish several times in a row: retrying would only hammer it.
var ErrKeyRejected = publish.ErrRejected

// liveStream is a live job: it prepares the media, then plays it to the
// publisher, which keeps each destination connected on its own, until
// the job is stopped, the duration is over, or every destination has
// failed.
type liveStream struct {
	job    *Job
	s      Settings
	plan   livePlanned
	bin    string
	redact func(string) string
	began  time.Time
	tracks []AudioInfo

	frame   []byte                          // the picture, composed, in yuv420p
	canvas  *image.RGBA                     // the picture, composed, kept for the cards; nil without them
	want    atomic.Pointer[playout.Segment] // the segment to play from the next keyframe
	base    atomic.Pointer[playout.Segment] // the picture without a card
	pending atomic.Pointer[pictureChange]   // a new picture on its way to the air
	cards   *cardSegments                   // nil without title cards or track art
	cache   mediaCache

	// Work in the background (tracks and cards being prepared, a new
	// picture being encoded) runs under bgCtx and is waited for before
	// the job finishes, so no ffmpeg outlives it.
	bgCtx    context.Context
	bgStop   context.CancelFunc
	bgMu     sync.Mutex
	bgClosed bool
	bg       sync.WaitGroup

	mu         sync.Mutex // guards the figures below, written from the publisher's goroutines
	onAir      map[int]bool
	onAirSince time.Time // when the first destination of this spell went on air
	onAirTotal time.Duration
	lastErr    error
}

// pictureChange is a picture that Job.ChangePicture asked for.
type pictureChange struct {
	path    string
	segment *playout.Segment
}

// startLive carries out a live plan: frame is the composed picture, and
// tracks the playlist, if any.
func startLive(ctx context.Context, bin string, p livePlanned, canvas *image.RGBA, tracks []AudioInfo) *Job {
	s := p.Settings
	frame := picture.ToYUV420(canvas, picture.MatrixFor(canvas.Bounds().Dy()))
	if s.NoFastPath || len(tracks) == 0 || !(s.Live.TitleCard || s.Live.TrackArt) {
		canvas = nil // only the cards need it
	}
	l := &liveStream{
		job: newJob(ctx), s: s, plan: p, bin: bin, frame: frame, canvas: canvas, tracks: tracks,
		redact: publish.Redactor(targetsOf(s.Live.Destinations, nil)), began: time.Now(),
		onAir: map[int]bool{},
	}
	l.bgCtx, l.bgStop = context.WithCancel(l.job.ctx)
	if !s.NoFastPath {
		l.job.picture = l.changePicture
	}
	go func() { l.job.finish(l.run()) }()
	return l.job
}

// targetsOf turns destinations into the publisher's targets.
func targetsOf(dests []Destination, tls *tls.Config) []publish.Target {
	out := make([]publish.Target, len(dests))
	for i, d := range dests {
		out[i] = publish.Target{URL: strings.TrimSpace(d.URL), Key: d.Key, Name: d.Redacted()}
		out[i].TLS = tls
	}
	return out
}

func (l *liveStream) output() string {
	names := make([]string, len(l.s.Live.Destinations))
	for i, d := range l.s.Live.Destinations {
		names[i] = d.Redacted()
	}
	return strings.Join(names, ", ")
}

// run prepares the stream, then plays it until it ends.
func (l *liveStream) run() Finished {
	defer l.endBackground()
	ctx := l.job.ctx
	plan := l.plan.Encode
	l.job.emit(Started{Output: l.output(), Width: plan.Width, Height: plan.Height, FPS: plan.FPS})
	tlsConf, err := publishTLS(l.s.Live.CAFile)
	if err != nil {
		return l.finished(err)
	}
	play, codecs, err := l.prepare(ctx)
	if errors.Is(err, ErrCancelled) || ctx.Err() != nil {
		l.stopAll()
		return l.finished(nil)
	}
	if err != nil {
		return l.finished(fmt.Errorf("preparing the stream: %w", err))
	}
	// The duration counts from here: the stream, not its preparation.
	timed := ctx
	if l.s.Duration > 0 {
		var cancel context.CancelFunc
		timed, cancel = context.WithTimeout(ctx, l.s.Duration)
		defer cancel()
	}
	pub := publish.New(targetsOf(l.s.Live.Destinations, tlsConf), publish.Options{Retries: l.s.Live.MaxReconnects, Status: l.status})
	packets := make(chan publish.Packet, 256) // room for a batch of the player
	g, gctx := errgroup.WithContext(timed)
	g.Go(func() error {
		err := pub.Run(gctx, codecs, packets)
		if err == nil && gctx.Err() == nil {
			err = errors.New("the publisher stopped")
		}
		return err
	})
	g.Go(func() error { return play(gctx, packets) })
	err = g.Wait()
	return l.finished(l.verdict(ctx, timed, err, pub.EverOnAir()))
}

// verdict is how a stream ended: nil when it was stopped, or when its
// duration was over after it had been on air; else why it failed.
func (l *liveStream) verdict(job, timed context.Context, err error, everOnAir bool) error {
	switch {
	case job.Err() != nil: // stopped by the user, or by a failure within
		if cause := context.Cause(job); !errors.Is(cause, context.Canceled) {
			return cause
		}
		return nil
	case timed.Err() != nil && everOnAir:
		return nil
	case timed.Err() != nil:
		l.mu.Lock()
		last := l.lastErr
		l.mu.Unlock()
		if last == nil {
			last = errors.New("no destination accepted the stream")
		}
		return fmt.Errorf("the stream was never on air: %w", last)
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return nil
	}
	// The publisher's errors are redacted already, ffmpeg's tail too (its
	// Redact), and nothing else holds a secret.
	return err
}

// stopAll reports every destination stopped, when the stream ends before
// it reached the publisher.
func (l *liveStream) stopAll() {
	for i, d := range l.s.Live.Destinations {
		l.status(publish.Status{Dest: i, Name: d.Redacted(), State: publish.Stopped, Attempt: 1})
	}
}

// prepare makes what the stream plays, and returns how to play it and the
// codecs it starts with.
func (l *liveStream) prepare(ctx context.Context) (func(context.Context, chan<- publish.Packet) error, publish.Codecs, error) {
	if l.s.NoFastPath {
		return l.perFrame(ctx)
	}
	return l.fastPath(ctx)
}

// fastPath prepares the picture segment and the sound, and returns a
// player of them.
func (l *liveStream) fastPath(ctx context.Context) (func(context.Context, chan<- publish.Packet) error, publish.Codecs, error) {
	cache, err := openCache(l.s.Live.CacheDir, 0)
	if err != nil {
		return nil, publish.Codecs{}, err
	}
	l.cache = cache
	seg, err := l.segment(ctx, l.frame, true)
	if err != nil {
		return nil, publish.Codecs{}, err
	}
	l.base.Store(seg)
	l.want.Store(seg)
	silence, err := silentFrame(ctx, l.bin, cache)
	if err != nil {
		return nil, publish.Codecs{}, err
	}
	player := &playout.Player{
		Video: l.want.Load, Audio: silenceOnly(silence), SampleRate: aacRate, AudioConfig: liveAudioConfig,
		OnTrack: l.onTrack, OnSegment: l.onSegment,
	}
	if len(l.tracks) > 0 {
		if l.canvas != nil {
			l.cards = newCardSegments(l, l.canvas)
		}
		audio, err := l.trackAudio(ctx, silence)
		if err != nil {
			return nil, publish.Codecs{}, err
		}
		player.Audio = audio
		if l.cards != nil {
			if card := l.cards.get(audio.list.current()); card != nil {
				l.want.Store(card) // the first track's card from the first frame
			}
		}
		first := l.want.Load()
		codecs := publish.Codecs{SPS: first.SPS, PPS: first.PPS, AudioConfig: liveAudioConfig}
		return func(ctx context.Context, out chan<- publish.Packet) error {
			defer audio.close()
			return player.Run(ctx, out)
		}, codecs, nil
	}
	codecs := publish.Codecs{SPS: seg.SPS, PPS: seg.PPS, AudioConfig: liveAudioConfig}
	return player.Run, codecs, nil
}

// segment encodes (or finds in the cache) the segment of a composed
// picture; the first one shows its progress.
func (l *liveStream) segment(ctx context.Context, frame []byte, showProgress bool) (*playout.Segment, error) {
	var progress func(ffmpeg.Progress)
	if showProgress {
		total, began := liveGOP(l.plan.Encode.FPS), time.Now()
		progress = func(p ffmpeg.Progress) { l.job.emit(newProgress(p, total, time.Since(began))) }
	}
	seg, err := liveSegment(ctx, l.bin, l.cache, l.plan.Encode, frame, progress)
	if ctx.Err() != nil {
		return nil, ErrCancelled
	}
	return seg, err
}

// trackAudio prepares the playlist's first track and returns its sound.
func (l *liveStream) trackAudio(ctx context.Context, silence []byte) (*trackAudio, error) {
	a := &trackAudio{
		background: l.background, list: newPlaylist(l.tracks, l.s.Shuffle, rand.IntN), silence: silence,
		ready: map[int]*preparation{},
		fatal: func(err error) { l.job.cancelWith(err) },
		prepare: func(ctx context.Context, track int) (string, error) {
			path, err := liveTrack(ctx, l.bin, l.cache, l.tracks[track].Path)
			if err == nil && l.cards != nil {
				// The sound does not wait for the card: until the card
				// is ready, the plain picture plays.
				l.background(func(ctx context.Context) { l.cards.prepare(ctx, track, false) })
			}
			return path, err
		},
	}
	track := a.list.current()
	first := a.want(track)
	select {
	case <-first.done:
	case <-ctx.Done():
		return nil, ErrCancelled
	}
	if l.cards != nil {
		l.cards.prepare(ctx, track, true) // the first card is on air from the start
	}
	return a, nil
}

// onTrack announces a track as it reaches the stream, and puts its card
// on air.
func (l *liveStream) onTrack(track int, _ time.Duration) {
	if track < 0 {
		return
	}
	if l.cards != nil {
		if seg := l.cards.get(track); seg != nil {
			l.want.Store(seg)
		} else {
			l.want.Store(l.base.Load())
		}
	}
	l.job.emit(NowPlaying{Track: track, Tracks: len(l.tracks), Info: l.tracks[track]})
}

// onSegment notices a changed picture going on air.
func (l *liveStream) onSegment(seg *playout.Segment) {
	if p := l.pending.Load(); p != nil && p.segment == seg {
		l.pending.CompareAndSwap(p, nil)
		l.job.emit(PictureChanged{Path: p.path})
	}
}
