package mp4file

import (
	"math"

	"github.com/Eyevinn/mp4ff/mp4"
)

// buildMoov makes the output's moov: the first segment's own header
// boxes with the output's durations, and a sample table of the
// repetitions, whose samples start at byte start of the file.
func buildMoov(p plan, start int64, large bool) *mp4.MoovBox {
	seg := p.pieces[0].Seg
	media := uint64(p.frames) * uint64(seg.Delta)
	mvhd := *seg.mvhd
	mvhd.Duration = scale(media, seg.Timescale, mvhd.Timescale)
	mvhd.NextTrackID = seg.tkhd.TrackID + 1
	tkhd := *seg.tkhd
	tkhd.Duration = mvhd.Duration
	mdhd := *seg.mdhd
	mdhd.Duration = media
	wide := mvhd.Duration > math.MaxUint32 || media > math.MaxUint32
	if wide {
		mvhd.Version, tkhd.Version, mdhd.Version = 1, 1, 1 // 64-bit times
	}

	stbl := mp4.NewStblBox()
	stbl.AddChild(seg.stsd)
	stbl.AddChild(&mp4.SttsBox{SampleCount: []uint32{uint32(p.frames)}, SampleTimeDelta: []uint32{seg.Delta}})
	if p.reordered {
		stbl.AddChild(compositionOffsets(p))
	}
	if keys := syncSamples(p); keys != nil {
		stbl.AddChild(&mp4.StssBox{SampleNumber: keys})
	}
	stbl.AddChild(samplesToChunks(p))
	stbl.AddChild(&mp4.StszBox{SampleNumber: uint32(p.frames), SampleSize: sampleSizes(p)})
	stbl.AddChild(chunkOffsets(p, start, large))

	minf := mp4.NewMinfBox()
	minf.AddChild(seg.vmhd)
	minf.AddChild(seg.dinf)
	minf.AddChild(stbl)
	mdia := mp4.NewMdiaBox()
	mdia.AddChild(&mdhd)
	mdia.AddChild(seg.hdlr)
	mdia.AddChild(minf)
	trak := mp4.NewTrakBox()
	trak.AddChild(&tkhd)
	if p.shift > 0 {
		trak.AddChild(editList(mvhd.Duration, p.shift, wide))
	}
	trak.AddChild(mdia)
	moov := mp4.NewMoovBox()
	moov.AddChild(&mvhd)
	moov.AddChild(trak)
	return moov
}

// scale converts d ticks of timescale from into ticks of timescale to,
// rounded to the nearest.
func scale(d uint64, from, to uint32) uint64 {
	return (d*uint64(to) + uint64(from)/2) / uint64(from)
}

// editList shows the media from its composition delay on, for the
// movie's whole duration: the first frame shown is at time 0.
func editList(duration uint64, shift uint32, wide bool) *mp4.EdtsBox {
	elst := &mp4.ElstBox{Entries: []mp4.ElstEntry{{SegmentDuration: duration, MediaTime: int64(shift), MediaRateInteger: 1}}}
	if wide {
		elst.Version = 1
	}
	edts := &mp4.EdtsBox{Elst: []*mp4.ElstBox{elst}}
	edts.AddChild(elst)
	return edts
}

// compositionOffsets is the ctts of the output: each sample's offset in
// its segment, raised by what that segment's delay falls short of the
// output's, in runs of equal offsets.
func compositionOffsets(p plan) *mp4.CttsBox {
	var counts []uint32
	var offsets []int32
	add := func(off int32) {
		if n := len(offsets); n > 0 && offsets[n-1] == off {
			counts[n-1]++
			return
		}
		counts, offsets = append(counts, 1), append(offsets, off)
	}
	for _, pc := range p.pieces {
		raise := int32(p.shift - pc.Seg.Shift)
		for range pc.Times {
			for i := range pc.Seg.Sizes {
				off := raise
				if pc.Seg.Offsets != nil {
					off += int32(pc.Seg.Offsets[i])
				}
				add(off)
			}
		}
	}
	ctts := &mp4.CttsBox{}
	_ = ctts.AddSampleCountsAndOffset(counts, offsets) // as many of each: cannot fail
	return ctts
}

// syncSamples numbers the keyframes of every repetition; nil when every
// sample is one.
func syncSamples(p plan) []uint32 {
	var out []uint32
	all, first := true, uint32(0)
	for _, pc := range p.pieces {
		n := uint32(len(pc.Seg.Sizes))
		for range pc.Times {
			if pc.Seg.Syncs == nil {
				for s := range n {
					out = append(out, first+s+1)
				}
			} else {
				all = false
				for _, s := range pc.Seg.Syncs {
					out = append(out, first+s)
				}
			}
			first += n
		}
	}
	if all {
		return nil
	}
	return out
}

// samplesToChunks says how many samples each chunk, one repetition, holds.
func samplesToChunks(p plan) *mp4.StscBox {
	stsc := &mp4.StscBox{}
	chunk, last := uint32(1), uint32(0)
	for _, pc := range p.pieces {
		if n := uint32(len(pc.Seg.Sizes)); n != last {
			_ = stsc.AddEntry(chunk, n, 1) // chunk 1 comes first: cannot fail
			last = n
		}
		chunk += uint32(pc.Times)
	}
	return stsc
}

// sampleSizes lists the size of every sample of the output.
func sampleSizes(p plan) []uint32 {
	out := make([]uint32, 0, p.frames)
	for _, pc := range p.pieces {
		for range pc.Times {
			out = append(out, pc.Seg.Sizes...)
		}
	}
	return out
}

// chunkOffsets places each repetition's chunk after the one before.
func chunkOffsets(p plan, start int64, large bool) mp4.Box {
	offs := make([]uint64, 0, p.chunks())
	at := start
	for _, pc := range p.pieces {
		step := segmentBytes(pc.Seg)
		for range pc.Times {
			offs = append(offs, uint64(at))
			at += step
		}
	}
	if large {
		return &mp4.Co64Box{ChunkOffset: offs}
	}
	small := make([]uint32, len(offs))
	for i, o := range offs {
		small[i] = uint32(o)
	}
	return &mp4.StcoBox{ChunkOffset: small}
}
