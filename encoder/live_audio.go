package encoder

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/stillcast/stillcast/encoder/playout"
)

// trackAudio is a playlist's sound on the fast path: the AAC frames of
// each track, transcoded once into the media cache, one after the other.
// The next track is prepared while one plays. It never makes the stream
// wait: until a track is ready, it plays silence.
type trackAudio struct {
	// background runs the preparations.
	background func(func(ctx context.Context))
	prepare    func(ctx context.Context, track int) (string, error)
	list       *playlist
	silence    []byte
	// fatal is told once when every track of a round has failed.
	fatal func(error)

	mu    sync.Mutex
	ready map[int]*preparation

	cur      *playout.ADTSReader
	file     *os.File
	track    int
	inARow   int // tracks in a row that failed
	gaveUpOn error
}

// prepareAhead is how many tracks are prepared ahead of the one playing:
// two, so a short track does not leave too little time for the next.
const prepareAhead = 2

// preparation is a track being made ready, or made ready.
type preparation struct {
	done chan struct{}
	path string
	err  error
}

// want starts preparing a track, once; it returns its preparation.
func (a *trackAudio) want(track int) *preparation {
	a.mu.Lock()
	defer a.mu.Unlock()
	if p, ok := a.ready[track]; ok {
		return p
	}
	p := &preparation{done: make(chan struct{})}
	a.ready[track] = p
	a.background(func(ctx context.Context) {
		defer close(p.done)
		p.path, p.err = a.prepare(ctx, track)
	})
	return p
}

// forget drops a failed preparation, so the track is tried again in a
// later round.
func (a *trackAudio) forget(track int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.ready, track)
}

// Next is playout.Audio.
func (a *trackAudio) Next() ([]byte, int, bool) {
	if a.cur != nil {
		if f, err := a.cur.Next(); err == nil {
			return f, a.track, false
		}
		a.file.Close()
		a.cur, a.file = nil, nil
		a.list.advance()
	}
	if a.gaveUpOn != nil {
		return a.silence, -1, false
	}
	track := a.list.current()
	p := a.want(track)
	select {
	case <-p.done:
	default:
		return a.silence, -1, false // not ready yet: silence until it is
	}
	f, err := a.open(track, p)
	if err != nil {
		a.trackFailed(track, err)
		return a.silence, -1, false
	}
	a.inARow = 0
	for _, next := range a.list.ahead(prepareAhead) {
		a.want(next)
	}
	return f, track, true
}

// open opens a prepared track and returns its first frame of sound: the
// encoder's priming frame before it is dropped, so tracks join without a
// gap.
func (a *trackAudio) open(track int, p *preparation) ([]byte, error) {
	if p.err != nil {
		return nil, p.err
	}
	file, err := os.Open(p.path)
	if err != nil {
		return nil, err
	}
	r := playout.NewADTSReader(file)
	if _, err := r.Next(); err != nil { // the priming frame
		file.Close()
		return nil, fmt.Errorf("%s: no sound in it", a.list.tracks[track].Path)
	}
	f, err := r.Next()
	if err != nil {
		file.Close()
		return nil, fmt.Errorf("%s: no sound in it", a.list.tracks[track].Path)
	}
	a.cur, a.file, a.track = r, file, track
	return f, nil
}

func (a *trackAudio) trackFailed(track int, err error) {
	a.forget(track)
	a.list.advance()
	a.inARow++
	if a.inARow >= len(a.list.tracks) {
		a.gaveUpOn = fmt.Errorf("none of the %d tracks could be played; the last said: %w", len(a.list.tracks), err)
		if a.fatal != nil {
			a.fatal(a.gaveUpOn)
		}
	}
}

// close releases the track being read.
func (a *trackAudio) close() {
	if a.file != nil {
		a.file.Close()
	}
}

// silenceOnly is the sound of a stream without audio.
type silenceOnly []byte

func (s silenceOnly) Next() ([]byte, int, bool) { return s, -1, false }
