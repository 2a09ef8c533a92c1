package ffmpeg

import (
	"context"
	"fmt"
	"io"
	"os/exec"
)

// ReadOutput runs ffmpeg with args, in a process group of its own, and
// hands what it writes to stdout to consume, which returns how much it
// took. When consume fails, ffmpeg is stopped. A failing ffmpeg gives an
// *Error with its last lines; ctx ending stops it without an error.
func ReadOutput(ctx context.Context, bin string, args []string, consume func(io.Reader) (int64, error)) (int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	stderr := newTailBuffer(4 << 10)
	cmd.Stderr = stderr
	release, err := startInGroup(cmd)
	if err != nil {
		return 0, fmt.Errorf("starting ffmpeg (%s): %w", bin, err)
	}
	defer release()
	n, consumeErr := consume(out)
	if consumeErr != nil {
		cancel() // nobody reads any more: stop ffmpeg
	}
	waitErr := cmd.Wait()
	switch {
	case consumeErr != nil:
		return n, consumeErr
	case waitErr != nil && ctx.Err() == nil:
		return n, NewError(exitCode(waitErr), stderr.Lines(2))
	}
	return n, nil
}

// CombinedOutput runs ffmpeg with args to the end, for a short job whose
// output is a file, and returns an *Error with its last lines when it
// fails.
func CombinedOutput(ctx context.Context, bin string, args ...string) error {
	cmd := exec.CommandContext(ctx, bin, args...)
	stderr := newTailBuffer(stderrTail)
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ErrCancelled
		}
		return NewError(exitCode(err), stderr.Lines(ErrorLines))
	}
	return nil
}

// exitCode is the exit code in err from Wait or Run, or -1 when ffmpeg
// did not exit by itself.
func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}
