package ui

import (
	"image"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// graphSpan is how far back a destination's bitrate graph looks.
const graphSpan = 5 * time.Minute

// graphCapacity holds a sample a second over graphSpan, with room for the
// marks: the encoder reports about once a second while on air.
const graphCapacity = 360

// graphGap is the longest pause between two samples that the line still
// joins; a longer one is a hole in the line, as nothing was reported.
const graphGap = 5 * time.Second

// graphSample is one point of the graph: a bitrate reported at a time,
// or the mark of a reconnect.
type graphSample struct {
	at        time.Time
	bps       int
	reconnect bool // the connection dropped here; the line breaks
}

// sampleRing keeps the newest graphCapacity samples, oldest first, without
// allocating once full.
type sampleRing struct {
	buf   [graphCapacity]graphSample
	start int // index of the oldest sample
	n     int
}

func (r *sampleRing) push(s graphSample) {
	if r.n < len(r.buf) {
		r.buf[(r.start+r.n)%len(r.buf)] = s
		r.n++
		return
	}
	r.buf[r.start] = s
	r.start = (r.start + 1) % len(r.buf)
}

// at is the i-th sample, from the oldest.
func (r *sampleRing) at(i int) graphSample { return r.buf[(r.start+i)%len(r.buf)] }

func (r *sampleRing) len() int { return r.n }

// bitrateGraph draws one destination's bitrate over the last graphSpan,
// with each reconnect as a vertical mark. It redraws only when asked to
// by flush, which the live panel calls at most once a second.
type bitrateGraph struct {
	widget.BaseWidget
	samples sampleRing
	now     time.Time // the right edge of the last drawing
	dirty   bool      // samples came in since the last drawing
	lastOn  bool      // the last sample was on air: a drop then is a reconnect
}

// graphMinSize is the graph's smallest size in the panel.
var graphMinSize = fyne.NewSize(240, 52)

func newBitrateGraph() *bitrateGraph {
	g := &bitrateGraph{}
	g.ExtendBaseWidget(g)
	return g
}

// onAir adds a reported bitrate at t.
func (g *bitrateGraph) onAir(t time.Time, bps int) {
	g.samples.push(graphSample{at: t, bps: bps})
	g.lastOn, g.dirty = true, true
}

// dropped marks a connection that ended at t; only the first of a run of
// reconnecting statuses makes a mark.
func (g *bitrateGraph) dropped(t time.Time) {
	if !g.lastOn {
		return
	}
	g.samples.push(graphSample{at: t, reconnect: true})
	g.lastOn, g.dirty = false, true
}

// flush redraws the graph up to now if anything changed, or if the
// graph would otherwise stand still while time moves on.
func (g *bitrateGraph) flush(now time.Time) {
	if !g.dirty && now.Sub(g.now) < time.Second {
		return
	}
	g.now, g.dirty = now, false
	g.Refresh()
}

func (g *bitrateGraph) MinSize() fyne.Size { return graphMinSize }

func (g *bitrateGraph) CreateRenderer() fyne.WidgetRenderer {
	bg := &canvas.Rectangle{CornerRadius: theme.InputRadiusSize()}
	r := &graphRenderer{g: g, bg: bg}
	r.raster = canvas.NewRaster(r.draw)
	r.peak = &canvas.Text{TextSize: theme.CaptionTextSize()}
	r.Refresh()
	return r
}

type graphRenderer struct {
	g      *bitrateGraph
	bg     *canvas.Rectangle
	raster *canvas.Raster
	peak   *canvas.Text // the highest bitrate in view
}

func (r *graphRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.raster.Resize(size)
	pad := theme.InnerPadding() / 2
	r.peak.Move(fyne.NewPos(pad, pad/2))
	r.peak.Resize(r.peak.MinSize())
}

func (r *graphRenderer) MinSize() fyne.Size { return graphMinSize }

func (r *graphRenderer) Refresh() {
	r.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.peak.Color = theme.Color(theme.ColorNamePlaceHolder)
	r.peak.Text = ""
	if peak := graphPeak(&r.g.samples, r.g.now); peak > 0 {
		r.peak.Text = lang.L("peak {{.Bitrate}}", map[string]any{"Bitrate": humanBitrate(peak)})
	}
	r.bg.Refresh()
	r.peak.Refresh()
	r.raster.Refresh()
}

func (r *graphRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.raster, r.peak}
}

func (r *graphRenderer) Destroy() {}

func (r *graphRenderer) draw(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	line := theme.Color(theme.ColorNamePrimary)
	drawGraph(img, &r.g.samples, r.g.now, graphColors{
		line: line, fill: withAlpha(line, 0x38), mark: theme.Color(theme.ColorNameWarning),
	})
	return img
}

// graphColors are the colours drawGraph uses.
type graphColors struct {
	line, fill, mark color.Color
}

func withAlpha(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}

// graphScale is the bitrate at the top of the graph: the highest in view
// and half as much again, which leaves the top for the scale's label; 0
// when there is nothing to show.
func graphScale(s *sampleRing, now time.Time) int {
	peak := graphPeak(s, now)
	return peak + peak/2
}

// graphPeak is the highest bitrate in view.
func graphPeak(s *sampleRing, now time.Time) int {
	peak := 0
	for i := range s.len() {
		if sm := s.at(i); now.Sub(sm.at) <= graphSpan {
			peak = max(peak, sm.bps)
		}
	}
	return peak
}

// drawGraph draws samples onto img, whose right edge is now and left edge
// graphSpan before: the bitrate as a filled line, joined only between
// samples on air less than graphGap apart, and each reconnect as a
// vertical mark across the height.
func drawGraph(img *image.NRGBA, s *sampleRing, now time.Time, c graphColors) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	top := graphScale(s, now)
	if w < 2 || h < 2 || top <= 0 {
		return
	}
	xOf := func(t time.Time) int {
		return w - 1 - int(int64(w-1)*int64(now.Sub(t))/int64(graphSpan))
	}
	yOf := func(bps int) int { return h - 1 - (h-2)*bps/top }
	for i := 1; i < s.len(); i++ {
		a, z := s.at(i-1), s.at(i)
		if a.reconnect || z.reconnect || z.at.Sub(a.at) > graphGap {
			continue
		}
		x0, x1 := max(xOf(a.at), 0), min(xOf(z.at), w-1)
		for x := x0; x <= x1; x++ {
			bps := a.bps
			if span := xOf(z.at) - xOf(a.at); span > 0 {
				bps += (z.bps - a.bps) * (x - xOf(a.at)) / span
			}
			y := yOf(bps)
			for yy := y + 1; yy < h; yy++ {
				img.Set(b.Min.X+x, b.Min.Y+yy, c.fill)
			}
			img.Set(b.Min.X+x, b.Min.Y+y, c.line)
			img.Set(b.Min.X+x, b.Min.Y+max(y-1, 0), c.line)
		}
	}
	for i := range s.len() {
		if sm := s.at(i); sm.reconnect {
			if x := xOf(sm.at); x >= 0 && x < w {
				for y := range h {
					img.Set(b.Min.X+x, b.Min.Y+y, c.mark)
				}
			}
		}
	}
}
