package encoder

import (
	"context"
	"time"

	"github.com/stillcast/stillcast/encoder/publish"
)

// A live stream's books: the destinations' statuses as events, its time on
// air, and the background work it waits for before it finishes.

// background runs f in the background under bgCtx, unless the stream
// has ended.
func (l *liveStream) background(f func(ctx context.Context)) {
	l.bgMu.Lock()
	defer l.bgMu.Unlock()
	if l.bgClosed {
		return
	}
	l.bg.Go(func() { f(l.bgCtx) })
}

// endBackground stops the background work and waits for it.
func (l *liveStream) endBackground() {
	l.bgMu.Lock()
	l.bgClosed = true
	l.bgMu.Unlock()
	l.bgStop()
	l.bg.Wait()
}

// status turns a destination's status into an event, and keeps the books
// of the time on air.
func (l *liveStream) status(st publish.Status) {
	l.mu.Lock()
	was := len(l.onAir) > 0
	if st.State == publish.OnAir {
		l.onAir[st.Dest] = true
	} else {
		delete(l.onAir, st.Dest)
	}
	now := len(l.onAir) > 0
	switch {
	case !was && now:
		l.onAirSince = time.Now()
	case was && !now:
		l.onAirTotal += time.Since(l.onAirSince)
	}
	if st.Err != nil {
		l.lastErr = st.Err
	}
	l.mu.Unlock()
	attempt := st.Attempt
	if st.State == publish.Reconnecting {
		attempt++ // the attempt it waits for, as the window and the CLI say it
	}
	l.job.emit(LiveStatus{
		Dest: st.Dest, Name: st.Name, State: liveState(st.State), Attempt: attempt, NextTry: st.NextTry,
		Uptime: st.Uptime, Bitrate: st.Bitrate, Sent: st.Sent, Reconnects: st.Reconnects, Err: st.Err,
	})
}

func liveState(s publish.State) LiveState {
	switch s {
	case publish.OnAir:
		return LiveOnAir
	case publish.Reconnecting:
		return LiveReconnecting
	case publish.Failed:
		return LiveFailed
	case publish.Stopped:
		return LiveStopped
	}
	return LiveConnecting
}

func (l *liveStream) finished(err error) Finished {
	l.mu.Lock()
	defer l.mu.Unlock()
	total := l.onAirTotal
	if len(l.onAir) > 0 {
		total += time.Since(l.onAirSince)
	}
	return Finished{Output: l.output(), Duration: total, Elapsed: time.Since(l.began), Err: err}
}
