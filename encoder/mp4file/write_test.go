package mp4file

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// encodeSegment encodes n frames of a moving test pattern at 5 fps, as
// one group of pictures without B-frames, so that every frame differs
// and a wrong repetition shows in the decoded frames.
func encodeSegment(t *testing.T, dir string, n int) string {
	t.Helper()
	path := filepath.Join(dir, "seg.mp4")
	k := strconv.Itoa(n)
	if out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=5",
		"-frames:v", k, "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", k, "-pix_fmt", "yuv420p",
		"-y", path).CombinedOutput(); err != nil {
		t.Fatalf("encoding the segment: %v\n%s", err, out)
	}
	return path
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

// TestWriteRepeats writes 47 frames from a segment of 10: four whole
// repetitions and one cut after 7 frames. Each decoded frame must be the
// segment's frame at the same place, the packets one frame apart from 0,
// keyframes where each repetition starts, and the index first.
func TestWriteRepeats(t *testing.T) {
	dir := t.TempDir()
	seg, err := ReadSegment(encodeSegment(t, dir, 10))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.mp4")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	var reports []int
	n, err := Write(context.Background(), f, seg, 47, func(done int) { reports = append(reports, done) })
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if size, _ := Size(seg, 47); n != size {
		t.Fatalf("wrote %d bytes, Size says %d", n, size)
	}
	if want := []int{10, 20, 30, 40, 47}; !slices.Equal(reports, want) {
		t.Fatalf("progress %v, want %v", reports, want)
	}
	segFrames, outFrames := frameHashes(t, filepath.Join(dir, "seg.mp4")), frameHashes(t, out)
	if len(outFrames) != 47 {
		t.Fatalf("%d frames decoded, want 47", len(outFrames))
	}
	for i, h := range outFrames {
		if h != segFrames[i%10] {
			t.Fatalf("frame %d is not the segment's frame %d", i, i%10)
		}
	}
	probe, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts,dts,flags",
		"-of", "csv=p=0", out).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(string(probe))
	if len(lines) != 47 {
		t.Fatalf("%d packets, want 47", len(lines))
	}
	for i, line := range lines {
		f := strings.Split(line, ",")
		pts, _ := strconv.Atoi(f[0])
		dts, _ := strconv.Atoi(f[1])
		if pts != dts || pts != i*int(seg.Delta) {
			t.Fatalf("packet %d: pts %d dts %d, want both %d", i, pts, dts, i*int(seg.Delta))
		}
		if key := strings.HasPrefix(f[2], "K"); key != (i%10 == 0) {
			t.Fatalf("packet %d: keyframe %v", i, key)
		}
	}
	if msg, err := exec.Command("ffmpeg", "-v", "error", "-i", out, "-f", "null", "-").CombinedOutput(); err != nil || len(msg) > 0 {
		t.Fatalf("decoding: %v %s", err, msg)
	}
	data, _ := os.ReadFile(out)
	if moov, mdat := strings.Index(string(data), "moov"), strings.Index(string(data), "mdat"); moov < 0 || moov > mdat {
		t.Fatalf("moov at %d, mdat at %d: not faststart", moov, mdat)
	}
}

// TestWriteStopsWhenCancelled stops before the first repetition.
func TestWriteStopsWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	seg, err := ReadSegment(encodeSegment(t, dir, 5))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var sink strings.Builder
	if _, err := Write(ctx, &sink, seg, 100, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Write = %v, want context.Canceled", err)
	}
}

// TestReadSegmentRefusesBFrames: frames shown out of decode order
// cannot be cut after any frame.
func TestReadSegmentRefusesBFrames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.mp4")
	if out, err := exec.Command("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=5",
		"-frames:v", "20", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-pix_fmt", "yuv420p", "-y", path).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if _, err := ReadSegment(path); err == nil || !strings.Contains(err.Error(), "B-frames") {
		t.Fatalf("ReadSegment = %v, want an error about B-frames", err)
	}
	if _, err := ReadSegment(filepath.Join(t.TempDir(), "none.mp4")); err == nil {
		t.Fatal("a missing file was read")
	}
}
