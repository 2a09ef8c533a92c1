package ui

import (
	"image"
	"image/color"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestGraphRingKeepsTheNewest(t *testing.T) {
	var r sampleRing
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range graphCapacity + 25 {
		r.push(graphSample{at: t0.Add(time.Duration(i) * time.Second), bps: i})
	}
	if r.len() != graphCapacity {
		t.Fatalf("len %d, want %d", r.len(), graphCapacity)
	}
	for i := range r.len() {
		if got := r.at(i).bps; got != i+25 {
			t.Fatalf("sample %d is %d, want %d: oldest first, the first 25 dropped", i, got, i+25)
		}
	}
}

// graphImage draws g's samples as the renderer does, w×h pixels.
func graphImage(g *bitrateGraph, w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	drawGraph(img, &g.samples, g.now, testGraphColors)
	return img
}

var testGraphColors = graphColors{
	line: color.NRGBA{B: 255, A: 255}, fill: color.NRGBA{B: 255, A: 80}, mark: color.NRGBA{R: 255, G: 200, A: 255},
}

// columnsOf lists the columns of img that hold colour c from top to bottom.
func columnsOf(img *image.NRGBA, c color.Color) []int {
	var cols []int
	b := img.Bounds()
	for x := range b.Dx() {
		full := true
		for y := range b.Dy() {
			if img.At(x, y) != c {
				full = false
				break
			}
		}
		if full {
			cols = append(cols, x)
		}
	}
	return cols
}

func TestGraphMarksAReconnect(t *testing.T) {
	g := newBitrateGraph()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	for s := range 120 {
		g.onAir(at(s), 2_000_000)
	}
	g.dropped(at(120))
	g.dropped(at(121)) // still reconnecting: no second mark
	for s := 130; s < 300; s++ {
		g.onAir(at(s), 1_000_000)
	}
	g.flush(at(300))
	if !g.samples.at(120).reconnect || g.samples.len() != 291 {
		t.Fatalf("%d samples, the 121st a reconnect %v", g.samples.len(), g.samples.at(120).reconnect)
	}
	img := graphImage(g, 301, 40) // a pixel a second
	marks := columnsOf(img, testGraphColors.mark)
	if len(marks) != 1 || marks[0] != 120 {
		t.Errorf("mark columns %v, want [120]", marks)
	}
	// The line: higher before the drop, lower after, nothing in the gap.
	lineY := func(x int) int {
		for y := range 40 {
			if img.At(x, y) == testGraphColors.line {
				return y
			}
		}
		return -1
	}
	before, gap, after := lineY(60), lineY(125), lineY(200)
	if before < 0 || after < 0 || before >= after || gap != -1 {
		t.Errorf("line rows: %d before the drop, %d in the gap, %d after", before, gap, after)
	}
	if top := graphScale(&g.samples, g.now); top != 3_000_000 {
		t.Errorf("scale %d, want 3 Mbit/s: the peak and half as much", top)
	}
}

func TestGraphForgetsWhatIsOutOfView(t *testing.T) {
	g := newBitrateGraph()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	g.onAir(t0, 9_000_000)
	g.onAir(t0.Add(time.Second), 9_000_000)
	g.onAir(t0.Add(10*time.Minute), 1_000_000)
	g.flush(t0.Add(10 * time.Minute))
	if top := graphScale(&g.samples, g.now); top != 1_500_000 {
		t.Errorf("scale %d: a peak 10 minutes ago still counts", top)
	}
}

func TestGraphRendersAtAnySize(t *testing.T) {
	g := newBitrateGraph()
	t0 := time.Now()
	for s := range 30 {
		g.onAir(t0.Add(time.Duration(s)*time.Second), 500_000+s*10_000)
	}
	g.dropped(t0.Add(30 * time.Second))
	g.flush(t0.Add(31 * time.Second))
	w := test.NewWindow(g)
	defer w.Close()
	for _, size := range []fyne.Size{{Width: 0, Height: 0}, {Width: 1, Height: 1}, {Width: 3, Height: 2}, {Width: 220, Height: 52}, {Width: 900, Height: 300}} {
		w.Resize(size)
		g.Resize(size)
		w.Canvas().Capture() // draws the raster at the size, through the renderer
	}
	for _, wh := range [][2]int{{0, 0}, {1, 1}, {2, 2}, {1, 500}} {
		graphImage(g, wh[0], wh[1])
	}
	empty := newBitrateGraph()
	empty.flush(t0)
	if cols := columnsOf(graphImage(empty, 50, 10), testGraphColors.line); len(cols) != 0 {
		t.Error("an empty graph draws a line")
	}
	if g.MinSize() != graphMinSize {
		t.Errorf("min size %v", g.MinSize())
	}
}

func TestGraphRedrawsAtMostOnceASecond(t *testing.T) {
	g := newBitrateGraph()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	g.flush(t0)
	g.onAir(t0.Add(100*time.Millisecond), 1)
	if !g.dirty {
		t.Fatal("a sample does not mark the graph for a redraw")
	}
	g.flush(t0.Add(time.Second))
	if g.dirty || g.now != t0.Add(time.Second) {
		t.Error("flush did not redraw")
	}
	g.flush(t0.Add(1500 * time.Millisecond))
	if g.now != t0.Add(time.Second) {
		t.Error("an unchanged graph redrew within a second")
	}
}
