package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
)

// appID is the application's ID, as in FyneApp.toml: it names the
// preferences folder and the desktop entry.
const appID = "io.github.stillcast"

// jobStopWait bounds how long quitting on a signal waits for the job to
// end. The encoder gives ffmpeg 5 s after SIGINT before it kills it, so
// this is longer: a render's partial file is deleted, a stream closed,
// before the window goes. Logout and shutdown wait about this long too.
const jobStopWait = 8 * time.Second

// Run opens Stillcast's window with files, as Create does, and runs it
// until it is closed or until ctx ends (SIGINT, SIGTERM, a logout): then
// it stops the job under way and quits once the job has ended.
func Run(ctx context.Context, files ...string) {
	a := app.NewWithID(appID)
	w := a.NewWindow("Stillcast")
	m := create(a, w, files)
	stop := context.AfterFunc(ctx, func() {
		fyne.Do(func() { m.quitAfterStop(jobStopWait) })
	})
	defer stop()
	w.ShowAndRun()
}

// quitAfterStop is quitting without a question, as a signal asks: it
// cancels a render (its partial file is deleted, nothing is left at the
// output) or stops a stream, and closes the window, which ends the app,
// once the job has ended, or after wait at the latest.
func (m *mainWindow) quitAfterStop(wait time.Duration) {
	r := m.run
	if r == nil {
		m.hideThenClose()
		return
	}
	m.cancel()
	go func() {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-r.done:
		case <-t.C:
		}
		m.do(m.hideThenClose)
	}()
}

// closeDelay is how long a window hides before it closes.
const closeDelay = 200 * time.Millisecond

// hideThenClose hides the window and closes it a moment later. Fyne 2.7
// crashes on a pointer event that reaches a window already closing
// (fyne-io/fyne#5981; the Xvfb test met it on most runs when closing at
// once, with Close and with App.Quit alike). A hidden window gets no new
// pointer events, and those already queued find it still open.
func (m *mainWindow) hideThenClose() {
	m.win.Hide()
	time.AfterFunc(closeDelay, func() { m.do(m.win.Close) })
}
