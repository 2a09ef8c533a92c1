package picture

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// quadrantArt is cover art of w×h whose four quarters have four colours.
func quadrantArt(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	colours := [4]color.RGBA{{220, 30, 30, 255}, {30, 200, 40, 255}, {30, 60, 230, 255}, {240, 220, 20, 255}}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, colours[2*(2*y/h)+2*x/w])
		}
	}
	return img
}

// near reports whether the pixel at p is within 6 of c in each channel.
func near(img *image.RGBA, p image.Point, c color.RGBA) bool {
	got := img.RGBAAt(p.X, p.Y)
	d := func(a, b uint8) bool { return int(a)-int(b) <= 6 && int(b)-int(a) <= 6 }
	return d(got.R, c.R) && d(got.G, c.G) && d(got.B, c.B)
}

// checkArtShown checks the art's quarters show at the quarters of where
// it went.
func checkArtShown(t *testing.T, img *image.RGBA, art *image.RGBA, at image.Rectangle) {
	t.Helper()
	for _, q := range [][2]float64{{0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}} {
		p := image.Pt(at.Min.X+int(q[0]*float64(at.Dx())), at.Min.Y+int(q[1]*float64(at.Dy())))
		src := image.Pt(int(q[0]*float64(art.Bounds().Dx())), int(q[1]*float64(art.Bounds().Dy())))
		if want := art.RGBAAt(src.X, src.Y); !near(img, p, want) {
			t.Errorf("art at %v: pixel %v is %v, want the art's %v", at, p, img.RGBAAt(p.X, p.Y), want)
		}
	}
}

func TestDrawCardArtBesideTextOnWideCanvas(t *testing.T) {
	fonts := testFonts(t)
	for _, size := range []image.Point{{854, 480}, {1920, 1080}} {
		img := filled(size.X, size.Y, color.RGBA{255, 255, 255, 255})
		art := quadrantArt(600, 600)
		l := DrawCard(img, Card{Text: "Marconi Union – Weightless", Art: art}, fonts)
		side := round(cardArtSide * float64(size.Y))
		if l.Art.Dx() != side || l.Art.Dy() != side || l.Art.Min.X != round(cardMarginX*float64(size.X)) {
			t.Fatalf("%v: art at %v, want a %d square at the left margin", size, l.Art, side)
		}
		if mid := (l.Art.Min.Y + l.Art.Max.Y) / 2; mid < size.Y/2-1 || mid > size.Y/2+1 {
			t.Errorf("%v: art %v is not centred vertically", size, l.Art)
		}
		checkArtShown(t, img, art, l.Art)
		if l.Box.Min.X <= l.Art.Max.X || l.Box.Max.Y != l.Art.Max.Y || l.Text != "Marconi Union – Weightless" {
			t.Errorf("%v: text %q in %v, want it right of the art %v, bottom-aligned", size, l.Text, l.Box, l.Art)
		}
		// The picture is dimmed behind the art, so it stands out.
		want := uint8(round(255 * (1 - cardDimAlpha)))
		if c := img.RGBAAt(size.X-2, 1); c.R < want-2 || c.R > want+2 {
			t.Errorf("%v: the picture's corner is %v after the art, want dimmed to %d", size, c, want)
		}
		if _, ratio := boxContrast(img, l.Box); ratio < 4.5 {
			t.Errorf("%v: contrast of the text beside the art is %.2f:1", size, ratio)
		}
	}
}

func TestDrawCardArtOnTallCanvasAndOfOtherShapes(t *testing.T) {
	fonts := testFonts(t)
	img := noisy(1080, 1920)
	art := quadrantArt(800, 400) // a wide image keeps its shape
	l := DrawCard(img, Card{Text: "Artist – Title", Art: art}, fonts)
	if l.Art.Dx() != 2*l.Art.Dy() || l.Art.Dx() < 700 {
		t.Fatalf("2:1 art drawn in %v", l.Art)
	}
	if c := (l.Art.Min.X + l.Art.Max.X) / 2; c < 539 || c > 541 {
		t.Errorf("art %v is not centred across a tall canvas", l.Art)
	}
	if l.Box.Min.Y <= l.Art.Max.Y {
		t.Errorf("text %v overlaps the art %v", l.Box, l.Art)
	}
	checkLowerLeft(t, l.Box, image.Pt(1080, 1920))
	checkArtShown(t, img, art, l.Art)

	// Art alone, no text: no box.
	img = filled(1280, 720, color.RGBA{10, 10, 10, 255})
	if l := DrawCard(img, Card{Art: quadrantArt(300, 300)}, fonts); !l.Box.Empty() || l.Art.Empty() {
		t.Errorf("art without text: box %v, art %v", l.Box, l.Art)
	}
}

func TestDrawCardOnTinyCanvases(t *testing.T) {
	fonts := testFonts(t)
	for _, size := range []image.Point{{2, 2}, {16, 2}, {2, 16}, {64, 36}} {
		img := filled(size.X, size.Y, color.RGBA{255, 255, 255, 255})
		l := DrawCard(img, Card{Text: "Marconi Union – Weightless", Art: quadrantArt(100, 100)}, fonts)
		if !l.Box.In(img.Rect) || !l.Art.In(img.Rect) {
			t.Errorf("%v: box %v, art %v outside the canvas", size, l.Box, l.Art)
		}
	}
}

// TestFontsConcurrentUse: one Fonts draws cards on several goroutines at
// once (run with -race), each the same as drawn alone.
func TestFontsConcurrentUse(t *testing.T) {
	fonts := testFonts(t)
	card := Card{Text: "周杰伦 – 稻香 (Live)"}
	want := filled(640, 360, color.RGBA{50, 50, 50, 255})
	DrawCard(want, card, fonts)
	got := make([]*image.RGBA, 4)
	var wg sync.WaitGroup
	for i := range got {
		got[i] = filled(640, 360, color.RGBA{50, 50, 50, 255})
		wg.Go(func() { DrawCard(got[i], card, fonts) })
	}
	wg.Wait()
	for i, img := range got {
		if p := changedOutside(want, img, image.Rectangle{}); p != (image.Point{-1, -1}) {
			t.Errorf("goroutine %d drew pixel %v differently", i, p)
		}
	}
}

func TestFallbackFontPaths(t *testing.T) {
	windir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(windir, "Fonts"), 0o755); err != nil {
		t.Fatal(err)
	}
	yahei := filepath.Join(windir, "Fonts", "msyh.ttc")
	if err := os.WriteFile(yahei, []byte("not read here"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := FallbackFontPaths("windows", func(k string) string {
		if k == "WINDIR" {
			return windir
		}
		return ""
	})
	if len(got) != 1 || got[0] != yahei {
		t.Errorf("windows fallbacks = %q, want only the one that exists, %q", got, yahei)
	}
	for _, p := range FallbackFontPaths("linux", os.Getenv) {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("listed %s, which does not exist", p)
		}
	}
}

func TestNewFontsNamesTheBadFile(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "broken.ttf")
	if err := os.WriteFile(bad, []byte("this is no font at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, why := range map[string]string{bad: "not a usable TrueType or OpenType font", bad + ".missing": "no such file"} {
		f, err := NewFonts(path)
		if err == nil {
			f.Close()
			t.Fatalf("NewFonts(%s) succeeded", path)
		}
		if !strings.Contains(err.Error(), filepath.Base(path)) || !strings.Contains(err.Error(), why) {
			t.Errorf("NewFonts(%s) = %v, want the file named and %q", path, err, why)
		}
	}
}

// BenchmarkDrawCard composes 1080p cards as the live stream does once per
// track: the text alone, Chinese text through the fallback font, and
// text beside 1000×1000 cover art.
func BenchmarkDrawCard(b *testing.B) {
	fonts := testFonts(b)
	base := noisy(1920, 1080)
	cases := map[string]Card{
		"text":    {Text: "Marconi Union – Weightless (Ambient Mix)"},
		"chinese": {Text: "周杰伦 – 稻香 (Live at 台北小巨蛋)"},
		"art":     {Text: "Marconi Union – Weightless", Art: quadrantArt(1000, 1000)},
	}
	for name, c := range cases {
		b.Run(name, func(b *testing.B) {
			img := image.NewRGBA(base.Rect)
			for b.Loop() {
				copy(img.Pix, base.Pix)
				DrawCard(img, c, fonts)
			}
		})
	}
}
