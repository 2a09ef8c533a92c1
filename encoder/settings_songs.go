package encoder

import (
	"path/filepath"
	"strings"
)

// The settings of song videos (see batch.go): which settings make them,
// and what they cannot do.

// picturesFromAudio reports whether the audio's cover art can stand in
// for an image: with CoverFromAudio, or for the songs of Each.
func (s Settings) picturesFromAudio() bool {
	return !s.IsLive() && (s.CoverFromAudio || s.Each)
}

// songVideos reports whether s makes song videos: one picture a song,
// found or composed per song, and encoded once for all the videos that
// show it (see batch.go). Each, cover art and title cards make them.
func (s Settings) songVideos() bool {
	return !s.IsLive() && (s.Each || s.CoverFromAudio || s.TitleCard)
}

// albumOfOnePicture reports whether s makes an album video of several
// songs under one still picture: it is made as song videos are, its
// picture encoded once and its audio in chunks, in parallel.
func (s Settings) albumOfOnePicture() bool {
	if s.IsLive() || len(s.Images) != 1 || s.Images[0].Duration > 0 || s.KenBurns || s.NoFastPath || s.LoopAudio || s.Duration != 0 {
		return false
	}
	files, err := expandAudio(s.Audio)
	return err == nil && len(files) > 1
}

// validateEach checks what one video per song needs: songs, a folder,
// and one still picture a video.
func (s Settings) validateEach() []error {
	var errs []error
	if len(s.Audio) == 0 {
		errs = append(errs, fieldErr("audio", "--each makes one video per song: give the songs, or a folder of them"))
	}
	if ext := strings.ToLower(filepath.Ext(s.Output)); ext != "" {
		if _, err := ContainerFor(s.Output); err == nil {
			errs = append(errs, fieldErr("out", "%s is a file name: --each writes one video per song into a folder", s.Output))
		}
	}
	return errs
}

// validateSongVideos checks what song videos cannot do: each shows one
// picture per song, still, from one encode.
func (s Settings) validateSongVideos() []error {
	var errs []error
	flag := "each"
	switch {
	case s.TitleCard && !s.Each && !s.CoverFromAudio:
		flag = "title-card"
	case s.CoverFromAudio && !s.Each:
		flag = "cover-from-audio"
	}
	if len(s.Audio) == 0 && !s.Each {
		errs = append(errs, fieldErr(flag, "needs songs: add --audio"))
	}
	if s.KenBurns {
		errs = append(errs, fieldErr("ken-burns", "cannot go with --%s, which shows each song's picture still", flag))
	}
	if s.NoFastPath {
		errs = append(errs, fieldErr("no-fast-path", "cannot go with --%s, which encodes each song's picture once for all its videos", flag))
	}
	if s.LoopAudio {
		errs = append(errs, fieldErr("audio-loop", "cannot go with --%s: each video is as long as its songs", flag))
	}
	if len(s.Images) > 1 && !s.Each {
		errs = append(errs, fieldErr("image", "--%s shows one picture: give one IMAGE, not %d", flag, len(s.Images)))
	}
	for _, sl := range s.Images {
		if sl.Duration > 0 {
			errs = append(errs, fieldErr("image-duration", "cannot go with --%s: each picture shows as long as its song", flag))
			break
		}
	}
	return errs
}
