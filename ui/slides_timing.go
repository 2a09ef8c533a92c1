package ui

import (
	"fyne.io/fyne/v2/lang"

	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/human"
)

// slideError is a problem with the duration typed for one image; its
// text names the image.
type slideError struct {
	slide *slide
	err   error
}

func (e *slideError) Error() string { return filepath.Base(e.slide.path) + ": " + e.err.Error() }
func (e *slideError) Unwrap() error { return e.err }

// slides reads the list into encoder slides. Durations count only while
// they are shown; one that does not parse, is not above zero, or is
// shorter than one frame at fps (0: not known), comes back as an
// "image-duration" field error naming its image. Images that did not
// load come back as "image" errors.
func (l *slideList) slides(fps int) ([]encoder.Slide, error) {
	out := make([]encoder.Slide, len(l.items))
	errs := []error{l.refused}
	for i, s := range l.items {
		out[i].Image = s.path
		if s.state == slideFailed {
			errs = append(errs, &encoder.FieldError{Field: "image", Err: errors.New(loadFailureText(s.err))})
		}
		text := strings.TrimSpace(s.duration.Text)
		if !l.timed || len(l.items) < 2 || text == "" {
			continue
		}
		d, err := encoder.ParseDuration(text)
		switch {
		case err != nil:
			err = errors.New(lang.L("{{.Text}} is not a duration: use 20s, 1m30s or 1:30, or leave it empty for an even share", map[string]any{"Text": strconv.Quote(text)}))
		case d <= 0:
			err = errors.New(lang.L("the duration must be longer than zero; leave it empty for an even share"))
		case d > encoder.MaxDuration:
			err = errors.New(lang.L("the duration must be at most {{.Max}}", map[string]any{"Max": human.Clock(encoder.MaxDuration)}))
		case fps > 0 && d < time.Second/time.Duration(fps):
			err = errors.New(lang.L("{{.Text}} is shorter than one frame at {{.FPS}} fps: make it at least {{.Min}}",
				map[string]any{"Text": text, "FPS": fps, "Min": oneFrame(fps)}))
		}
		if err != nil {
			errs = append(errs, &encoder.FieldError{Field: "image-duration", Err: &slideError{slide: s, err: err}})
			continue
		}
		out[i].Duration = d
	}
	return out, errors.Join(errs...)
}

// oneFrame is the length of a frame at fps, rounded up to a millisecond,
// as a duration to type.
func oneFrame(fps int) string {
	frame := time.Second / time.Duration(fps)
	return (frame + time.Millisecond - 1).Truncate(time.Millisecond).String()
}

// showDurationErrors marks the duration entries that err names.
func (l *slideList) showDurationErrors(err error) {
	bad := map[*slide]error{}
	for _, fe := range encoder.FieldErrors(err) {
		var se *slideError
		if errors.As(fe.Err, &se) {
			bad[se.slide] = se.err
		}
	}
	for _, s := range l.items {
		s.durationErr = bad[s]
		s.duration.SetValidationError(bad[s])
	}
}

// tapArea makes its content tappable: a row's thumbnail and name select
// the image for the preview.
type tapArea struct {
	widget.BaseWidget
	content  fyne.CanvasObject
	onTapped func()
}

func (t *tapArea) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.content) }

func (t *tapArea) Tapped(*fyne.PointEvent) { t.onTapped() }

// showIf shows objs when on and hides them otherwise.
func showIf(on bool, objs ...fyne.CanvasObject) {
	for _, o := range objs {
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
}
