package encoder

import (
	"fmt"
	"image"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/stillcast/stillcast/encoder/album"
)

// Song videos: a still picture per song, and the song's audio. Every
// picture is encoded once, as one segment of stillSegmentFrames, and every
// video, whether of one song or of the whole album, is only copies of
// segments plus its audio. The segments have no B-frames, so a copy can
// end at any frame: no frame refers to one after it.

// song is one audio file of a batch as far as it has been read: its
// facts, or why it cannot be made into a video.
type song struct {
	Info    AudioInfo
	Err     error
	Picture int // index into the batch's pictures; -1 before it has one
}

// run is a stretch of a video that shows one picture.
type run struct{ Picture, Frames int }

// songVideo is one video of a batch, decided.
type songVideo struct {
	Output string
	Songs  []int // indices into the batch's songs, in play order
	Runs   []run
	Frames int
	Album  bool // the full album video, with chapters
	// Err, when set, is why the video cannot be made.
	Err error
}

// Name is the video's file name, for people.
func (v songVideo) Name() string { return filepath.Base(v.Output) }

// batchPlan is a batch of song videos decided in full.
type batchPlan struct {
	Canvas    image.Point
	FPS       int
	Segment   int // frames of each picture's encoded segment
	Pictures  int
	Container Container
	Videos    []songVideo
	// Blocks are the frames of each picture's block: copies of its
	// segment joined into one file, as long as its longest run (at most
	// maxBlockSegments segments), so that a video names one file where it
	// would name many copies: ffmpeg takes about 25 ms to open each entry
	// of a concat list. 0 for a picture whose runs fit in its segment.
	Blocks []int
}

// maxBlockSegments bounds a block: ten minutes at most, so that a batch
// of one picture does not copy an hour of it in advance.
const maxBlockSegments = 60

// planBatch decides the videos of a batch from the settings and its songs,
// each with its picture chosen or its error: a video for every song with
// Each, and the album video without Each or with Album. It is a pure
// function.
func planBatch(s Settings, songs []song, pictures int, canvas image.Point) batchPlan {
	c, _ := ContainerFor(s.Output) // Validate checked it for one video
	if s.Each {
		c = Containers()[0] // .mp4
	}
	p := batchPlan{Canvas: canvas, FPS: s.FPS, Segment: segmentFrames(s.KeyframeInterval, s.FPS), Pictures: pictures, Container: c}
	names := videoNames(songs)
	taken := map[string]bool{}
	if s.Each {
		for i, sg := range songs {
			v := songVideo{Output: filepath.Join(s.Output, names[i]+c.Ext), Songs: []int{i}, Err: sg.Err}
			taken[strings.ToLower(names[i])] = true
			p.Videos = append(p.Videos, p.laidOut(v, songs))
		}
	}
	if !s.Each || s.Album {
		v := songVideo{Output: s.Output, Album: len(songs) > 1}
		if s.Each {
			v.Output = filepath.Join(s.Output, albumName(songs, taken)+c.Ext)
		}
		for i, sg := range songs {
			v.Songs = append(v.Songs, i)
			if sg.Err != nil && v.Err == nil {
				v.Err = fmt.Errorf("the album needs every song, and %s failed", filepath.Base(sg.Info.Path))
			}
		}
		p.Videos = append(p.Videos, p.laidOut(v, songs))
	}
	p.Blocks = make([]int, pictures)
	for _, v := range p.Videos {
		for _, r := range v.Runs {
			segs := min(maxBlockSegments, (r.Frames+p.Segment-1)/p.Segment)
			if segs > 1 {
				p.Blocks[r.Picture] = max(p.Blocks[r.Picture], segs*p.Segment)
			}
		}
	}
	return p
}

// laidOut gives v its runs: each song's picture from the frame its audio
// starts at to the frame the next one starts at, by the exact lengths.
func (p batchPlan) laidOut(v songVideo, songs []song) songVideo {
	if v.Err != nil {
		return v
	}
	var at time.Duration
	for _, i := range v.Songs {
		from := frameAt(at, p.FPS)
		at += songs[i].Info.Duration
		n := frameAt(at, p.FPS) - from
		switch {
		case n <= 0:
			continue
		case len(v.Runs) > 0 && v.Runs[len(v.Runs)-1].Picture == songs[i].Picture:
			v.Runs[len(v.Runs)-1].Frames += n
		default:
			v.Runs = append(v.Runs, run{Picture: songs[i].Picture, Frames: n})
		}
		v.Frames += n
	}
	if v.Frames == 0 {
		v.Err = fmt.Errorf("%s is shorter than one frame at %d fps", filepath.Base(songs[v.Songs[0]].Info.Path), p.FPS)
	}
	return v
}

// frameAt is the frame that shows at time d: rounded to the nearest.
func frameAt(d time.Duration, fps int) int {
	return int(math.Round(d.Seconds() * float64(fps)))
}

// videoNames names each song's video "NN - Title" from its tags.
func videoNames(songs []song) []string {
	list := make([]album.Song, len(songs))
	for i, sg := range songs {
		path := sg.Info.Path
		list[i] = album.Song{Number: sg.Info.Number, File: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))}
		if sg.Err == nil && !sg.Info.Untitled {
			list[i].Title = sg.Info.Title
		}
	}
	return album.VideoNames(list)
}

// albumName names the album video after the album tag, else "Album",
// never the name of one of the songs' videos.
func albumName(songs []song, taken map[string]bool) string {
	name := "Album"
	for _, sg := range songs {
		if sg.Err == nil && sg.Info.Album != "" {
			name = album.SafeName(sg.Info.Album)
			break
		}
	}
	out := name
	for k := 2; taken[strings.ToLower(out)]; k++ {
		out = name + " (" + strconv.Itoa(k) + ")"
	}
	return out
}

// segmentList is the concat playlist of a video: for each run, whole
// copies of its picture's segment, then a copy cut short at the run's
// last frame. Every segment starts with a keyframe and refers to no
// later frame, so any cut and any join is clean.
func (p batchPlan) segmentList(v songVideo) string {
	var b strings.Builder
	b.WriteString("ffconcat version 1.0\n")
	for _, r := range v.Runs {
		name, n := segmentName(r.Picture), p.Segment
		if blk := p.Blocks[r.Picture]; blk > 0 {
			name, n = blockName(r.Picture), blk
		}
		full := seconds(time.Duration(n) * time.Second / time.Duration(p.FPS))
		for range r.Frames / n {
			fmt.Fprintf(&b, "file %s\nduration %s\n", name, full)
		}
		if rest := r.Frames % n; rest > 0 {
			// The cut is half a frame after the last frame kept, so
			// that no rounding of the time keeps one frame more or less.
			out := seconds(time.Duration((float64(rest) - 0.5) / float64(p.FPS) * float64(time.Second)))
			d := seconds(time.Duration(rest) * time.Second / time.Duration(p.FPS))
			fmt.Fprintf(&b, "file %s\noutpoint %s\nduration %s\n", name, out, d)
		}
	}
	return b.String()
}

// blockList is the concat playlist that makes picture k's block from
// copies of its segment.
func (p batchPlan) blockList(k int) string {
	var b strings.Builder
	b.WriteString("ffconcat version 1.0\n")
	full := seconds(time.Duration(p.Segment) * time.Second / time.Duration(p.FPS))
	for range p.Blocks[k] / p.Segment {
		fmt.Fprintf(&b, "file %s\nduration %s\n", segmentName(k), full)
	}
	return b.String()
}

// blockName is the file picture i's block is written to.
func blockName(i int) string { return "blk" + strconv.Itoa(i) + ".nut" }

// segmentName is the file the segment muxer writes picture i's segment to.
func segmentName(i int) string { return "seg" + strconv.Itoa(i) + ".nut" }
