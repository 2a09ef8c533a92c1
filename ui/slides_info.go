package ui

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/encoder/picture"
	"github.com/stillcast/stillcast/ui/human"
)

// The line under each image says how long it shows. Redrawing a line
// costs Fyne about a millisecond (its text is shaped again), so a change
// that moves the line of all 10,000 images of a list redraws at once only
// the rows on screen, and the others a batch at a time on the UI
// goroutine, each batch queued behind whatever the user does meanwhile.

// Redrawing the lines off screen.
const (
	// infoBatch is how many lines one batch redraws: a few tens of
	// milliseconds of the UI goroutine.
	infoBatch = 24
	// infoMargin is how many rows either side of the screen are redrawn
	// at once too, for a short scroll.
	infoMargin = 4
)

// showTimeline says under each image how long it shows, or its size when
// durations are not shown; tl is nil when the timeline is not known.
func (l *slideList) showTimeline(tl *timeline) {
	l.shown = tl
	// Translating a line runs a template: each different one runs once.
	said := map[encoder.Showing]string{}
	for i, s := range l.items {
		if tl == nil || i >= len(tl.shows) || s.state != slideLoaded {
			s.infoText = l.infoFor(s, nil)
			continue
		}
		sh := tl.shows[i]
		text, ok := said[sh]
		if !ok {
			text = l.infoFor(s, &sh)
			said[sh] = text
		}
		s.infoText = text
	}
	l.infoGen++
	lo, hi := l.onScreen()
	for _, s := range l.items[lo:hi] {
		s.redrawInfo()
	}
	l.infoBusy = true
	l.queueInfo(l.infoGen, 0)
}

// showInfo says under s, at once, how it shows (sh), or its size or state.
func (l *slideList) showInfo(s *slide, sh *encoder.Showing) {
	s.infoText = l.infoFor(s, sh)
	s.redrawInfo()
}

// showing is how s shows by the newest timeline shown; nil when not known.
func (l *slideList) showing(s *slide) *encoder.Showing {
	i := slices.Index(l.items, s)
	if l.shown == nil || i < 0 || i >= len(l.shown.shows) {
		return nil
	}
	return &l.shown.shows[i]
}

// redrawInfo makes s's line say infoText; it reports whether it had to.
func (s *slide) redrawInfo() bool {
	if s.info.Text == s.infoText {
		return false
	}
	s.info.SetText(s.infoText)
	return true
}

// queueInfo redraws the next batch of lines that changed, from row from
// on, on the UI goroutine, and so on until the list is done or a newer
// redraw takes over.
func (l *slideList) queueInfo(gen uint64, from int) {
	go l.do(func() {
		if gen != l.infoGen {
			return
		}
		for n := 0; from < len(l.items) && n < infoBatch; from++ {
			if l.items[from].redrawInfo() {
				n++
			}
		}
		if from < len(l.items) {
			l.queueInfo(gen, from)
			return
		}
		l.infoBusy = false
	})
}

// onScreen is the rows [lo, hi) that the list's scroll shows, with
// infoMargin more either side; the first infoBatch rows until the
// window is laid out.
func (l *slideList) onScreen() (lo, hi int) {
	n := len(l.items)
	first := min(n, infoBatch)
	if l.view == nil || l.view.Size().Height <= 0 || n == 0 {
		return 0, first
	}
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(l.view).Y - d.AbsolutePositionForObject(l.rows).Y
	bottom := top + l.view.Size().Height
	lo = sort.Search(n, func(i int) bool { r := l.items[i].row; return r.Position().Y+r.Size().Height >= top })
	hi = sort.Search(n, func(i int) bool { return l.items[i].row.Position().Y > bottom })
	if hi <= lo { // not laid out yet
		return 0, first
	}
	return max(0, lo-infoMargin), min(n, hi+infoMargin)
}

// infoFor is what the line under s says: how it shows (sh), or its size
// when durations are not shown or not known, or its state.
func (l *slideList) infoFor(s *slide, sh *encoder.Showing) string {
	switch {
	case s.state == slideLoading:
		return lang.L("Loading…")
	case s.state == slideFailed:
		return failedRowText(s.err)
	case !l.timed || len(l.items) < 2 || sh == nil:
		return fmt.Sprintf("%d × %d", s.size.X, s.size.Y)
	case sh.Times == 0:
		return lang.L("not shown: the video ends before it")
	case sh.Times > 1:
		return lang.L("shows {{.Length}}, {{.Times}} times", map[string]any{"Length": human.Clock(sh.First), "Times": sh.Times})
	}
	return lang.L("shows {{.Length}}", map[string]any{"Length": human.Clock(sh.First)})
}

// failedRowText is why an image did not load, as its row says it under
// its name: what picture.Load found wrong, else that it did not load.
func failedRowText(err error) string {
	var loadErr *picture.LoadError
	if errors.As(err, &loadErr) {
		return fmt.Sprintf(lang.L(loadErr.Format), loadErr.Args...)
	}
	return lang.L("did not load")
}
