package encoder

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

// measureDecoded sets each track's Duration to the length of its decoded
// audio, to the sample. ffprobe's length of an mp3 counts the encoder's
// padding too (a 225.000 s song probes as 225.045 s), so chapters laid
// out from probed lengths drift by that much a track; ffmpeg drops the
// padding when it decodes, and so do the joins of a render.
//
// Each track is decoded to 16-bit mono at its own sample rate on a pipe
// and its bytes counted: about 0.4 s for a four-minute mp3. One ffmpeg
// runs per core.
func measureDecoded(ctx context.Context, bin string, tracks []AudioInfo) error {
	lengths := make([]time.Duration, len(tracks))
	err := eachInParallel(ctx, len(tracks), func(ctx context.Context, i int) error {
		var err error
		lengths[i], err = decodedLength(ctx, bin, tracks[i])
		return err
	})
	if err != nil {
		return err // the tracks as they were
	}
	for i := range tracks {
		tracks[i].Duration = lengths[i]
	}
	return nil
}

// decodedLength decodes t's first audio stream and counts its samples.
func decodedLength(ctx context.Context, bin string, t AudioInfo) (time.Duration, error) {
	if t.SampleRate <= 0 {
		return 0, fieldErr("audio", "%s: its sample rate cannot be read: the file may be damaged", filepath.Base(t.Path))
	}
	const sampleBytes = 2 // s16le, one channel
	args := []string{
		"-hide_banner", "-nostdin", "-loglevel", "error",
		"-i", "file:" + t.Path,
		"-map", "0:a:0",
		"-ac", "1", "-ar", strconv.Itoa(t.SampleRate), // one sample per moment, at the track's own rate
		"-c:a", "pcm_s16le", "-f", "s16le", "pipe:1",
	}
	n, err := ffmpeg.ReadOutput(ctx, bin, args, func(r io.Reader) (int64, error) { return io.Copy(io.Discard, r) })
	switch {
	case ctx.Err() != nil:
		return 0, ErrCancelled
	case err != nil:
		return 0, audioErr(t.Path, fmt.Errorf("decoding it to measure its length: %w", err))
	case n == 0:
		return 0, fieldErr("audio", "%s: decodes to no sound at all: the file may be damaged", filepath.Base(t.Path))
	}
	samples, rate := n/sampleBytes, int64(t.SampleRate)
	// In two parts, so even a day of audio cannot overflow.
	return time.Duration(samples/rate)*time.Second + time.Duration(samples%rate)*time.Second/time.Duration(rate), nil
}
