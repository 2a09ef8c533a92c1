package encoder

import (
	"image"
	"math"
	"path/filepath"
	"strconv"
	"time"

	"github.com/stillcast/stillcast/encoder/picture"
)

// renderPlan is a file render decided in full before any of it is done:
// the frames of the video in order, and the ffmpeg runs that make it.
// It names no path that exists yet: the pipes, the temporary output and
// the work folder are filled in when it runs.
type renderPlan struct {
	Settings Settings // as given, with Duration resolved
	Canvas   image.Point
	Total    int // frames in the output
	// Spans and Fades lay the slides out in frames; Clips are the stretches
	// of one slide or of a crossfade that follow from them.
	Spans []span
	Fades []int
	Clips []clip
	// Encode is the x264 run: of every frame, or of the still path's parts.
	Encode encodePlan
	// Still, when set, takes the still path: encode a few parts, then
	// assemble the output from copies of them.
	Still *stillPlan
	// Cover puts the first image into the file as the song's cover art.
	Cover bool
	// Chapters has one chapter per track when there are several; the
	// file carries them when its container can.
	Chapters []Chapter
	// AAC, when set, encodes the audio to AAC in parallel chunks while
	// the picture is encoded; the output then copies it. It goes with
	// Still: the per-frame path takes it too, as one whole part.
	AAC *aacPlan
}

// stillPlan is the still path of a render.
type stillPlan struct {
	Parts []part
	// Segment is the frames of a full segment: the longest a part of one
	// slide runs between keyframes.
	Segment int
	// Repeat, when set, writes the output in Go from copies of the parts,
	// each as many times as it says (see longstill.go), instead of
	// assembling it with ffmpeg's concat demuxer by List.
	Repeat bool
	// List is the concat playlist of the copies, naming the parts as the
	// segment muxer writes them into the work folder.
	List string
	// Assemble copies the parts into the output, with the audio and cover.
	Assemble assemblePlan
	// Whole says the one part is the whole video, every frame encoded as
	// the per-frame path does: only the audio joins it by copy.
	Whole bool
}

// planRender decides how a file render is made from the settings and the
// facts read from its files. It is a pure function: nothing is read,
// written or run.
func planRender(s Settings, f facts) (renderPlan, error) {
	container, _ := ContainerFor(s.Output) // Validate checked it
	if s.LoopAudio && len(f.Tracks) > 1 {
		return renderPlan{}, fieldErr("audio", "looping takes one audio file, not %d: join them into one first", len(f.Tracks))
	}
	tl, err := s.Timeline(totalLength(f.Tracks))
	if err != nil {
		return renderPlan{}, err
	}
	s.Duration = tl.Total
	if err := s.Validate(); err != nil { // the length it came to
		return renderPlan{}, err
	}
	p := renderPlan{Settings: s, Canvas: CanvasSize(s.Size, f.Image), Total: s.TotalFrames()}
	p.Spans, p.Fades = layout(tl, s.FPS, int(math.Round(s.Crossfade.Seconds()*float64(s.FPS))))
	p.Clips = clipsOf(p.Spans, p.Fades)
	length := time.Duration(p.Total) * time.Second / time.Duration(s.FPS)
	p.Encode = encodePlan{
		Width: p.Canvas.X, Height: p.Canvas.Y,
		FPS: s.FPS, Matrix: picture.MatrixFor(p.Canvas.Y),
		Preset: s.Preset, CRF: s.CRF,
		Moving:    s.KenBurns, // every frame zooms
		MaxGOP:    maxGOP(s),
		Container: container,
		Mux:       mux{Audio: planAudio(f.Tracks, length, s.LoopAudio, container, s.FPS)},
		Limits:    f.FFmpeg,
	}
	if err := chooseCodec(p.Encode.Mux.Audio, f.Tracks, container, s.AudioCodec, f.FFmpeg); err != nil {
		return renderPlan{}, err
	}
	p.Chapters = planChapters(f.Tracks, length)
	if takesCover(container) && len(f.Tracks) > 0 { // a song's video: the song's cover
		p.Cover = true
		p.Encode.Mux.CoverStyle = container.cover
	}
	p.AAC = planRenderAAC(p.Encode.Mux.Audio, f)
	if !s.KenBurns && !s.NoFastPath {
		if sp := planRepeat(p, length); sp != nil {
			p.Still = sp
			return p, nil
		}
		segment := segmentFrames(s.KeyframeInterval, s.FPS)
		if parts := stillParts(p.Clips, segment); savesEncoding(parts, p.Total) {
			p.Still = planStill(p.Encode, parts, segment, p.Total)
			return p, nil
		}
	}
	if p.AAC != nil { // every frame differs, or is asked to be encoded: the audio is encoded beside
		p.Still = planStill(p.Encode, []part{{clips: p.Clips, copies: 1}}, 0, p.Total)
		p.Still.Whole = true
	}
	return p, nil
}

// x264Keyint is x264's own longest group of pictures, in frames.
const x264Keyint = 250

// maxGOP is the longest group of pictures, in frames, of a video whose
// every frame is encoded (a slow zoom, or slides too short to repeat):
// the user's keyframe interval; when automatic, x264's own (0), unless
// that is longer than maxKeyframeGap, below 25 fps.
func maxGOP(s Settings) int {
	if s.KeyframeInterval > 0 {
		return segmentFrames(s.KeyframeInterval, s.FPS)
	}
	if n := stillSegmentFrames(s.FPS); n < x264Keyint {
		return n
	}
	return 0
}

// planRenderAAC plans the AAC encode of audio a in chunks, one per core,
// when it is encoded to AAC and long enough for two chunks; else nil,
// and the output's ffmpeg encodes it, as it always did.
func planRenderAAC(a *audioPlan, f facts) *aacPlan {
	if a == nil || a.Copy || a.Splice != nil || (a.Codec != CodecAuto && a.Codec != CodecAAC) { // a splice copies instead
		return nil
	}
	rate := f.Tracks[0].SampleRate
	samples := samplesIn(a.Length, rate)
	if !a.Loop && !a.Pad { // the audio may end before the video, by under a frame
		samples = min(samples, samplesIn(totalLength(f.Tracks), rate))
	}
	tags := ""
	if a.Tags {
		tags = a.Files[0]
	}
	e := planAAC(a, samples, rate, f.Cores, tags)
	if len(e.Chunks) < 2 {
		return nil
	}
	return &e
}

// planStill plans the still path: one encode makes every part, split at
// their keyframes into files of their own, and a copy step assembles the
// output from them. final is the output's encode plan, with its audio and
// cover.
func planStill(final encodePlan, parts []part, segment, total int) *stillPlan {
	return &stillPlan{
		Parts:   parts,
		Segment: segment,
		List:    concatList(parts, final.FPS),
		Assemble: assemblePlan{
			Frames: total, FPS: final.FPS, Container: final.Container, Mux: final.Mux,
			Limits: final.Limits,
		},
	}
}

// segmentEncode is the encode of the still path's parts into the folder
// dir: no audio or cover, which join when the copies are assembled.
func (sp *stillPlan) segmentEncode(final encodePlan, dir string) encodePlan {
	seg := final
	seg.Mux = mux{}
	seg.Segment = sp.Segment // 0 for Whole: one part, not cut
	seg.SplitAt = splitPoints(sp.Parts)
	seg.Container = Container{Ext: ".nut", Format: "nut"} // exact timestamps, B-frames and all
	if sp.Repeat {
		// MP4s whose sample tables the Go writer reads.
		seg.Container = Container{Ext: ".mp4", Format: "mp4"}
	}
	seg.Output = filepath.Join(dir, "part%d"+seg.Container.Ext) // the segment muxer numbers them from 0
	if len(seg.SplitAt) == 0 {
		seg.Output = filepath.Join(dir, partName(0, seg.Container)) // one part: nothing to split
	}
	return seg
}

// partName is the file of the i-th part the segment encode writes.
func partName(i int, c Container) string { return "part" + strconv.Itoa(i) + c.Ext }

// livePlanned is a live stream decided before it starts.
type livePlanned struct {
	Settings Settings
	Canvas   image.Point
	// Encode holds the encoder settings; its Input and Audio are the
	// pipes, set when ffmpeg starts.
	Encode livePlan
}

// planLive decides how a live stream is made from the settings and the
// facts read from its files. It is a pure function.
func planLive(s Settings, f facts) livePlanned {
	canvas := CanvasSize(s.Size, f.Image)
	p := livePlanned{Settings: s, Canvas: canvas}
	p.Encode = livePlan{
		Width: canvas.X, Height: canvas.Y, FPS: s.FPS,
		Matrix: picture.MatrixFor(canvas.Y), Bitrate: s.Live.Bitrate,
		Limits: f.FFmpeg,
	}
	if p.Encode.Bitrate == 0 {
		p.Encode.Bitrate = DefaultBitrate(canvas.X, canvas.Y)
	}
	return p
}
