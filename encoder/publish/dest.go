package publish

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"
)

// dest is one destination: its queue, its connections one after another,
// its backoff, state and figures. Only its own goroutine touches it, but
// for overflow and cur, which Run uses when the queue is full.
type dest struct {
	pub      *Publisher
	target   Target
	queue    chan Packet
	overflow atomic.Bool
	cur      atomic.Pointer[conn] // the connection on air, for Run to break off

	codecs    Codecs   // the latest, for the next connection
	codecsGen int      // counts changes of codecs
	gop       []Packet // off air: the packets since the latest keyframe
	st        Status
	backoff   *backoff
	sentDone  int64 // bytes sent by connections that have ended
	rejects   int   // refusals in a row
	failures  int   // connections in a row that never went on air
}

func newDest(p *Publisher, i int, t Target, cs Codecs) *dest {
	n := p.queueLen
	if n <= 0 {
		n = queueLen(p.opts.Stall)
	}
	return &dest{
		pub: p, target: t, queue: make(chan Packet, n), codecs: cs,
		st:      Status{Dest: i, Name: t.Name},
		backoff: newBackoff(rand.Float64),
	}
}

// queueLen holds about Stall's worth of packets at 128 a second (30 fps
// video and 48 kHz AAC make 77): a server that stalls is noticed as a
// stall, not as an overflow.
func queueLen(stall time.Duration) int { return max(256, int(stall.Seconds()*128)) }

// run connects again and again until the stream stops (nil) or the
// destination fails (its reason).
func (d *dest) run(ctx context.Context) error {
	for {
		d.st.Attempt++
		d.set(Connecting, nil, 0)
		c, end := d.connect(ctx)
		var onAir time.Duration
		if end == nil {
			e, up := d.stream(ctx, c)
			end, onAir = &e, up
			c.close()
			d.sentDone += int64(c.bytesSent())
		}
		if end.kind == kindStopped || ctx.Err() != nil {
			// A dial or a connection that the end of the stream broke
			// off ended for that reason, not its own.
			d.set(Stopped, nil, 0)
			return nil
		}
		if err := d.count(*end, onAir); err != nil {
			d.set(Failed, err, 0)
			return err
		}
		wait := d.backoff.wait()
		d.st.Reconnects++ // the Reconnecting status counts the reconnect it announces
		d.set(Reconnecting, end.err, wait)
		timer := time.NewTimer(wait)
		stopped := d.idle(ctx, timer.C)
		timer.Stop()
		if stopped {
			d.set(Stopped, nil, 0)
			return nil
		}
	}
}

// count weighs a connection's end against Options.RejectLimit and
// Retries; an error means the destination is done.
func (d *dest) count(end ending, onAir time.Duration) error {
	if onAir >= stableAfter {
		d.backoff.reset()
	}
	if onAir > 0 {
		d.rejects, d.failures = 0, 0
	}
	if end.kind == kindRejected {
		d.rejects++
		if d.rejects >= d.pub.opts.RejectLimit {
			return end.err
		}
		return nil
	}
	d.rejects = 0
	if onAir == 0 {
		d.failures++
	}
	// Retries is how many reconnects in a row may fail: the first
	// connection, then that many more.
	if r := d.pub.opts.Retries; r > 0 && d.failures > r {
		return fmt.Errorf("gave up after %d reconnects in a row: %w", r, end.err)
	}
	return nil
}

// connect dials while it keeps the queue drained, so that Run never
// waits on a destination that is connecting. A packets closed meanwhile
// stops the destination once the dial is over.
func (d *dest) connect(ctx context.Context) (*conn, *ending) {
	type result struct {
		c   *conn
		end *ending
	}
	done := make(chan result, 1)
	cs, gen := d.codecs, d.codecsGen
	go func() {
		c, end := dial(ctx, d.target, cs, d.pub.opts.Stall, d.pub.sendBuffer, d.pub.redact)
		done <- result{c, end}
	}()
	queue := d.queue
	for {
		select {
		case r := <-done:
			if queue == nil && r.c != nil {
				r.c.close()
				return nil, &ending{kind: kindStopped}
			}
			if queue == nil {
				return nil, &ending{kind: kindStopped}
			}
			if r.c != nil {
				r.c.codecsGen = gen
			}
			return r.c, r.end
		case p, ok := <-queue:
			if !ok {
				queue = nil // wait for the dial, then stop
				continue
			}
			d.follow(&p)
		}
	}
}

// idle drops what arrives, but for codec changes, until until fires, or
// until ctx ends or the queue closes: then it reports true.
func (d *dest) idle(ctx context.Context, until <-chan time.Time) (stopped bool) {
	for {
		select {
		case <-until:
			return false
		case <-ctx.Done():
			return true
		case p, ok := <-d.queue:
			if !ok {
				return true
			}
			d.follow(&p)
		}
	}
}

// maxGOP bounds what a destination keeps while it is off air.
const maxGOP = 1024

// follow takes a packet that arrives while the destination is off air:
// its codec change, for the connections to come, and the packets since
// the latest keyframe, which the next connection starts with, so that it
// need not wait for the next keyframe (nor the stream's start be lost).
func (d *dest) follow(p *Packet) {
	if p.Codecs != nil {
		d.codecs = *p.Codecs
		d.codecsGen++
	}
	switch {
	case p.Kind == Video && p.Key:
		d.gop = append(d.gop[:0], *p)
	case len(d.gop) > 0 && len(d.gop) < maxGOP:
		d.gop = append(d.gop, *p)
	default:
		d.gop = d.gop[:0] // no keyframe yet, or a GOP too long to keep
	}
}

// set changes the state and reports it.
func (d *dest) set(s State, err error, next time.Duration) {
	d.st.State, d.st.Err, d.st.NextTry = s, err, next
	if s != OnAir {
		d.st.Uptime, d.st.Bitrate = 0, 0
	}
	d.st.Sent = d.sentDone
	d.pub.report(d.st)
}
