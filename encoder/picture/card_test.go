package picture

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/image/draw"
)

func TestCardText(t *testing.T) {
	cases := []struct{ title, artist, path, want string }{
		{"Midnight City", "M83", "/m/a.mp3", "M83 – Midnight City"},
		{"Midnight City", "", "/m/a.mp3", "Midnight City"},
		{"Midnight City", "  ", "/m/a.mp3", "Midnight City"},
		{"", "M83", "/m/01 Intro.flac", "01 Intro"},
		{" \t", "M83", "/m/song.name.m4a", "song.name"},
		{"", "", "/m/noext", "noext"},
		{"", "", "", ""},
		{"Two\nLines\r\n here", "A\tB", "", "A B – Two Lines here"},
		{"Bell\x07 and\u200b zero-width", "X", "", "X – Bell and zero-width"},
		{"晴天", "周杰伦", "", "周杰伦 – 晴天"},
	}
	for _, c := range cases {
		if got := CardText(c.title, c.artist, c.path); got != c.want {
			t.Errorf("CardText(%q, %q, %q) = %q, want %q", c.title, c.artist, c.path, got, c.want)
		}
	}
}

// testFonts are Go Bold with the system's CJK font: make deps-test
// installs fonts-noto-cjk.
func testFonts(t testing.TB) *Fonts {
	t.Helper()
	if len(FallbackFontPaths(runtime.GOOS, func(string) string { return "" })) == 0 {
		t.Fatal("no CJK font found: install fonts-noto-cjk (make deps-test)")
	}
	f, err := SystemFonts()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func filled(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, image.NewUniform(c), image.Point{}, draw.Src)
	return img
}

// noisy is a photo-like canvas: every pixel random, the worst case for
// reading text.
func noisy(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	_, _ = rand.NewChaCha8([32]byte{7, 11}).Read(img.Pix)
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	return img
}

// luminance is the WCAG relative luminance of an sRGB pixel.
func luminance(p []byte) float64 {
	lin := func(v byte) float64 {
		c := float64(v) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(p[0]) + 0.7152*lin(p[1]) + 0.0722*lin(p[2])
}

// boxContrast measures the text against the box behind it: text pixels
// are pure white (fully covered by a glyph); the box's pixels are those of
// its inner part that are at least 2 pixels from any of them. It returns
// the number of text pixels and the WCAG contrast ratio of white to the
// brightest box pixel.
func boxContrast(img *image.RGBA, box image.Rectangle) (textPixels int, ratio float64) {
	white := func(x, y int) bool {
		p := img.Pix[img.PixOffset(x, y):]
		return p[0] == 255 && p[1] == 255 && p[2] == 255
	}
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			if white(x, y) {
				textPixels++
			}
		}
	}
	brightest := 0.0
	inner := box.Inset(box.Dy() / 4)
	for y := inner.Min.Y; y < inner.Max.Y; y++ {
		for x := inner.Min.X; x < inner.Max.X; x++ {
			near := false
			for dy := -2; dy <= 2 && !near; dy++ {
				for dx := -2; dx <= 2 && !near; dx++ {
					near = white(x+dx, y+dy)
				}
			}
			if !near {
				brightest = max(brightest, luminance(img.Pix[img.PixOffset(x, y):]))
			}
		}
	}
	return textPixels, 1.05 / (brightest + 0.05)
}

func TestDrawCardLegibleOnAnyPicture(t *testing.T) {
	fonts := testFonts(t)
	sizes := []image.Point{{854, 480}, {1920, 1080}, {3840, 2160}}
	pictures := map[string]func(w, h int) *image.RGBA{
		"white": func(w, h int) *image.RGBA { return filled(w, h, color.RGBA{255, 255, 255, 255}) },
		"black": func(w, h int) *image.RGBA { return filled(w, h, color.RGBA{0, 0, 0, 255}) },
		"noisy": noisy,
	}
	for name, paint := range pictures {
		for _, size := range sizes {
			img := paint(size.X, size.Y)
			before := image.NewRGBA(img.Rect)
			copy(before.Pix, img.Pix)
			l := DrawCard(img, Card{Text: "M83 – Midnight City"}, fonts)
			if l.Text != "M83 – Midnight City" || !l.Art.Empty() {
				t.Fatalf("%s %v: drew %q, art %v", name, size, l.Text, l.Art)
			}
			checkLowerLeft(t, l.Box, size)
			n, ratio := boxContrast(img, l.Box)
			// The letters cover about a fifth of the box.
			if n < l.Box.Dx()*l.Box.Dy()/12 {
				t.Errorf("%s %v: only %d text pixels in a %v box", name, size, n, l.Box.Size())
			}
			// WCAG AA asks 4.5:1; the README promises 6:1.
			if ratio < 6 {
				t.Errorf("%s %v: contrast of the text to its box is %.2f:1, want at least 6:1", name, size, ratio)
			}
			if d := changedOutside(before, img, l.Box.Inset(-1)); d != (image.Point{-1, -1}) {
				t.Errorf("%s %v: pixel %v outside the box %v changed", name, size, d, l.Box)
			}
		}
	}
}

// checkLowerLeft checks a text box sits at the bottom left of a canvas,
// inside its margins, with letters sized to its height.
func checkLowerLeft(t *testing.T, box image.Rectangle, canvas image.Point) {
	t.Helper()
	w, h := canvas.X, canvas.Y
	if box.Min.X != round(cardMarginX*float64(w)) || box.Max.Y != h-round(cardMarginY*float64(h)) {
		t.Errorf("%v: box %v is not at the bottom-left margins", canvas, box)
	}
	if box.Min.Y < h*2/3 || box.Max.X > w-round(cardMarginX*float64(w)) {
		t.Errorf("%v: box %v leaves the lower third or the right margin", canvas, box)
	}
	// About two ems high: the em is 4.5 % of the short side.
	if share := float64(box.Dy()) / float64(min(w, h)); share < 0.07 || share > 0.11 {
		t.Errorf("%v: box %v is %.3f of the short side high, want 0.07 to 0.11", canvas, box, share)
	}
}

// changedOutside is the first pixel outside keep that differs between a
// and b, or (-1, -1).
func changedOutside(a, b *image.RGBA, keep image.Rectangle) image.Point {
	keep = keep.Intersect(a.Rect)
	for y := a.Rect.Min.Y; y < a.Rect.Max.Y; y++ {
		spans := [][2]int{{a.Rect.Min.X, a.Rect.Max.X}}
		if y >= keep.Min.Y && y < keep.Max.Y {
			spans = [][2]int{{a.Rect.Min.X, keep.Min.X}, {keep.Max.X, a.Rect.Max.X}}
		}
		for _, sp := range spans {
			i, j := a.PixOffset(sp[0], y), a.PixOffset(sp[1], y)
			if bytes.Equal(a.Pix[i:j], b.Pix[i:j]) {
				continue
			}
			for x := sp[0]; x < sp[1]; x++ {
				if k := a.PixOffset(x, y); !bytes.Equal(a.Pix[k:k+4], b.Pix[k:k+4]) {
					return image.Pt(x, y)
				}
			}
		}
	}
	return image.Pt(-1, -1)
}

func TestDrawCardShortensLongText(t *testing.T) {
	fonts := testFonts(t)
	long := "Some Artist – " + strings.Repeat("A Very Long Song Title ", 10)
	for _, size := range []image.Point{{854, 480}, {1920, 1080}, {1080, 1920}} {
		img := filled(size.X, size.Y, color.RGBA{40, 80, 120, 255})
		l := DrawCard(img, Card{Text: long}, fonts)
		if !strings.HasSuffix(l.Text, "…") || strings.HasSuffix(l.Text, " …") {
			t.Fatalf("%v: drew %q, want it shortened with an ellipsis after a letter", size, l.Text)
		}
		if !strings.HasPrefix(long, strings.TrimSuffix(l.Text, "…")) {
			t.Errorf("%v: drew %q, not a start of the text", size, l.Text)
		}
		right := size.X - round(cardMarginX*float64(size.X))
		if l.Box.Max.X > right || l.Box.Max.X < right-l.Box.Dy() {
			t.Errorf("%v: box %v should reach close to the right margin %d", size, l.Box, right)
		}
	}
}

func TestDrawCardCJK(t *testing.T) {
	fonts := testFonts(t)
	img := filled(1280, 720, color.RGBA{200, 200, 200, 255})
	l := DrawCard(img, Card{Text: "周杰伦 – 晴天"}, fonts)
	if l.Text != "周杰伦 – 晴天" {
		t.Fatalf("drew %q with the CJK fallback", l.Text)
	}
	// Real glyphs, not one empty box over and over: two characters draw
	// different pixels.
	a, b := filled(1280, 720, color.RGBA{}), filled(1280, 720, color.RGBA{})
	la, lb := DrawCard(a, Card{Text: "晴"}, fonts), DrawCard(b, Card{Text: "天"}, fonts)
	if la.Box != lb.Box {
		t.Fatalf("boxes of one ideograph differ: %v and %v", la.Box, lb.Box)
	}
	differ := 0
	for i := range a.Pix {
		if a.Pix[i] != b.Pix[i] {
			differ++
		}
	}
	if differ < 200 {
		t.Errorf("晴 and 天 draw nearly the same pixels (%d bytes differ): tofu?", differ)
	}
}

func TestDrawCardLeavesOutMissingGlyphs(t *testing.T) {
	goOnly, err := NewFonts()
	if err != nil {
		t.Fatal(err)
	}
	defer goOnly.Close()
	with, without := filled(1280, 720, color.RGBA{90, 90, 90, 255}), filled(1280, 720, color.RGBA{90, 90, 90, 255})
	l := DrawCard(with, Card{Text: "晴天 Sunny 🌈Day"}, goOnly)
	plain := DrawCard(without, Card{Text: "Sunny Day"}, goOnly)
	if l.Text != "Sunny Day" || l != plain {
		t.Fatalf("drew %q in %v, want %q in %v", l.Text, l.Box, plain.Text, plain.Box)
	}
	if p := changedOutside(with, without, image.Rectangle{}); p != (image.Point{-1, -1}) {
		t.Errorf("pixel %v differs from the card without the missing letters: a box drawn for them?", p)
	}
	if l := DrawCard(with, Card{Text: "晴天"}, goOnly); l.Text != "" || !l.Box.Empty() {
		t.Errorf("text of missing letters only drew %q in %v, want nothing", l.Text, l.Box)
	}
}
