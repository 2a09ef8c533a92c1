package picture

import (
	"image"
	"image/color"
	"math"

	"golang.org/x/image/draw"
	"golang.org/x/image/math/fixed"
)

// Card is what a title card shows over the picture of a live stream.
type Card struct {
	// Text is the line to show, as CardText makes it; "" for none.
	Text string
	// Art is the track's cover art; nil for none.
	Art image.Image
}

// CardLayout says where DrawCard put things on the canvas.
type CardLayout struct {
	// Box is the dark box behind the text; empty when there is no text.
	Box image.Rectangle
	// Text is the line as drawn: shortened with an ellipsis to fit, and
	// without the letters no font has.
	Text string
	// Art is where the cover art went; empty when there is none.
	Art image.Rectangle
}

// The card's measures, as shares of the canvas height (of its short side
// for the text, of its width for the side margins), so that it reads the
// same from 480p to 4K.
const (
	cardTextSize   = 0.045 // the text's em
	cardArtText    = 0.06  // the text's em beside cover art, which leaves it room
	cardMarginX    = 0.05  // left and right: the title-safe area of TV
	cardMarginY    = 0.08  // below the box: the lower third
	cardArtSide    = 0.56  // the cover art's square on a wide canvas
	cardPadX       = 0.55  // the box's padding left and right, in ems
	cardPadY       = 0.30  // the box's padding above and below, in ems
	cardRadius     = 0.18  // the box's corners, in ems
	cardBoxAlpha   = 0.65  // the box: white text on it keeps 7:1 even over white
	cardDimAlpha   = 0.55  // how much the picture darkens behind cover art
	cardShadow     = 0.05  // the cover art's soft shadow, in art sides
	cardShadowDark = 0.6   // and how dark it is
)

// DrawCard draws c onto the composed canvas dst, in place. Text sits in a
// translucent dark box at the bottom left. Cover art, when there is some,
// darkens the picture and stands as a large square: at the left of a
// wide canvas with the text beside it, bottom-aligned, as radio and lofi
// streams show a record; centred above the text on a tall one.
func DrawCard(dst *image.RGBA, c Card, fonts *Fonts) CardLayout {
	b := dst.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	marginX, marginY := round(cardMarginX*w), round(cardMarginY*h)
	var out CardLayout
	// Where the text box may go: its bottom-left corner and width. The
	// text is sized by the short side, so that on a phone's tall canvas
	// it is as large as on a wide one seen at its width.
	textAt, textWidth := image.Pt(b.Min.X+marginX, b.Max.Y-marginY), b.Dx()-2*marginX
	em := cardTextSize * min(w, h)
	if c.Art != nil && c.Art.Bounds().Dx() > 0 && c.Art.Bounds().Dy() > 0 {
		square, wide := artSquare(b)
		out.Art = drawArt(dst, c.Art, square)
		if wide {
			gap := round(cardArtText * h)
			textAt = image.Pt(square.Max.X+gap, square.Max.Y)
			textWidth, em = b.Max.X-marginX-textAt.X, cardArtText*h
		}
	}
	if c.Text != "" {
		out.Box, out.Text = drawTextBox(dst, c.Text, fonts, em, textAt, textWidth)
	}
	return out
}

// artSquare is the square cover art fits in, and whether the canvas is
// wide enough to have the text beside it.
func artSquare(b image.Rectangle) (image.Rectangle, bool) {
	w, h := float64(b.Dx()), float64(b.Dy())
	if w >= 1.4*h {
		side := round(cardArtSide * h)
		x, y := b.Min.X+round(cardMarginX*w), b.Min.Y+(b.Dy()-side)/2
		return image.Rect(x, y, x+side, y+side), true
	}
	side := round(min(0.7*w, 0.5*h))
	x, y := b.Min.X+(b.Dx()-side)/2, b.Min.Y+round(0.4*h)-side/2
	return image.Rect(x, y, x+side, y+side), false
}

// drawArt darkens the picture, then draws art scaled into square, keeping
// its shape, over a soft shadow. It returns where the art went.
func drawArt(dst *image.RGBA, art image.Image, square image.Rectangle) image.Rectangle {
	shade(dst, dst.Bounds(), cardDimAlpha, 0, 1)
	_, r := FitRects(art.Bounds().Size(), square.Size(), Letterbox)
	r = r.Add(square.Min)
	if r.Empty() { // a canvas of a few pixels
		return image.Rectangle{}
	}
	blur := float64(square.Dy()) * cardShadow
	shade(dst, r.Add(image.Pt(0, round(blur/3))), cardShadowDark, blur, 2*blur)
	// Halving first keeps the bilinear step under a ratio of 2, where it
	// barely aliases, at a fifth of the cost of a filtering kernel.
	for art.Bounds().Dx() >= 2*r.Dx() && art.Bounds().Dy() >= 2*r.Dy() {
		art = halveAny(art)
	}
	draw.ApproxBiLinear.Scale(dst, r, art, art.Bounds(), draw.Over, nil)
	return r
}

// halveAny is halve for an image of any kind: one halve does not know is
// converted to RGBA first.
func halveAny(img image.Image) image.Image {
	if h := halve(img); h != nil {
		return h
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Rect, img, img.Bounds().Min, draw.Src)
	return halve(rgba)
}

// drawTextBox fits text into width at an em of size px, draws it white
// on a dark rounded box whose bottom-left corner is at, and returns the
// box and the text as drawn.
func drawTextBox(dst *image.RGBA, text string, fonts *Fonts, px float64, at image.Point, width int) (image.Rectangle, string) {
	fs := fonts.at(px)
	padX, padY := round(cardPadX*px), round(cardPadY*px)
	line := fs.fit(text, width-2*padX)
	if len(line.glyphs) == 0 {
		return image.Rectangle{}, ""
	}
	ascent, descent := fs.extent(line)
	box := image.Rect(at.X, at.Y-ascent-descent-2*padY, at.X+line.width.Ceil()+2*padX, at.Y)
	if !box.In(dst.Bounds()) { // a canvas too small for a line
		return image.Rectangle{}, ""
	}
	shade(dst, box, cardBoxAlpha, cardRadius*px, 1)
	dot := fixed.P(box.Min.X+padX, box.Min.Y+padY+ascent)
	fs.draw(dst, line, dot, image.NewUniform(color.White))
	return box, line.String()
}

// shade darkens dst inside r by alpha (0 to 1): a box with corners of the
// given radius whose edges fade over feather pixels (1 for a crisp,
// anti-aliased edge; more for a soft shadow).
func shade(dst *image.RGBA, r image.Rectangle, alpha, radius, feather float64) {
	radius = min(radius, float64(min(r.Dx(), r.Dy()))/2)
	area := r.Inset(-int(math.Ceil(feather / 2))).Intersect(dst.Bounds())
	// Coverage falls off with the signed distance from the inner
	// rectangle, whose corners the radius rounds.
	x0, y0 := float64(r.Min.X)+radius, float64(r.Min.Y)+radius
	x1, y1 := float64(r.Max.X)-radius, float64(r.Max.Y)-radius
	factor := func(sd float64) uint32 {
		cover := min(max((radius-sd)/feather+0.5, 0), 1)
		return uint32(math.Round(256 * (1 - alpha*cover)))
	}
	full := min(radius-feather/2, 0) // at or below it, coverage is whole
	for y := area.Min.Y; y < area.Max.Y; y++ {
		cy := float64(y) + 0.5
		dy := max(y0-cy, cy-y1)
		// Columns whose distance is dy alone share one factor: those
		// with dx <= c.
		c := min(dy, 0)
		if dy <= full {
			c = full
		}
		lo := min(max(int(math.Ceil(x0-c-0.5)), area.Min.X), area.Max.X)
		hi := min(max(int(math.Floor(x1+c-0.5))+1, lo), area.Max.X)
		row := func(from, to int) []byte { return dst.Pix[dst.PixOffset(from, y):dst.PixOffset(to, y)] }
		darken(row(lo, hi), factor(dy))
		for _, x := range [2][2]int{{area.Min.X, lo}, {hi, area.Max.X}} {
			for px := x[0]; px < x[1]; px++ {
				cx := float64(px) + 0.5
				darken(row(px, px+1), factor(signedDistance(max(x0-cx, cx-x1), dy)))
			}
		}
	}
}

// signedDistance is the distance from a rectangle of a point dx and dy
// outside its sides, negative inside.
func signedDistance(dx, dy float64) float64 {
	if dx <= 0 && dy <= 0 {
		return max(dx, dy)
	}
	return math.Hypot(max(dx, 0), max(dy, 0))
}

// darken scales the colour of the RGBA pixels in row by k/256.
func darken(row []byte, k uint32) {
	if k >= 256 {
		return
	}
	for i := 0; i+3 < len(row); i += 4 {
		row[i] = byte(uint32(row[i]) * k >> 8)
		row[i+1] = byte(uint32(row[i+1]) * k >> 8)
		row[i+2] = byte(uint32(row[i+2]) * k >> 8)
	}
}

func round(v float64) int { return int(math.Round(v)) }
