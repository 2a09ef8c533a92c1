package album

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestFFMetadata(t *testing.T) {
	chs := []Chapter{
		{"Plain", 0, 225_045_500 * time.Microsecond},
		{"a=b;c#d\\e\nf", 225_045_500 * time.Microsecond, time.Hour + 1400*time.Microsecond},
	}
	want := `;FFMETADATA1
[CHAPTER]
TIMEBASE=1/1000
START=0
END=225046
title=Plain
[CHAPTER]
TIMEBASE=1/1000
START=225046
END=3600001
title=a\=b\;c\#d\\e\
f
`
	if got := FFMetadata(chs); got != want {
		t.Errorf("FFMetadata =\n%s\nwant\n%s", got, want)
	}
}

// FuzzFFMetadata reads the file back as ffmpeg does and finds the same
// chapters, to the millisecond.
func FuzzFFMetadata(f *testing.F) {
	f.Add("Song one", "a=b;c#d\\e\nf", int64(225_045_500))
	f.Add("", "\\\\", int64(1))
	f.Fuzz(func(t *testing.T, t1, t2 string, length int64) {
		length = abs(length) % (100 * int64(time.Hour))
		chs := []Chapter{{t1, 0, time.Duration(length)}, {t2, time.Duration(length), 2 * time.Duration(length)}}
		got := readFFMetadata(t, FFMetadata(chs))
		if len(got) != len(chs) {
			t.Fatalf("%d chapters read back, %d written", len(got), len(chs))
		}
		for i, c := range chs {
			want := Chapter{c.Title, c.Start.Round(time.Millisecond), c.End.Round(time.Millisecond)}
			if got[i] != want {
				t.Errorf("chapter %d read back as %#v, want %#v", i, got[i], want)
			}
		}
	})
}

// readFFMetadata parses what FFMetadata writes the way ffmpeg's
// ffmetadata demuxer does: a backslash takes the next byte as it is.
func readFFMetadata(t *testing.T, text string) []Chapter {
	if !strings.HasPrefix(text, ";FFMETADATA1\n") {
		t.Fatalf("no header: %q", text)
	}
	var lines []string
	var line strings.Builder
	for i := len(";FFMETADATA1\n"); i < len(text); i++ {
		switch c := text[i]; {
		case c == '\\' && i+1 < len(text):
			i++
			line.WriteByte(text[i])
		case c == '\n':
			lines = append(lines, line.String())
			line.Reset()
		default:
			line.WriteByte(c)
		}
	}
	var chs []Chapter
	for _, l := range lines {
		key, value, _ := strings.Cut(l, "=")
		n, _ := strconv.ParseInt(value, 10, 64)
		switch key {
		case "[CHAPTER]":
			chs = append(chs, Chapter{})
		case "START":
			chs[len(chs)-1].Start = time.Duration(n) * time.Millisecond
		case "END":
			chs[len(chs)-1].End = time.Duration(n) * time.Millisecond
		case "title":
			chs[len(chs)-1].Title = value
		}
	}
	return chs
}
