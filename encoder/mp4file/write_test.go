package mp4file

import (
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// encodeSegments encodes frames of a moving test pattern at 5 fps in
// one x264 run with B-frames, as the still path does, cut into a part
// for each of lengths by the segment muxer, each a closed group of
// pictures in an MP4 of its own. Every frame differs, so a wrong
// repetition or order shows in the decoded frames.
func encodeSegments(t *testing.T, dir string, lengths ...int) []string {
	t.Helper()
	var at, cut []string
	total := 0
	for i, n := range lengths {
		if i > 0 {
			at = append(at, strconv.FormatFloat(float64(total)/5, 'f', 3, 64))
			cut = append(cut, strconv.Itoa(total))
		}
		total += n
	}
	k := strconv.Itoa(lengths[0])
	args := []string{"-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=5",
		"-frames:v", strconv.Itoa(total), "-c:v", "libx264", "-preset", "veryfast", "-bf", "3",
		"-g", k, "-keyint_min", k, "-sc_threshold", "0", "-pix_fmt", "yuv420p"}
	if len(at) > 0 {
		args = append(args, "-force_key_frames", strings.Join(at, ","), "-forced-idr", "1",
			"-f", "segment", "-segment_format", "mp4", "-segment_frames", strings.Join(cut, ","),
			"-reset_timestamps", "1", "-y", filepath.Join(dir, "seg%d.mp4"))
	} else {
		args = append(args, "-y", filepath.Join(dir, "seg0.mp4"))
	}
	if out, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
		t.Fatalf("encoding the segments: %v\n%s", err, out)
	}
	paths := make([]string, len(lengths))
	for i := range paths {
		paths[i] = filepath.Join(dir, "seg"+strconv.Itoa(i)+".mp4")
	}
	return paths
}

// readSegments reads each of paths.
func readSegments(t *testing.T, paths []string) []*Segment {
	t.Helper()
	segs := make([]*Segment, len(paths))
	for i, p := range paths {
		seg, err := ReadSegment(p)
		if err != nil {
			t.Fatal(err)
		}
		segs[i] = seg
	}
	return segs
}

// frameHashes decodes a video and returns each frame's MD5.
func frameHashes(t *testing.T, path string) []string {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-v", "error", "-i", path, "-f", "framemd5", "-").Output()
	if err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	var hashes []string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Split(line, ","); len(f) == 6 && !strings.HasPrefix(line, "#") {
			hashes = append(hashes, strings.TrimSpace(f[5]))
		}
	}
	return hashes
}

// TestWriteRepeats writes 47 frames from a segment of 10 with B-frames,
// four times over, and a last segment of 7 from the same encode. Each
// decoded frame must be the segment's frame at the same place, the
// frames shown one apart from 0 and decoded in order, keyframes where
// each repetition starts, and the index first.
func TestWriteRepeats(t *testing.T) {
	dir := t.TempDir()
	paths := encodeSegments(t, dir, 10, 7)
	segs := readSegments(t, paths)
	if segs[0].Offsets == nil || segs[0].Shift == 0 {
		t.Fatal("the segment has no B-frames: the test would not test them")
	}
	pieces := []Piece{{segs[0], 4}, {segs[1], 1}}
	out := filepath.Join(dir, "out.mp4")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	var reports []int
	n, err := Write(context.Background(), f, pieces, func(done int) { reports = append(reports, done) })
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if size, _ := Size(pieces); n != size || Frames(pieces) != 47 {
		t.Fatalf("wrote %d bytes, Size says %d; Frames %d", n, size, Frames(pieces))
	}
	if want := []int{10, 20, 30, 40, 47}; !slices.Equal(reports, want) {
		t.Fatalf("progress %v, want %v", reports, want)
	}
	first, last := frameHashes(t, paths[0]), frameHashes(t, paths[1])
	outFrames := frameHashes(t, out)
	if len(outFrames) != 47 {
		t.Fatalf("%d frames decoded, want 47", len(outFrames))
	}
	for i, h := range outFrames {
		if i < 40 && h != first[i%10] || i >= 40 && h != last[i-40] {
			t.Fatalf("frame %d is not its segment's frame", i)
		}
	}
	checkPackets(t, out, 47, int(segs[0].Delta), []int{0, 10, 20, 30, 40})
	if msg, err := exec.Command("ffmpeg", "-v", "error", "-i", out, "-f", "null", "-").CombinedOutput(); err != nil || len(msg) > 0 {
		t.Fatalf("decoding: %v %s", err, msg)
	}
	data, _ := os.ReadFile(out)
	if moov, mdat := strings.Index(string(data), "moov"), strings.Index(string(data), "mdat"); moov < 0 || moov > mdat {
		t.Fatalf("moov at %d, mdat at %d: not faststart", moov, mdat)
	}
}

// checkPackets checks the n packets of a video as a player reads them:
// decoded in order, shown each at a place of its own from 0 on, delta
// ticks apart, and keyframes the packets keys in decode order.
func checkPackets(t *testing.T, path string, n, delta int, keys []int) {
	t.Helper()
	probe, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts,dts,flags",
		"-of", "csv=p=0", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(string(probe))
	if len(lines) != n {
		t.Fatalf("%d packets, want %d", len(lines), n)
	}
	var shown, key []int
	lastDTS := math.MinInt
	for i, line := range lines {
		f := strings.Split(line, ",")
		pts, _ := strconv.Atoi(f[0])
		dts, _ := strconv.Atoi(f[1])
		if dts <= lastDTS || pts < dts {
			t.Fatalf("packet %d: pts %d dts %d after dts %d", i, pts, dts, lastDTS)
		}
		lastDTS = dts
		shown = append(shown, pts)
		if strings.HasPrefix(f[2], "K") {
			key = append(key, i)
		}
	}
	slices.Sort(shown)
	for i, pts := range shown {
		if pts != i*delta {
			t.Fatalf("the %d-th frame shown is at %d, want %d", i, pts, i*delta)
		}
	}
	if !slices.Equal(key, keys) {
		t.Fatalf("keyframes %v, want %v", key, keys)
	}
}

// TestWriteRefusesUnlike: segments of different encodes cannot follow
// each other.
func TestWriteRefusesUnlike(t *testing.T) {
	a := readSegments(t, encodeSegments(t, t.TempDir(), 10))[0]
	dir := t.TempDir()
	if out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=5",
		"-frames:v", "5", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-y", filepath.Join(dir, "b.mp4")).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	b := readSegments(t, []string{filepath.Join(dir, "b.mp4")})[0]
	var sink strings.Builder
	if _, err := Write(context.Background(), &sink, []Piece{{a, 2}, {b, 1}}, nil); err == nil || !strings.Contains(err.Error(), "segment 2") {
		t.Fatalf("Write = %v, want segment 2 refused", err)
	}
}

// TestWriteStopsWhenCancelled stops before the first repetition.
func TestWriteStopsWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	seg := readSegments(t, encodeSegments(t, dir, 5))[0]
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var sink strings.Builder
	if _, err := Write(ctx, &sink, []Piece{{seg, 20}}, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Write = %v, want context.Canceled", err)
	}
}

// TestReadSegmentRefuses: no file, or frames shown outside the segment.
func TestReadSegmentRefuses(t *testing.T) {
	if _, err := ReadSegment(filepath.Join(t.TempDir(), "none.mp4")); err == nil {
		t.Fatal("a missing file was read")
	}
	seg := readSegments(t, encodeSegments(t, t.TempDir(), 10))[0]
	shift := seg.Shift
	seg.Shift = 0 // every frame shown later: the last past the segment's end
	if err := seg.shownInPlace(); err == nil {
		t.Fatal("a segment showing a frame past its end was taken")
	}
	seg.Shift, seg.Offsets[0] = shift, 0 // shown before the segment starts
	if err := seg.shownInPlace(); err == nil {
		t.Fatal("a segment showing a frame before its start was taken")
	}
}
