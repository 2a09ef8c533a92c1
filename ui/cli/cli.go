// Package cli is Stillcast without a window: the same encoder driven from
// flags, with a progress bar or machine-readable progress, and exit codes
// a script can rely on.
//
// It imports encoder, never Fyne, ui, encoder/ffmpeg or os/exec, so the
// commands can be built into a binary without a window.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Exit codes.
const (
	ExitOK          = 0
	ExitFailure     = 1   // the job ran and failed; ffmpeg's last lines are shown
	ExitUsage       = 2   // bad input or usage; one line names the flag or file
	ExitInterrupted = 130 // stopped by Ctrl-C, after cleanup
)

// IsCommand reports whether arg names a headless command rather than an
// image to open in the window.
func IsCommand(arg string) bool {
	switch arg {
	case "render", "live", "help", "-h", "-help", "--help", "version", "--version":
		return true
	}
	return false
}

// Run runs one command, args[0] being its name, and returns the exit code.
// Cancelling ctx (Ctrl-C) stops the job cleanly and gives ExitInterrupted.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, Usage)
		return ExitUsage
	}
	switch args[0] {
	case "render":
		return runRender(ctx, args[1:], stdout, stderr)
	case "live":
		return runLive(ctx, args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[1] == "render" {
			fmt.Fprint(stdout, renderUsage)
			return ExitOK
		}
		if len(args) > 1 && args[1] == "live" {
			fmt.Fprint(stdout, liveUsage)
			return ExitOK
		}
		fmt.Fprint(stdout, Usage)
		return ExitOK
	case "version", "--version":
		fmt.Fprintln(stdout, "stillcast", Version)
		return ExitOK
	}
	fmt.Fprintf(stderr, "stillcast: unknown command %q\n\n%s", args[0], Usage)
	return ExitUsage
}

// Version is the release this binary belongs to.
const Version = "0.1.0"

// Usage is the top-level help.
const Usage = `Stillcast turns a still image into a video file or a live stream.

Usage:
  stillcast [IMAGE]                    open the window (with IMAGE loaded)
  stillcast render [flags] [IMAGE...]  render IMAGE (several: a slideshow) to a
                                       video file, headless
  stillcast live [flags] [IMAGE]       stream IMAGE to RTMP servers, headless
  stillcast help render|live           the flags of a command
  stillcast version

Without IMAGE, render and live use the bundled sample picture.
`

// usageError is bad input from the command line: exit 2 and one line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// printErr writes err for a person and returns the matching exit code.
func printErr(stderr io.Writer, err error) int {
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "stillcast:", oneLine(ue.msg))
		return ExitUsage
	}
	fmt.Fprintln(stderr, "stillcast:", oneLine(err.Error()))
	return ExitFailure
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
