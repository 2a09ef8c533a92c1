package encoder

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/playout"
)

// The fast path of a live stream prepares its media ahead of time, and
// the steady state only copies: the picture is one keyframe interval of
// H.264 that loops seamlessly, encoded once per picture; each track of a
// playlist is transcoded once to AAC; silence is one AAC frame repeated.
// All of it is kept in the media cache.

// segmentVersion changes whenever segmentArgs would make other bytes of
// the same picture, so the cache never hands out a stale segment.
const segmentVersion = "segment-v1 x264 veryfast high cbr aud bf0"

// liveSegment returns the picture segment of frame (yuv420p at the plan's
// size), from the cache or encoded now; progress is told how the encode
// goes.
func liveSegment(ctx context.Context, bin string, c mediaCache, p livePlan, frame []byte, progress func(ffmpeg.Progress)) (*playout.Segment, error) {
	frames := liveGOP(p.FPS)
	key := cacheKey(frame, []byte(fmt.Sprintf("%s %dx%d %dfps %d %+v %d", segmentVersion, p.Width, p.Height, p.FPS, p.Bitrate, p.Matrix, frames)))
	path, err := c.put(key, ".h264", func(out string) error {
		r := ffmpeg.Command{
			Bin: bin,
			Args: func(in ffmpeg.Inputs) []string {
				q := p
				q.Input = in.Video
				return segmentArgs(q, out)
			},
			Video:    ffmpeg.Still(frame, frames),
			Frames:   frames,
			Progress: progress,
		}
		return r.Run(ctx)
	})
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the live segment: %w", err)
	}
	seg, err := playout.ParseSegment(data, p.FPS)
	if err != nil {
		os.Remove(path) // a damaged entry is made again next time
		return nil, err
	}
	if len(seg.AUs) != frames {
		os.Remove(path)
		return nil, fmt.Errorf("the live segment has %d frames, not %d", len(seg.AUs), frames)
	}
	return seg, nil
}

// liveAudioConfig is the AudioSpecificConfig of every AAC frame a live
// stream sends: AAC-LC, 48 kHz, stereo.
var liveAudioConfig = []byte{0x11, 0x90}

// silentFrame returns one AAC frame of silence. An encoder starts with
// priming frames, so the frame is taken from the middle of encoded
// silence, where every frame is the same.
func silentFrame(ctx context.Context, bin string, c mediaCache) ([]byte, error) {
	path, err := c.put(cacheKey([]byte("silence-v1 "+liveAudioBitrate)), ".aac", func(out string) error {
		err := ffmpeg.CombinedOutput(ctx, bin, "-hide_banner", "-nostdin", "-loglevel", "error",
			"-f", "lavfi", "-i", "anullsrc=channel_layout=stereo:sample_rate="+liveAudioRate,
			"-t", "1", "-c:a", "aac", "-b:a", liveAudioBitrate, "-f", "adts", "-y", "file:"+out)
		if err != nil {
			return fmt.Errorf("encoding silence: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := playout.NewADTSReader(bytes.NewReader(data))
	const pick = 10 // well past the priming frames
	for i := 0; ; i++ {
		f, err := r.Next()
		if err != nil {
			os.Remove(path)
			return nil, fmt.Errorf("encoding silence: only %d AAC frames (%w)", i, err)
		}
		if i == pick {
			return append([]byte(nil), f...), nil
		}
	}
}

// trackVersion changes whenever trackArgs would make other bytes.
const trackVersion = "track-v1 aac-lc 48k stereo " + livePlaylistBitrate

// liveTrack returns the path of the track at path transcoded to ADTS
// AAC, from the cache or made now.
func liveTrack(ctx context.Context, bin string, c mediaCache, path string) (string, error) {
	key, err := fileKey(path, trackVersion)
	if err != nil {
		return "", err
	}
	return c.put(key, ".aac", func(out string) error {
		err := ffmpeg.CombinedOutput(ctx, bin, "-hide_banner", "-nostdin", "-loglevel", "error",
			"-i", "file:"+path, "-map", "0:a:0", "-vn",
			"-c:a", "aac", "-b:a", livePlaylistBitrate, "-ar", liveAudioRate, "-ac", "2",
			"-f", "adts", "-y", "file:"+out)
		var fe *ffmpeg.Error
		if errors.As(err, &fe) && len(fe.Tail) > 0 {
			return fmt.Errorf("%s: %s", path, fe.Tail[len(fe.Tail)-1])
		}
		return err
	})
}

// aacDuration is how long n AAC frames at 48 kHz play.
func aacDuration(n int) time.Duration {
	return time.Duration(n) * aacFrameSamples * time.Second / aacRate
}
