package encoder

import (
	"math"
)

// clip is a stretch of frames of the video: one slide, or a crossfade from
// slide a to slide b.
type clip struct {
	a, b int // b < 0 for a clip of slide a alone
	n    int // frames
	// A crossfade's frame j shows (step+j+1)/(steps+1) of b: never all of
	// either, and exactly half in the middle of an odd number of steps.
	step, steps int
	// span is the index in the layout of a's span; b's is the next.
	span int
}

func (r clip) blend() bool { return r.b >= 0 }

// weight is how much of slide b frame j of a crossfade shows, in 1/256.
func (r clip) weight(j int) int {
	return int(math.Round(float64(r.step+j+1) / float64(r.steps+1) * 256))
}

// span is a stretch of frames [from, to) that belongs to one slide: the
// crossfades are centred on its ends.
type span struct{ slide, from, to int }

// layout lays the timeline out in frames at fps: the spans of the slides,
// neighbours that show the same slide merged, and the crossfade between
// each span and the next (fades[i] joins spans i and i+1), of up to fade
// frames and never longer than either span.
func layout(tl Timeline, fps int, fade int) (spans []span, fades []int) {
	for _, sh := range tl.Shown {
		from := int(math.Round(sh.Start.Seconds() * float64(fps)))
		to := int(math.Round((sh.Start + sh.Length).Seconds() * float64(fps)))
		if to <= from {
			continue
		}
		if n := len(spans); n > 0 && spans[n-1].slide == sh.Slide {
			spans[n-1].to = to
			continue
		}
		spans = append(spans, span{sh.Slide, from, to})
	}
	if len(spans) == 0 {
		return nil, nil
	}
	fades = make([]int, len(spans)-1)
	for i := range fades {
		fades[i] = min(fade, spans[i].to-spans[i].from, spans[i+1].to-spans[i+1].from)
	}
	return spans, fades
}

// visible is the stretch of frames [from, to) in which span i shows at
// all: its own frames, less the first half of the crossfade in, plus the
// second half of the crossfade out.
func visible(spans []span, fades []int, i int) (from, to int) {
	from, to = spans[i].from, spans[i].to
	if i > 0 {
		from -= fades[i-1] / 2
	}
	if i < len(fades) {
		to += fades[i] - fades[i]/2
	}
	return from, to
}

// clipsOf turns a layout into clips of one slide and crossfades, in order.
func clipsOf(spans []span, fades []int) []clip {
	var clips []clip
	for i, sp := range spans {
		from, to := sp.from, sp.to
		if i > 0 {
			from += fades[i-1] - fades[i-1]/2 // the second half of the fade in
		}
		if i < len(fades) {
			to -= fades[i] / 2 // the first half of the fade out
		}
		if to > from {
			clips = append(clips, clip{a: sp.slide, b: -1, n: to - from, span: i})
		}
		if i < len(fades) && fades[i] > 0 {
			clips = append(clips, clip{a: sp.slide, b: spans[i+1].slide, n: fades[i], steps: fades[i], span: i})
		}
	}
	return clips
}

// part is a piece of the encoded stream that the output plays copies
// times in a row (0: encoded, but not played).
type part struct {
	clips  []clip
	copies int
}

func (p part) frames() int {
	n := 0
	for _, r := range p.clips {
		n += r.n
	}
	return n
}

// clipOf is n frames of the first slide of r, alone: a segment of it.
func (r clip) clipOf(n int) clip { return clip{a: r.a, b: -1, n: n, span: r.span} }

// stillParts plans the still path for clips: each clip of one slide that
// holds whole segments is encoded as one segment, played as many times as
// it fits, and what is left over is encoded with the crossfade after it.
// Every part starts with a keyframe, so any of them can follow any other.
// x264 spends about 10 % more on a stream's first group of pictures than
// on the ones after it, so when the stream starts with three or more
// copies of a segment, where that pays for the extra encode, a short
// warm-up of the same picture is encoded before it and thrown away.
func stillParts(clips []clip, segment int) []part {
	var parts []part
	cur := part{copies: 1}
	flush := func() {
		if len(cur.clips) > 0 {
			parts = append(parts, cur)
		}
		cur = part{copies: 1}
	}
	for _, r := range clips {
		k := r.n / segment
		if r.blend() || k == 0 {
			cur.clips = append(cur.clips, r)
			continue
		}
		flush()
		seg := r.clipOf(segment)
		if len(parts) == 0 && k >= 3 {
			parts = append(parts, warmUp(seg))
		}
		parts = append(parts, part{clips: []clip{seg}, copies: k})
		if rest := r.n % segment; rest > 0 {
			cur.clips = append(cur.clips, r.clipOf(rest))
		}
	}
	flush()
	return parts
}

// warmUpFrames is as long a warm-up as x264 needs: the segment after 50
// frames of the same picture came out as after 250 (10 s at 25 fps), in
// size (143.8 KB at 1080p, against 163.6 KB as the stream's first) and
// SSIM to the source (0.99828 both), and 25 frames cost 0.5 % more. It
// is a count of frames, as x264's lookahead is, whatever the frame rate.
const warmUpFrames = 50

// warmUp is the warm-up before the segment seg: a part played 0 times.
func warmUp(seg clip) part {
	seg.n = min(seg.n, warmUpFrames)
	return part{clips: []clip{seg}, copies: 0}
}

// savesEncoding reports whether the still path by these parts encodes
// fewer frames than the total: otherwise encoding every frame is as fast
// and needs no copy step.
func savesEncoding(parts []part, total int) bool {
	return encodedFrames(parts) < total
}

// encodedFrames counts the frames the parts make ffmpeg encode.
func encodedFrames(parts []part) int {
	n := 0
	for _, p := range parts {
		n += p.frames()
	}
	return n
}

// splitPoints are the frames of the encoded stream where each part after
// the first begins.
func splitPoints(parts []part) []int {
	var at []int
	n := 0
	for i, p := range parts {
		if i > 0 {
			at = append(at, n)
		}
		n += p.frames()
	}
	return at
}
