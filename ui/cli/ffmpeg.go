package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/saved"
)

// savedFFmpeg is the ffmpeg the window's Choose ffmpeg… saved, and the
// file it is saved in.
type savedFFmpeg struct {
	path, file string
}

// loadSavedFFmpeg reads the setting the window saved. A settings file
// that cannot be read is said on stderr, then left out: the ffmpeg on
// PATH may do.
func loadSavedFFmpeg(stderr io.Writer) savedFFmpeg {
	store, err := saved.DefaultStore()
	if err != nil {
		return savedFFmpeg{}
	}
	v, err := store.Load()
	if err != nil {
		fmt.Fprintln(stderr, "stillcast: warning:", oneLine(err.Error()))
		return savedFFmpeg{}
	}
	return savedFFmpeg{path: v.FFmpeg, file: store.Path}
}

// usedBy reports whether Start takes the saved ffmpeg for s: there is one,
// and neither --ffmpeg nor $STILLCAST_FFMPEG names another.
func (sf savedFFmpeg) usedBy(s encoder.Settings) bool {
	return sf.path != "" && s.FFmpeg == "" && os.Getenv(encoder.FFmpegEnv) == ""
}

// explain says where a problem with the saved ffmpeg comes from and how to
// change it.
func (sf savedFFmpeg) explain(msg string) string {
	return fmt.Sprintf("%s (this ffmpeg was chosen in Stillcast's window and saved in %s: choose another there, or give --ffmpeg)", msg, sf.file)
}
