package encoder

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/internal/imgtest"
)

// TestHardBounds: input past Stillcast's bounds is a field error that
// names the field, and the slide or how many, before any work starts.
func TestHardBounds(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	img := imgtest.WritePNG(t, dir, "a.png", imgtest.ColorCard(64, 64))
	huge := filepath.Join(dir, "huge.png")
	if err := os.WriteFile(huge, hugePNGHeader(t), 0o600); err != nil {
		t.Fatal(err)
	}
	many := t.TempDir()
	for i := range MaxAudioFiles + 1 {
		if err := os.WriteFile(filepath.Join(many, fmt.Sprintf("%05d.mp3", i)), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	images := make([]string, MaxImages+1)
	for i := range images {
		images[i] = img
	}
	for _, tc := range []struct {
		name  string
		edit  func(*Settings)
		field string
		says  string
	}{
		{"a slide shorter than a frame", func(s *Settings) {
			s.Images = SlidesOf(img, img)
			s.Images[1].Duration = 10 * time.Millisecond
		}, "image-duration", "a.png: 10ms is shorter than one frame at 25 fps"},
		{"an even share shorter than a frame", func(s *Settings) {
			s.Images, s.Duration = SlidesOf(images[:300]...), 10*time.Second
		}, "image-duration", "300 images share 10s, 33.333333ms each, which is shorter than one frame at 25 fps"},
		{"too many images", func(s *Settings) { s.Images = SlidesOf(images...) }, "image", "10001 images; the limit is 10000"},
		{"too many audio files", func(s *Settings) { s.Audio = []string{many} }, "audio", "5001 audio files; the limit is 5000"},
		{"a huge second slide", func(s *Settings) { s.Images = SlidesOf(img, huge) }, "image",
			"image 2 (huge.png): 100000x100000 is 10000 megapixels; the limit is 100 megapixels"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := testSettings(img, filepath.Join(t.TempDir(), "out.mp4"))
			tc.edit(&s)
			j, err := Start(context.Background(), s)
			if j != nil {
				j.Cancel()
				j.Wait()
				t.Fatal("Start began the job")
			}
			fes := FieldErrors(err)
			if len(fes) != 1 || fes[0].Field != tc.field || !strings.Contains(fes[0].Err.Error(), tc.says) {
				t.Fatalf("Start: %v, want one %q error saying %q", err, tc.field, tc.says)
			}
		})
	}
}

// hugePNGHeader is the start of a PNG that claims 100000×100000 pixels.
func hugePNGHeader(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 100000)
	binary.BigEndian.PutUint32(ihdr[4:], 100000)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk := append([]byte("IHDR"), ihdr...)
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}
