package encoder

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/internal/imgtest"
)

// withArt makes a 0.3 s song in dir named name whose cover art is the
// file cover (none when ""), with title and artist tags; args choose the
// audio codec and how the art is stored.
func withArt(t *testing.T, dir, name, cover string, args ...string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	in := []string{"-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=0.3"}
	if cover != "" {
		in = append(in, "-i", cover, "-map", "0:a", "-map", "1:v", "-disposition:v", "attached_pic")
	}
	in = append(in, args...)
	ffmpegOut(t, append(in, "-metadata", "title=Weightless", "-metadata", "artist=Marconi Union", "-y", out)...)
	return out
}

// artSize is art's size for a message, or "no art".
func artSize(art image.Image) string {
	if art == nil {
		return "no art"
	}
	return art.Bounds().Size().String()
}

// checkArt checks art is the colour card of w×h: each block's colour
// within tol (0 for a lossless copy).
func checkArt(t *testing.T, what string, art image.Image, w, h int, tol float64) {
	t.Helper()
	if art == nil {
		t.Fatalf("%s: no art found", what)
	}
	if got := art.Bounds().Size(); got != image.Pt(w, h) {
		t.Fatalf("%s: art is %v, want %dx%d", what, got, w, h)
	}
	flat := imgtest.Flatten(art)
	for i, bc := range imgtest.BlockColors {
		r := imgtest.Inset(imgtest.CardBlockRect(i, w, h), 4)
		imgtest.CheckColor(t, what+" block "+bc.Name, flat, r, bc.C, tol)
	}
}

func TestTrackArt(t *testing.T) {
	needFFmpeg(t)
	t.Parallel()
	dir := t.TempDir()
	card := imgtest.ColorCard(320, 240)
	pngCover := imgtest.WritePNG(t, dir, "cover.png", card)
	jpgCover := imgtest.WriteJPEG(t, dir, "cover.jpg", card)
	// Ogg has no picture stream: the art is a FLAC picture block in a
	// Vorbis comment.
	comment := vorbisPicture(t, pngCover, 320, 240)
	cases := []struct {
		name, cover string
		args        []string
		tol         float64
	}{
		{"apic.mp3", jpgCover, []string{"-c:a", "libmp3lame", "-c:v", "copy", "-id3v2_version", "3"}, 6},
		{"apic-png.mp3", pngCover, []string{"-c:a", "libmp3lame", "-c:v", "copy", "-id3v2_version", "3"}, 0},
		{"covr.m4a", pngCover, []string{"-c:a", "aac", "-c:v", "copy"}, 0},
		{"picture.flac", pngCover, []string{"-c:a", "flac", "-c:v", "copy"}, 0},
		{"comment.opus", "", []string{"-c:a", "libopus", "-metadata:s:a:0", comment}, 0},
		{"comment.ogg", "", []string{"-c:a", "libvorbis", "-metadata:s:a:0", comment}, 0},
	}
	for _, c := range cases {
		song := withArt(t, dir, c.name, c.cover, c.args...)
		art, err := trackArt(context.Background(), ffmpegBin, song)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		checkArt(t, c.name, art, 320, 240, c.tol)
	}
	for _, name := range []string{"none.mp3", "none.flac", "none.m4a", "none.opus"} {
		song := withArt(t, dir, name, "")
		if art, err := trackArt(context.Background(), ffmpegBin, song); art != nil || err != nil {
			t.Errorf("%s without art: %v, %v; want nil, nil", name, artSize(art), err)
		}
	}
}

// vorbisPicture is the Vorbis comment METADATA_BLOCK_PICTURE=… that
// holds the PNG at path of w×h as a FLAC picture block: front cover.
func vorbisPicture(t *testing.T, path string, w, h int) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return vorbisPictureOf(data, w, h)
}

// vorbisPictureOf is vorbisPicture of the PNG data.
func vorbisPictureOf(data []byte, w, h int) string {
	var block []byte
	str := func(s string) []byte { return append(binary.BigEndian.AppendUint32(nil, uint32(len(s))), s...) }
	block = binary.BigEndian.AppendUint32(block, 3) // front cover
	block = append(append(block, str("image/png")...), str("")...)
	for _, v := range []uint32{uint32(w), uint32(h), 24, 0, uint32(len(data))} {
		block = binary.BigEndian.AppendUint32(block, v)
	}
	return "METADATA_BLOCK_PICTURE=" + base64.StdEncoding.EncodeToString(append(block, data...))
}

// hugeBlackPNG is a side×side 1-bit grey PNG, all black, written row by
// row so that the test never holds its pixels; side is a multiple of 8.
func hugeBlackPNG(t *testing.T, side int) []byte {
	t.Helper()
	var idat bytes.Buffer
	z := zlib.NewWriter(&idat)
	row := make([]byte, 1+side/8) // filter type 0, then 8 pixels a byte
	for range side {
		if _, err := z.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	var png bytes.Buffer
	png.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		png.Write(binary.BigEndian.AppendUint32(nil, uint32(len(data))))
		body := append([]byte(typ), data...)
		png.Write(body)
		png.Write(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(body)))
	}
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, uint32(side)), uint32(side))
	chunk("IHDR", append(ihdr, 1, 0, 0, 0, 0)) // 1-bit grey, deflate, no interlace
	chunk("IDAT", idat.Bytes())
	chunk("IEND", nil)
	return png.Bytes()
}

func TestTrackArtScalesLargeArtDown(t *testing.T) {
	needFFmpeg(t)
	t.Parallel()
	dir := t.TempDir()
	cover := imgtest.WritePNG(t, dir, "big.png", imgtest.ColorCard(3000, 1500))
	song := withArt(t, dir, "big.flac", cover, "-c:a", "flac", "-c:v", "copy")
	art, err := trackArt(context.Background(), ffmpegBin, song)
	if err != nil {
		t.Fatal(err)
	}
	// Scaling blurs each block's edges only, which the check leaves out.
	checkArt(t, "3000x1500 art", art, artMaxSide, artMaxSide/2, 3)
}

func TestTrackArtErrors(t *testing.T) {
	needFFmpeg(t)
	t.Parallel()
	dir := t.TempDir()
	notAudio := filepath.Join(dir, "notes.mp3")
	if err := os.WriteFile(notAudio, []byte("just some text, no sound"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{notAudio, filepath.Join(dir, "missing.mp3")} {
		art, err := trackArt(context.Background(), ffmpegBin, path)
		var fe *ffmpeg.Error
		if art != nil || !errors.As(err, &fe) || !strings.Contains(err.Error(), filepath.Base(path)) {
			t.Errorf("trackArt(%s) = %v, %v; want an ffmpeg error naming the file", filepath.Base(path), artSize(art), err)
		}
	}
	// A valid PNG of 10240×10240 black pixels, 13 KB: decoded, it would
	// take 13 MB in ffmpeg, and 105 MB once scaled or in Go.
	meta := filepath.Join(dir, "meta.txt")
	big := vorbisPictureOf(hugeBlackPNG(t, 10240), 10240, 10240)
	if err := os.WriteFile(meta, []byte(";FFMETADATA1\n[STREAM]\n"+big+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	huge := withArt(t, dir, "huge.opus", "", "-f", "ffmetadata", "-i", meta, "-map", "0:a", "-map_metadata:s:a:0", "1:s:0", "-c:a", "libopus")
	if art, err := trackArt(context.Background(), ffmpegBin, huge); art != nil || err == nil ||
		!strings.Contains(err.Error(), "huge.opus") || !strings.Contains(err.Error(), "over 100 megapixels") {
		t.Errorf("art of 10240x10240: %v, %v; want an error naming the file and the limit", artSize(art), err)
	}

	song := withArt(t, dir, "song.flac", imgtest.WritePNG(t, dir, "c.png", imgtest.ColorCard(64, 48)), "-c:a", "flac", "-c:v", "copy")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if art, err := trackArt(ctx, ffmpegBin, song); art != nil || !errors.Is(err, ErrCancelled) {
		t.Errorf("cancelled: %v, %v; want ErrCancelled", artSize(art), err)
	}
}

// TestTrackArtFFmpeg41: the oldest ffmpeg Stillcast supports finds the
// art, and words a file without it the same way.
func TestTrackArtFFmpeg41(t *testing.T) {
	needFFmpeg(t)
	bin := FFmpeg41(t)
	t.Parallel()
	dir := t.TempDir()
	cover := imgtest.WritePNG(t, dir, "cover.png", imgtest.ColorCard(320, 240))
	song := withArt(t, dir, "apic.mp3", cover, "-c:a", "libmp3lame", "-c:v", "copy", "-id3v2_version", "3")
	art, err := trackArt(context.Background(), bin, song)
	if err != nil {
		t.Fatal(err)
	}
	checkArt(t, "ffmpeg 4.1", art, 320, 240, 0)
	if art, err := trackArt(context.Background(), bin, withArt(t, dir, "none.mp3", "")); art != nil || err != nil {
		t.Errorf("without art: %v, %v; want nil, nil", artSize(art), err)
	}
}
