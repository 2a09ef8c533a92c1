package mp4file

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/Eyevinn/mp4ff/mp4"
)

// Piece is a segment played Times times over, one after the other.
type Piece struct {
	Seg   *Segment
	Times int
}

// plan is where an output's samples go: the pieces in order, each
// repetition one chunk of the MP4.
type plan struct {
	pieces []Piece
	frames int
	// shift is the output's composition delay, in ticks: the largest of
	// the pieces', so that no composition offset is negative.
	shift uint32
	// reordered is set when any piece shows its frames out of decode
	// order: the output then needs a composition offset table.
	reordered bool
}

func planFor(pieces []Piece) (plan, error) {
	p := plan{}
	if len(pieces) == 0 {
		return p, errors.New("nothing to write")
	}
	first := pieces[0].Seg
	for i, pc := range pieces {
		switch {
		case pc.Seg == nil || len(pc.Seg.Sizes) == 0:
			return p, fmt.Errorf("segment %d has no frames", i+1)
		case pc.Times < 0:
			return p, fmt.Errorf("segment %d: %d times", i+1, pc.Times)
		case pc.Seg.Timescale != first.Timescale || pc.Seg.Delta != first.Delta:
			return p, fmt.Errorf("segment %d: frames of %d/%d s, the first's are %d/%d s",
				i+1, pc.Seg.Delta, pc.Seg.Timescale, first.Delta, first.Timescale)
		case !sameEntry(pc.Seg, first):
			return p, fmt.Errorf("segment %d is encoded unlike the first (its sample entry differs)", i+1)
		}
		if pc.Times == 0 {
			continue
		}
		p.pieces = append(p.pieces, pc)
		p.frames += pc.Times * len(pc.Seg.Sizes)
		p.shift = max(p.shift, pc.Seg.Shift)
		p.reordered = p.reordered || pc.Seg.Offsets != nil
	}
	switch {
	case p.frames < 1:
		return p, errors.New("no frames to write")
	case p.frames > math.MaxUint32:
		return p, fmt.Errorf("%d frames: more than an MP4 track holds", p.frames)
	}
	p.reordered = p.reordered || p.shift > 0
	return p, nil
}

// sameEntry reports whether two segments have the same sample entry, byte
// for byte: the same codec, size and parameter sets.
func sameEntry(a, b *Segment) bool {
	if a == b || a.stsd == b.stsd {
		return true
	}
	var x, y bytes.Buffer
	if a.stsd == nil || b.stsd == nil || a.stsd.Encode(&x) != nil || b.stsd.Encode(&y) != nil {
		return false
	}
	return bytes.Equal(x.Bytes(), y.Bytes())
}

// chunks counts the repetitions written: each is one chunk of the MP4.
func (p plan) chunks() int {
	n := 0
	for _, pc := range p.pieces {
		n += pc.Times
	}
	return n
}

// dataSize is the length of all the samples of the output.
func (p plan) dataSize() int64 {
	var n int64
	for _, pc := range p.pieces {
		n += int64(pc.Times) * segmentBytes(pc.Seg)
	}
	return n
}

func segmentBytes(seg *Segment) int64 {
	var n int64
	for _, s := range seg.Sizes {
		n += int64(s)
	}
	return n
}

// header builds everything before the samples: ftyp, moov and the mdat
// box's header. The moov comes first ("faststart"): every offset is
// known before a byte is written, so there is no second pass. Offsets
// beyond 4 GiB take a co64 box instead of stco, and an mdat that large a
// 64-bit size.
func header(p plan) ([]byte, error) {
	ftyp := mp4.NewFtyp("isom", 0x200, []string{"isom", "iso2", "avc1", "mp41"})
	data := p.dataSize()
	mdatHead := int64(8)
	if data+8 > math.MaxUint32 {
		mdatHead = 16
	}
	// The moov's size does not depend on the offsets it holds, only on
	// whether they take 32 or 64 bits: build it once to learn its size.
	large := false
	start := int64(ftyp.Size()+buildMoov(p, 0, large).Size()) + mdatHead
	if start+data > math.MaxUint32 {
		large = true
		start = int64(ftyp.Size()+buildMoov(p, 0, large).Size()) + mdatHead
	}
	moov := buildMoov(p, start, large)
	var b bytes.Buffer
	b.Grow(int(start))
	if err := ftyp.Encode(&b); err != nil {
		return nil, err
	}
	if err := moov.Encode(&b); err != nil {
		return nil, err
	}
	b.Write(mdatHeader(data, mdatHead))
	if int64(b.Len()) != start {
		return nil, fmt.Errorf("the header is %d bytes, not the %d planned", b.Len(), start)
	}
	return b.Bytes(), nil
}

// mdatHeader is the mdat box's header for data bytes: 8 bytes, or 16
// with the 64-bit "largesize".
func mdatHeader(data, head int64) []byte {
	h := make([]byte, head)
	copy(h[4:8], "mdat")
	if head == 16 {
		binary.BigEndian.PutUint32(h[0:4], 1)
		binary.BigEndian.PutUint64(h[8:16], uint64(data+head))
	} else {
		binary.BigEndian.PutUint32(h[0:4], uint32(data+head))
	}
	return h
}
