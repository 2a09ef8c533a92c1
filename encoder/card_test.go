package encoder

import (
	"bytes"
	"context"
	"image/color"
	"testing"

	"github.com/stillcast/stillcast/encoder/internal/imgtest"
	"github.com/stillcast/stillcast/encoder/picture"
)

// TestComposeCard: a track's card over a copy of the picture, with the
// title from its tags and the cover art ffmpeg extracts from a real mp3.
func TestComposeCard(t *testing.T) {
	needFFmpeg(t)
	t.Parallel()
	dir := t.TempDir()
	base := imgtest.Solid(1280, 720, color.RGBA{30, 90, 150, 255})
	kept := bytes.Clone(base.Pix)
	info := AudioInfo{Path: dir + "/03 weightless.mp3", Title: "Weightless", Artist: "Marconi Union"}

	if out := composeCard(base, info, nil, false); !bytes.Equal(out.Pix, kept) || &out.Pix[0] == &base.Pix[0] {
		t.Fatal("a card with neither title nor art is not a plain copy of the picture")
	}

	song := withArt(t, dir, "apic.mp3", imgtest.WritePNG(t, dir, "cover.png", imgtest.ColorCard(320, 240)),
		"-c:a", "libmp3lame", "-c:v", "copy", "-id3v2_version", "3")
	art, err := trackArt(context.Background(), ffmpegBin, song)
	if err != nil || art == nil {
		t.Fatalf("trackArt: %v, %v", artSize(art), err)
	}
	out := composeCard(base, info, art, true)
	if !bytes.Equal(base.Pix, kept) {
		t.Fatal("composeCard drew on the picture it was given")
	}
	// The same as drawing the card directly: text from the tags, the art.
	fonts, err := picture.SystemFonts()
	if err != nil {
		t.Fatal(err)
	}
	defer fonts.Close()
	want := imgtest.Solid(1280, 720, color.RGBA{30, 90, 150, 255})
	l := picture.DrawCard(want, picture.Card{Text: "Marconi Union – Weightless", Art: art}, fonts)
	if l.Text != "Marconi Union – Weightless" || l.Art.Empty() || !bytes.Equal(out.Pix, want.Pix) {
		t.Fatalf("composeCard differs from the card of %q with art at %v", l.Text, l.Art)
	}
	for i, bc := range imgtest.BlockColors {
		r := imgtest.CardBlockRect(i, l.Art.Dx(), l.Art.Dy()).Add(l.Art.Min)
		imgtest.CheckColor(t, "art block "+bc.Name, out, imgtest.Inset(r, 6), bc.C, 3)
	}
}
