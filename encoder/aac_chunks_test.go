package encoder

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"path/filepath"
	"testing"
	"time"
)

func TestPlanAACChunks(t *testing.T) {
	for _, tc := range []struct {
		total time.Duration
		n     int
		want  []aacChunk
	}{
		{3 * time.Minute, 2, []aacChunk{{0, -1, 0, -1}}},
		{10 * time.Minute, 1, []aacChunk{{0, -1, 0, -1}}},
		{10 * time.Minute, 2, []aacChunk{
			{0, 13229056 + 8*1024, 0, 13229056},
			{13229056 - 1000*1024, -1, 13229056, -1},
		}},
	} {
		got := planAACChunks(tc.total, 44100, tc.n, minChunk)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("planAACChunks(%s, %d) = %v, want %v", tc.total, tc.n, got, tc.want)
		}
	}
	c := aacChunk{Start: 1000 * 1024, From: 2000 * 1024, To: 3000 * 1024, End: 3008 * 1024}
	for j, want := range map[int64]bool{0: false, 1000: false, 1001: true, 2000: true, 2001: false} {
		if c.keeps(j) != want {
			t.Errorf("keeps(%d) = %v, want %v", j, !want, want)
		}
	}
}

// TestAACChunksJoinWithoutASeam encodes 8½ minutes of two songs in two
// chunks, in parallel, and compares the joined audio with the decoded
// songs: it is as long as they are (to the encoder's padding), in step
// with them, and no worse at the join than anywhere else.
func TestAACChunksJoinWithoutASeam(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	var tracks []AudioInfo
	for i, f := range []int{317, 529} {
		path := filepath.Join(dir, fmt.Sprintf("%d.mp3", i))
		ffmpegOut(t, "-v", "error", "-f", "lavfi", "-i", fmt.Sprintf("sine=frequency=%d:sample_rate=44100:duration=255", f),
			"-ac", "2", "-c:a", "libmp3lame", "-b:a", "192k", "-y", path)
		tracks = append(tracks, AudioInfo{Path: path, Codec: "mp3", SampleRate: 44100, Duration: 255 * time.Second})
	}
	plan := planAudio(tracks, totalLength(tracks), false, Containers()[0], 25)
	chunks := planAACChunks(totalLength(tracks), 44100, 2, minChunk)
	if len(chunks) != 2 {
		t.Fatalf("%d chunks, want 2", len(chunks))
	}
	adts, joined := filepath.Join(dir, "a.adts"), filepath.Join(dir, "joined.m4a")
	ctx := context.Background()
	frames, err := encodeAACChunks(ctx, ffmpegBin, dir, plan, chunks, 44100, adts, limits{}, func(time.Duration) {})
	if err != nil {
		t.Fatal(err)
	}
	ffmpegOut(t, adtsToMP4Args(joinedAAC{In: adts, Out: joined, Rate: 44100, Frames: frames}, limits{})...)

	pcm := func(args ...string) []int16 {
		raw := ffmpegOut(t, append(append([]string{"-v", "error"}, args...), "-ac", "1", "-ar", "44100", "-f", "s16le", "-")...)
		out := make([]int16, len(raw)/2)
		for i := range out {
			out[i] = int16(binary.LittleEndian.Uint16(raw[2*i:]))
		}
		return out
	}
	src := append(pcm("-i", tracks[0].Path), pcm("-i", tracks[1].Path)...)
	j := pcm("-i", joined)
	if d := len(j) - len(src); d < 0 || d > 2*aacFrameSamples {
		t.Errorf("the joined audio has %d samples, the songs %d", len(j), len(src))
	}
	maxErr := func(x []int16, from, to int) int {
		m := 0
		for i := from; i < to && i < len(x) && i < len(src); i++ {
			m = max(m, int(math.Abs(float64(x[i])-float64(src[i]))))
		}
		return m
	}
	seam := int(chunks[1].From)
	atSeam, elsewhere := maxErr(j, seam-4096, seam+4096), maxErr(j, seam-200000, seam-100000)
	t.Logf("largest error: %d at the join, %d elsewhere", atSeam, elsewhere)
	if atSeam > 2*elsewhere+8 || elsewhere > 200 {
		t.Errorf("largest error %d at the join, %d elsewhere: the chunks do not join cleanly", atSeam, elsewhere)
	}
}
