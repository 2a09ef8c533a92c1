package encoder

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"

	"github.com/stillcast/stillcast/encoder/picture"
)

// readSongs probes every audio file, one ffprobe per core. A file that
// cannot be read keeps its error: in a batch of videos it fails alone.
func readSongs(ctx context.Context, ffprobe string, files []string) ([]song, error) {
	songs := make([]song, len(files))
	err := eachInParallel(ctx, len(files), func(ctx context.Context, i int) error {
		info, err := probeAudio(ctx, ffprobe, files[i])
		if errors.Is(err, ErrCancelled) {
			return err
		}
		info.Path = files[i]
		songs[i] = song{Info: info, Err: ownError(err), Picture: -1}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return songs, nil
}

// ownError is a song's failure in a batch: it names the file already, and
// the "audio:" of one video's settings would say nothing more.
func ownError(err error) error {
	var fe *FieldError
	if errors.As(err, &fe) && fe.Field == "audio" {
		return fe.Err
	}
	return err
}

// measureSongs replaces each readable song's probed length with the exact
// length of its decoded audio, one ffmpeg per core: chapters and video
// lengths follow the sound, not the container's estimate.
func measureSongs(ctx context.Context, bin string, songs []song) error {
	return eachInParallel(ctx, len(songs), func(ctx context.Context, i int) error {
		if songs[i].Err != nil {
			return nil
		}
		d, err := decodedLength(ctx, bin, songs[i].Info)
		switch {
		case errors.Is(err, ErrCancelled):
			return err
		case err != nil:
			songs[i].Err = ownError(err)
		default:
			songs[i].Info.Duration = d
		}
		return nil
	})
}

// pictureSource is one picture of a batch: an image file, and the text
// of the song's title card on it ("" for none).
type pictureSource struct {
	Path string
	Card string
}

// choosePictures gives each readable song its picture: its own cover art
// with Each or CoverFromAudio or without images, else (or when it has
// none) the image given for it. Art is
// written as PNG into dir, once for every different picture. A song with
// neither is a *FieldError naming it.
func choosePictures(ctx context.Context, bin, dir string, s Settings, songs []song) ([]pictureSource, error) {
	if len(s.Images) > 1 && len(s.Images) != len(songs) {
		if len(songs) == 1 {
			return nil, fieldErr("image", "%d images for one song: give one", len(s.Images))
		}
		return nil, fieldErr("image", "%d images for %d songs: give one image for all of them, or one per song", len(s.Images), len(songs))
	}
	art := make([]string, len(songs))
	if s.CoverFromAudio || s.Each || len(s.Images) == 0 { // a song's own art first, in its own video
		if err := extractArt(ctx, bin, dir, songs, art); err != nil {
			return nil, err
		}
	}
	var sources []pictureSource
	index := map[pictureSource]int{}
	last := ""
	for i := range songs {
		sg := &songs[i]
		if sg.Err != nil {
			continue
		}
		path := art[i]
		switch {
		case path != "":
		case len(s.Images) == 1:
			path = s.Images[0].Image
		case len(s.Images) > 1:
			path = s.Images[i].Image
		case !s.Each && last != "": // an album's song without art: the art before it
			path = last
		case !s.Each && firstArt(art) != "":
			path = firstArt(art)
		default:
			return nil, fieldErr("image", "%s has no cover art of its own: give an IMAGE to show", filepath.Base(sg.Info.Path))
		}
		last = path
		src := pictureSource{Path: path}
		if s.TitleCard {
			src.Card = picture.CardText(sg.Info.Title, sg.Info.Artist, sg.Info.Path)
		}
		k, ok := index[src]
		if !ok {
			k = len(sources)
			index[src] = k
			sources = append(sources, src)
		}
		sg.Picture = k
	}
	return sources, nil
}

func firstArt(art []string) string {
	for _, a := range art {
		if a != "" {
			return a
		}
	}
	return ""
}

// extractArt writes the cover art of each readable song into dir, named
// by its content so that an album whose songs share their art decodes
// it once, and sets art[i] to its path ("" for a song without). Art that
// cannot be read fails its song.
func extractArt(ctx context.Context, bin, dir string, songs []song, art []string) error {
	return eachInParallel(ctx, len(songs), func(ctx context.Context, i int) error {
		if songs[i].Err != nil {
			return nil
		}
		name := filepath.Base(songs[i].Info.Path)
		data, err := trackArtPNG(ctx, bin, songs[i].Info.Path)
		if err == nil && len(data) > 0 {
			_, err = decodeArt(data, name)
		}
		switch {
		case errors.Is(err, ErrCancelled):
			return err
		case err != nil:
			songs[i].Err = err
			return nil
		case len(data) == 0:
			return nil
		}
		sum := sha256.Sum256(data)
		path := filepath.Join(dir, "art-"+hex.EncodeToString(sum[:8])+".png")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return fmt.Errorf("writing the cover art of %s: %w", name, err)
		}
		art[i] = path
		return nil
	})
}

// composePictures lays each picture onto the canvas, with its card, as a
// yuv420p frame. The canvas is that of the first picture (or the size
// asked for), so that every segment can follow any other.
func composePictures(s Settings, sources []pictureSource) (canvas image.Point, frames [][]byte, err error) {
	for i, src := range sources {
		img, err := loadImage(src.Path)
		if err != nil {
			return canvas, nil, err
		}
		if i == 0 {
			canvas = CanvasSize(s.Size, img.Bounds().Size())
		}
		composed := picture.Compose(img, canvas, s.Fit, s.Background)
		if src.Card != "" {
			drawCard(composed, picture.Card{Text: src.Card})
		}
		frames = append(frames, picture.ToYUV420(composed, picture.MatrixFor(canvas.Y)))
	}
	freeDecoded()
	return canvas, frames, nil
}
