package encoder

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stillcast/stillcast/encoder/internal/imgtest"
)

// The exported look at a song's cover: found in an mp3 and a FLAC, none
// in a song without art, and a clear error for a file that is not audio.
func TestCoverArt(t *testing.T) {
	needFFmpeg(t)
	t.Parallel()
	dir := t.TempDir()
	cover := imgtest.WritePNG(t, dir, "cover.png", imgtest.ColorCard(320, 240))
	cases := []struct {
		name, cover string
		args        []string
	}{
		{"apic.mp3", cover, []string{"-c:a", "libmp3lame", "-c:v", "copy", "-id3v2_version", "3"}},
		{"picture.flac", cover, []string{"-c:a", "flac", "-c:v", "copy"}},
		{"none.mp3", "", nil},
	}
	ctx := context.Background()
	for _, c := range cases {
		song := withArt(t, dir, c.name, c.cover, c.args...)
		has, err := HasCoverArt(ctx, ffmpegBin, song)
		if err != nil || has != (c.cover != "") {
			t.Errorf("HasCoverArt(%s) = %v, %v; want %v, nil", c.name, has, err, c.cover != "")
		}
		art, err := CoverArt(ctx, ffmpegBin, song)
		if err != nil {
			t.Fatalf("CoverArt(%s): %v", c.name, err)
		}
		if c.cover == "" {
			if art != nil {
				t.Errorf("CoverArt(%s) = %v, want none", c.name, artSize(art))
			}
			continue
		}
		checkArt(t, c.name, art, 320, 240, 0)
	}
	missing := filepath.Join(dir, "missing.mp3")
	if has, err := HasCoverArt(ctx, ffmpegBin, missing); has || err == nil || !strings.Contains(err.Error(), "missing.mp3") {
		t.Errorf("HasCoverArt of a missing file = %v, %v; want an error naming it", has, err)
	}
}
