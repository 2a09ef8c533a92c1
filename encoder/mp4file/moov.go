package mp4file

import (
	"math"

	"github.com/Eyevinn/mp4ff/mp4"
)

// buildMoov makes the output's moov: the segment's own header boxes with
// the output's durations, and a sample table of the repetitions, whose
// samples start at byte start of the file.
func buildMoov(seg *Segment, p plan, start int64, large bool) *mp4.MoovBox {
	media := uint64(p.frames) * uint64(seg.Delta)
	mvhd := *seg.mvhd
	mvhd.Duration = scale(media, seg.Timescale, mvhd.Timescale)
	mvhd.NextTrackID = seg.tkhd.TrackID + 1
	tkhd := *seg.tkhd
	tkhd.Duration = mvhd.Duration
	mdhd := *seg.mdhd
	mdhd.Duration = media
	if mvhd.Duration > math.MaxUint32 || media > math.MaxUint32 {
		mvhd.Version, tkhd.Version, mdhd.Version = 1, 1, 1 // 64-bit times
	}

	stbl := mp4.NewStblBox()
	stbl.AddChild(seg.stsd)
	stbl.AddChild(&mp4.SttsBox{SampleCount: []uint32{uint32(p.frames)}, SampleTimeDelta: []uint32{seg.Delta}})
	if seg.Syncs != nil {
		stbl.AddChild(&mp4.StssBox{SampleNumber: syncSamples(seg, p)})
	}
	stsc := &mp4.StscBox{}
	if p.whole > 0 {
		_ = stsc.AddEntry(1, uint32(len(seg.Sizes)), 1) // chunk 1 cannot fail
	}
	if p.rest > 0 {
		_ = stsc.AddEntry(uint32(p.whole+1), uint32(p.rest), 1)
	}
	stbl.AddChild(stsc)
	stbl.AddChild(&mp4.StszBox{SampleNumber: uint32(p.frames), SampleSize: sampleSizes(seg, p)})
	stbl.AddChild(chunkOffsets(seg, p, start, large))

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

// syncSamples numbers the keyframes of every repetition that is written.
func syncSamples(seg *Segment, p plan) []uint32 {
	n := uint32(len(seg.Sizes))
	var out []uint32
	for rep := range uint32(p.chunks()) {
		for _, s := range seg.Syncs {
			if k := rep*n + s; k <= uint32(p.frames) {
				out = append(out, k)
			}
		}
	}
	return out
}

// sampleSizes lists the size of every sample of the output.
func sampleSizes(seg *Segment, p plan) []uint32 {
	out := make([]uint32, 0, p.frames)
	for range p.whole {
		out = append(out, seg.Sizes...)
	}
	return append(out, seg.Sizes[:p.rest]...)
}

// chunkOffsets places each repetition's chunk after the one before.
func chunkOffsets(seg *Segment, p plan, start int64, large bool) mp4.Box {
	step := segmentBytes(seg)
	if large {
		offs := make([]uint64, p.chunks())
		for i := range offs {
			offs[i] = uint64(start + int64(i)*step)
		}
		return &mp4.Co64Box{ChunkOffset: offs}
	}
	offs := make([]uint32, p.chunks())
	for i := range offs {
		offs[i] = uint32(start + int64(i)*step)
	}
	return &mp4.StcoBox{ChunkOffset: offs}
}
