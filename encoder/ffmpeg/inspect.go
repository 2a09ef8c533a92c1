package ffmpeg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// InspectTimeout bounds each ffmpeg start of Inspect. ffmpeg answers
// -version in a few milliseconds once it is loaded, but the first start of
// a large static build can take seconds: on Windows while the virus
// scanner reads it, and under Wine, where 3 s was seen to be too short.
const InspectTimeout = 10 * time.Second

// ErrUninspectable says that a program did not tell which ffmpeg it is:
// it failed, hung or printed something else.
var ErrUninspectable = errors.New("cannot tell which ffmpeg this is")

// statsPeriodTest is an option that ffmpeg 4.4 added. ffmpeg checks every
// option before it acts on -version, so an older one refuses the whole
// command line with errUnknownStatsPeriod.
var statsPeriodTest = []string{"-stats_period", "0.5"}

const errUnknownStatsPeriod = "Unrecognized option 'stats_period'"

// Inspect asks the ffmpeg at bin which build it is and whether it takes
// -stats_period, in one start, or two for an ffmpeg older than 4.4. It
// returns ErrCancelled when ctx ends first, and an error wrapping
// ErrUninspectable when the program does not answer like an ffmpeg.
func Inspect(ctx context.Context, bin string) (Build, error) {
	statsPeriod := true
	out, stderr, err := versionOutput(ctx, bin, statsPeriodTest...)
	if err != nil && strings.Contains(stderr, errUnknownStatsPeriod) {
		statsPeriod = false
		out, stderr, err = versionOutput(ctx, bin)
	}
	if err != nil {
		if ctx.Err() != nil {
			return Build{}, ErrCancelled
		}
		if last := lastLine(stderr); last != "" {
			err = fmt.Errorf("%w: %s", err, last)
		}
		return Build{}, fmt.Errorf("%w: %s -version: %w", ErrUninspectable, bin, err)
	}
	b, err := ParseVersion(out)
	if err != nil {
		return Build{}, fmt.Errorf("%w: %s: %w", ErrUninspectable, bin, err)
	}
	b.StatsPeriod = statsPeriod
	return b, nil
}

// versionOutput runs `bin -hide_banner [extra…] -version` in a process
// group of its own, and kills the whole group when it outlasts
// InspectTimeout or ctx: a stuck program may have children that hold its
// output open. It returns what the program wrote to stdout and stderr.
func versionOutput(ctx context.Context, bin string, extra ...string) (stdout, stderr string, err error) {
	ctx, cancel := context.WithTimeout(ctx, InspectTimeout)
	defer cancel()
	args := append([]string{"-hide_banner"}, extra...)
	cmd := exec.CommandContext(ctx, bin, append(args, "-version")...)
	cmd.Cancel = func() error { return killGroup(cmd) }
	cmd.WaitDelay = time.Second // then give up on output a stray child still holds
	out := &cappedBuffer{max: 64 << 10}
	errTail := newTailBuffer(4 << 10)
	cmd.Stdout, cmd.Stderr = out, errTail
	release, err := startInGroup(cmd)
	if err != nil {
		return "", "", err
	}
	defer release()
	err = cmd.Wait()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("no answer within %s", InspectTimeout)
	}
	return out.String(), strings.Join(errTail.Lines(ErrorLines), "\n"), err
}

// cappedBuffer keeps the first max bytes written to it: the -version
// output is short, and a program that floods stdout is not ffmpeg.
type cappedBuffer struct {
	bytes.Buffer
	max int
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if room := c.max - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// lastLine is the last line of text that is not blank.
func lastLine(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
