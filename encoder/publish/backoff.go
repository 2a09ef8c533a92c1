package publish

import "time"

// Reconnect timing, per destination.
const (
	firstRetry   = 2 * time.Second
	retryGrowth  = 1.5
	retryJitter  = 0.1 // ±10 %
	maxRetryWait = 60 * time.Second
	// stableAfter resets the backoff once a connection has been on air
	// this long.
	stableAfter = time.Minute
	// defaultRejectLimit is how many refusals in a row mean the key is wrong.
	defaultRejectLimit = 3
	// defaultStall is how long a server may take nothing of what is sent.
	defaultStall = 10 * time.Second
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
