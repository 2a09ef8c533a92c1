package encoder

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/picture"
)

// artMaxSide bounds the cover art trackArt returns: ffmpeg scales larger
// art down to it, keeping its shape. A card shows art at most 56 % of a
// 4K canvas's height, 1210 pixels.
const artMaxSide = 2048

// artMaxBytes bounds the PNG ffmpeg writes: art of artMaxSide with alpha,
// uncompressed, and some room for the PNG's own structure.
const artMaxBytes = 4*artMaxSide*artMaxSide + 1<<20

// errNoArt is ffmpeg's words when the file has no picture to map: "Output
// file #0 does not contain any stream" in 4.1 and 5.1 (tested), without
// the "#0" in 7.
const errNoArt = "does not contain any stream"

// errTooLarge is ffmpeg's words when art is over -max_pixels.
const errTooLarge = "exceeds specified max pixel count"

// trackArt extracts the cover art embedded in the audio file at path (an
// ID3 APIC frame, MP4 covr, a FLAC or Vorbis picture: ffmpeg shows each as
// an attached picture), at most artMaxSide on its longest side. It returns
// nil and no error when the file has none.
func trackArt(ctx context.Context, bin, path string) (image.Image, error) {
	data, err := trackArtPNG(ctx, bin, path)
	if err != nil || len(data) == 0 {
		return nil, err
	}
	return decodeArt(data, filepath.Base(path))
}

// trackArtPNG is trackArt's picture as ffmpeg wrote it, a PNG, not yet
// decoded or checked; nil when the file has none.
func trackArtPNG(ctx context.Context, bin, path string) ([]byte, error) {
	args := []string{"-hide_banner", "-nostdin", "-v", "error",
		// Stop at the first error, so that it is the last line, and
		// refuse art too large to decode as Load refuses an image: a few
		// hundred bytes of PNG can claim 100 megapixels.
		"-xerror", "-max_pixels", strconv.Itoa(picture.MaxPixels),
		"-i", "file:" + path,
		"-map", "0:v:0?", // the "?": no picture is no error of the map
		"-frames:v", "1",
		// Commas inside the expressions are escaped from the filtergraph.
		"-vf", fmt.Sprintf(`scale=w=min(iw\,%d):h=min(ih\,%d):force_original_aspect_ratio=decrease`, artMaxSide, artMaxSide),
		"-c:v", "png", "-f", "image2pipe", "pipe:1"}
	var out bytes.Buffer
	_, err := ffmpeg.ReadOutput(ctx, bin, args, func(r io.Reader) (int64, error) {
		n, err := out.ReadFrom(io.LimitReader(r, artMaxBytes+1))
		if err == nil && n > artMaxBytes {
			err = fmt.Errorf("ffmpeg wrote more than %d MB of cover art", artMaxBytes>>20)
		}
		return n, err
	})
	var fe *ffmpeg.Error
	switch {
	case ctx.Err() != nil:
		return nil, ffmpeg.ErrCancelled
	case errors.As(err, &fe) && strings.Contains(strings.Join(fe.Tail, "\n"), errNoArt):
		return nil, nil
	case errors.As(err, &fe) && strings.Contains(strings.Join(fe.Tail, "\n"), errTooLarge):
		return nil, fmt.Errorf("the cover art of %s is over %d megapixels: %w", filepath.Base(path), picture.MaxPixels/1_000_000, err)
	case err != nil:
		return nil, fmt.Errorf("reading the cover art of %s: %w", filepath.Base(path), err)
	}
	return out.Bytes(), nil
}

// decodeArt decodes the PNG ffmpeg wrote for the art of file name,
// checking its header's size before it decodes a pixel.
func decodeArt(data []byte, name string) (image.Image, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("the cover art of %s: %w", name, err)
	}
	if cfg.Width > artMaxSide || cfg.Height > artMaxSide {
		return nil, fmt.Errorf("the cover art of %s is %dx%d, over %d pixels a side", name, cfg.Width, cfg.Height, artMaxSide)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("the cover art of %s: %w", name, err)
	}
	return img, nil
}
