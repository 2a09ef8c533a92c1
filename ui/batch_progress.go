package ui

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/human"
)

// A batch of videos, one per song (Settings.Each), shows in the progress
// panel as the count of videos and the one being made, with the bar at
// the whole batch's fraction; at the end, what became of each video:
// made, skipped or failed, and why.

// beginBatch shows a batch being prepared: the songs are read, the
// pictures composed.
func (p *progressPanel) beginBatch(folder string) {
	p.begin(folder)
	p.batch = true
	p.status.SetText(lang.L("Preparing the videos in {{.Folder}}…", map[string]any{"Folder": filepath.Base(folder)}))
	p.stats.SetText(lang.L("Reading the songs and composing their pictures"))
}

// applyBatch moves a batch on by one event.
func (p *progressPanel) applyBatch(ev encoder.Event) {
	switch ev := ev.(type) {
	case encoder.BatchProgress:
		if p.state != stateRendering {
			return // a straggler after the end
		}
		p.status.SetText(lang.L("Rendering {{.Count}} videos into {{.Folder}}", map[string]any{"Count": ev.Total, "Folder": filepath.Base(p.output)}))
		p.bar.SetValue(ev.Fraction)
		p.stats.SetText(batchProgressText(ev))
	case encoder.VideoDone:
		p.videos = append(p.videos, ev)
	case encoder.Finished:
		p.finishBatch(ev)
	}
}

// batchProgressText is the line under the bar: "3/13 videos · 03 - Song.mp4 · 1:20 left".
func batchProgressText(ev encoder.BatchProgress) string {
	parts := []string{lang.L("{{.Done}}/{{.Total}} videos", map[string]any{"Done": ev.Done, "Total": ev.Total})}
	if ev.Current != "" {
		parts = append(parts, ev.Current)
	}
	if ev.ETA > 0 {
		parts = append(parts, lang.L("{{.Left}} left", map[string]any{"Left": human.Clock(ev.ETA)}))
	}
	return strings.Join(parts, "  ·  ")
}

// finishBatch shows how a batch ended: every video made or skipped, some
// failed (a *encoder.BatchError), cancelled, or failed as a whole.
func (p *progressPanel) finishBatch(ev encoder.Finished) {
	var be *encoder.BatchError
	made, skipped, failed := p.videoCounts()
	counts := map[string]any{"Made": made, "Skipped": skipped, "Failed": failed, "Total": len(p.videos),
		"Folder": filepath.Base(p.output), "Elapsed": ev.Elapsed.Round(100 * time.Millisecond)}
	switch {
	case ev.Err == nil:
		p.state = stateDone
		p.bar.SetValue(1)
		p.status.SetText(lang.L("Made {{.Made}} of {{.Total}} videos in {{.Folder}}", counts))
	case errors.As(ev.Err, &be):
		p.state = stateFailed
		p.bar.Hide()
		counts["Failed"], counts["Total"] = len(be.Failed), be.Total
		p.status.SetText(lang.L("{{.Failed}} of {{.Total}} videos failed", counts))
	case errors.Is(ev.Err, context.Canceled):
		p.state = stateCancelled
		p.bar.Hide()
		p.status.SetText(lang.L("Cancelled. {{.Made}} videos were made before.", counts))
	default:
		p.finish(ev) // nothing was made: the batch failed as a whole
		return
	}
	p.stats.SetText(lang.L("{{.Made}} made  ·  {{.Skipped}} skipped  ·  {{.Failed}} failed, in {{.Elapsed}}", counts))
	p.stats.Show()
	showIf(made+skipped > 0, p.openFolder)
	p.detailsText.SetText(videoList(p.videos))
	p.details.Show()
	p.tracklist.show(ev.Tracklist) // the album video's, when it was made
	if failed > 0 {
		p.details.Open(0)
	}
}

// videoCounts counts the batch's videos by how they ended.
func (p *progressPanel) videoCounts() (made, skipped, failed int) {
	for _, v := range p.videos {
		switch {
		case v.Err != nil:
			failed++
		case v.Skipped:
			skipped++
		default:
			made++
		}
	}
	return made, skipped, failed
}

// videoList is a line per video of the batch, in its order: its name and
// length and size, or that it was skipped, or why it failed.
func videoList(videos []encoder.VideoDone) string {
	sorted := slices.SortedFunc(slices.Values(videos), func(a, b encoder.VideoDone) int { return a.Index - b.Index })
	lines := make([]string, len(sorted))
	for i, v := range sorted {
		name := filepath.Base(v.Output)
		switch {
		case v.Err != nil:
			lines[i] = lang.L("✗ {{.Name}}: failed: {{.Reason}}", map[string]any{"Name": name, "Reason": failureText(v.Err)})
		case v.Skipped:
			lines[i] = lang.L("– {{.Name}}: skipped, it is there already", map[string]any{"Name": name})
		default:
			lines[i] = lang.L("✓ {{.Name}}: {{.Length}}, {{.Size}}", map[string]any{"Name": name, "Length": human.Clock(v.Duration), "Size": human.Bytes(v.Size)})
		}
	}
	return strings.Join(lines, "\n")
}
