package splice

import (
	"errors"
	"fmt"
)

// Frame is one frame of an elementary stream.
type Frame struct {
	Off, Len int // bytes, in the stream
	// Head is the length of the header, CRC and (mp3) side info: where the
	// frame's own main data area starts.
	Head int
	// Back is an mp3 frame's main_data_begin: how many bytes of main data
	// it takes from the frames before it (the bit reservoir). 0 for AAC.
	Back int
}

// Stream is a parsed elementary stream.
type Stream struct {
	Data     []byte
	Frames   []Frame
	Samples  int // per frame and channel: the frame grid
	Rate     int // samples per second
	Channels int
	MP3      bool
}

// ErrUnsuitable says the stream cannot be spliced by copy (a format this
// package does not handle); the caller encodes instead.
var ErrUnsuitable = errors.New("cannot be spliced by copy")

// adtsRates are the sample rates of ADTS's sampling_frequency_index.
var adtsRates = [...]int{96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350}

// ParseADTS reads the frames of an ADTS stream of AAC-LC. Every frame
// must share the first's sample rate and channels.
func ParseADTS(data []byte) (Stream, error) {
	s := Stream{Data: data, Samples: 1024}
	for off := 0; off < len(data); {
		h := data[off:]
		if len(h) < 7 || h[0] != 0xFF || h[1]&0xF6 != 0xF0 {
			return Stream{}, fmt.Errorf("no ADTS frame at byte %d: %w", off, ErrUnsuitable)
		}
		head := 7
		if h[1]&1 == 0 {
			head = 9 // a CRC follows
		}
		n := int(h[3]&3)<<11 | int(h[4])<<3 | int(h[5])>>5
		rateIdx, ch := int(h[2]>>2&0xF), int(h[2]&1)<<2|int(h[3]>>6)
		switch {
		case n < head || off+n > len(data):
			return Stream{}, fmt.Errorf("ADTS frame at byte %d: %d bytes: %w", off, n, ErrUnsuitable)
		case h[2]>>6 != 1:
			return Stream{}, fmt.Errorf("AAC profile %d, not LC: %w", h[2]>>6+1, ErrUnsuitable)
		case h[6]&3 != 0:
			return Stream{}, fmt.Errorf("ADTS frames of several AAC frames: %w", ErrUnsuitable)
		case rateIdx >= len(adtsRates) || ch == 0:
			return Stream{}, fmt.Errorf("ADTS frame at byte %d: rate index %d, %d channels: %w", off, rateIdx, ch, ErrUnsuitable)
		}
		if len(s.Frames) == 0 {
			s.Rate, s.Channels = adtsRates[rateIdx], ch
		} else if s.Rate != adtsRates[rateIdx] || s.Channels != ch {
			return Stream{}, fmt.Errorf("the sample rate or channels change at byte %d: %w", off, ErrUnsuitable)
		}
		s.Frames = append(s.Frames, Frame{Off: off, Len: n, Head: head})
		off += n
	}
	if len(s.Frames) == 0 {
		return Stream{}, fmt.Errorf("no ADTS frames: %w", ErrUnsuitable)
	}
	return s, nil
}
