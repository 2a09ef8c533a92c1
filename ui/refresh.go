package ui

import "time"

// editDelay is how long the window waits after a keystroke before it
// checks the form again: typing "1:30" checks it once, not four times,
// however long the list of images.
const editDelay = 200 * time.Millisecond

// debouncer runs run once, delay after the last of a burst of calls to
// schedule. Everything but the timer runs on the UI goroutine: the timer
// only hands the call to do (fyne.Do), and a call that a later schedule,
// flush or stop has overtaken does nothing.
type debouncer struct {
	do    func(func())
	run   func()
	delay time.Duration

	timer *time.Timer // nil when nothing waits
	gen   uint64      // counts schedules and stops
}

// schedule runs run after delay, unless called again before then.
func (d *debouncer) schedule() {
	d.stop()
	gen := d.gen
	d.timer = time.AfterFunc(d.delay, func() {
		d.do(func() {
			if gen == d.gen {
				d.timer = nil
				d.run()
			}
		})
	})
}

// pending reports whether a call waits.
func (d *debouncer) pending() bool { return d.timer != nil }

// flush runs a waiting call now: before a render starts, or the window
// closes, the form is checked as typed.
func (d *debouncer) flush() {
	if d.pending() {
		d.stop()
		d.run()
	}
}

// stop drops a waiting call: the form was checked meanwhile.
func (d *debouncer) stop() {
	d.gen++
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
}
