package encoder

import (
	"context"
	"image"
)

// HasCoverArt reports whether the audio file at audioPath has cover art
// embedded (an ID3 APIC frame, MP4 covr, a FLAC or Vorbis picture), so a
// caller can offer it as the picture. ffmpegPath is the ffmpeg to read it
// with, as FFmpegLookup.Find gives it.
func HasCoverArt(ctx context.Context, ffmpegPath, audioPath string) (bool, error) {
	data, err := trackArtPNG(ctx, ffmpegPath, audioPath)
	return len(data) > 0, err
}

// CoverArt is the cover art embedded in the audio file at audioPath, at
// most 2048 pixels on its longest side, as a job with CoverFromAudio
// shows it: nil and no error when the file has none.
func CoverArt(ctx context.Context, ffmpegPath, audioPath string) (image.Image, error) {
	return trackArt(ctx, ffmpegPath, audioPath)
}
