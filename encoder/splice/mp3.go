package splice

import (
	"bytes"
	"fmt"
)

// mp3Header is what a Layer III frame header says.
type mp3Header struct {
	mpeg1       bool
	mono        bool
	crc         bool
	bitrateIdx  int
	rate        int
	padding     int
	len         int // of the whole frame, bytes
	samples     int // per channel
	side        int // bytes of side info
	version     byte
	sampleIndex int
}

// Layer III bit rates in kbit/s by bitrate_index, for MPEG-1 and for
// MPEG-2 and 2.5.
var (
	mp3Rates1 = [...]int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}
	mp3Rates2 = [...]int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}
)

// parseMP3Header reads the 4-byte header at h; ok is false for anything
// but a Layer III frame of a fixed bit rate.
func parseMP3Header(h []byte) (mp3Header, bool) {
	if len(h) < 4 || h[0] != 0xFF || h[1]&0xE0 != 0xE0 || h[1]>>1&3 != 1 {
		return mp3Header{}, false
	}
	m := mp3Header{version: h[1] >> 3 & 3, crc: h[1]&1 == 0, bitrateIdx: int(h[2] >> 4), sampleIndex: int(h[2] >> 2 & 3)}
	m.padding, m.mono = int(h[2]>>1&1), h[3]>>6 == 3
	if m.version == 1 || m.bitrateIdx == 0 || m.bitrateIdx == 15 || m.sampleIndex == 3 {
		return mp3Header{}, false
	}
	m.mpeg1 = m.version == 3
	m.rate = [...]int{44100, 48000, 32000}[m.sampleIndex]
	switch m.version {
	case 2:
		m.rate /= 2
	case 0:
		m.rate /= 4
	}
	m.len = m.lenAt(m.bitrateIdx)
	m.samples, m.side = 576, 17
	if m.mono {
		m.side = 9
	}
	if m.mpeg1 {
		m.samples, m.side = 1152, 32
		if m.mono {
			m.side = 17
		}
	}
	return m, true
}

// lenAt is the frame's length at bit rate index i, with its padding.
func (m mp3Header) lenAt(i int) int {
	if m.mpeg1 {
		return 144000*mp3Rates1[i]/m.rate + m.padding
	}
	return 72000*mp3Rates2[i]/m.rate + m.padding
}

// head is the length of the header, CRC and side info.
func (m mp3Header) head() int {
	if m.crc {
		return 6 + m.side
	}
	return 4 + m.side
}

// ParseMP3 reads the frames of an MPEG Layer III stream. It skips an
// ID3v2 tag at the start, a Xing, Info or VBRI frame (which carries no
// sound), and ID3v1 or APE tags at the end. Every frame must share the
// first's sample rate and channels.
func ParseMP3(data []byte) (Stream, error) {
	s := Stream{Data: data, MP3: true}
	off := min(ID3v2Len(data), len(data))
	for off < len(data) {
		rest := data[off:]
		if bytes.HasPrefix(rest, []byte("TAG")) || bytes.HasPrefix(rest, []byte("APETAGEX")) || bytes.HasPrefix(rest, []byte("LYRICS")) {
			break // tags at the end
		}
		m, ok := parseMP3Header(rest)
		if !ok || off+m.len > len(data) {
			return Stream{}, fmt.Errorf("no Layer III frame of a fixed bit rate at byte %d: %w", off, ErrUnsuitable)
		}
		channels := 2
		if m.mono {
			channels = 1
		}
		if len(s.Frames) == 0 && s.Rate == 0 {
			s.Rate, s.Channels, s.Samples = m.rate, channels, m.samples
			if infoFrame(rest[:m.len], m) {
				off += m.len
				continue
			}
		} else if s.Rate != m.rate || s.Channels != channels {
			return Stream{}, fmt.Errorf("the sample rate or channels change at byte %d: %w", off, ErrUnsuitable)
		}
		s.Frames = append(s.Frames, Frame{Off: off, Len: m.len, Head: m.head(), Back: mainDataBegin(rest, m)})
		off += m.len
	}
	if len(s.Frames) == 0 {
		return Stream{}, fmt.Errorf("no mp3 frames: %w", ErrUnsuitable)
	}
	return s, nil
}

// infoFrame reports whether frame is a Xing, Info or VBRI frame: a
// header for players, silent, that no encoder delay counts.
func infoFrame(frame []byte, m mp3Header) bool {
	at := m.head()
	for _, tag := range []string{"Xing", "Info"} {
		if len(frame) >= at+4 && string(frame[at:at+4]) == tag {
			return true
		}
	}
	return len(frame) >= 40 && string(frame[36:40]) == "VBRI"
}

// mainDataBegin reads main_data_begin, the first field of the side info.
func mainDataBegin(frame []byte, m mp3Header) int {
	at := 4
	if m.crc {
		at = 6
	}
	if m.mpeg1 {
		return int(frame[at])<<1 | int(frame[at+1]>>7) // 9 bits
	}
	return int(frame[at]) // 8 bits
}

// mainDataLen is how many bytes of main data frame's granules use
// (the sum of their part2_3_length), from its side info.
func mainDataLen(frame []byte, m mp3Header) int {
	r := bitReader{b: frame, pos: 8 * (m.head() - m.side)}
	channels, granules := 2, 1
	if m.mono {
		channels = 1
	}
	if m.mpeg1 {
		granules = 2
		r.skip(9 + 5 - 2*(channels-1) + 4*channels) // main_data_begin, private bits, scfsi
	} else {
		r.skip(8 + channels) // main_data_begin, private bits
	}
	block := 59 // bits of one granule and channel
	if !m.mpeg1 {
		block = 63
	}
	bits := 0
	for range granules * channels {
		bits += r.read(12) // part2_3_length
		r.skip(block - 12)
	}
	return (bits + 7) / 8
}

// bitReader reads big-endian bit fields.
type bitReader struct {
	b   []byte
	pos int
}

func (r *bitReader) skip(n int) { r.pos += n }

func (r *bitReader) read(n int) int {
	v := 0
	for range n {
		v = v<<1 | int(r.b[r.pos/8]>>(7-r.pos%8)&1)
		r.pos++
	}
	return v
}

// ID3v2Len is the length of an ID3v2 tag at the start of head (its first
// 10 bytes suffice), or 0 when there is none.
func ID3v2Len(head []byte) int {
	if len(head) < 10 || !bytes.HasPrefix(head, []byte("ID3")) {
		return 0
	}
	n := 10 + int(head[6]&0x7F)<<21 | int(head[7]&0x7F)<<14 | int(head[8]&0x7F)<<7 | int(head[9]&0x7F)
	if head[5]&0x10 != 0 {
		n += 10 // a footer
	}
	return n
}

// LAMEGapless reads the encoder delay and padding, in samples, from the
// LAME tag of the Xing or Info frame at the start of frame; ok is false
// without one. ffmpeg skips delay + 529 samples (the decoder's own
// delay) at the start and drops padding − 529 at the end.
func LAMEGapless(frame []byte) (delay, padding int, ok bool) {
	m, valid := parseMP3Header(frame)
	if !valid || len(frame) < m.len || !infoFrame(frame[:m.len], m) {
		return 0, 0, false
	}
	at := m.head()
	if string(frame[at:at+4]) != "Xing" && string(frame[at:at+4]) != "Info" {
		return 0, 0, false // a VBRI frame: no LAME tag
	}
	flags := int(frame[at+7])
	at += 8
	for _, field := range []struct{ flag, size int }{{1, 4}, {2, 4}, {4, 100}, {8, 4}} { // frames, bytes, TOC, quality
		if flags&field.flag != 0 {
			at += field.size
		}
	}
	if at+24 > m.len {
		return 0, 0, false
	}
	x := frame[at+21 : at+24]
	delay, padding = int(x[0])<<4|int(x[1])>>4, int(x[1]&0xF)<<8|int(x[2])
	return delay, padding, delay > 0 || padding > 0
}
