package ui

import (
	"image"
	"image/color"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestTypingIsCheckedOnceItPauses: keystrokes in a row are checked once,
// after the last, when the debounce's timer hands the check to the UI
// queue; Render runs a check still waiting before it decides.
func TestTypingIsCheckedOnceItPauses(t *testing.T) {
	h := newHarness(t)
	threeImages(t, h)
	runs := 0
	run := h.edits.run
	h.edits.run = func() { runs++; run() }

	test.Type(h.form.fps, "abc") // 25abc
	if runs != 0 || h.form.reason("fps") != "" || !h.edits.pending() {
		t.Fatalf("checked %d times while typing; reason %q", runs, h.form.reason("fps"))
	}
	h.q.until(t, "the typing is checked", func() bool { return !h.edits.pending() })
	if runs != 1 || !strings.Contains(h.form.reason("fps"), "whole number") || !h.renderButton.Disabled() {
		t.Fatalf("checked %d times; reason %q", runs, h.form.reason("fps"))
	}

	h.form.fps.SetText("25")
	h.q.until(t, "the fix is checked", func() bool { return !h.edits.pending() })
	test.Type(h.form.fps, "x")
	h.onRenderTapped() // at once, before the timer
	if runs != 3 || h.run != nil || !strings.Contains(h.form.reason("fps"), "whole number") {
		t.Errorf("Render after a keystroke: checked %d times, job %v, reason %q", runs, h.run, h.form.reason("fps"))
	}
}

// TestLinesOnScreenAreRedrawnFirst: a change redraws the lines of the
// rows on screen (the top of the list) at once, and the others in
// batches queued after it.
func TestLinesOnScreenAreRedrawnFirst(t *testing.T) {
	h := newHarness(t)
	img := writePNG(t, filepath.Join(h.dir, "a.png"), 8, 6, color.White)
	h.openImage(t, img)
	addLoadedSlides(h, img, image.Pt(8, 6), 299)
	h.setText(h.form.duration, "600") // two seconds each
	l := h.form.slides
	lo, hi := l.onScreen()
	if lo != 0 || hi < 2 || hi > 40 {
		t.Fatalf("rows %d to %d are on screen, want the first few", lo, hi)
	}

	h.form.duration.SetText("900") // three seconds each
	h.edits.flush()
	if got := l.items[1].info.Text; got != "shows 0:03" {
		t.Errorf("the second row, on screen, says %q at once", got)
	}
	if got := l.items[298].info.Text; got != "shows 0:02" {
		t.Errorf("row 298, off screen, says %q at once: it should wait for its batch", got)
	}
	h.settle()
	for i, s := range l.items[:len(l.items)-1] {
		if s.info.Text != "shows 0:03" {
			t.Fatalf("row %d says %q once all is redrawn", i, s.info.Text)
		}
	}
}
