package encoder

import (
	"context"
	"image"
	"sync"
	"sync/atomic"

	"github.com/stillcast/stillcast/encoder/picture"
	"github.com/stillcast/stillcast/encoder/playout"
)

// cardSegments are the segments of a playlist's cards: the picture with
// the track's title ("Artist – Title") and, with track art, its cover
// art, each composed in Go and encoded once (and cached), then copied
// while its track plays. A card is made while the track before it plays.
type cardSegments struct {
	l       *liveStream
	current atomic.Int64 // the track on air, for a new picture's first card

	mu      sync.Mutex
	picture *image.RGBA // the composed picture the cards are drawn on
	gen     int         // bumped with every new picture
	segs    map[int]*playout.Segment
	making  map[int]chan struct{} // closed when the card is made, or given up
}

func newCardSegments(l *liveStream, picture *image.RGBA) *cardSegments {
	c := &cardSegments{l: l, picture: picture, segs: map[int]*playout.Segment{}, making: map[int]chan struct{}{}}
	c.current.Store(-1)
	return c
}

// prepare makes the card of a track, unless it is made or being made;
// then it returns at once, or, with wait, when the other is done.
func (c *cardSegments) prepare(ctx context.Context, track int, wait bool) {
	c.mu.Lock()
	if other, ok := c.making[track]; c.segs[track] != nil || ok {
		c.mu.Unlock()
		if ok && wait {
			select {
			case <-other:
			case <-ctx.Done():
			}
		}
		return
	}
	done := make(chan struct{})
	defer close(done)
	c.making[track] = done
	gen, base := c.gen, c.picture
	c.mu.Unlock()
	seg, err := c.make(ctx, base, track)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.making[track] == done {
		delete(c.making, track)
	}
	if err != nil || gen != c.gen {
		return // the plain picture plays instead; a new picture makes its own cards
	}
	c.segs[track] = seg
	if int(c.current.Load()) == track && c.l.want.Load() == c.l.base.Load() {
		c.l.want.Store(seg) // ready after its track began: on air from the next keyframe
	}
}

// make composes and encodes one card.
func (c *cardSegments) make(ctx context.Context, base *image.RGBA, track int) (*playout.Segment, error) {
	info := c.l.tracks[track]
	var art image.Image
	if c.l.s.Live.TrackArt {
		art, _ = trackArt(ctx, c.l.bin, info.Path) // no art, or unreadable art: the title alone
	}
	card := composeCard(base, info, art, c.l.s.Live.TitleCard)
	frame := picture.ToYUV420(card, picture.MatrixFor(card.Bounds().Dy()))
	return c.l.segment(ctx, frame, false)
}

// get returns the card of a track, or nil while it is not ready.
func (c *cardSegments) get(track int) *playout.Segment {
	c.current.Store(int64(track))
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.segs[track]
}

// reset drops the cards of the old picture and starts on the new one.
func (c *cardSegments) reset(pic *image.RGBA) {
	c.mu.Lock()
	c.gen++
	c.picture = pic
	c.segs = map[int]*playout.Segment{}
	c.making = map[int]chan struct{}{}
	c.mu.Unlock()
	if t := int(c.current.Load()); t >= 0 {
		c.l.background(func(ctx context.Context) { c.prepare(ctx, t, false) })
	}
}

// setPicture puts a new picture on air: its plain segment, and its cards
// as they are made.
func (l *liveStream) setPicture(rgba *image.RGBA, frame []byte, seg *playout.Segment) {
	l.frame = frame
	l.base.Store(seg)
	l.want.Store(seg)
	if l.cards != nil {
		l.cards.reset(rgba)
	}
}
