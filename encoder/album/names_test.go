package album

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestVideoNames(t *testing.T) {
	for _, tc := range []struct {
		name  string
		songs []Song
		want  []string
	}{
		{"tags", []Song{{1, "Intro", "a"}, {2, "Song Two", "b"}}, []string{"01 - Intro", "02 - Song Two"}},
		{"no number: the place in the list", []Song{{0, "One", "x"}, {0, "Two", "y"}}, []string{"01 - One", "02 - Two"}},
		{"no title: the file name", []Song{{3, "", "03 my song"}}, []string{"03 my song"}},
		{"three digits", []Song{{1, "A", "a"}, {120, "B", "b"}}, []string{"001 - A", "120 - B"}},
		{"unsafe title", []Song{{1, `AC/DC: "Live"?`, "f"}}, []string{`01 - AC_DC_ _Live__`}},
		{"duplicates", []Song{{1, "Same", "a"}, {1, "same", "b"}, {1, "Same", "c"}}, []string{"01 - Same", "01 - same (2)", "01 - Same (3)"}},
		{"duplicate file names", []Song{{0, "", "x"}, {0, "", "X"}}, []string{"x", "X (2)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := VideoNames(tc.songs)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("VideoNames = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"Hello":            "Hello",
		"a/b\\c":           "a_b_c",
		"tab\there":        "tabhere",
		"dots...":          "dots",
		"  spaces  ":       "spaces",
		"":                 "_",
		"...":              "_",
		"CON":              "_CON",
		"nul.txt":          "_nul.txt",
		"COM1":             "_COM1",
		"COM0":             "COM0",
		"Console":          "Console",
		"星の歌":              "星の歌",
		"what? <yes> |no|": "what_ _yes_ _no_",
	} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
	long := SafeName(strings.Repeat("é", 300))
	if len(long) > maxNameBytes || !utf8.ValidString(long) {
		t.Errorf("a long name: %d bytes, valid UTF-8 %v", len(long), utf8.ValidString(long))
	}
}

func TestTrackNumber(t *testing.T) {
	for in, want := range map[string]int{"3": 3, "03": 3, "3/12": 3, " 7 / 9 ": 7, "": 0, "A1": 0, "-2": 0} {
		if got := TrackNumber(in); got != want {
			t.Errorf("TrackNumber(%q) = %d, want %d", in, got, want)
		}
	}
}

func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"CON", "a/b", "星", "...", "x\x00y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := SafeName(s)
		if got == "" || len(got) > maxNameBytes+1 || strings.ContainsAny(got, `<>:"/\|?*`) || strings.HasSuffix(got, ".") || strings.HasSuffix(got, " ") || reservedOnWindows(got) {
			t.Errorf("SafeName(%q) = %q", s, got)
		}
	})
}
