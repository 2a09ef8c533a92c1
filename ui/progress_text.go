package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/human"
)

// progressText is the line under the bar: frames, speed and time left.
func progressText(ev encoder.Progress) string {
	// Frames count per phase: on the still path the encoder encodes a short
	// segment, then assembles the video from copies of it.
	parts := []string{fmt.Sprintf("%s: frame %d of %d", sentence(ev.Phase.String()), ev.Frame, ev.TotalFrames)}
	if ev.Speed > 0 {
		parts = append(parts, fmt.Sprintf("%.1f× real time", ev.Speed))
	}
	if ev.ETA > 0 {
		parts = append(parts, human.Clock(ev.ETA)+" left")
	} else if ev.Frame < ev.TotalFrames {
		parts = append(parts, "estimating time left…")
	}
	return strings.Join(parts, "  ·  ")
}

// failureText says in one line what went wrong: ffmpeg's trouble in
// plain words where the encoder knows them, a field's without its name.
func failureText(err error) string {
	var ff *encoder.FFmpegError
	var fe *encoder.FieldError
	switch {
	case errors.As(err, &ff) && ff.Hint != "":
		return ff.Hint
	case errors.As(err, &ff) && len(ff.Tail) > 0:
		return "ffmpeg stopped: " + ff.Tail[len(ff.Tail)-1]
	case errors.As(err, &ff):
		return fmt.Sprintf("ffmpeg stopped with exit code %d", ff.ExitCode)
	case errors.As(err, &fe):
		return fe.Err.Error()
	}
	return err.Error()
}

// failureDetails is what the Details area holds: ffmpeg's last lines when
// ffmpeg failed, the whole error otherwise.
func failureDetails(err error) string {
	var fe *encoder.FFmpegError
	if errors.As(err, &fe) && len(fe.Tail) > 0 {
		return err.Error() + "\n\nffmpeg said:\n" + strings.Join(fe.Tail, "\n")
	}
	return err.Error()
}

func (p *progressPanel) onCopyDetails() {
	p.app.Clipboard().SetContent(p.detailsText.Text)
}

func (p *progressPanel) onOpenFolder() { p.open(filepath.Dir(p.output)) }

func (p *progressPanel) onPlay() { p.open(p.output) }

// open hands a file or folder to the desktop's default application.
func (p *progressPanel) open(path string) {
	u, err := fileURL(path)
	if err == nil {
		err = p.app.OpenURL(u)
	}
	if err != nil {
		p.status.SetText(fmt.Sprintf("Could not open %s: %v", filepath.Base(path), err))
	}
}
