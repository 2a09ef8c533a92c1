package encoder

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/stillcast/stillcast/encoder/album"
)

// Chapter is a track's stretch of a video made of several: its name and
// where it starts and ends.
type Chapter = album.Chapter

// TracklistStdout, as Settings.Tracklist, writes the tracklist to no file:
// it comes only in Finished, for the CLI to print.
const TracklistStdout = "-"

// planChapters lays out a chapter per track for a video of length: none
// for a single track, and none of those the video is too short to reach.
func planChapters(tracks []AudioInfo, length time.Duration) []Chapter {
	if len(tracks) < 2 {
		return nil
	}
	songs := make([]album.Track, len(tracks))
	for i, t := range tracks {
		songs[i] = album.Track{Title: t.Title, Artist: t.Artist, File: t.Path, Length: t.Duration}
	}
	return album.Cut(album.Chapters(songs), length)
}

// takesChapters reports whether c carries chapters: ffmpeg writes them
// into MP4 and MOV (a chapter track, and Nero's list in MP4) and into
// Matroska, and into FLV and MPEG-TS not at all.
func takesChapters(c Container) bool {
	return c.Format == "mp4" || c.Format == "mov" || c.Format == "matroska"
}

// TracklistPath is where the tracklist of s goes, when its audio is
// several files: beside the video as NAME.tracklist.txt unless s says
// elsewhere, and "" for no file.
func TracklistPath(s Settings) string {
	switch s.Tracklist {
	case "":
		return strings.TrimSuffix(s.Output, filepath.Ext(s.Output)) + ".tracklist.txt"
	case TracklistStdout:
		return ""
	}
	return s.Tracklist
}

// checkTracklist finds problems with the tracklist's path before any work
// starts, by the rules of the output's: it replaces a file only with
// Force. It has none when the audio is a single file, which makes no
// tracklist; a bad audio path is left for the probe to report.
func checkTracklist(s Settings) error {
	path := TracklistPath(s)
	if path == "" {
		return nil
	}
	if files, err := expandAudio(s.Audio); err != nil || len(files) < 2 {
		return nil
	}
	if filepath.Clean(path) == filepath.Clean(s.Output) {
		return fieldErr("tracklist", "%s is the video's own name: give the tracklist another", path)
	}
	return asTracklistErr(checkOutput(path, s.Force))
}

// asTracklistErr says of the tracklist what the output's checks say of
// the video: the same words, the field "tracklist".
func asTracklistErr(err error) error {
	var fe *FieldError
	if errors.As(err, &fe) && fe.Field == "out" {
		return &FieldError{Field: "tracklist", Err: fe.Err, Format: fe.Format, Args: fe.Args}
	}
	return err
}

// writeChapters writes chs as ffmpeg's metadata file into a temporary
// folder that cleanup removes.
func writeChapters(chs []Chapter) (path string, cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "stillcast-chapters-")
	if err != nil {
		return "", func() {}, fmt.Errorf("making a folder for the chapters: %w", err)
	}
	cleanup = func() { os.RemoveAll(dir) }
	path = filepath.Join(dir, "chapters.txt")
	if err := os.WriteFile(path, []byte(album.FFMetadata(chs)), 0o600); err != nil {
		return "", cleanup, fmt.Errorf("writing the chapters: %w", err)
	}
	return path, cleanup, nil
}

// saveTracklist writes text to path the way a video is saved: into a
// hidden file beside it first, then moved into place, replacing a file
// only with force.
func saveTracklist(text, path string, force bool) error {
	tmp, err := reserveTemp(path)
	if err != nil {
		return asTracklistErr(err)
	}
	defer os.Remove(tmp) // gone already after a successful commit
	if err := os.WriteFile(tmp, []byte(text), 0o666); err != nil {
		return fmt.Errorf("writing the tracklist %s: %w", path, err)
	}
	if _, err := commitOutput(tmp, path, force); err != nil {
		return fmt.Errorf("the video is saved, but not its tracklist: %w", asTracklistErr(err))
	}
	return nil
}
