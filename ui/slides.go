package ui

import (
	"errors"
	"image"
	"path/filepath"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
)

// slideList is the images of the video: one makes a still, several a
// slideshow in the order shown. Each row has a thumbnail, the file's name
// and, in a slideshow, how long the image shows, with buttons to move and
// remove it. Images load on goroutines; only a small thumbnail of each is
// kept, so a long slideshow does not fill memory.
type slideList struct {
	do func(func())
	// onChanged runs when the images, their order or a duration changed;
	// onSelected when another image was picked for the preview; onLoaded
	// when an image finished loading, with its picture (nil if it failed).
	onChanged  func()
	onEdited   func() // after a keystroke in a duration, instead of onChanged
	onSelected func()
	onLoaded   func(s *slide, pic *loadedImage)

	items    []*slide
	selected *slide // the image the preview shows; nil shows the first
	rows     *fyne.Container
	// slots bounds the images decoded at once: a hundred dropped photos
	// must not all be in memory, full size, together.
	slots    chan struct{}
	timed    bool // each row takes a duration: a slideshow to a file
	disabled bool
	// loading stops the duration entries' callbacks while rows are built.
	loading bool
	// view is the scroll the list shows in; the rows on screen have their
	// lines redrawn at once, the others a batch at a time (slides_info.go).
	view *container.Scroll
	// infoGen counts the redraws of the lines; infoBusy says batches of
	// the newest are queued.
	infoGen  uint64
	infoBusy bool
	shown    *timeline // the newest timeline shown, nil when not known
	// refused says why the images last added were not: too many.
	refused error
}

// slideState is where an image of the list is in its loading.
type slideState int

const (
	slideLoading slideState = iota
	slideLoaded
	slideFailed
)

// slide is one image of the list and its row.
type slide struct {
	path  string
	state slideState
	err   error       // why it did not load
	size  image.Point // after EXIF orientation, once loaded
	// tentative is a dropped file without an image's extension: it leaves
	// the list again if it does not decode.
	tentative bool

	thumb    *canvas.Image
	name     *widget.Label
	info     *widget.Label // its size, or how long it shows
	infoText string        // what info is to say, once redrawn
	duration *widget.Entry
	// durationErr is what is wrong with the duration typed, as marked.
	durationErr error
	timing      fyne.CanvasObject // the duration with its caption
	up          *widget.Button
	down        *widget.Button
	remove      *widget.Button
	bg          *canvas.Rectangle // marks the row the preview shows
	row         fyne.CanvasObject
}

// Thumbnails in the list.
const (
	// slideThumbSide is the long side the thumbnail is scaled to, in
	// pixels: sharp on a HiDPI screen at slideThumbWidth.
	slideThumbSide  = 160
	slideThumbWidth = 64
)

// slideDecoders is how many images of the list are decoded at once.
const slideDecoders = 2

func newSlideList(do func(func())) *slideList {
	return &slideList{do: do, rows: container.NewVBox(), slots: make(chan struct{}, slideDecoders)}
}

// content is the list's rows.
func (l *slideList) content() fyne.CanvasObject { return l.rows }

// paths are the images in order.
func (l *slideList) paths() []string {
	out := make([]string, len(l.items))
	for i, s := range l.items {
		out[i] = s.path
	}
	return out
}

// set replaces the images with paths.
func (l *slideList) set(paths ...string) {
	if l.tooMany(0, len(paths)) {
		return
	}
	l.items, l.selected = nil, nil
	l.add(false, paths...)
}

// tooMany refuses to add n images to have: past encoder.MaxImages none
// is added or read, and the list says why until it changes.
func (l *slideList) tooMany(have, n int) bool {
	if have+n <= encoder.MaxImages {
		return false
	}
	l.refused = &encoder.FieldError{Field: "image", Err: errors.New(lang.L(
		"Adding {{.Added}} images would make {{.Count}}, more than the {{.Max}} a video takes: none of them was added",
		map[string]any{"Added": n, "Count": have + n, "Max": encoder.MaxImages}))}
	l.changed()
	return true
}

// add appends paths and starts loading them; the preview shows the first
// of them when the list had images already. tentative images leave the
// list again if they do not decode.
func (l *slideList) add(tentative bool, paths ...string) {
	if l.tooMany(len(l.items), len(paths)) {
		return
	}
	l.refused = nil
	had := len(l.items) > 0
	for i, p := range paths {
		s := l.newSlide(p)
		s.tentative = tentative
		l.items = append(l.items, s)
		if i == 0 && had {
			l.selected = s
		}
		l.load(s)
	}
	l.rebuild()
	l.changed()
}

func (l *slideList) newSlide(path string) *slide {
	s := &slide{path: path}
	s.thumb = &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScaleSmooth}
	s.thumb.SetMinSize(fyne.NewSize(slideThumbWidth, slideThumbWidth*3/4))
	s.name = &widget.Label{Text: filepath.Base(path), Truncation: fyne.TextTruncateEllipsis}
	s.infoText = lang.L("Loading…")
	s.info = &widget.Label{Text: s.infoText, Importance: widget.LowImportance, SizeName: captionSize, Truncation: fyne.TextTruncateEllipsis}
	s.duration = &widget.Entry{PlaceHolder: lang.L("auto"), AlwaysShowValidationError: true}
	s.duration.OnChanged = func(string) {
		if !l.loading {
			l.onEdited()
		}
	}
	s.up = &widget.Button{Icon: theme.MoveUpIcon(), Importance: widget.LowImportance, OnTapped: func() { l.move(s, -1) }}
	s.down = &widget.Button{Icon: theme.MoveDownIcon(), Importance: widget.LowImportance, OnTapped: func() { l.move(s, +1) }}
	s.remove = &widget.Button{Icon: theme.DeleteIcon(), Importance: widget.LowImportance, OnTapped: func() { l.removeSlide(s) }}
	s.bg = &canvas.Rectangle{CornerRadius: theme.InputRadiusSize()}

	thumb := &tapArea{content: container.NewCenter(s.thumb), onTapped: func() { l.selectSlide(s) }}
	thumb.ExtendBaseWidget(thumb)
	text := &tapArea{content: container.NewVBox(s.name, s.info), onTapped: func() { l.selectSlide(s) }}
	text.ExtendBaseWidget(text)
	s.timing = container.NewBorder(nil, nil, &widget.Label{Text: lang.L("Shows for"), Importance: widget.LowImportance}, nil, s.duration)
	buttons := container.NewHBox(s.up, s.down, s.remove)
	s.row = container.NewStack(s.bg, container.NewBorder(nil, nil, thumb, container.NewCenter(buttons),
		container.NewVBox(text, s.timing)))
	return s
}

// current is the image the preview shows: the selected one, or the first.
func (l *slideList) current() *slide {
	if l.selected != nil {
		return l.selected
	}
	if len(l.items) > 0 {
		return l.items[0]
	}
	return nil
}

// first is the first image, which sets the canvas size; nil when empty.
func (l *slideList) first() *slide {
	if len(l.items) == 0 {
		return nil
	}
	return l.items[0]
}

func (l *slideList) selectSlide(s *slide) {
	if l.disabled || l.current() == s {
		return
	}
	l.selected = s
	l.markSelected()
	l.onSelected()
}

func (l *slideList) move(s *slide, by int) {
	i := slices.Index(l.items, s)
	j := i + by
	if i < 0 || j < 0 || j >= len(l.items) {
		return
	}
	l.items[i], l.items[j] = l.items[j], l.items[i]
	l.refused = nil
	l.rebuild()
	l.changed()
}

func (l *slideList) removeSlide(s *slide) {
	l.refused = nil
	l.drop(s)
	l.rebuild()
	l.changed()
}

// drop takes s out of the list without telling anyone.
func (l *slideList) drop(s *slide) {
	l.items = slices.DeleteFunc(l.items, func(o *slide) bool { return o == s })
	if l.selected == s {
		l.selected = nil
	}
}

func (l *slideList) changed() {
	if l.onChanged != nil {
		l.onChanged()
	}
}

// setTimed shows or hides the duration of each image: only a slideshow
// to a file has them.
func (l *slideList) setTimed(on bool) {
	if l.timed == on {
		return
	}
	l.timed = on
	l.rebuild()
}

// rebuild lays the rows out in order, with the buttons that apply.
func (l *slideList) rebuild() {
	objs := make([]fyne.CanvasObject, len(l.items))
	several := len(l.items) > 1
	for i, s := range l.items {
		objs[i] = s.row
		showIf(several, s.up, s.down)
		showIf(l.timed && several, s.timing)
		l.enable(s)
		if i == 0 {
			s.up.Disable()
		}
		if i == len(l.items)-1 {
			s.down.Disable()
		}
	}
	l.rows.Objects = objs
	l.markSelected()
	l.rows.Refresh()
}

func (l *slideList) markSelected() {
	cur := l.current()
	for _, s := range l.items {
		if s == cur && len(l.items) > 1 {
			s.bg.FillColor = theme.Color(theme.ColorNameHover)
		} else {
			s.bg.FillColor = nil
		}
		s.bg.Refresh()
	}
}

// setEnabled locks the list while a job runs.
func (l *slideList) setEnabled(on bool) {
	l.disabled = !on
	l.rebuild()
}

func (l *slideList) enable(s *slide) {
	for _, w := range []fyne.Disableable{s.duration, s.up, s.down, s.remove} {
		if l.disabled {
			w.Disable()
		} else {
			w.Enable()
		}
	}
}

// pending reports whether an image is still loading.
func (l *slideList) pending() bool {
	return slices.ContainsFunc(l.items, func(s *slide) bool { return s.state == slideLoading })
}
