package ffmpeg

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// realProgress is what ffmpeg 5.1 prints with -progress pipe:1 for an
// encode: a first block before any frame is out (N/A values, a negative
// out_time from older builds), a running block, and the last one.
const realProgress = `frame=0
fps=0.00
stream_0_0_q=0.0
bitrate=N/A
total_size=N/A
out_time_us=N/A
out_time_ms=N/A
out_time=N/A
dup_frames=0
drop_frames=0
speed=N/A
progress=continue
frame=0
fps=0.0
stream_0_0_q=0.0
bitrate=N/A
total_size=48
out_time_us=-9223372036854775807
out_time_ms=-9223372036854775807
out_time=-2562047:47:16.854775
dup_frames=0
drop_frames=0
speed=N/A
progress=continue
frame=137
fps=68.50
stream_0_0_q=28.0
bitrate= 102.4kbits/s
total_size=65584
out_time_us=5120000
out_time_ms=5120000
out_time=00:00:05.120000
dup_frames=2
drop_frames=1
speed=2.56x
progress=continue
frame=250
fps=83.33
stream_0_0_q=-1.0
bitrate=  98.1kbits/s
total_size=122662
out_time_us=9960000
out_time_ms=9960000
out_time=00:00:09.960000
dup_frames=0
drop_frames=0
speed=3.32x
progress=end
`

func TestProgressParser(t *testing.T) {
	t.Parallel()
	want := []Progress{
		{},
		{Size: 48},
		{Frame: 137, FPS: 68.5, OutTime: 5120 * time.Millisecond, Speed: 2.56, Size: 65584, Bitrate: 102.4, Dup: 2, Dropped: 1},
		{Frame: 250, FPS: 83.33, OutTime: 9960 * time.Millisecond, Speed: 3.32, Size: 122662, Bitrate: 98.1, End: true},
	}
	for _, eol := range []string{"\n", "\r\n"} {
		var p progressParser
		var got []Progress
		for _, line := range strings.Split(strings.ReplaceAll(realProgress, "\n", eol), "\n") {
			if b, ok := p.feed(line); ok {
				got = append(got, b)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("eol %q:\n got %+v\nwant %+v", eol, got, want)
		}
	}
}

func TestProgressParserLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lines []string
		want  Progress
	}{
		{[]string{"frame=12", "progress=continue"}, Progress{Frame: 12}},
		{[]string{"frame=  12  ", "progress=continue"}, Progress{Frame: 12}},
		{[]string{"speed=   1.5x", "progress=continue"}, Progress{Speed: 1.5}},
		{[]string{"speed=1.5", "progress=continue"}, Progress{Speed: 1.5}},
		{[]string{"speed=N/A", "fps=N/A", "frame=N/A", "progress=continue"}, Progress{}},
		{[]string{"out_time_ms=1500000", "progress=end"}, Progress{OutTime: 1500 * time.Millisecond, End: true}},
		{[]string{"out_time_us=-1", "progress=continue"}, Progress{}},
		{[]string{"garbage", "=", "frame", "progress=continue"}, Progress{}},
		{[]string{"total_size=N/A", "bitrate=N/A", "dup_frames=N/A", "progress=continue"}, Progress{}},
		{[]string{"bitrate=1234.5kbits/s", "dup_frames=3", "drop_frames=4", "progress=continue"}, Progress{Bitrate: 1234.5, Dup: 3, Dropped: 4}},
		{[]string{"unknown_key=5", "progress=weird"}, Progress{}},
	}
	for _, tt := range tests {
		var p progressParser
		var got []Progress
		for _, l := range tt.lines {
			if b, ok := p.feed(l); ok {
				got = append(got, b)
			}
		}
		if len(got) != 1 || got[0] != tt.want {
			t.Errorf("feed(%q) = %+v, want [%+v]", tt.lines, got, tt.want)
		}
	}
	// A block starts afresh: nothing of the previous one leaks into it.
	var p progressParser
	p.feed("frame=10")
	p.feed("speed=2x")
	p.feed("progress=continue")
	if b, ok := p.feed("progress=continue"); !ok || b != (Progress{}) {
		t.Errorf("second block = %+v, %v; want empty", b, ok)
	}
}

func TestLineWriterSplitsAnyChunking(t *testing.T) {
	t.Parallel()
	want := strings.Split(strings.TrimSuffix(realProgress, "\n"), "\n")
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 50; round++ {
		var got []string
		w := &lineWriter{fn: func(s string) { got = append(got, s) }}
		data := []byte(realProgress)
		for len(data) > 0 {
			n := 1 + rng.IntN(min(len(data), 40))
			if k, err := w.Write(data[:n]); k != n || err != nil {
				t.Fatalf("Write = %d, %v", k, err)
			}
			data = data[n:]
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("round %d: lines differ:\n%q\n%q", round, got, want)
		}
	}
	// An endless line is dropped instead of filling memory, and lines after
	// it still arrive.
	var got []string
	w := &lineWriter{fn: func(s string) { got = append(got, s) }}
	junk := strings.Repeat("x", 100<<10)
	w.Write([]byte(junk))
	w.Write([]byte("\nframe=1\n"))
	if len(w.buf) != 0 || len(got) == 0 || got[len(got)-1] != "frame=1" {
		t.Errorf("after a 100 KiB line: buf %d bytes, lines %d, last %q", len(w.buf), len(got), lastOf(got))
	}
}

func lastOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

func TestTailBuffer(t *testing.T) {
	t.Parallel()
	b := newTailBuffer(10)
	for _, s := range []string{"abc", "def", "ghij", "klm"} {
		if n, err := b.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if got := string(b.buf); got != "defghijklm" {
		t.Errorf("after 13 bytes the buffer holds %q, want the last 10 %q", got, "defghijklm")
	}
	// One write longer than the buffer keeps its own tail.
	b.Write([]byte("0123456789ABCDEF"))
	if got := string(b.buf); got != "6789ABCDEF" {
		t.Errorf("after a long write: %q", got)
	}
	// Exactly the size.
	b.Write([]byte("qrstuvwxyz"))
	if got := string(b.buf); got != "qrstuvwxyz" {
		t.Errorf("after a write of exactly max: %q", got)
	}
	// Random writes always leave the last max bytes of everything written.
	rng := rand.New(rand.NewPCG(3, 4))
	var all []byte
	b = newTailBuffer(1000)
	for i := 0; i < 500; i++ {
		chunk := make([]byte, rng.IntN(300))
		for j := range chunk {
			chunk[j] = byte('a' + rng.IntN(26))
		}
		all = append(all, chunk...)
		b.Write(chunk)
		want := all[max(0, len(all)-1000):]
		if string(b.buf) != string(want) {
			t.Fatalf("write %d: buffer differs from the tail of the input", i)
		}
		if cap(b.buf) > 4000 {
			t.Fatalf("buffer grew to %d bytes of capacity", cap(b.buf))
		}
	}
}

func TestTailBufferLines(t *testing.T) {
	t.Parallel()
	b := newTailBuffer(64 << 10)
	b.Write([]byte("first\r\n\n  \nsecond  \r\nthird\nfourth"))
	tests := []struct {
		n    int
		want []string
	}{
		{0, nil},
		{1, []string{"fourth"}},
		{2, []string{"third", "fourth"}},
		{4, []string{"first", "second", "third", "fourth"}},
		{10, []string{"first", "second", "third", "fourth"}},
	}
	for _, tt := range tests {
		if got := b.Lines(tt.n); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Lines(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	if got := newTailBuffer(10).Lines(5); len(got) != 0 {
		t.Errorf("empty buffer Lines = %q", got)
	}
	// Concurrent writers and readers are safe (run with -race).
	done := make(chan bool)
	for i := 0; i < 4; i++ {
		go func() {
			for j := 0; j < 200; j++ {
				b.Write([]byte("line\n"))
				b.Lines(3)
			}
			done <- true
		}()
	}
	for i := 0; i < 4; i++ {
		<-done
	}
}

func TestFFmpegError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tail     []string
		hint     string
		msgParts []string
	}{
		{[]string{"a", "Unknown encoder 'libx264'"}, "without libx264", []string{"exit code 1", "without libx264"}},
		{[]string{"av_interleaved_write_frame(): No space left on device"}, "disk is full", []string{"disk is full"}},
		{[]string{"file:/x.mp4: Permission denied"}, "permission denied", []string{"permission denied"}},
		{[]string{"Connection refused"}, "connection refused", []string{"connection refused"}},
		{[]string{ // ffmpeg 4.1 for Windows, refused under Wine
			"[tcp @ 0000000000cc6400] Connection to tcp://127.0.0.1:9 failed: Error number -138 occurred",
			"[rtmp @ 0000000000d5f000] Cannot open connection tcp://127.0.0.1:9",
			"rtmp://127.0.0.1:9/app/[stream key]: Unknown error",
		}, "cannot reach the server", []string{"cannot reach the server"}},
		{[]string{"file:x: Invalid data found when processing input"}, "could not read the frames", nil},
		{[]string{"line one", "Something specific failed"}, "", []string{"exit code 1", "Something specific failed"}},
		{nil, "", []string{"ffmpeg failed (exit code 1)"}},
	}
	for _, tt := range tests {
		e := NewError(1, tt.tail)
		if tt.hint == "" && e.Hint != "" || tt.hint != "" && !strings.Contains(e.Hint, tt.hint) {
			t.Errorf("tail %q: hint %q, want one with %q", tt.tail, e.Hint, tt.hint)
		}
		for _, part := range tt.msgParts {
			if !strings.Contains(e.Error(), part) {
				t.Errorf("tail %q: message %q lacks %q", tt.tail, e.Error(), part)
			}
		}
		var fe *Error
		if !errors.As(fmt.Errorf("wrapped: %w", e), &fe) || fe.ExitCode != 1 {
			t.Errorf("errors.As through a wrap failed")
		}
	}
}
