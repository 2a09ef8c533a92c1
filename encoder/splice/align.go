package splice

import (
	"fmt"
	"math"
)

// Delay finds how many samples later an encoder's decoded output
// (interleaved, channels) carries its input: the lag in [0, maxLag] at
// which the two correlate best, normalised by the decoded side's energy.
// ok is false when the input is too quiet to tell.
func Delay(input, decoded []float32, channels, maxLag int) (lag int, ok bool) {
	mono := func(x []float32, i int) float64 {
		s := 0.0
		for c := range channels {
			s += float64(x[i*channels+c])
		}
		return s
	}
	frames := min(len(input), len(decoded)) / channels
	window := frames - maxLag
	if window < maxLag/2 {
		return 0, false
	}
	best, energy := math.Inf(-1), 0.0
	for i := range window {
		energy += mono(input, i) * mono(input, i)
	}
	if energy < 1e-6*float64(window) {
		return 0, false // about -60 dBFS: silence has no lag
	}
	for l := 0; l <= maxLag; l++ {
		var xy, yy float64
		for i := range window {
			y := mono(decoded, i+l)
			xy += mono(input, i) * y
			yy += y * y
		}
		if yy == 0 {
			continue
		}
		if c := xy / math.Sqrt(yy); c > best {
			best, lag = c, l
		}
	}
	return lag, best > 0
}

// Bridge rewrites last, the final frame of a piece encoded without a bit
// reservoir, so that source frame next, copied after it, finds the main
// data it takes from the frames before it (main_data_begin bytes): they
// go into last's unused end, after its own main data, where its decoder
// does not look. When last has no room, it grows to a higher bit rate.
func Bridge(last []byte, s Stream, next int) ([]byte, error) {
	back := s.Frames[next].Back
	if !s.MP3 || back == 0 {
		return last, nil
	}
	m, ok := parseMP3Header(last)
	if !ok || mainDataBegin(last, m) != 0 {
		return nil, fmt.Errorf("the piece's last frame uses a bit reservoir: %w", ErrUnsuitable)
	}
	reservoir := make([]byte, 0, back)
	for i := next - 1; i >= 0 && len(reservoir) < back; i-- {
		f := s.Frames[i]
		area := s.Data[f.Off+f.Head : f.Off+f.Len]
		take := min(len(area), back-len(reservoir))
		reservoir = append(append([]byte(nil), area[len(area)-take:]...), reservoir...)
	}
	own := m.head() + mainDataLen(last, m)
	need := own + back
	size := m.bitrateIdx
	for size < 14 && m.lenAt(size) < need {
		size++
	}
	switch {
	case len(reservoir) < back:
		return nil, fmt.Errorf("source frame %d takes %d bytes from before the stream: %w", next, back, ErrUnsuitable)
	case m.lenAt(size) < need:
		return nil, fmt.Errorf("no mp3 frame holds %d bytes: %w", need, ErrUnsuitable)
	case size != m.bitrateIdx && m.crc:
		return nil, fmt.Errorf("a frame with a CRC cannot change its bit rate: %w", ErrUnsuitable)
	}
	out := make([]byte, m.lenAt(size))
	copy(out, last[:own])
	out[2] = out[2]&0x0F | byte(size)<<4
	copy(out[len(out)-back:], reservoir)
	return out, nil
}
