package publish

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
)

// Publisher sends one stream to several destinations.
type Publisher struct {
	targets   []Target
	opts      Options
	redact    func(string) string
	everOnAir atomic.Bool
	statusMu  sync.Mutex // Options.Status is called by one destination at a time
	// Tests make a destination slow with these: packets a destination may
	// hold (0: from Options.Stall), and the socket's send buffer (0: the
	// system's).
	queueLen, sendBuffer int
}

// New makes a Publisher for the targets; nothing connects before Run.
func New(targets []Target, opts Options) *Publisher {
	if opts.RejectLimit <= 0 {
		opts.RejectLimit = defaultRejectLimit
	}
	if opts.Stall <= 0 {
		opts.Stall = defaultStall
	}
	return &Publisher{targets: append([]Target(nil), targets...), opts: opts, redact: Redactor(targets)}
}

// EverOnAir reports whether any destination has been on air since Run began.
func (p *Publisher) EverOnAir() bool { return p.everOnAir.Load() }

// Redact hides the targets' secrets in text (see Redactor).
func (p *Publisher) Redact(text string) string { return p.redact(text) }

func (p *Publisher) report(st Status) {
	if p.opts.Status == nil {
		return
	}
	p.statusMu.Lock()
	defer p.statusMu.Unlock()
	p.opts.Status(st)
}

// Run publishes what arrives on packets to every target, each on its own
// connection, until ctx ends (nil), packets is closed (nil, after what was
// queued is sent) or every destination has failed: then the
// destinations' errors, joined, with errors.Is(err, ErrRejected) when
// each of them was rejected. Run never blocks on a slow destination: one
// whose queue overflows is dropped and made again, and rejoins at the
// next keyframe. codecs is sent before any media on every connection.
//
// Packets' Data is read by the destinations after Run has passed them
// on: the caller must not change it afterwards.
func (p *Publisher) Run(ctx context.Context, codecs Codecs, packets <-chan Packet) error {
	if err := checkCodecs(codecs); err != nil {
		return err
	}
	if len(p.targets) == 0 {
		return errors.New("there is no destination to publish to")
	}
	for i, t := range p.targets {
		if _, err := Address(t.URL, t.Key); err != nil {
			return fmt.Errorf("destination %d (%s): %w", i+1, t.Name, err)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p.everOnAir.Store(false)
	dests := make([]*dest, len(p.targets))
	type result struct {
		i   int
		err error
	}
	results := make(chan result, len(dests))
	for i, t := range p.targets {
		dests[i] = newDest(p, i, t, codecs)
		go func() { results <- result{i, dests[i].run(ctx)} }()
	}
	errs := make([]error, len(dests))
	running := len(dests)
	var bad error
	drain := false
loop:
	for running > 0 {
		select {
		case <-ctx.Done():
			break loop
		case r := <-results:
			errs[r.i], dests[r.i] = r.err, nil // it reads its queue no more
			running--
		case pkt, ok := <-packets:
			if !ok {
				drain = true
				break loop
			}
			if bad = checkPacket(&pkt); bad != nil {
				break loop
			}
			offer(dests, pkt)
		}
	}
	for _, d := range dests {
		if d != nil && drain {
			close(d.queue) // each sends what it holds, then stops
		}
	}
	if !drain {
		cancel()
	}
	for ; running > 0; running-- {
		r := <-results
		errs[r.i] = r.err
	}
	if bad != nil {
		return bad
	}
	return joinFailures(errs)
}

// offer hands a packet to every destination without waiting: one whose
// queue is full drops its connection, which breaks off a write blocked
// on it, and starts again.
func offer(dests []*dest, pkt Packet) {
	for _, d := range dests {
		if d == nil {
			continue
		}
		select {
		case d.queue <- pkt:
		default:
			if d.overflow.CompareAndSwap(false, true) {
				if c := d.cur.Load(); c != nil {
					c.abort()
				}
			}
		}
	}
}

// joinFailures is Run's error when every destination failed, nil
// otherwise. It says ErrRejected only when every one was rejected: a
// rejection among other failures keeps its words but not its kind.
func joinFailures(errs []error) error {
	rejected := 0
	for _, err := range errs {
		if err == nil {
			return nil // stopped, not failed
		}
		if errors.Is(err, ErrRejected) {
			rejected++
		}
	}
	if rejected == len(errs) {
		return errors.Join(errs...)
	}
	flat := make([]error, len(errs))
	for i, err := range errs {
		flat[i] = err
		if errors.Is(err, ErrRejected) {
			flat[i] = errors.New(err.Error())
		}
	}
	return errors.Join(flat...)
}

// checkCodecs tells a caller's mistake before anything connects:
// gortmplib would panic on an SPS it cannot read.
func checkCodecs(cs Codecs) error {
	if len(cs.SPS) == 0 || len(cs.PPS) == 0 {
		return errors.New("codecs: the H.264 SPS and PPS are required")
	}
	var sps h264.SPS
	if err := sps.Unmarshal(cs.SPS); err != nil {
		return fmt.Errorf("codecs: the H.264 SPS cannot be read: %w", err)
	}
	if len(cs.AudioConfig) > 0 {
		var conf mpeg4audio.AudioSpecificConfig
		if err := conf.Unmarshal(cs.AudioConfig); err != nil {
			return fmt.Errorf("codecs: the AAC AudioSpecificConfig cannot be read: %w", err)
		}
	}
	return nil
}

// checkPacket tells a malformed packet, which would otherwise fail deep
// in a destination.
func checkPacket(p *Packet) error {
	switch {
	case p.Kind == Audio && len(p.Data) != 1:
		return fmt.Errorf("an audio packet at %s holds %d frames: it must hold exactly one AAC frame", p.PTS, len(p.Data))
	case p.Kind == Video && len(p.Data) == 0:
		return fmt.Errorf("a video packet at %s holds no NAL unit", p.PTS)
	case p.Kind != Audio && p.Kind != Video:
		return fmt.Errorf("a packet at %s is of an unknown kind %d", p.PTS, p.Kind)
	case p.Codecs != nil:
		return checkCodecs(*p.Codecs)
	}
	return nil
}
