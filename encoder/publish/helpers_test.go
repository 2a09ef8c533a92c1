package publish

import (
	"context"
	"sync"
	"testing"
	"time"
)

// statusLog keeps every Status a Publisher reports, for the test goroutine.
type statusLog struct {
	mu   sync.Mutex
	all  []stamped
	cond chan struct{} // closed and replaced on every report
}

type stamped struct {
	at time.Time
	Status
}

func newStatusLog() *statusLog { return &statusLog{cond: make(chan struct{})} }

func (l *statusLog) add(st Status) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all = append(l.all, stamped{time.Now(), st})
	close(l.cond)
	l.cond = make(chan struct{})
}

// since lists dest's reports from at on.
func (l *statusLog) since(dest int, at time.Time) []stamped {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []stamped
	for _, s := range l.all {
		if s.Dest == dest && !s.at.Before(at) {
			out = append(out, s)
		}
	}
	return out
}

// last is dest's latest report.
func (l *statusLog) last(dest int) (stamped, bool) {
	all := l.since(dest, time.Time{})
	if len(all) == 0 {
		return stamped{}, false
	}
	return all[len(all)-1], true
}

// wait waits until dest reports a state that ok accepts, after at, and
// returns that report.
func (l *statusLog) wait(t testing.TB, dest int, at time.Time, limit time.Duration, ok func(Status) bool) stamped {
	t.Helper()
	deadline := time.After(limit)
	for {
		l.mu.Lock()
		cond := l.cond
		l.mu.Unlock()
		for _, s := range l.since(dest, at) {
			if ok(s.Status) {
				return s
			}
		}
		select {
		case <-cond:
		case <-deadline:
			last, _ := l.last(dest)
			t.Fatalf("destination %d: not there within %s; last status %s (err %v)", dest, limit, last.State, last.Err)
		}
	}
}

func onAirState(s Status) bool { return s.State == OnAir }

// running is a Publisher fed from a test goroutine.
type running struct {
	pub  *Publisher
	log  *statusLog
	stop context.CancelFunc
	done chan error
}

// start runs a Publisher for the targets, fed with m, until the test
// ends or stop is called; tweaks change the Publisher first.
func start(t testing.TB, m *media, targets []Target, opts Options, tweaks ...func(*Publisher)) *running {
	t.Helper()
	log := newStatusLog()
	opts.Status = log.add
	r := &running{pub: New(targets, opts), log: log, done: make(chan error, 1)}
	for _, tweak := range tweaks {
		tweak(r.pub)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.stop = cancel
	packets := make(chan Packet, 16)
	go m.feed(ctx, packets)
	go func() { r.done <- r.pub.Run(ctx, m.codecs, packets) }()
	t.Cleanup(func() { r.end(t) })
	return r
}

// end stops the stream and returns Run's error.
func (r *running) end(t testing.TB) error {
	t.Helper()
	r.stop()
	select {
	case err, ok := <-r.done:
		if ok {
			close(r.done)
		}
		return err
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return within 15 s of the end of its context")
	}
	return nil
}
