package ui

import (
	"context"

	"github.com/stillcast/stillcast/encoder"
)

// The song's own cover: once the audio has been read, the row looks for
// art embedded in its songs, in order, on a goroutine; the first found is
// what the form offers and the preview shows.

// lookForArt starts the search for the songs' cover art. It counts as
// reading the audio, so a render waits for its answer.
func (r *audioRow) lookForArt() {
	ctx, cancel := context.WithCancel(context.Background())
	r.probe.cancel, r.probe.artBusy = cancel, true
	gen, tracks := r.probe.gen, r.probe.tracks
	l := r.lookup()
	go func() {
		pic := firstCoverArt(ctx, l, tracks)
		r.do(func() { r.artFound(gen, pic) })
	}()
}

func (r *audioRow) artFound(gen uint64, pic *loadedImage) {
	if gen != r.probe.gen {
		return // a newer choice took over
	}
	r.probe.cancel()
	r.probe.artBusy, r.probe.art = false, pic
	r.onChanged()
}

// firstCoverArt is the cover art of the first of tracks that has some,
// made ready to preview; nil when none has. A song whose art cannot be
// read counts as having none: the render says why, if it needs it.
func firstCoverArt(ctx context.Context, l encoder.FFmpegLookup, tracks []encoder.AudioInfo) *loadedImage {
	bin, _, err := l.Find()
	if err != nil {
		return nil
	}
	for _, t := range tracks {
		img, err := encoder.CoverArt(ctx, bin, t.Path)
		if ctx.Err() != nil {
			return nil
		}
		if err == nil && img != nil {
			return &loadedImage{path: t.Path, size: img.Bounds().Size(), thumb: shrink(img, thumbMaxSide)}
		}
	}
	return nil
}

// art is the first cover art found in the songs; nil when none is, or
// the search is under way.
func (r *audioRow) art() *loadedImage { return r.probe.art }

// several reports whether the audio is several songs.
func (r *audioRow) several() bool { return len(r.paths) > 1 || len(r.probe.tracks) > 1 }
