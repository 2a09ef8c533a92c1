package album

import (
	"strings"
	"testing"
	"time"
)

func TestTimestamp(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0:00"},
		{999 * time.Millisecond, "0:00"}, // down, never up
		{61 * time.Second, "1:01"},
		{59*time.Minute + 59999*time.Millisecond, "59:59"},
		{time.Hour, "1:00:00"},
		{time.Hour + 20*time.Minute + 5*time.Second, "1:20:05"},
		{10*time.Hour + 1*time.Second, "10:00:01"},
		{-time.Second, "0:00"},
	}
	for _, tt := range tests {
		if got := Timestamp(tt.d); got != tt.want {
			t.Errorf("Timestamp(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestTracklist(t *testing.T) {
	m := time.Minute
	tests := []struct {
		name string
		chs  []Chapter
		want string
	}{
		{"an album", []Chapter{
			{"Song one", 0, 3*m + 41500*time.Millisecond},
			{"Song two", 3*m + 41500*time.Millisecond, 7 * m},
			{"Song\nthree", 7 * m, 9 * m},
		}, "0:00 Song one\n3:41 Song two\n7:00 Song three\n"},
		{"past an hour, line by line", []Chapter{
			{"a", 0, 20*m + 20*time.Second},
			{"b", 20*m + 20*time.Second, 40*m + 40*time.Second},
			{"c", 40*m + 40*time.Second, 61 * m},
			{"d", 61 * m, 62 * m},
		}, "0:00 a\n20:20 b\n40:40 c\n1:01:00 d\n"},
		{"too few", []Chapter{{"a", 0, m}, {"b", m, 2 * m}},
			"# YouTube makes chapters only of 3 or more, each at least 10 s long: this list has 2\n0:00 a\n1:00 b\n"},
		{"too short", []Chapter{{"a", 0, m}, {"b", m, m + 9500*time.Millisecond}, {"c", m + 9500*time.Millisecond, 2 * m}},
			"# YouTube makes chapters only of 3 or more, each at least 10 s long: chapter 2 (b) is 9.5s\n0:00 a\n1:00 b\n1:09 c\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Tracklist(tt.chs); got != tt.want {
				t.Errorf("Tracklist =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// FuzzTracklist checks that every line reads back as its chapter: the
// start rounded down to the second and the title on one line.
func FuzzTracklist(f *testing.F) {
	f.Add("Song one", "Song two", int64(221_500), int64(3_700_000))
	f.Add("a\nb", "#c;=\\", int64(0), int64(9_999))
	f.Fuzz(func(t *testing.T, t1, t2 string, len1, len2 int64) {
		len1, len2 = abs(len1)%(100*3600_000), abs(len2)%(100*3600_000)
		chs := Chapters([]Track{
			{Title: t1, File: "x.mp3", Length: time.Duration(len1) * time.Millisecond},
			{Title: t2, File: "y.mp3", Length: time.Duration(len2) * time.Millisecond},
		})
		lines := strings.Split(strings.TrimSuffix(Tracklist(chs), "\n"), "\n")
		if !strings.HasPrefix(lines[0], "# ") {
			t.Fatalf("two chapters and no comment: %q", lines)
		}
		lines = lines[1:]
		if len(lines) != len(chs) {
			t.Fatalf("%d lines for %d chapters", len(lines), len(chs))
		}
		for i, l := range lines {
			stamp, title, _ := strings.Cut(l, " ")
			if start := parseStamp(t, stamp); start != chs[i].Start.Truncate(time.Second) {
				t.Errorf("line %q starts at %v, chapter at %v", l, start, chs[i].Start)
			}
			if title != oneLine(chs[i].Title) {
				t.Errorf("line %q, title %q", l, chs[i].Title)
			}
		}
	})
}

func abs(n int64) int64 {
	if n < 0 {
		return -(n + 1)
	}
	return n
}

// parseStamp reads m:ss or h:mm:ss, checking the style fits the time.
func parseStamp(t *testing.T, s string) time.Duration {
	parts := strings.Split(s, ":")
	var d time.Duration
	for _, p := range parts {
		var n time.Duration
		for _, c := range p {
			if c < '0' || c > '9' {
				t.Fatalf("%q is not a timestamp", s)
			}
			n = n*10 + time.Duration(c-'0')
		}
		d = d*60 + n
	}
	d *= time.Second
	if (len(parts) == 3) != (d >= time.Hour) {
		t.Errorf("%q: h:mm:ss is for an hour and more, m:ss below", s)
	}
	return d
}
