package publish

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// figureEvery is how often a destination on air reports its figures and
// checks for a stall.
const figureEvery = time.Second

// onAir is the state of one connection while it streams.
type onAir struct {
	started bool
	base    time.Duration // the first keyframe's DTS: timestamps start near 0
	since   time.Time     // when the first keyframe went out
	figured time.Time     // when the figures were last reported
	// acked and progress watch for a stall: the server's acknowledged
	// byte count, and when it last moved (or nothing waited).
	acked    uint64
	progress time.Time
	// samples of the connection's byte count, one a second: the bitrate
	// is over the last three seconds.
	samples [4]sample
	n       int
}

type sample struct {
	at    time.Time
	bytes uint64
}

// stream sends the queue's packets on c from its first keyframe on, until
// the connection ends. It returns why, and how long it was on air.
func (d *dest) stream(ctx context.Context, c *conn) (ending, time.Duration) {
	stop := context.AfterFunc(ctx, func() { c.closeOnce.Do(c.client.Close) })
	defer stop()
	// One wake-up every flushEvery sends the whole batch that gathered, in
	// one write: waking for every packet would cost more than sending it.
	tick := time.NewTicker(flushEvery)
	defer tick.Stop()
	a := &onAir{progress: time.Now(), figured: time.Now()}
	d.cur.Store(c)
	defer d.cur.Store(nil)
	up := func() time.Duration {
		if !a.started {
			return 0
		}
		return time.Since(a.since)
	}
	// Start with what arrived since the latest keyframe, at once.
	for i := range d.gop {
		if end := d.forward(c, a, &d.gop[i], false); end != nil {
			d.gop = d.gop[:0]
			return *end, up()
		}
	}
	d.gop = d.gop[:0]
	for {
		select {
		case <-ctx.Done():
			return ending{kind: kindStopped}, up()
		case err := <-c.ended:
			switch {
			case ctx.Err() != nil:
				return ending{kind: kindStopped}, up()
			case d.overflow.Load():
				return *d.overflowed(), up()
			}
			return ending{kindNetwork, networkErr(err, d.pub.redact)}, up()
		case now := <-tick.C:
			end := d.batch(c, a)
			if end == nil && now.Sub(a.figured) >= figureEvery {
				a.figured = now
				end = d.watch(c, a, now)
			}
			if end != nil && ctx.Err() != nil {
				return ending{kind: kindStopped}, up()
			}
			if end != nil {
				return *end, up()
			}
		}
	}
}

// batch sends what the queue holds, then flushes it to the socket. A
// closed queue ends the stream once its last packets are sent.
func (d *dest) batch(c *conn, a *onAir) *ending {
	for {
		select {
		case p, ok := <-d.queue:
			if !ok {
				if err := c.flush(); err != nil {
					return d.writeEnded(err)
				}
				return &ending{kind: kindStopped}
			}
			if end := d.forward(c, a, &p, true); end != nil {
				return end
			}
			continue
		default:
		}
		if err := c.flush(); err != nil {
			return d.writeEnded(err)
		}
		return nil
	}
}

// forward sends one packet, if this connection has started; it starts at
// a keyframe, with new sequence headers first when the codecs changed.
// fresh says the packet comes from the queue, not from what was kept off
// air (whose codec changes were taken already).
func (d *dest) forward(c *conn, a *onAir, p *Packet, fresh bool) *ending {
	if fresh && p.Codecs != nil {
		d.codecs = *p.Codecs
		d.codecsGen++
	}
	if d.overflow.Load() {
		return d.overflowed()
	}
	if !a.started {
		if p.Kind != Video || !p.Key {
			return nil // audio before the first keyframe is dropped
		}
		a.base = p.DTS
	}
	if p.Kind == Audio && p.PTS < a.base {
		return nil
	}
	if c.codecsGen != d.codecsGen {
		if err := c.setCodecs(d.codecs); err != nil {
			return d.writeEnded(err)
		}
		c.codecsGen = d.codecsGen
	}
	if err := c.send(p, a.base); err != nil {
		return d.writeEnded(err)
	}
	if !a.started {
		a.started, a.since = true, time.Now()
		d.pub.everOnAir.Store(true)
		d.set(OnAir, nil, 0)
	}
	return nil
}

// overflowed drops the connection of a destination that fell behind: what
// it holds is dropped, and the next connection starts at a keyframe.
func (d *dest) overflowed() *ending {
	for drained := false; !drained; {
		select {
		case p, ok := <-d.queue:
			if ok {
				d.follow(&p)
			}
			drained = !ok
		default:
			drained = true
		}
	}
	d.overflow.Store(false)
	return &ending{kindNetwork, redactErr(d.pub.redact, errOverflow, nil, "%v", errOverflow)}
}

// writeEnded words a failed write; one that timed out is a stall, one
// that Run broke off is an overflow.
func (d *dest) writeEnded(err error) *ending {
	if d.overflow.Load() {
		return d.overflowed()
	}
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		return &ending{kindNetwork, redactErr(d.pub.redact, ErrStalled, nil,
			"%v: a write was blocked for %s", ErrStalled, d.pub.opts.Stall)}
	}
	return &ending{kindNetwork, networkErr(err, d.pub.redact)}
}

// watch runs once a second: the stall watchdog, and the figures.
func (d *dest) watch(c *conn, a *onAir, now time.Time) *ending {
	if d.overflow.Load() {
		return d.overflowed()
	}
	if acked, waiting, ok := tcpProgress(c.tcp); ok {
		if acked != a.acked || !waiting {
			a.acked, a.progress = acked, now
		} else if stalled := now.Sub(a.progress); stalled >= d.pub.opts.Stall {
			return &ending{kindNetwork, redactErr(d.pub.redact, ErrStalled, nil,
				"%v: it acknowledged nothing for %s", ErrStalled, stalled.Round(time.Second))}
		}
	}
	sent := c.bytesSent()
	a.samples[a.n%len(a.samples)] = sample{now, sent}
	a.n++
	if !a.started {
		return nil
	}
	oldest := a.samples[max(0, a.n-len(a.samples))%len(a.samples)]
	if span := now.Sub(oldest.at); span > 0 {
		d.st.Bitrate = int(float64(sent-oldest.bytes) * 8 / span.Seconds())
	}
	d.st.Uptime = now.Sub(a.since)
	d.st.Sent = d.sentDone + int64(sent)
	d.pub.report(d.st)
	return nil
}

// String names a state, for logs and tests.
func (s State) String() string {
	switch s {
	case Connecting:
		return "connecting"
	case OnAir:
		return "on air"
	case Reconnecting:
		return "reconnecting"
	case Failed:
		return "failed"
	case Stopped:
		return "stopped"
	}
	return fmt.Sprintf("State(%d)", int(s))
}
