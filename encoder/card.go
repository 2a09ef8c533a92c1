package encoder

import (
	"image"
	"image/draw"

	"github.com/stillcast/stillcast/encoder/picture"
)

// composeCard is the picture of a live stream with a track's card on it:
// a copy of base with "Artist – Title" of info when title is set, and the
// track's cover art when art is not nil (see picture.DrawCard).
func composeCard(base *image.RGBA, info AudioInfo, art image.Image, title bool) *image.RGBA {
	out := image.NewRGBA(base.Bounds())
	draw.Draw(out, out.Rect, base, base.Rect.Min, draw.Src)
	card := picture.Card{Art: art}
	if title {
		card.Text = picture.CardText(info.Title, info.Artist, info.Path)
	}
	drawCard(out, card)
	return out
}

// drawCard draws card onto img. The fonts are opened for the card and
// closed after it: a card is made once per track, and opening them takes
// a few milliseconds.
func drawCard(img *image.RGBA, card picture.Card) {
	if card.Text == "" && card.Art == nil {
		return
	}
	fonts, err := picture.SystemFonts()
	if err != nil { // the bundled font did not parse: the art alone
		card.Text = ""
		picture.DrawCard(img, card, nil)
		return
	}
	defer fonts.Close()
	picture.DrawCard(img, card, fonts)
}
