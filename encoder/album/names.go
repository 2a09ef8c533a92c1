package album

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameBytes bounds a file name made from tags: most file systems take
// 255 bytes, and the extension and a " (2)" must still fit.
const maxNameBytes = 200

// Song is what a song's video is named from: its track number and title
// tags (0 and "" when it has none) and the name of its file.
type Song struct {
	Number int
	Title  string
	File   string // the audio file's name without its folder or extension
}

// VideoNames names the video of each song "NN - Title" from its tags, or
// after its audio file when it has no title tag, safe for every file
// system and all different (a later duplicate gets " (2)", " (3)", …),
// without the extension. NN is the track number tag, else the song's
// place in the list, with as many digits as the largest number needs
// (at least two).
func VideoNames(songs []Song) []string {
	width := 2
	for i, s := range songs {
		width = max(width, len(strconv.Itoa(max(s.Number, i+1))))
	}
	names := make([]string, len(songs))
	taken := map[string]bool{}
	for i, s := range songs {
		name := SafeName(s.File)
		if title := strings.TrimSpace(s.Title); title != "" {
			n := s.Number
			if n <= 0 {
				n = i + 1
			}
			num := strconv.Itoa(n)
			name = strings.Repeat("0", max(0, width-len(num))) + num + " - " + SafeName(title)
		}
		names[i] = unique(name, taken)
	}
	return names
}

// unique returns name, or name with the first free " (k)" after it, and
// marks it taken. Names differing only in case are the same on Windows
// and macOS.
func unique(name string, taken map[string]bool) string {
	out := name
	for k := 2; taken[strings.ToLower(out)]; k++ {
		out = name + " (" + strconv.Itoa(k) + ")"
	}
	taken[strings.ToLower(out)] = true
	return out
}

// SafeName makes s a file name that Windows, macOS and Linux all take:
// no path separators or characters Windows forbids (they become "_"), no
// control characters, no trailing dots or spaces, not a reserved device
// name (CON, NUL, COM1, …), at most maxNameBytes of UTF-8, and never
// empty.
func SafeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r):
			continue
		case strings.ContainsRune(`<>:"/\|?*`, r):
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	name := strings.TrimSpace(b.String())
	if len(name) > maxNameBytes {
		cut := maxNameBytes
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = name[:cut]
	}
	name = strings.TrimRight(name, ". ")
	if name == "" {
		return "_"
	}
	if reservedOnWindows(name) {
		name = "_" + name
	}
	return name
}

// reservedOnWindows reports whether Windows takes name for a device, with
// or without an extension: "CON", "nul.txt", "COM1".
func reservedOnWindows(name string) bool {
	stem, _, _ := strings.Cut(strings.ToUpper(name), ".")
	stem = strings.TrimRight(stem, " ")
	switch stem {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	if len(stem) == 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) {
		return stem[3] >= '1' && stem[3] <= '9'
	}
	return false
}

// TrackNumber reads a track number tag: "3", "03" or "3/12" give 3;
// anything else 0.
func TrackNumber(tag string) int {
	num, _, _ := strings.Cut(strings.TrimSpace(tag), "/")
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil || n < 0 {
		return 0
	}
	return n
}
