package mp4file

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/Eyevinn/mp4ff/mp4"
)

// fakeSegment is a segment's table without its bytes: a keyframe of size
// key and then frames of 100 bytes, n samples in all, at 25 fps.
func fakeSegment(t *testing.T, key uint32, n int) *Segment {
	t.Helper()
	hdlr, err := mp4.CreateHdlr("video")
	if err != nil {
		t.Fatal(err)
	}
	stsd := mp4.NewStsdBox()
	stsd.AddChild(mp4.CreateVisualSampleEntryBox("avc1", 160, 90, nil))
	dinf := &mp4.DinfBox{}
	dinf.AddChild(mp4.CreateDref())
	return &Segment{
		Timescale: 12800, Delta: 512, Sizes: append([]uint32{key}, slices.Repeat([]uint32{100}, n-1)...), Syncs: []uint32{1},
		mvhd: mp4.CreateMvhd(), tkhd: mp4.CreateTkhd(), mdhd: &mp4.MdhdBox{Timescale: 12800},
		hdlr: hdlr, vmhd: mp4.CreateVmhd(), dinf: dinf, stsd: stsd,
	}
}

// decodeHeader reads back the ftyp and moov of a header and the mdat
// box's header after them.
func decodeHeader(t *testing.T, head []byte) (*mp4.MoovBox, uint64) {
	t.Helper()
	r := bytes.NewReader(head)
	var moov *mp4.MoovBox
	pos := uint64(0)
	for range 2 {
		box, err := mp4.DecodeBox(pos, r)
		if err != nil {
			t.Fatal(err)
		}
		if m, ok := box.(*mp4.MoovBox); ok {
			moov = m
		}
		pos += box.Size()
	}
	if moov == nil {
		t.Fatal("no moov after ftyp")
	}
	rest := head[pos:]
	if string(rest[4:8]) != "mdat" {
		t.Fatalf("no mdat after the moov: %q", rest[4:8])
	}
	size := uint64(binary.BigEndian.Uint32(rest[0:4]))
	if size == 1 {
		size = binary.BigEndian.Uint64(rest[8:16])
	}
	return moov, size
}

// TestHeaderLargeOffsets builds the index of a 4.8 GB file without
// writing it: past 4 GiB the chunk offsets need co64 and the mdat a
// 64-bit size, and every offset must point at its repetition.
func TestHeaderLargeOffsets(t *testing.T) {
	seg := fakeSegment(t, 400_000_000, 3)
	pieces := []Piece{{seg, 11}, {fakeSegment(t, 400_000_000, 2), 1}} // 11 repetitions, and a shorter last segment
	p, err := planFor(pieces)
	if err != nil {
		t.Fatal(err)
	}
	head, err := header(p)
	if err != nil {
		t.Fatal(err)
	}
	moov, mdatSize := decodeHeader(t, head)
	stbl := moov.Trak.Mdia.Minf.Stbl
	if stbl.Stco != nil || stbl.Co64 == nil {
		t.Fatal("want co64, not stco, for offsets past 4 GiB")
	}
	step := uint64(400_000_200)
	want := make([]uint64, 12)
	for i := range want {
		want[i] = uint64(len(head)) + uint64(i)*step
	}
	if !slices.Equal(stbl.Co64.ChunkOffset, want) {
		t.Fatalf("chunk offsets %v, want %v", stbl.Co64.ChunkOffset, want)
	}
	if data := 11*step + 400_000_100; mdatSize != data+16 {
		t.Fatalf("mdat size %d, want %d (16-byte header)", mdatSize, data+16)
	}
	checkTable(t, moov, 35, []uint32{1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34})
	if e := stbl.Stsc.Entries; len(e) != 2 || e[0].SamplesPerChunk != 3 || e[1].FirstChunk != 12 || e[1].SamplesPerChunk != 2 {
		t.Fatalf("stsc %+v: want 3 samples a chunk, and 2 in chunk 12", e)
	}
	if size, _ := Size(pieces); size != int64(len(head))+int64(mdatSize)-16 {
		t.Fatalf("Size says %d", size)
	}
}

// TestHeaderSmall keeps 32-bit offsets and an 8-byte mdat header below
// 4 GiB, and a video of whole repetitions has one stsc entry.
func TestHeaderSmall(t *testing.T) {
	seg := fakeSegment(t, 5000, 3)
	p, _ := planFor([]Piece{{seg, 2}, {seg, 1}})
	head, err := header(p)
	if err != nil {
		t.Fatal(err)
	}
	moov, mdatSize := decodeHeader(t, head)
	stbl := moov.Trak.Mdia.Minf.Stbl
	if stbl.Co64 != nil || stbl.Stco == nil {
		t.Fatal("want stco below 4 GiB")
	}
	if want := []uint32{uint32(len(head)), uint32(len(head)) + 5200, uint32(len(head)) + 10400}; !slices.Equal(stbl.Stco.ChunkOffset, want) {
		t.Fatalf("offsets %v, want %v", stbl.Stco.ChunkOffset, want)
	}
	if mdatSize != 3*5200+8 {
		t.Fatalf("mdat size %d", mdatSize)
	}
	if len(stbl.Stsc.Entries) != 1 {
		t.Fatalf("stsc %+v", stbl.Stsc.Entries)
	}
	checkTable(t, moov, 9, []uint32{1, 4, 7})
}

// checkTable checks the durations and the sample table of n frames of
// 1/25 s with keyframes at keys.
func checkTable(t *testing.T, moov *mp4.MoovBox, n int, keys []uint32) {
	t.Helper()
	stbl := moov.Trak.Mdia.Minf.Stbl
	if stbl.Stsz.SampleNumber != uint32(n) || len(stbl.Stsz.SampleSize) != n {
		t.Fatalf("stsz has %d samples, want %d", stbl.Stsz.SampleNumber, n)
	}
	if c, d := stbl.Stts.SampleCount, stbl.Stts.SampleTimeDelta; len(c) != 1 || c[0] != uint32(n) || d[0] != 512 {
		t.Fatalf("stts %v×%v: want one entry, %d×512", c, d, n)
	}
	if !slices.Equal(stbl.Stss.SampleNumber, keys) {
		t.Fatalf("keyframes %v, want %v", stbl.Stss.SampleNumber, keys)
	}
	if stbl.Ctts != nil || moov.Trak.Edts != nil {
		t.Fatal("no ctts or edit list wanted")
	}
	if got, want := moov.Trak.Mdia.Mdhd.Duration, uint64(n*512); got != want {
		t.Fatalf("mdhd duration %d, want %d", got, want)
	}
	if got, want := moov.Mvhd.Duration, uint64(n*512)*uint64(moov.Mvhd.Timescale)/12800; got != want {
		t.Fatalf("mvhd duration %d, want %d", got, want)
	}
}

func TestPlanRefuses(t *testing.T) {
	seg := fakeSegment(t, 10, 3)
	if _, err := planFor([]Piece{{seg, 0}}); err == nil {
		t.Fatal("0 frames accepted")
	}
	if _, err := planFor([]Piece{{&Segment{}, 5}}); err == nil {
		t.Fatal("an empty segment accepted")
	}
	other := fakeSegment(t, 10, 3)
	other.Delta = 500
	if _, err := planFor([]Piece{{seg, 1}, {other, 1}}); err == nil {
		t.Fatal("segments of different frame rates accepted")
	}
	other = fakeSegment(t, 10, 3)
	other.stsd = mp4.NewStsdBox()
	other.stsd.AddChild(mp4.CreateVisualSampleEntryBox("avc1", 320, 180, nil))
	if _, err := planFor([]Piece{{seg, 1}, {other, 1}}); err == nil {
		t.Fatal("segments of different sizes accepted")
	}
}

// TestCompositionOffsets: a segment with B-frames delayed by two frames,
// and one without, in one output. The one without is delayed as much, so
// that no offset is negative and the frames stay one apart.
func TestCompositionOffsets(t *testing.T) {
	b := fakeSegment(t, 1000, 4)
	b.Offsets, b.Shift = []uint32{1024, 2048, 512, 512}, 1024 // decoded I P B B, shown I B B P
	if err := b.shownInPlace(); err != nil {
		t.Fatal(err)
	}
	plain := fakeSegment(t, 1000, 2)
	p, err := planFor([]Piece{{b, 2}, {plain, 1}})
	if err != nil {
		t.Fatal(err)
	}
	moov, _ := decodeHeader(t, mustHeader(t, p))
	ctts := moov.Trak.Mdia.Minf.Stbl.Ctts
	var got []int32
	for i := range uint32(10) {
		got = append(got, ctts.GetCompositionTimeOffset(i+1))
	}
	if want := []int32{1024, 2048, 512, 512, 1024, 2048, 512, 512, 1024, 1024}; !slices.Equal(got, want) {
		t.Fatalf("offsets %v, want %v", got, want)
	}
	e := moov.Trak.Edts.Elst[0].Entries
	if len(e) != 1 || e[0].MediaTime != 1024 || e[0].SegmentDuration != moov.Mvhd.Duration {
		t.Fatalf("edit list %+v: want the media from 1024 for the movie's %d", e, moov.Mvhd.Duration)
	}
}

func mustHeader(t *testing.T, p plan) []byte {
	t.Helper()
	head, err := header(p)
	if err != nil {
		t.Fatal(err)
	}
	return head
}
