package album

import (
	"path/filepath"
	"strings"
	"time"
)

// Track is one song of an album, as its tags and decoded audio give it.
// Title is already resolved: the title tag, else the file name.
type Track struct {
	Title, Artist, File string
	Length              time.Duration
}

// Chapter is a stretch of the album: one track, named for people.
type Chapter struct {
	Title      string
	Start, End time.Duration
}

// Chapters lays the tracks end to end, each starting where the one before
// it ends. They are named "Artist – Title", or just "Title" when every
// track has the same artist (an album by one artist says the name once).
// A track with no title is named by its file name without extension.
func Chapters(tracks []Track) []Chapter {
	oneArtist := true
	for _, t := range tracks {
		if t.Artist != tracks[0].Artist {
			oneArtist = false
		}
	}
	chs := make([]Chapter, 0, len(tracks))
	var at time.Duration
	for _, t := range tracks {
		title := t.Title
		if title == "" {
			title = strings.TrimSuffix(filepath.Base(t.File), filepath.Ext(t.File))
		}
		if !oneArtist && t.Artist != "" {
			title = t.Artist + " – " + title
		}
		chs = append(chs, Chapter{Title: title, Start: at, End: at + t.Length})
		at += t.Length
	}
	return chs
}

// Cut drops the chapters that start at or after length and ends the last
// one kept at length at the latest: the chapters of a video cut shorter
// than its audio.
func Cut(chs []Chapter, length time.Duration) []Chapter {
	var kept []Chapter
	for _, c := range chs {
		if c.Start >= length {
			break
		}
		c.End = min(c.End, length)
		kept = append(kept, c)
	}
	return kept
}
