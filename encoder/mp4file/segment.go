package mp4file

import (
	"bytes"
	"errors"
	"fmt"
	"math"
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
	// Offsets are the samples' composition offsets (ctts), in ticks: a
	// sample is shown Offsets[i]-Shift after it is decoded. nil when
	// every frame is shown as it is decoded (no B-frames).
	Offsets []uint32
	// Shift is the composition delay the segment's edit list skips, in
	// ticks: where its first frame is shown.
	Shift uint32
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
// video track whose samples all last as long, lie back to back in the
// file, and show exactly the segment's own frames: B-frames may reorder
// them, but none is shown before the segment starts or after it ends, so
// that any segment can follow it.
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
	case len(stbl.Stts.SampleTimeDelta) != 1 || stbl.Stts.SampleTimeDelta[0] == 0:
		return nil, errors.New("its frames do not all last as long")
	}
	seg := &Segment{
		Timescale: mdia.Mdhd.Timescale,
		Delta:     stbl.Stts.SampleTimeDelta[0],
		Sizes:     sizesOf(stbl.Stsz),
		mvhd:      f.Moov.Mvhd, tkhd: trak.Tkhd, mdhd: mdia.Mdhd, hdlr: mdia.Hdlr,
		vmhd: mdia.Minf.Vmhd, dinf: mdia.Minf.Dinf, stsd: withoutBitrate(stbl.Stsd),
	}
	if trak.Edts != nil {
		shift, ok := shiftOf(trak.Edts)
		if !ok {
			return nil, errors.New("its edit list cuts the frames or leaves a gap")
		}
		seg.Shift = shift
	}
	if stbl.Ctts != nil {
		offs, err := offsetsOf(stbl.Ctts, len(seg.Sizes))
		if err != nil {
			return nil, err
		}
		seg.Offsets = offs
	}
	if err := seg.shownInPlace(); err != nil {
		return nil, err
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

// withoutBitrate is the sample description without its bitrate box
// (btrt): that is the bitrate of the file it was read from, not of the
// output, and it differs between segments that are otherwise alike.
func withoutBitrate(stsd *mp4.StsdBox) *mp4.StsdBox {
	out := mp4.NewStsdBox()
	for _, child := range stsd.Children {
		if v, ok := child.(*mp4.VisualSampleEntryBox); ok && v.Btrt != nil {
			entry := *v
			entry.Btrt, entry.Children = nil, nil
			for _, c := range v.Children {
				if c.Type() != "btrt" {
					entry.Children = append(entry.Children, c)
				}
			}
			child = &entry
		}
		out.AddChild(child)
	}
	return out
}

// shiftOf reads an edit list that shows the media from some time on, at
// normal rate: one edit, the usual way to skip the delay B-frames add.
// An empty edit before it, which only delays the whole track (ffmpeg
// writes one for the first file it cuts from a stream), is left out:
// where the segment is played is the writer's to say.
func shiftOf(edts *mp4.EdtsBox) (uint32, bool) {
	if len(edts.Elst) != 1 {
		return 0, false
	}
	entries := edts.Elst[0].Entries
	if len(entries) == 2 && entries[0].MediaTime == -1 {
		entries = entries[1:]
	}
	if len(entries) != 1 {
		return 0, false
	}
	e := entries[0]
	if e.MediaTime < 0 || e.MediaTime > math.MaxUint32 || e.MediaRateInteger != 1 || e.MediaRateFraction != 0 {
		return 0, false
	}
	return uint32(e.MediaTime), true
}

// offsetsOf lists the composition offset of each of n samples.
func offsetsOf(ctts *mp4.CttsBox, n int) ([]uint32, error) {
	if ctts.NrSampleCount() == 0 || int(ctts.EndSampleNr[len(ctts.EndSampleNr)-1]) != n {
		return nil, errors.New("its composition offsets do not cover its frames")
	}
	offs := make([]uint32, n)
	for i := range offs {
		o := ctts.GetCompositionTimeOffset(uint32(i + 1))
		if o < 0 {
			return nil, errors.New("its composition offsets are negative")
		}
		offs[i] = uint32(o)
	}
	return offs, nil
}

// shownInPlace checks that the segment shows each of its own frames
// once, one frame apart from time 0 on: every sample decoded at place i
// is shown at some place j of the segment, and no two at the same.
func (seg *Segment) shownInPlace() error {
	n := len(seg.Sizes)
	shown := make([]bool, n)
	for i := range n {
		at := int64(i) * int64(seg.Delta)
		if seg.Offsets != nil {
			at += int64(seg.Offsets[i])
		}
		at -= int64(seg.Shift)
		j := at / int64(seg.Delta)
		if at < 0 || at%int64(seg.Delta) != 0 || j >= int64(n) || shown[j] {
			return fmt.Errorf("its frame %d is shown outside its own frames or twice: it cannot follow or be followed", i+1)
		}
		shown[j] = true
	}
	return nil
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
