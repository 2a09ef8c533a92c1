package ui

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/human"
)

// framePadding keeps the frame off the edges of its well.
const framePadding = 24

// emptyText is what the preview says before there is an image.
const emptyText = "Drop an image here, or choose one…"

// preview shows the composed frame: the canvas, the bars or the crop, and
// the background, as the encoder will write them.
type preview struct {
	do func(func())

	frame  *canvas.Image
	border *canvas.Rectangle
	fit    *frameLayout
	framed *fyne.Container
	empty  *fyne.Container
	// emptyLabel is the empty state's invitation.
	emptyLabel *widget.Label
	caption    *widget.Label
	notice     *widget.Label
	content    fyne.CanvasObject

	// gen counts requests, so a slow composition never overwrites a newer
	// one; shown is the request on screen.
	gen, shown uint64
	// key is what the last requested frame was composed from; settings are
	// the newest, for the caption.
	key         previewKey
	settings    encoder.Settings
	length      time.Duration // the video's; 0 when not known
	framesKnown bool
	// canvas is the real size of the frame shown; zero when empty.
	canvas image.Point
}

// previewKey is what a composed frame depends on.
type previewKey struct {
	pic        *loadedImage
	canvas     image.Point
	size       encoder.Size
	fit        encoder.Fit
	background color.RGBA
}

func newPreview(do func(func()), onChoose func()) *preview {
	p := &preview{do: do, fit: &frameLayout{}}
	p.frame = &canvas.Image{FillMode: canvas.ImageFillStretch, ScaleMode: canvas.ImageScaleSmooth}
	p.border = &canvas.Rectangle{StrokeColor: theme.Color(theme.ColorNameSeparator), StrokeWidth: 1}
	p.caption = &widget.Label{Alignment: fyne.TextAlignCenter, Truncation: fyne.TextTruncateEllipsis}
	p.notice = &widget.Label{Alignment: fyne.TextAlignCenter, Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord}
	p.notice.Hide()

	icon := canvas.NewImageFromResource(theme.FileImageIcon())
	icon.SetMinSize(fyne.NewSquareSize(72))
	icon.FillMode = canvas.ImageFillContain
	p.emptyLabel = &widget.Label{Text: lang.L(emptyText), Alignment: fyne.TextAlignCenter, SizeName: theme.SizeNameSubHeadingText}
	p.empty = container.NewCenter(container.NewVBox(
		icon,
		p.emptyLabel,
		container.NewCenter(&widget.Button{Text: lang.L("Choose an image…"), Icon: theme.FolderOpenIcon(), OnTapped: onChoose}),
	))

	well := &canvas.Rectangle{FillColor: theme.Color(theme.ColorNameInputBackground), CornerRadius: theme.InputRadiusSize()}
	p.framed = container.New(p.fit, p.frame, p.border)
	p.content = container.NewBorder(nil,
		container.NewVBox(p.caption, p.notice), nil, nil,
		container.NewStack(well, container.New(layout.NewCustomPaddedLayout(framePadding, framePadding, framePadding, framePadding), p.framed), p.empty))
	p.clear()
	return p
}

// clear shows the empty state.
func (p *preview) clear() {
	p.gen++
	p.key = previewKey{}
	p.canvas = image.Point{}
	p.frame.Image = nil
	p.frame.Hide()
	p.border.Hide()
	p.caption.SetText("")
	p.empty.Show()
}

// update composes the frame for pic on a canvas of the given size with s
// on a goroutine and shows it when it is ready, unless a newer update came
// first. The caption counts the frames of a video length long only when
// framesKnown: s's durations and rate are valid.
func (p *preview) update(pic *loadedImage, canvas image.Point, s encoder.Settings, length time.Duration, framesKnown bool) {
	if pic == nil {
		p.clear()
		return
	}
	p.settings, p.length, p.framesKnown = s, length, framesKnown
	key := previewKey{pic: pic, canvas: canvas, size: s.Size, fit: s.Fit, background: s.Background}
	if key == p.key {
		if p.canvas != (image.Point{}) {
			p.caption.SetText(p.captionText())
		}
		return
	}
	p.key = key
	p.gen++
	gen := p.gen
	go func() {
		frame := composePreview(pic, canvas, s)
		p.do(func() {
			if gen == p.gen {
				p.shown = gen
				p.show(frame, canvas)
			}
		})
	}()
}

func (p *preview) show(frame *image.RGBA, canvasSize image.Point) {
	p.canvas = canvasSize
	p.fit.aspect = float32(canvasSize.X) / float32(canvasSize.Y)
	p.frame.Image = frame
	p.empty.Hide()
	p.frame.Show()
	p.border.Show()
	p.framed.Refresh()
	p.caption.SetText(p.captionText())
}

// captionText sums up the frame and the video:
// "1920 × 1080 · Letterbox · 10s at 25 fps = 250 frames".
func (p *preview) captionText() string {
	s := p.settings
	text := fmt.Sprintf("%d × %d  ·  %s", p.canvas.X, p.canvas.Y, fitLabels()[s.Fit])
	switch {
	case !p.framesKnown:
	case s.IsLive() && s.Duration == 0:
		text += "  ·  " + lang.L("{{.FPS}} fps, streamed until you press Stop", map[string]any{"FPS": s.FPS})
	case s.IsLive():
		text += "  ·  " + lang.L("{{.FPS}} fps, streamed for {{.Length}}", map[string]any{"FPS": s.FPS, "Length": s.Duration})
	case s.Each && p.length > 0: // a video per song: each as long as its song
		text += "  ·  " + lang.L("a video per song, {{.Length}} in all, at {{.FPS}} fps", map[string]any{"Length": lengthString(p.length), "FPS": s.FPS})
	case p.length > 0:
		frames := int(math.Round(p.length.Seconds() * float64(s.FPS)))
		text += "  ·  " + lang.L("{{.Length}} at {{.FPS}} fps = {{.Frames}} frames", map[string]any{"Length": lengthString(p.length), "FPS": s.FPS, "Frames": frames})
	}
	return text
}

// lengthString writes a whole number of seconds as typed ("1m30s"), and
// a length read from audio as a clock ("3:12").
func lengthString(d time.Duration) string {
	if d%time.Second == 0 {
		return d.String()
	}
	return human.Clock(d)
}

// say shows a short message under the preview; "" hides it.
func (p *preview) say(text string) {
	p.notice.SetText(text)
	if text == "" {
		p.notice.Hide()
	} else {
		p.notice.Show()
	}
}

// frameLayout centres its objects in the largest rectangle of the frame's
// shape that fits, so the border hugs the picture.
type frameLayout struct {
	aspect float32 // width / height; 0 fills the space
}

func (l *frameLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w, h := size.Width, size.Height
	if l.aspect > 0 {
		if w/h > l.aspect {
			w = h * l.aspect
		} else {
			h = w / l.aspect
		}
	}
	pos := fyne.NewPos((size.Width-w)/2, (size.Height-h)/2)
	for _, o := range objs {
		o.Move(pos)
		o.Resize(fyne.NewSize(w, h))
	}
}

func (l *frameLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(240, 135) }

var _ fyne.Layout = (*frameLayout)(nil)
