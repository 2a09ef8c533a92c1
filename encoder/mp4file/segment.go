package mp4file

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/Eyevinn/mp4ff/mp4"
)

// Segment is the one video track of an encoded MP4 file, ready to be
// repeated: its sample table, its samples' bytes and the boxes that
// describe it.
type Segment struct {
	Timescale uint32   // ticks a second of the track's media time
	Delta     uint32   // every sample's duration, in ticks
	Sizes     []uint32 // of each sample, in decode order
	// Syncs are the 1-based numbers of the sync samples (keyframes); nil
	// when every sample is one. The first sample must be one, so that a
	// repetition can follow any other.
	Syncs []uint32
	Data  []byte // the samples' bytes, back to back, in decode order

	// The boxes the output's moov takes over: the track's header, its
	// handler, and the sample entry (avc1 with its avcC, colr, pasp).
	mvhd *mp4.MvhdBox
	tkhd *mp4.TkhdBox
	mdhd *mp4.MdhdBox
	hdlr *mp4.HdlrBox
	vmhd *mp4.VmhdBox
	dinf *mp4.DinfBox
	stsd *mp4.StsdBox
}

// ReadSegment reads the segment in the MP4 file at path. It takes one
// video track whose samples all last as long, are shown in decode order
// (no B-frames: a repetition may then be cut after any sample) and lie
// back to back in the file.
func ReadSegment(path string) (*Segment, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the segment: %w", err)
	}
	f, err := mp4.DecodeFile(bytes.NewReader(raw), mp4.WithDecodeMode(mp4.DecModeLazyMdat))
	if err != nil {
		return nil, fmt.Errorf("reading the segment %s: %w", path, err)
	}
	seg, err := segmentOf(f, raw)
	if err != nil {
		return nil, fmt.Errorf("the segment %s: %w", path, err)
	}
	return seg, nil
}

// segmentOf checks the file's one track and takes its samples out of raw,
// the file's bytes.
func segmentOf(f *mp4.File, raw []byte) (*Segment, error) {
	if f.Moov == nil || len(f.Moov.Traks) != 1 {
		return nil, errors.New("want one track and a moov box")
	}
	trak := f.Moov.Trak
	mdia := trak.Mdia
	if mdia == nil || mdia.Minf == nil || mdia.Minf.Stbl == nil || mdia.Hdlr == nil || mdia.Hdlr.HandlerType != "vide" {
		return nil, errors.New("its track is not video")
	}
	stbl := mdia.Minf.Stbl
	switch {
	case stbl.Stsz == nil || stbl.Stts == nil || stbl.Stsc == nil || stbl.Stsd == nil:
		return nil, errors.New("its sample table is incomplete")
	case stbl.Ctts != nil:
		return nil, errors.New("its frames are reordered (B-frames): it cannot be cut after any frame")
	case len(stbl.Stts.SampleTimeDelta) != 1:
		return nil, errors.New("its frames do not all last as long")
	case trak.Edts != nil && !startsAtZero(trak.Edts):
		return nil, errors.New("its edit list shifts or cuts the frames")
	}
	seg := &Segment{
		Timescale: mdia.Mdhd.Timescale,
		Delta:     stbl.Stts.SampleTimeDelta[0],
		Sizes:     sizesOf(stbl.Stsz),
		mvhd:      f.Moov.Mvhd, tkhd: trak.Tkhd, mdhd: mdia.Mdhd, hdlr: mdia.Hdlr,
		vmhd: mdia.Minf.Vmhd, dinf: mdia.Minf.Dinf, stsd: stbl.Stsd,
	}
	if stbl.Stss != nil {
		seg.Syncs = stbl.Stss.SampleNumber
		if len(seg.Syncs) == 0 || seg.Syncs[0] != 1 {
			return nil, errors.New("it does not start with a keyframe")
		}
	}
	if len(seg.Sizes) == 0 {
		return nil, errors.New("it has no frames")
	}
	from, to, err := dataRange(trak, len(seg.Sizes), int64(len(raw)))
	if err != nil {
		return nil, err
	}
	seg.Data = raw[from:to]
	return seg, nil
}

// startsAtZero reports whether an edit list shows the media as it is:
// one edit, from media time 0, at normal rate.
func startsAtZero(edts *mp4.EdtsBox) bool {
	if len(edts.Elst) != 1 || len(edts.Elst[0].Entries) != 1 {
		return false
	}
	e := edts.Elst[0].Entries[0]
	return e.MediaTime == 0 && e.MediaRateInteger == 1
}

func sizesOf(stsz *mp4.StszBox) []uint32 {
	n := int(stsz.GetNrSamples())
	sizes := make([]uint32, n)
	for i := range n {
		sizes[i] = stsz.GetSampleSize(i + 1)
	}
	return sizes
}

// dataRange finds where the n samples lie in the file of size fileSize:
// they must follow each other with nothing between.
func dataRange(trak *mp4.TrakBox, n int, fileSize int64) (from, to int64, err error) {
	ranges, err := trak.GetRangesForSampleInterval(1, uint32(n))
	if err != nil {
		return 0, 0, fmt.Errorf("finding its samples: %w", err)
	}
	if len(ranges) == 0 {
		return 0, 0, errors.New("its samples are nowhere")
	}
	from, to = int64(ranges[0].Offset), int64(ranges[0].Offset)
	for _, r := range ranges {
		if int64(r.Offset) != to {
			return 0, 0, errors.New("its samples are not back to back")
		}
		to += int64(r.Size)
	}
	if to > fileSize {
		return 0, 0, fmt.Errorf("its samples end at byte %d of %d", to, fileSize)
	}
	return from, to, nil
}
