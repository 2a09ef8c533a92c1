package playout

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
)

// Segment is an encoded picture: whole keyframe intervals of H.264 at a
// constant frame rate, without B-frames, that loop seamlessly, so playing
// it again and again is a copy.
type Segment struct {
	AUs      [][][]byte    // access units, each its NAL units without start codes
	Key      []bool        // whether AUs[i] is an IDR, where the stream may switch
	SPS, PPS []byte        // the parameter sets of the first keyframe
	Frame    time.Duration // one frame's duration
}

// Duration is how long one pass of the segment plays.
func (s *Segment) Duration() time.Duration { return time.Duration(len(s.AUs)) * s.Frame }

// ParseSegment splits an Annex-B H.264 stream encoded at fps frames a
// second into access units. It starts with a keyframe and holds no
// B-frames: decode order is display order, so a loop of it never reaches
// across the loop point.
func ParseSegment(annexB []byte, fps int) (*Segment, error) {
	if fps <= 0 {
		return nil, fmt.Errorf("a segment needs a frame rate, not %d", fps)
	}
	nalus, err := splitAnnexB(annexB)
	if err != nil {
		return nil, fmt.Errorf("reading the H.264 segment: %w", err)
	}
	s := &Segment{Frame: time.Second / time.Duration(fps)}
	var au [][]byte
	hasSlice, key := false, false
	flush := func() {
		if hasSlice {
			s.AUs, s.Key = append(s.AUs, au), append(s.Key, key)
		}
		au, hasSlice, key = nil, false, false
	}
	for _, n := range nalus {
		if len(n) == 0 {
			continue
		}
		typ := h264.NALUType(n[0] & 0x1f)
		if startsAccessUnit(typ, n, hasSlice) {
			flush()
		}
		switch typ {
		case h264.NALUTypeAccessUnitDelimiter:
			continue // FLV has no use for it
		case h264.NALUTypeSPS:
			if s.SPS == nil {
				s.SPS = n
			}
		case h264.NALUTypePPS:
			if s.PPS == nil {
				s.PPS = n
			}
		case h264.NALUTypeIDR:
			key = true
		}
		if typ == h264.NALUTypeIDR || typ == h264.NALUTypeNonIDR {
			hasSlice = true
		}
		au = append(au, n)
	}
	flush()
	switch {
	case len(s.AUs) == 0:
		return nil, errors.New("the H.264 segment holds no pictures")
	case !s.Key[0]:
		return nil, errors.New("the H.264 segment does not start with a keyframe")
	case s.SPS == nil || s.PPS == nil:
		return nil, errors.New("the H.264 segment has no parameter sets")
	}
	return s, nil
}

// startsAccessUnit tells whether a NAL unit of type typ begins a new
// access unit after one that holds a slice already (H.264 7.4.1.2.3).
func startsAccessUnit(typ h264.NALUType, n []byte, hasSlice bool) bool {
	if !hasSlice {
		return typ == h264.NALUTypeAccessUnitDelimiter
	}
	switch typ {
	case h264.NALUTypeAccessUnitDelimiter, h264.NALUTypeSPS, h264.NALUTypePPS, h264.NALUTypeSEI:
		return true
	case h264.NALUTypeIDR, h264.NALUTypeNonIDR:
		// first_mb_in_slice is 0, coded as the single bit 1, only in the
		// first slice of a picture.
		return len(n) > 1 && n[1]&0x80 != 0
	}
	return false
}

// sameParameters tells whether two segments can follow each other without
// new sequence headers.
func sameParameters(a, b *Segment) bool {
	return bytes.Equal(a.SPS, b.SPS) && bytes.Equal(a.PPS, b.PPS)
}

// splitAnnexB cuts an Annex-B stream into its NAL units at the start
// codes. (mediacommon's AnnexB reads one access unit, and caps the count.)
func splitAnnexB(b []byte) ([][]byte, error) {
	startCode := []byte{0, 0, 1}
	i := bytes.Index(b, startCode)
	if i < 0 || len(bytes.Trim(b[:i], "\x00")) > 0 {
		return nil, errors.New("no start code: not an Annex-B stream")
	}
	var nalus [][]byte
	b = b[i+3:]
	for len(b) > 0 {
		end := bytes.Index(b, startCode)
		if end < 0 {
			end = len(b)
		}
		// The zero before a four-byte start code, and trailing zeros,
		// belong to no NAL unit.
		n := bytes.TrimRight(b[:end], "\x00")
		if len(n) > 0 {
			nalus = append(nalus, n)
		}
		if end == len(b) {
			break
		}
		b = b[end+3:]
	}
	return nalus, nil
}
