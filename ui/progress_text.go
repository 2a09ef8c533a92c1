package ui

import (
	"fyne.io/fyne/v2/lang"

	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/human"
)

// progressText is the line under the bar: frames, speed and time left.
func progressText(ev encoder.Progress) string {
	if ev.Phase == encoder.PhaseAudio { // before any frame
		return lang.L("Preparing the audio… {{.Elapsed}}", map[string]any{"Elapsed": human.Clock(ev.Elapsed)})
	}
	// Frames count per phase: on the still path the encoder encodes a short
	// segment, then assembles the video from copies of it.
	parts := []string{lang.L("{{.Phase}}: frame {{.Frame}} of {{.Total}}", map[string]any{"Phase": phaseText(ev.Phase), "Frame": ev.Frame, "Total": ev.TotalFrames})}
	if ev.Speed > 0 {
		parts = append(parts, lang.L("{{.Speed}}× real time", map[string]any{"Speed": fmt.Sprintf("%.1f", ev.Speed)}))
	}
	if ev.ETA > 0 {
		parts = append(parts, lang.L("{{.Left}} left", map[string]any{"Left": human.Clock(ev.ETA)}))
	} else if ev.Frame < ev.TotalFrames {
		parts = append(parts, lang.L("estimating time left…"))
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
		return hintText(ff.Hint)
	case errors.As(err, &ff) && len(ff.Tail) > 0:
		return lang.L("ffmpeg stopped: {{.Line}}", map[string]any{"Line": ff.Tail[len(ff.Tail)-1]})
	case errors.As(err, &ff):
		return lang.L("ffmpeg stopped with exit code {{.Code}}", map[string]any{"Code": ff.ExitCode})
	case errors.As(err, &fe): // the field's name, as the form is not beside it
		return fieldProblem(fe)
	}
	return errorText(err)
}

// failureDetails is what the Details area holds: what went wrong, every
// field's problem on a line of its own, then ffmpeg's last lines as ffmpeg
// printed them, or else the engine's English error when it says more.
func failureDetails(err error) string {
	var lines []string
	for _, fe := range encoder.FieldErrors(err) {
		lines = append(lines, fieldProblem(fe))
	}
	if len(lines) == 0 {
		lines = append(lines, failureText(err))
	}
	summary := strings.Join(lines, "\n")
	var ff *encoder.FFmpegError
	switch {
	case errors.As(err, &ff) && len(ff.Tail) > 0:
		lines = append(lines, "", lang.L("ffmpeg said:"), strings.Join(ff.Tail, "\n"))
	case len(encoder.FieldErrors(err)) == 0 && err.Error() != summary: // the engine's own words carry more, for a report
		lines = append(lines, "", err.Error())
	}
	return strings.Join(lines, "\n")
}

func (p *progressPanel) onCopyDetails() {
	p.app.Clipboard().SetContent(p.detailsText.Text)
}

func (p *progressPanel) onOpenFolder() {
	if p.batch { // the folder of the videos itself
		p.open(p.output)
		return
	}
	p.open(filepath.Dir(p.output))
}

func (p *progressPanel) onPlay() { p.open(p.output) }

// open hands a file or folder to the desktop's default application.
func (p *progressPanel) open(path string) {
	u, err := fileURL(path)
	if err == nil {
		err = p.app.OpenURL(u)
	}
	if err != nil {
		p.status.SetText(lang.L("Could not open {{.Name}}: {{.Reason}}", map[string]any{"Name": filepath.Base(path), "Reason": err}))
	}
}
