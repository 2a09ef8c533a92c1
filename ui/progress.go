package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/human"
)

// jobState is where the window is in the life of a render.
type jobState int

const (
	stateIdle jobState = iota
	stateRendering
	stateStreaming // a live stream runs, on air or trying to be
	stateDone
	stateFailed
	stateCancelled
	stateStopped // a live stream ended as asked, or at the end of its duration
)

func (s jobState) String() string {
	return [...]string{"idle", "rendering", "streaming", "done", "failed", "cancelled", "stopped"}[s]
}

// progressPanel shows the running job and how the last one ended: a
// render's progress bar, or a stream's status. Its state changes only
// through begin, beginLive, apply and reset, on the UI thread.
type progressPanel struct {
	app    fyne.App
	state  jobState
	live   bool   // the job is, or the last one was, a stream
	output string // the file the last job wrote, or the stream's redacted destinations
	// batch says the job makes one video per song into the folder output;
	// videos are how those that ended did (batch_progress.go).
	batch  bool
	videos []encoder.VideoDone

	liveView    *liveView
	status      *widget.Label
	bar         *widget.ProgressBar
	stats       *widget.Label
	openFolder  *widget.Button
	play        *widget.Button
	details     *widget.Accordion
	detailsText *widget.Label
	tracklist   *tracklistView // after a render of several songs
	content     fyne.CanvasObject
}

// Status lines of an idle window.
const (
	readyText       = "Ready. Press Render or Ctrl+Enter."
	invalidText     = "Fix the fields marked in red, then press Render."
	liveReadyText   = "Ready to go live. Press Go Live; Stop ends the stream."
	liveInvalidText = "Fix the fields marked in red, then press Go Live."
)

// detailsHeight is the height of the open Details area, which scrolls.
const detailsHeight = 140

func newProgressPanel(a fyne.App, action fyne.CanvasObject) *progressPanel {
	p := &progressPanel{app: a}
	p.status = &widget.Label{Text: lang.L(readyText), TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	p.bar = &widget.ProgressBar{}
	p.stats = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	p.openFolder = &widget.Button{Text: lang.L("Open folder"), Icon: theme.FolderOpenIcon(), OnTapped: p.onOpenFolder}
	p.play = &widget.Button{Text: lang.L("Play"), Icon: theme.MediaPlayIcon(), OnTapped: p.onPlay}
	p.openFolder.Hide()
	p.play.Hide()
	p.detailsText = &widget.Label{Selectable: true, TextStyle: fyne.TextStyle{Monospace: true}, Wrapping: fyne.TextWrapBreak}
	copyButton := &widget.Button{Text: lang.L("Copy"), Icon: theme.ContentCopyIcon(), OnTapped: p.onCopyDetails}
	p.details = &widget.Accordion{Items: []*widget.AccordionItem{{
		Title: lang.L("Details"),
		Detail: container.NewBorder(nil, nil, nil, container.NewVBox(copyButton),
			container.New(atLeast{Height: detailsHeight}, container.NewVScroll(p.detailsText))),
	}}}
	p.details.Hide()

	p.bar.Hide()
	p.stats.Hide()
	p.liveView = newLiveView()
	p.tracklist = newTracklistView(a)

	actions := container.NewHBox(p.openFolder, p.play, container.New(atLeast{Width: 150}, action))
	p.content = container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewCenter(actions), container.NewVBox(p.status, p.liveView.content, p.bar, p.stats)),
		p.details,
		p.tracklist.content,
	)
	return p
}

// running reports whether a job is under way: a render or a stream.
func (p *progressPanel) running() bool {
	return p.state == stateRendering || p.state == stateStreaming
}

// streaming reports whether the job under way is a live stream.
func (p *progressPanel) streaming() bool { return p.state == stateStreaming }

// begin shows a job that is being prepared: the image is loading and
// ffmpeg is starting.
func (p *progressPanel) begin(output string) {
	p.state, p.live = stateRendering, false
	p.output = output
	p.batch, p.videos = false, nil
	p.liveView.content.Hide()
	p.status.SetText(lang.L("Preparing {{.Name}}…", map[string]any{"Name": filepath.Base(output)}))
	p.status.Show()
	p.bar.SetValue(0)
	p.bar.Show()
	p.stats.SetText(lang.L("Loading the image and starting ffmpeg"))
	p.stats.Show()
	p.hideOutcome()
}

// beginLive shows a stream that is being prepared. names are the
// destinations with their keys hidden (encoder.Destination.Redacted).
func (p *progressPanel) beginLive(names []string) {
	p.state, p.live = stateStreaming, true
	p.output = strings.Join(names, ", ")
	p.status.Hide()
	p.liveView.begin(names)
	p.bar.SetValue(0)
	p.bar.Hide()
	p.stats.SetText(lang.L("Loading the image and starting ffmpeg"))
	p.stats.Show()
	p.hideOutcome()
}

// stopping says a cancel was asked for and is under way.
func (p *progressPanel) stopping() {
	if p.streaming() {
		p.liveView.stop()
		return
	}
	p.status.SetText(lang.L("Stopping…"))
}

// tick runs about once a second while a stream runs: the countdown to
// the next try moves on between the encoder's statuses.
func (p *progressPanel) tick() {
	if p.streaming() {
		p.liveView.tick()
	}
}

// reset goes back to idle, as after a start that never got going; hint
// then says what to do next.
func (p *progressPanel) reset() {
	p.state = stateIdle
	p.bar.SetValue(0)
	p.bar.Hide()
	p.stats.Hide()
	p.liveView.content.Hide()
	p.status.Show()
	p.hideOutcome()
}

func (p *progressPanel) hideOutcome() {
	p.openFolder.Hide()
	p.play.Hide()
	p.details.Hide()
	p.tracklist.show("")
}

// hint keeps an idle window's status line saying what to do next.
func (p *progressPanel) hint(valid, live bool) {
	if !p.running() && p.state != stateIdle && p.live != live {
		p.reset() // how the last job ended belongs to the other output mode
	}
	if p.state != stateIdle {
		return
	}
	switch {
	case live && valid:
		p.status.SetText(lang.L(liveReadyText))
	case live:
		p.status.SetText(lang.L(liveInvalidText))
	case valid:
		p.status.SetText(lang.L(readyText))
	default:
		p.status.SetText(lang.L(invalidText))
	}
}

// apply moves the panel on by one job event.
func (p *progressPanel) apply(ev encoder.Event) {
	if p.live {
		p.applyLive(ev)
		return
	}
	if p.batch {
		p.applyBatch(ev)
		return
	}
	switch ev := ev.(type) {
	case encoder.Started:
		p.state = stateRendering
		p.output = ev.Output
		p.status.SetText(lang.L("Rendering {{.Name}} · {{.Width}} × {{.Height}} at {{.FPS}} fps", map[string]any{"Name": filepath.Base(ev.Output), "Width": ev.Width, "Height": ev.Height, "FPS": ev.FPS}))
		p.bar.SetValue(0)
		p.bar.Show()
		p.stats.SetText(lang.L("{{.Frames}} frames to make", map[string]any{"Frames": ev.TotalFrames}))
		p.stats.Show()
		p.hideOutcome()
	case encoder.Progress:
		if p.state != stateRendering {
			return // a straggler after the end
		}
		p.bar.SetValue(ev.Fraction)
		p.stats.SetText(progressText(ev))
	case encoder.Finished:
		p.finish(ev)
	}
}

func (p *progressPanel) finish(ev encoder.Finished) {
	switch {
	case ev.Err == nil:
		p.state = stateDone
		p.bar.SetValue(1)
		p.bar.Show()
		p.status.SetText(lang.L("Saved {{.Name}}", map[string]any{"Name": filepath.Base(ev.Output)}))
		p.stats.Show()
		p.stats.SetText(lang.L("{{.Length}} of video, {{.Size}}, made in {{.Elapsed}}", map[string]any{"Length": ev.Duration, "Size": human.Bytes(ev.Size), "Elapsed": ev.Elapsed.Round(100 * time.Millisecond)}))
		p.openFolder.Show()
		p.play.Show()
		p.tracklist.show(ev.Tracklist)
	case errors.Is(ev.Err, context.Canceled):
		p.state = stateCancelled
		p.bar.SetValue(0)
		p.bar.Hide()
		p.status.SetText(lang.L("Cancelled. Nothing was saved."))
		p.stats.Hide()
	default:
		p.state = stateFailed
		p.bar.Hide()
		p.status.SetText(lang.L("Rendering failed: {{.Reason}}", map[string]any{"Reason": failureText(ev.Err)}))
		p.stats.Hide()
		p.detailsText.SetText(failureDetails(ev.Err))
		p.details.Show()
	}
}

// applyLive moves the panel on by one event of a stream.
func (p *progressPanel) applyLive(ev encoder.Event) {
	switch ev := ev.(type) {
	case encoder.Started:
		if p.state != stateStreaming {
			return
		}
		p.output = ev.Output // the encoder's own redacted destinations
		p.stats.SetText(lang.L("{{.Width}} × {{.Height}} at {{.FPS}} fps", map[string]any{"Width": ev.Width, "Height": ev.Height, "FPS": ev.FPS}))
	case encoder.Progress: // the stream's segment is being encoded before it goes out
		if p.state != stateStreaming {
			return
		}
		p.bar.SetValue(ev.Fraction)
		p.bar.Show()
		p.stats.SetText(lang.L("Preparing the stream · {{.Progress}}", map[string]any{"Progress": progressText(ev)}))
		p.stats.Show()
	case encoder.LiveStatus:
		if p.state != stateStreaming {
			return // a straggler after the end
		}
		p.bar.Hide()
		p.stats.Hide()
		p.liveView.apply(ev)
	case encoder.NowPlaying:
		if p.state == stateStreaming {
			p.liveView.nowPlaying(ev)
		}
	case encoder.PictureChanged:
		if p.state == stateStreaming {
			p.liveView.pictureChanged(ev)
		}
	case encoder.Finished:
		p.finishLive(ev)
	}
}

// finishLive shows how a stream ended: stopped, or failed and why. The
// rows keep their last figures.
func (p *progressPanel) finishLive(ev encoder.Finished) {
	p.bar.Hide()
	p.stats.Hide()
	if ev.Err == nil || errors.Is(ev.Err, context.Canceled) {
		p.state = stateStopped
		p.liveView.finish(nil, ev.Duration)
		return
	}
	p.state = stateFailed
	p.liveView.finish(ev.Err, ev.Duration)
	p.detailsText.SetText(failureDetails(ev.Err))
	p.details.Show()
}
