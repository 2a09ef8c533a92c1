package splice

import (
	"bytes"
	"errors"
	"testing"
)

// mp3Frame is a hand-made MPEG-1 Layer III frame, stereo, 44.1 kHz, at
// bitrate index idx (9: 128 kbit/s), without CRC: main_data_begin back,
// granules whose part2_3_length says they use mainBytes, and fill for
// the rest of the frame.
func mp3Frame(idx, back, mainBytes int, fill byte) []byte {
	m := mp3Header{mpeg1: true, rate: 44100, side: 32}
	f := bytes.Repeat([]byte{fill}, m.lenAt(idx))
	f[0], f[1], f[2], f[3] = 0xFF, 0xFB, byte(idx)<<4, 0x00
	side := make([]byte, 32)
	w := bitWriter{b: side}
	w.write(back, 9)
	w.write(0, 3+8) // private bits, scfsi
	for g := range 4 {
		n := 0
		if g == 0 {
			n = 8 * mainBytes // all of it in the first granule
		}
		w.write(n, 12)
		w.write(0, 59-12)
	}
	copy(f[4:], side)
	return f
}

type bitWriter struct {
	b   []byte
	pos int
}

func (w *bitWriter) write(v, n int) {
	for i := n - 1; i >= 0; i-- {
		if v>>i&1 == 1 {
			w.b[w.pos/8] |= 0x80 >> (w.pos % 8)
		}
		w.pos++
	}
}

// adtsFrame is a hand-made ADTS frame of AAC-LC: profile (1 for LC),
// rate index, channels, payload bytes.
func adtsFrame(profile, rateIdx, channels, payload int) []byte {
	n := 7 + payload
	f := make([]byte, n)
	f[0], f[1] = 0xFF, 0xF1
	f[2] = byte(profile)<<6 | byte(rateIdx)<<2 | byte(channels>>2)
	f[3] = byte(channels&3)<<6 | byte(n>>11)
	f[4], f[5], f[6] = byte(n>>3), byte(n&7)<<5|0x1F, 0xFC
	return f
}

func TestParseMP3(t *testing.T) {
	id3 := append([]byte("ID3\x04\x00\x00\x00\x00\x00\x05"), "abcde"...)
	info := mp3Frame(9, 0, 0, 0)
	copy(info[36:], "Info")
	frames := [][]byte{mp3Frame(9, 0, 100, 1), mp3Frame(11, 37, 300, 2), mp3Frame(9, 511, 10, 3)}
	data := append(append([]byte(nil), id3...), info...)
	for _, f := range frames {
		data = append(data, f...)
	}
	data = append(data, append([]byte("TAG"), make([]byte, 125)...)...)
	s, err := ParseMP3(data)
	if err != nil {
		t.Fatal(err)
	}
	if s.Rate != 44100 || s.Channels != 2 || s.Samples != 1152 || len(s.Frames) != 3 {
		t.Fatalf("parsed %d Hz, %d channels, %d samples, %d frames; want 44100, 2, 1152, 3", s.Rate, s.Channels, s.Samples, len(s.Frames))
	}
	off := len(id3) + len(info)
	for i, f := range s.Frames {
		if f.Off != off || f.Len != len(frames[i]) || f.Head != 36 || f.Back != []int{0, 37, 511}[i] {
			t.Errorf("frame %d: %+v, want at %d, %d bytes, head 36, back %d", i, f, off, len(frames[i]), []int{0, 37, 511}[i])
		}
		off += f.Len
	}
	m, _ := parseMP3Header(frames[1])
	if got := mainDataLen(frames[1], m); got != 300 {
		t.Errorf("main data %d bytes, want 300", got)
	}
	for name, bad := range map[string][]byte{
		"free format": append([]byte{0xFF, 0xFB, 0x00, 0x00}, make([]byte, 400)...),
		"layer II":    append([]byte{0xFF, 0xFD, 0x90, 0x00}, make([]byte, 400)...),
		"cut short":   mp3Frame(9, 0, 10, 0)[:200],
		"not mp3":     []byte("RIFF....WAVEfmt "),
	} {
		if _, err := ParseMP3(bad); !errors.Is(err, ErrUnsuitable) {
			t.Errorf("%s: err %v, want ErrUnsuitable", name, err)
		}
	}
}

func TestParseADTS(t *testing.T) {
	data := append(adtsFrame(1, 3, 2, 100), adtsFrame(1, 3, 2, 250)...)
	s, err := ParseADTS(data)
	if err != nil {
		t.Fatal(err)
	}
	if s.Rate != 48000 || s.Channels != 2 || s.Samples != 1024 || len(s.Frames) != 2 || s.Frames[1] != (Frame{Off: 107, Len: 257, Head: 7}) {
		t.Errorf("parsed %+v", s)
	}
	for name, bad := range map[string][]byte{
		"AAC Main":        adtsFrame(0, 3, 2, 100),
		"rate changes":    append(adtsFrame(1, 3, 2, 100), adtsFrame(1, 4, 2, 100)...),
		"cut short":       adtsFrame(1, 3, 2, 100)[:50],
		"no channel info": adtsFrame(1, 3, 0, 100),
	} {
		if _, err := ParseADTS(bad); !errors.Is(err, ErrUnsuitable) {
			t.Errorf("%s: err %v, want ErrUnsuitable", name, err)
		}
	}
}

// TestBridge: the frame copied after a piece finds, in the piece's last
// frame's unused end, the bytes it takes from before itself; the piece's
// own main data stays where its decoder reads it; a frame without room
// grows to a higher bit rate.
func TestBridge(t *testing.T) {
	var data []byte
	for i, f := range [][]byte{mp3Frame(9, 0, 200, 0xA1), mp3Frame(9, 0, 300, 0xB2), mp3Frame(9, 120, 250, 0xC3)} {
		for k := 36 + 1; k < len(f); k++ {
			f[k] = byte(i*50 + k%50) // bytes that tell where they came from
		}
		data = append(data, f...)
	}
	s, err := ParseMP3(data)
	if err != nil {
		t.Fatal(err)
	}
	prev := s.Frames[1]
	want := data[prev.Off+prev.Len-120 : prev.Off+prev.Len]
	for _, tt := range []struct {
		name      string
		own, size int // bytes of main data; the bitrate index wanted after
	}{{"room to spare", 100, 9}, {"grows", 350, 10}} {
		t.Run(tt.name, func(t *testing.T) {
			piece := mp3Frame(9, 0, tt.own, 0x77)
			got, err := Bridge(piece, s, 2)
			if err != nil {
				t.Fatal(err)
			}
			m, ok := parseMP3Header(got)
			if !ok || m.bitrateIdx != tt.size || m.len != len(got) {
				t.Fatalf("bridged frame: header %+v (ok %v), %d bytes; want bitrate index %d", m, ok, len(got), tt.size)
			}
			if !bytes.Equal(got[len(got)-120:], want) {
				t.Errorf("the last 120 bytes are not the reservoir frame 2 reads")
			}
			if !bytes.Equal(got[4:36+tt.own], piece[4:36+tt.own]) {
				t.Errorf("the piece's own side info and main data changed")
			}
		})
	}
	if got, err := Bridge(mp3Frame(9, 0, 100, 0), s, 1); err != nil || len(got) != 417 {
		t.Errorf("a next frame without reservoir: %d bytes, %v; want the frame as it was", len(got), err)
	}
	if _, err := Bridge(mp3Frame(9, 20, 100, 0), s, 2); !errors.Is(err, ErrUnsuitable) {
		t.Errorf("a piece frame with a reservoir of its own: %v, want ErrUnsuitable", err)
	}
}

func TestLAMEGapless(t *testing.T) {
	info := mp3Frame(9, 0, 0, 0)
	copy(info[36:], "Info\x00\x00\x00\x0f") // frames, bytes, TOC and quality follow
	tag := 36 + 8 + 4 + 4 + 100 + 4
	copy(info[tag:], "LAME3.100")
	info[tag+21], info[tag+22], info[tag+23] = 0x24, 0x03, 0xA8 // delay 576, padding 936
	if delay, padding, ok := LAMEGapless(info); !ok || delay != 576 || padding != 936 {
		t.Errorf("LAMEGapless = %d, %d, %v; want 576, 936, true", delay, padding, ok)
	}
	if _, _, ok := LAMEGapless(mp3Frame(9, 0, 100, 1)); ok {
		t.Error("a frame of sound read as a LAME tag")
	}
	if n := ID3v2Len([]byte("ID3\x04\x00\x10\x00\x00\x01\x00")); n != 10+128+10 {
		t.Errorf("ID3v2Len = %d, want 148 (header, 128 bytes, footer)", n)
	}
}
