package encoder

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/splice"
)

// Looped and cut mp3 and AAC by copy: the source's frames are repeated
// (or copied up to the fade) into one elementary stream, and only a short
// piece around the loop join (encoded once, copied at every join) and the
// final fade are encoded, with the source's codec, rate and channels.
// The render then muxes that stream untouched. package splice plans it;
// this file runs ffmpeg for it.

// loopCrossFade is how long the start of each repeat fades in from the
// samples that followed the loop period in the source, so the period's
// end meets its start without a click.
const loopCrossFade = 20 * time.Millisecond

// quiet is the level (about -60 dBFS) under which the source's first and
// last samples count as its encoder's priming and padding, not its sound.
const quiet = 1e-3

// spliceCodec is what differs between mp3 and AAC when splicing.
type spliceCodec struct {
	ext     string   // of the elementary stream
	format  []string // ffmpeg's muxer for it
	encoder []string // of the pieces: no bit reservoir, so each frame stands alone
	// priming is the most encoder delay a source may have, in samples
	// (Apple's AAC: 2112; LAME with its decoder: 576 + 529); delay is what
	// ffmpeg's own encoder is expected to have, measured again each time.
	priming, delay int
	parse          func([]byte) (splice.Stream, error)
}

func codecOf(name string) spliceCodec {
	if name == "mp3" {
		return spliceCodec{
			ext: ".mp3", format: []string{"-f", "mp3", "-write_xing", "0", "-id3v2_version", "0"},
			encoder: []string{"-c:a", "libmp3lame", "-reservoir", "0"},
			priming: 1105, delay: 1105, parse: splice.ParseMP3,
		}
	}
	return spliceCodec{
		ext: ".aac", format: []string{"-f", "adts"}, encoder: []string{"-c:a", "aac"},
		priming: 2112, delay: 1024, parse: splice.ParseADTS,
	}
}

// spliceAudio makes a's loop or cut by copy in a folder of its own, and
// returns the plan that muxes it untouched, with the folder's cleanup.
// When the source cannot be spliced (an encoder ffmpeg lacks, HE-AAC, a
// loop too short), it returns a as it is: today's full encode.
func spliceAudio(ctx context.Context, bin string, a *audioPlan) (*audioPlan, func(), error) {
	dir, err := os.MkdirTemp("", "stillcast-audio-")
	if err != nil {
		return nil, func() {}, fmt.Errorf("making a work folder for the audio: %w", err)
	}
	cleanup := func() { os.RemoveAll(dir) }
	out, err := makeSpliced(ctx, bin, a, dir)
	switch {
	case ctx.Err() != nil:
		return nil, cleanup, ErrCancelled
	case errors.Is(err, splice.ErrUnsuitable):
		return a, cleanup, nil
	case err != nil:
		return nil, cleanup, spliceErr(a.Splice.Path, err)
	}
	spliced := *a
	spliced.Spliced, spliced.Copy, spliced.Loop, spliced.FadeOut, spliced.Splice = out, true, false, 0, nil
	return &spliced, cleanup, nil
}

// spliceErr is ffmpeg failing while splicing: a field error for "audio"
// naming the file, which the window translates by its pattern, and which
// still wraps err.
func spliceErr(path string, err error) *FieldError {
	fe := fieldErr("audio", "%s: looping or cutting it by copy failed: %v", filepath.Base(path), err)
	fe.Err = fmt.Errorf("%s: looping or cutting it by copy failed: %w", filepath.Base(path), err)
	return fe
}

// makeSpliced writes the spliced stream into dir and returns its path.
func makeSpliced(ctx context.Context, bin string, a *audioPlan, dir string) (string, error) {
	t, c := *a.Splice, codecOf(a.Splice.Codec)
	if ok, err := hasEncoder(ctx, bin, c.encoder[1]); err != nil || !ok {
		return "", fmt.Errorf("ffmpeg has no %s encoder (%v): %w", c.encoder[1], err, splice.ErrUnsuitable)
	}
	src := filepath.Join(dir, "source"+c.ext)
	args := append([]string{"-hide_banner", "-nostdin", "-loglevel", "error", "-i", "file:" + t.Path, "-map", "0:a:0", "-c:a", "copy"}, c.format...)
	if err := ffmpeg.CombinedOutput(ctx, bin, append(args, "-y", "file:"+src)...); err != nil {
		return "", fmt.Errorf("copying out its frames: %w", err)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return "", err
	}
	s, err := c.parse(data)
	if err != nil {
		return "", err
	}
	if s.Rate != t.SampleRate || s.Channels != t.Channels {
		return "", fmt.Errorf("frames of %d Hz, %d channels decode to %d Hz, %d channels (HE-AAC?): %w", s.Rate, s.Channels, t.SampleRate, t.Channels, splice.ErrUnsuitable)
	}
	l, err := layOut(ctx, bin, src, s, a, c)
	if err != nil {
		return "", err
	}
	e := pieceEncoder{bin: bin, dir: dir, codec: c, stream: s, layout: l, bitrate: pieceBitrate(t.Bitrate)}
	join, fade, err := e.encodePieces(ctx, src)
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, "spliced"+c.ext)
	return out, writeSpliced(out, l, s, join, fade)
}

// layOut plans the output: for a loop, it first decodes the source to
// find where its sound starts and ends.
func layOut(ctx context.Context, bin, src string, s splice.Stream, a *audioPlan, c spliceCodec) (splice.Layout, error) {
	w := splice.Want{
		Loop:      a.Loop,
		Samples:   samplesOf(a.Length, s.Rate),
		Fade:      samplesOf(a.FadeOut, s.Rate),
		CrossFade: samplesOf(loopCrossFade, s.Rate),
	}
	if a.Loop {
		var err error
		if w.Start, w.End, err = soundOf(ctx, bin, src, s, *a.Splice, c); err != nil {
			return splice.Layout{}, err
		}
	}
	return splice.Plan(len(s.Frames), s.Samples, w)
}

// samplesOf is d in samples at rate, rounded.
func samplesOf(d time.Duration, rate int) int {
	return int(math.Round(d.Seconds() * float64(rate)))
}

// pieceBitrate is the bit rate of the pieces: the source's.
func pieceBitrate(source int) int {
	if source <= 0 {
		return aacBitrate
	}
	return min(max(source, 32_000), 320_000)
}

// soundOf finds where the source's sound starts and ends in the decoded
// samples of its elementary stream at src: from its gapless tags (an mp3's
// LAME tag; an MP4's edit list, whose priming ffprobe shows and whose
// length is the container's), or else, when it has none (a raw .aac, an
// mp3 without a LAME tag), from the sound itself: the first and last
// sample louder than quiet, less a frame at the end for the decay of the
// encoder's padding.
func soundOf(ctx context.Context, bin, src string, s splice.Stream, t AudioInfo, c spliceCodec) (start, end int, err error) {
	if delay, padding, ok := lameGapless(t.Path); s.MP3 && ok {
		const decoderDelay = 529 // ffmpeg's mp3 decoder's, which the tag's numbers leave out
		return delay + decoderDelay, len(s.Frames)*s.Samples - padding + decoderDelay, nil
	}
	if priming, ok := primingOf(ctx, bin, t.Path); !s.MP3 && ok {
		return priming, priming + samplesOf(t.Duration, s.Rate), nil
	}
	first, last := -1, -1
	err = decodeFrames(ctx, bin, src, s, func(i int, pcm []float32) {
		for k, v := range pcm {
			if math.Abs(float64(v)) > quiet {
				if first < 0 {
					first = i*s.Samples + k/s.Channels
				}
				last = i*s.Samples + k/s.Channels
			}
		}
	})
	if err == nil && first < 0 {
		err = fmt.Errorf("it is silent throughout: %w", splice.ErrUnsuitable)
	}
	return min(first, c.priming), last + 1 - s.Samples, err
}

// lameGapless reads the encoder delay and padding from the LAME tag of
// the mp3 at path, after its ID3v2 tag.
func lameGapless(path string) (delay, padding int, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, false
	}
	defer f.Close()
	head := make([]byte, 10)
	if _, err := io.ReadFull(f, head); err != nil {
		return 0, 0, false
	}
	frame := make([]byte, 4<<10) // more than the longest mp3 frame
	n, _ := f.ReadAt(frame, int64(splice.ID3v2Len(head)))
	return splice.LAMEGapless(frame[:n])
}

// primingOf reads the encoder delay that ffmpeg skips at the start of
// the file at path (from an MP4 edit list); ok is false when the file
// does not say.
func primingOf(ctx context.Context, ffmpegBin, path string) (samples int, ok bool) {
	probe, err := ffmpeg.FindProbe(ffmpegBin)
	if err != nil {
		return 0, false
	}
	var out strings.Builder
	_, err = ffmpeg.ReadOutput(ctx, probe, []string{"-v", "error", "-select_streams", "a:0", "-read_intervals", "%+#1",
		"-show_packets", "-of", "compact", "file:" + path}, func(r io.Reader) (int64, error) {
		return io.Copy(&out, io.LimitReader(r, 4<<10))
	})
	_, after, found := strings.Cut(out.String(), "skip_samples=")
	if err != nil || !found {
		return 0, false
	}
	fields := strings.FieldsFunc(after, func(r rune) bool { return r == '|' || r == '\n' })
	if len(fields) == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(fields[0]))
	return n, err == nil && n > 0
}

// hasEncoder reports whether ffmpeg at bin has the encoder name.
func hasEncoder(ctx context.Context, bin, name string) (bool, error) {
	var list strings.Builder
	_, err := ffmpeg.ReadOutput(ctx, bin, []string{"-hide_banner", "-nostdin", "-encoders"}, func(r io.Reader) (int64, error) {
		return io.Copy(&list, r)
	})
	return strings.Contains(list.String(), " "+name+" "), err
}

// writeSpliced writes the output's frames to the file out.
func writeSpliced(out string, l splice.Layout, s splice.Stream, join, fade [][]byte) error {
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("writing the looped audio: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = l.Write(w, s, join, fade)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing the looped audio: %w", err)
	}
	return nil
}
