package encoder

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/splice"
)

// pieceEncoder encodes the pieces of a splice: the join and the fade.
type pieceEncoder struct {
	bin, dir string
	codec    spliceCodec
	stream   splice.Stream
	layout   splice.Layout
	bitrate  int
}

// encodePieces decodes the source frames the pieces are made of and
// encodes each piece, its frames on the output's frame grid; the join
// piece's last frame carries the bit reservoir of the frame copied after
// it.
func (e pieceEncoder) encodePieces(ctx context.Context, src string) (join, fade [][]byte, err error) {
	l, n := e.layout, e.layout.N
	need := map[int]bool{}
	for _, p := range l.Pieces() {
		// Any delay under three frames reads from within these.
		for _, f := range l.Needs((p.From-splice.Lead)*n, (splice.Lead+4+p.Frames+splice.Tail)*n) {
			need[f] = true
		}
	}
	pcm := map[int][]float32{}
	err = decodeFrames(ctx, e.bin, src, e.stream, func(i int, f []float32) {
		if need[i] {
			pcm[i] = append([]float32(nil), f...)
		}
	})
	if err != nil {
		return nil, nil, err
	}
	delay := e.codec.delay
	for _, p := range l.Pieces() {
		frames, measured, err := e.encodePiece(ctx, p, delay, pcm)
		if err != nil {
			return nil, nil, err
		}
		delay = measured
		if p.Part == splice.Fade {
			fade = frames
			continue
		}
		join = frames
		if r := l.Resume(); r >= 0 {
			if join[len(join)-1], err = splice.Bridge(join[len(join)-1], e.stream, r); err != nil {
				return nil, nil, err
			}
		}
	}
	return join, fade, nil
}

// encodePiece encodes p for an encoder delay of delay samples, decodes
// it and measures the delay by cross-correlation; when the delay was not
// as supposed, it encodes again for the one measured. It returns the
// piece's frames that fall on the output frames p covers.
func (e pieceEncoder) encodePiece(ctx context.Context, p splice.Piece, delay int, src map[int][]float32) ([][]byte, int, error) {
	name := filepath.Join(e.dir, "piece"+strconv.Itoa(int(p.Part)))
	ch := e.stream.Channels
	for range 2 {
		start, samples, skip := e.layout.Input(p, delay)
		in, err := e.layout.Signal(start, samples, ch, src)
		if err != nil {
			return nil, 0, err
		}
		if err := e.encode(ctx, in, name); err != nil {
			return nil, 0, err
		}
		out, err := os.ReadFile(name + e.codec.ext)
		if err != nil {
			return nil, 0, err
		}
		var decoded []float32
		err = decodeFrames(ctx, e.bin, name+e.codec.ext, splice.Stream{Channels: ch, Samples: e.stream.Samples}, func(_ int, f []float32) {
			decoded = append(decoded, f...)
		})
		if err != nil {
			return nil, 0, err
		}
		lag, ok := splice.Delay(in, decoded, ch, 3*e.layout.N)
		if ok && lag != delay {
			delay = lag // again, on the grid
			continue
		}
		s, err := e.codec.parse(out)
		if err != nil {
			return nil, 0, fmt.Errorf("reading the encoded piece: %w", err)
		}
		if len(s.Frames) < skip+p.Frames {
			return nil, 0, fmt.Errorf("the encoder made %d frames of a piece, not %d", len(s.Frames), skip+p.Frames)
		}
		frames := make([][]byte, p.Frames)
		for i, f := range s.Frames[skip : skip+p.Frames] {
			frames[i] = s.Data[f.Off : f.Off+f.Len]
		}
		return frames, delay, nil
	}
	return nil, 0, fmt.Errorf("the encoder's delay is not steady (%d samples, then other): %w", delay, splice.ErrUnsuitable)
}

// encode encodes the interleaved samples pcm into name+ext, with the
// source's codec, rate, channels and bit rate.
func (e pieceEncoder) encode(ctx context.Context, pcm []float32, name string) error {
	raw := make([]byte, 4*len(pcm))
	for i, v := range pcm {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	if err := os.WriteFile(name+".f32", raw, 0o600); err != nil {
		return err
	}
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error",
		"-f", "f32le", "-ar", strconv.Itoa(e.stream.Rate), "-ac", strconv.Itoa(e.stream.Channels), "-i", "file:" + name + ".f32"}
	args = append(args, e.codec.encoder...)
	args = append(args, "-b:a", strconv.Itoa(e.bitrate))
	args = append(args, e.codec.format...)
	if err := ffmpeg.CombinedOutput(ctx, e.bin, append(args, "-y", "file:"+name+e.codec.ext)...); err != nil {
		return fmt.Errorf("encoding a piece of the loop: %w", err)
	}
	return nil
}

// decodeFrames decodes the elementary stream at path to 32-bit float
// samples, as they are, priming and all, and hands fn each frame's
// (s.Samples per channel, interleaved) with its index; the slice is
// reused.
func decodeFrames(ctx context.Context, bin, path string, s splice.Stream, fn func(i int, pcm []float32)) error {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error",
		"-i", "file:" + path, "-map", "0:a:0", "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"}
	raw := make([]byte, 4*s.Samples*s.Channels)
	pcm := make([]float32, s.Samples*s.Channels)
	_, err := ffmpeg.ReadOutput(ctx, bin, args, func(r io.Reader) (int64, error) {
		var total int64
		for i := 0; ; i++ {
			n, err := io.ReadFull(r, raw)
			total += int64(n)
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return total, nil // a part frame at the end is never used
			}
			if err != nil {
				return total, err
			}
			for k := range pcm {
				pcm[k] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*k:]))
			}
			fn(i, pcm)
		}
	})
	if err != nil {
		return fmt.Errorf("decoding %s: %w", filepath.Base(path), err)
	}
	return nil
}
