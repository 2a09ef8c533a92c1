package picture

import (
	"image"
	"path/filepath"
	"strings"
	"unicode"

	"golang.org/x/image/draw"
	"golang.org/x/image/math/fixed"
)

// CardText is the line a title card shows for a track: "Artist – Title"
// with an en dash when both are known, the title alone, or else the
// file's name without its extension. Runs of spaces, tabs and line
// breaks become one space; control characters are dropped.
func CardText(title, artist, path string) string {
	title, artist = oneLine(title), oneLine(artist)
	switch {
	case title != "" && artist != "":
		return artist + " – " + title
	case title != "":
		return title
	case path == "":
		return ""
	}
	name := filepath.Base(path)
	return oneLine(strings.TrimSuffix(name, filepath.Ext(name)))
}

// oneLine folds s onto one line: whitespace runs become one space, other
// control and format characters are dropped.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == unicode.ReplacementChar:
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// ellipsis ends a line shortened to fit.
const ellipsis = '…'

// glyph is one letter of a laid-out line: its rune, the face that draws
// it and its pen position from the start of the line.
type glyph struct {
	r    rune
	face int
	x    fixed.Int26_6
}

// textLine is a line laid out in faces: its glyphs and its width.
type textLine struct {
	glyphs []glyph
	width  fixed.Int26_6
}

// String is the text the line draws.
func (l textLine) String() string {
	rs := make([]rune, len(l.glyphs))
	for i, g := range l.glyphs {
		rs[i] = g.r
	}
	return string(rs)
}

// layout places runes one after the other, each in the first face that
// has it, kerned against a neighbour of the same face. A rune no face
// has is left out.
func (fs *faces) layout(runes []rune) textLine {
	var l textLine
	prev, prevFace := rune(-1), -1
	for _, r := range runes {
		i := fs.faceOf(r)
		if i < 0 {
			continue
		}
		if i == prevFace {
			l.width += fs.faces[i].Kern(prev, r)
		}
		adv, _ := fs.faces[i].GlyphAdvance(r)
		l.glyphs = append(l.glyphs, glyph{r: r, face: i, x: l.width})
		l.width += adv
		prev, prevFace = r, i
	}
	return l
}

// fit lays out text in at most maxWidth pixels: whole when it fits,
// else as long a start of it as fits followed by an ellipsis, or nothing
// when not even the ellipsis fits.
func (fs *faces) fit(text string, maxWidth int) textLine {
	runes := fs.drawable(text)
	limit := fixed.I(maxWidth)
	if l := fs.layout(runes); l.width <= limit {
		return l
	}
	shortened := func(n int) textLine {
		head := []rune(strings.TrimRightFunc(string(runes[:n]), unicode.IsSpace))
		return fs.layout(append(head, ellipsis))
	}
	// The longest start that fits, by bisection: width grows with n.
	lo, hi := 0, len(runes)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if shortened(mid).width <= limit {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if l := shortened(lo); l.width <= limit {
		return l
	}
	return textLine{}
}

// drawable is text on one line without the letters no face has, and
// without the spaces their leaving would double.
func (fs *faces) drawable(text string) []rune {
	kept := strings.Map(func(r rune) rune {
		if fs.faceOf(r) < 0 {
			return ' '
		}
		return r
	}, oneLine(text))
	return []rune(oneLine(kept))
}

// extent is how far the line's faces reach above and below the
// baseline, in whole pixels.
func (fs *faces) extent(l textLine) (ascent, descent int) {
	used := map[int]bool{0: true}
	for _, g := range l.glyphs {
		used[g.face] = true
	}
	for i := range used {
		m := fs.faces[i].Metrics()
		ascent, descent = max(ascent, m.Ascent.Ceil()), max(descent, m.Descent.Ceil())
	}
	return ascent, descent
}

// draw paints the line in src with its baseline starting at dot.
func (fs *faces) draw(dst *image.RGBA, l textLine, dot fixed.Point26_6, src image.Image) {
	for _, g := range l.glyphs {
		at := fixed.Point26_6{X: dot.X + g.x, Y: dot.Y}
		dr, mask, maskp, _, ok := fs.faces[g.face].Glyph(at, g.r)
		if ok {
			draw.DrawMask(dst, dr, src, image.Point{}, mask, maskp, draw.Over)
		}
	}
}
