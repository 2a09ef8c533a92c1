package encoder

import (
	"context"
	"errors"
	"runtime"
	"sync"
)

// eachInParallel runs do(ctx, i) for every i below n, on one goroutine
// per CPU: ffprobe and ffmpeg cost mostly their start-up, so a folder of
// tracks goes several at a time. Once one fails, or ctx ends, no more
// start. It returns the error of the first i, in order, that failed for
// a reason of its own; else ErrCancelled when any was cancelled or never
// ran.
func eachInParallel(ctx context.Context, n int, do func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, n)
	ran := make([]bool, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.NumCPU(), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ran[i] = true
				if errs[i] = do(ctx, i); errs[i] != nil {
					cancel() // the answer is an error now: start no more
				}
			}
		}()
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	// A bad file, the first in the list; those cancelled on its account,
	// or because ctx ended, say nothing of their own.
	cancelled := false
	for i, err := range errs {
		switch {
		case errors.Is(err, ErrCancelled), !ran[i]:
			cancelled = true
		case err != nil:
			return err
		}
	}
	if cancelled {
		return ErrCancelled
	}
	return nil
}
