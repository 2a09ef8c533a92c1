//go:build linux

package encoder_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder"
)

// albumSongs and albumSongLength make the benchmark's album: 12 songs of
// 3:45, 45 minutes in all.
const (
	albumSongs      = 12
	albumSongLength = 225
)

// BenchmarkAlbum12Songs1080p25 makes an album's videos at 1080p25 in one
// run: 12 songs of 3:45 (mp3, 192k), one video per song and the full
// album video with chapters, all with the same cover. Beside it, the blog
// command per song (`ffmpeg -loop 1 -i cover -i song -c:v libx264 -tune
// stillimage -c:a copy -shortest`) on the first song, scaled to the
// album's 12 songs: it makes no album video at all.
func BenchmarkAlbum12Songs1080p25(b *testing.B) {
	img := benchSample(b)
	music := b.TempDir()
	for i := range albumSongs {
		song := filepath.Join(music, fmt.Sprintf("%02d.mp3", i+1))
		if msg, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i",
			fmt.Sprintf("sine=frequency=%d:duration=%d", 220+37*i, albumSongLength), "-ac", "2", "-ar", "44100",
			"-c:a", "libmp3lame", "-b:a", "192k", "-metadata", fmt.Sprintf("title=Song %d", i+1),
			"-metadata", fmt.Sprintf("track=%d", i+1), "-metadata", "album=Bench", "-y", song).CombinedOutput(); err != nil {
			b.Fatalf("making %s: %v\n%s", song, err, msg)
		}
	}
	var ours, recipe time.Duration
	for range b.N {
		for round := range benchRounds {
			s := encoder.DefaultSettings()
			s.Images, s.Size, s.Audio, s.Duration = encoder.SlidesOf(img), encoder.NamedSizes()[2], []string{music}, 0
			s.Each, s.Album, s.Force, s.Output = true, true, true, b.TempDir()
			ours = best(ours, timedJob(b, s), round)
		}
		d, _ := benchRecipe(b, "-loop", "1", "-framerate", "25", "-i", img, "-i", filepath.Join(music, "01.mp3"),
			"-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "20", "-pix_fmt", "yuv420p",
			"-vf", "scale=1920:1080", "-c:a", "copy", "-shortest", "-movflags", "+faststart")
		recipe = d * albumSongs
	}
	b.ReportMetric(ours.Seconds(), "album13-s")
	b.ReportMetric(recipe.Seconds(), "recipe12-est-s")
	b.ReportMetric(recipe.Seconds()/ours.Seconds(), "speedup")
	b.ReportMetric(0, "ns/op")
}
