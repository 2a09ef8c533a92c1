package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/human"
)

// maxUpdatesPerSecond caps how often progress reaches the widgets.
const maxUpdatesPerSecond = 20

// run is one job from the window's side: a render or a live stream.
type run struct {
	live   bool
	cancel context.CancelFunc // stops a render, abandoning it, or a stream, cleanly
	done   chan struct{}      // closed once the job has been waited for
	job    *encoder.Job       // set on the UI thread once ffmpeg runs
}

// liveTick is how often a stream's status panel counts down to the next
// try between the encoder's statuses.
const liveTick = time.Second

// onRenderTapped is the Render/Cancel and Go Live/Stop button.
func (m *mainWindow) onRenderTapped() {
	m.edits.flush()
	switch {
	case m.progress.running():
		m.cancel()
	case m.form.isLive():
		m.goLive()
	default:
		m.render()
	}
}

// onRenderShortcut is Ctrl+Enter: the Render or Go Live button, but never
// Cancel, so a second press does not stop the job it started.
func (m *mainWindow) onRenderShortcut() {
	m.edits.flush()
	if !m.progress.running() && m.valid {
		m.onRenderTapped()
	}
}

// render starts a job with the form's settings, asking first if that
// would replace a file.
func (m *mainWindow) render() {
	if m.progress.running() || m.form.isLive() {
		return
	}
	s, err := m.validate()
	if err != nil {
		return // the form shows why
	}
	replaceOK := s.Output == m.replaceOK
	m.replaceOK = ""
	switch {
	case s.Each: // a folder: the videos in it already are skipped
	case isFile(s.Output) && replaceOK:
		s.Force = true
	case isFile(s.Output):
		m.confirmReplace(s)
		return
	}
	m.startJob(s)
}

// goLive starts a stream with the form's settings: the saved service,
// server and key, in one click.
func (m *mainWindow) goLive() {
	if m.progress.running() || !m.form.isLive() {
		return
	}
	s, err := m.validate()
	if err != nil {
		return // the form shows why
	}
	m.startJob(s)
}

func (m *mainWindow) confirmReplace(s encoder.Settings) {
	msg := lang.L("{{.Name}} already exists in {{.Folder}}.\nReplace it with the new video?", map[string]any{"Name": filepath.Base(s.Output), "Folder": filepath.Dir(s.Output)})
	if t := encoder.TracklistPath(s); !isFile(s.Output) && isFile(t) { // only the tracklist is in the way
		msg = lang.L("{{.Name}} already exists in {{.Folder}}.\nReplace it with the new video's tracklist?", map[string]any{"Name": filepath.Base(t), "Folder": filepath.Dir(t)})
	}
	d := dialog.NewConfirm(lang.L("Replace the video?"), msg, func(ok bool) {
		if ok {
			s.Force = true
			m.startJob(s)
		}
	}, m.win)
	d.SetConfirmText(lang.L("Replace"))
	d.SetDismissText(lang.L("Keep it"))
	d.Show()
}

// startJob runs the job on a goroutine: encoder.Start loads and composes
// the image, which can take a moment for a big photo.
func (m *mainWindow) startJob(s encoder.Settings) {
	ctx, cancel := context.WithCancel(context.Background())
	r := &run{live: s.IsLive(), cancel: cancel, done: make(chan struct{})}
	m.run = r
	if r.live {
		m.progress.beginLive(redactedTargets(s.Live.Destinations))
	} else {
		m.prefs.SetString(prefOutputDir, filepath.Dir(s.Output))
		if s.Each {
			m.progress.beginBatch(s.Output)
		} else {
			m.progress.begin(s.Output)
		}
	}
	m.syncControls()
	// A focused field would swallow Esc, and it is locked now anyway.
	m.win.Canvas().Unfocus()
	go m.runJob(ctx, r, s)
}

func (m *mainWindow) runJob(ctx context.Context, r *run, s encoder.Settings) {
	defer close(r.done)
	defer r.cancel()
	job, err := encoder.Start(ctx, s)
	if err != nil {
		m.do(func() { m.startFailed(s, err) })
		return
	}
	m.do(func() { r.job = job })
	if r.live {
		stop := every(liveTick, m.do, m.progress.tick)
		defer stop()
	}
	forward(job.Events(), m.do, m.apply, time.Second/maxUpdatesPerSecond)
	_ = job.Wait() // Finished carried the error; this waits for the cleanup
}

// every runs f on the UI thread through do every interval until stop is
// called.
func every(interval time.Duration, do func(func()), f func()) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				do(f)
			case <-done:
				return
			}
		}
	}()
	return func() { close(done) }
}

// redactedTargets names the destinations as a person may see them: the
// keys, the URL's userinfo and its query values hidden.
func redactedTargets(dests []encoder.Destination) []string {
	names := make([]string, len(dests))
	for i, d := range dests {
		key := ""
		if d.Key != "" { // as Redacted, in the window's words
			key = lang.L("[stream key]")
		}
		names[i] = encoder.RedactedURL(d.URL, key)
	}
	return names
}

// startFailed handles an error from encoder.Start: a file that appeared
// since the check is asked about, a bad field is marked, the rest fail.
func (m *mainWindow) startFailed(s encoder.Settings, err error) {
	m.run = nil
	if errors.Is(err, encoder.ErrOutputExists) && !s.Force {
		m.progress.reset()
		m.syncControls()
		m.confirmReplace(s)
		return
	}
	m.form.showErrors(err)
	m.apply(encoder.Finished{Output: s.Output, Err: err})
}

// apply moves the window on by one job event. Tests call it directly.
func (m *mainWindow) apply(ev encoder.Event) {
	m.progress.apply(ev)
	switch ev := ev.(type) {
	case encoder.Finished:
		m.finished(ev)
	case encoder.PictureChanged:
		m.pictureChanged(ev)
	}
	m.syncControls()
}

func (m *mainWindow) finished(fin encoder.Finished) {
	live := m.run != nil && m.run.live
	asked := m.stopping
	m.run = nil
	m.stopping = false
	switch {
	case live && fin.Err != nil && !asked:
		// A 24/7 stream often runs with nobody watching the window.
		m.app.SendNotification(fyne.NewNotification(lang.L("Stream ended"), liveFailureText(fin.Err)))
	case !live && fin.Err == nil && m.progress.batch:
		m.app.SendNotification(fyne.NewNotification(lang.L("Videos ready"), m.progress.status.Text))
	case !live && fin.Err == nil:
		m.app.SendNotification(fyne.NewNotification(lang.L("Video ready"),
			lang.L("{{.Name}} · {{.Length}} of video, {{.Size}}", map[string]any{"Name": filepath.Base(fin.Output), "Length": fin.Duration, "Size": human.Bytes(fin.Size)})))
	}
}

// cancel stops the running job, a render or a stream; its Finished event
// ends the state.
func (m *mainWindow) cancel() {
	if m.run == nil || m.stopping {
		return
	}
	m.run.cancel()
	m.stopping = true
	m.progress.stopping()
	m.syncControls()
}

// cancelRender is Esc: it cancels a render, but never a stream, which a
// stray key press must not take off the air. Stop does that.
func (m *mainWindow) cancelRender() {
	if m.run != nil && !m.run.live {
		m.cancel()
	}
}

// forward hands job events to apply on the UI thread through do, at most
// one routine update per interval and destination: a Progress, or a
// LiveStatus in the same state as the last one delivered for its
// destination, that comes sooner is dropped, as the next one carries the
// whole state. A change of state and every other event always go through.
func forward(events <-chan encoder.Event, do func(func()), apply func(encoder.Event), interval time.Duration) {
	const progressKey = -1 // Progress has no destination
	last := map[int]time.Time{}
	state := map[int]encoder.LiveState{} // the last state delivered, per destination
	for ev := range events {
		key, routine := progressKey, false
		switch ev := ev.(type) {
		case encoder.Progress, encoder.BatchProgress:
			routine = true
		case encoder.LiveStatus:
			key = ev.Dest
			before, seen := state[key]
			routine = seen && ev.State == before
			state[key] = ev.State
		}
		if routine {
			now := time.Now()
			if now.Sub(last[key]) < interval {
				continue
			}
			last[key] = now
		}
		do(func() { apply(ev) })
	}
}

// fileURL is the file:// URL of path, for the desktop to open.
func fileURL(path string) (*url.URL, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("locating %s: %w", path, err)
	}
	return url.Parse(storage.NewFileURI(abs).String())
}
