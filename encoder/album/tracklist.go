package album

import (
	"fmt"
	"strings"
	"time"
)

// YouTube turns a description's timestamps into chapters only when there
// are at least this many, each at least this long, the first at 0:00.
// https://support.google.com/youtube/answer/9884579
const (
	youTubeMinChapters = 3
	youTubeMinLength   = 10 * time.Second
)

// Tracklist writes the chapters in the format YouTube reads from a
// video's description: a line "0:00 Title" per chapter, m:ss below an
// hour and h:mm:ss from an hour on. When YouTube would not make chapters
// of it, a comment line at the top says why.
func Tracklist(chs []Chapter) string {
	var b strings.Builder
	if why := notChapters(chs); why != "" {
		b.WriteString("# " + why + "\n")
	}
	for _, c := range chs {
		b.WriteString(Timestamp(c.Start) + " " + oneLine(c.Title) + "\n")
	}
	return b.String()
}

// notChapters says why YouTube would make no chapters of chs, or "".
func notChapters(chs []Chapter) string {
	rule := fmt.Sprintf("YouTube makes chapters only of %d or more, each at least %d s long", youTubeMinChapters, int(youTubeMinLength.Seconds()))
	if len(chs) < youTubeMinChapters {
		return fmt.Sprintf("%s: this list has %d", rule, len(chs))
	}
	for i, c := range chs {
		if c.End-c.Start < youTubeMinLength {
			return fmt.Sprintf("%s: chapter %d (%s) is %s", rule, i+1, oneLine(c.Title), (c.End - c.Start).Round(time.Millisecond))
		}
	}
	return ""
}

// Timestamp writes d as m:ss below an hour and h:mm:ss from an hour on.
// It rounds down to the second: a chapter that starts a fraction early
// would open on the last moment of the song before it, while one that
// starts a fraction late opens on its own first note.
func Timestamp(d time.Duration) string {
	s := int64(max(d, 0) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// oneLine keeps a title on its line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
