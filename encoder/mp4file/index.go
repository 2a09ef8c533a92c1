package mp4file

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/Eyevinn/mp4ff/mp4"
)

// plan is where an output's samples go: whole repetitions of the segment,
// and a last one cut after its first rest samples (0: none).
type plan struct {
	frames int
	whole  int // repetitions played in full
	rest   int // samples of the last, cut repetition
}

func planFor(seg *Segment, frames int) (plan, error) {
	n := len(seg.Sizes)
	if n == 0 {
		return plan{}, errors.New("the segment has no frames")
	}
	if frames < 1 {
		return plan{}, fmt.Errorf("%d frames: want at least one", frames)
	}
	if frames > math.MaxUint32 {
		return plan{}, fmt.Errorf("%d frames: more than an MP4 track holds", frames)
	}
	return plan{frames: frames, whole: frames / n, rest: frames % n}, nil
}

// chunks counts the repetitions written, the cut one included: each is
// one chunk of the MP4.
func (p plan) chunks() int {
	if p.rest > 0 {
		return p.whole + 1
	}
	return p.whole
}

// restBytes is the length of the cut repetition's samples.
func restBytes(seg *Segment, rest int) int64 {
	var n int64
	for _, s := range seg.Sizes[:rest] {
		n += int64(s)
	}
	return n
}

// dataSize is the length of all the samples of the output.
func (p plan) dataSize(seg *Segment) int64 {
	return int64(p.whole)*segmentBytes(seg) + restBytes(seg, p.rest)
}

func segmentBytes(seg *Segment) int64 { return restBytes(seg, len(seg.Sizes)) }

// header builds everything before the samples: ftyp, moov and the mdat
// box's header. The moov comes first ("faststart"): every offset is
// known before a byte is written, so there is no second pass. Offsets
// beyond 4 GiB take a co64 box instead of stco, and an mdat that large a
// 64-bit size.
func header(seg *Segment, p plan) ([]byte, error) {
	ftyp := mp4.NewFtyp("isom", 0x200, []string{"isom", "iso2", "avc1", "mp41"})
	data := p.dataSize(seg)
	mdatHead := int64(8)
	if data+8 > math.MaxUint32 {
		mdatHead = 16
	}
	// The moov's size does not depend on the offsets it holds, only on
	// whether they take 32 or 64 bits: build it once to learn its size.
	large := false
	start := int64(ftyp.Size()+buildMoov(seg, p, 0, large).Size()) + mdatHead
	if start+data > math.MaxUint32 {
		large = true
		start = int64(ftyp.Size()+buildMoov(seg, p, 0, large).Size()) + mdatHead
	}
	moov := buildMoov(seg, p, start, large)
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
