package splice

import (
	"fmt"
	"math"
)

// Frames of each re-encoded piece besides the ones kept.
const (
	// Lead is how many frames an encode starts before the first frame
	// kept, so the encoder's start-up transient and window switching
	// have settled by then; they are dropped.
	Lead = 4
	// Tail is how many frames it goes on after the last one kept, so
	// its end does not touch them either.
	Tail = 3
	// joinBefore and joinAfter are the frames of a join piece before and
	// after the join (after: besides the cross-fade's), so that every
	// splice between a copied and an encoded frame lies where both
	// encoded the same signal.
	joinBefore = 2
	joinAfter  = 1
)

// Want is what the output is to be.
type Want struct {
	Loop    bool
	Samples int // the output's length, in samples
	Fade    int // samples of fade-out at its end
	// Start and End bound the source's sound in decoded samples: after its
	// encoder's priming and before its padding. Only a loop needs them.
	Start, End int
	// CrossFade is how many samples at the start of each repeat fade from
	// the samples that followed the period in the source into its start.
	CrossFade int
}

// Layout is where each frame of the output comes from: a copy of a
// source frame, or a frame of an encoded piece (the join piece, the same
// at every loop join, or the fade piece at the end).
type Layout struct {
	N      int // the frame grid, samples
	Want   Want
	A, B   int // a loop's period: source frames [A, B); the first pass is [0, B)
	Total  int // frames of the output
	FadeAt int // the output frame where the fade piece starts
}

// Part is where an output frame comes from.
type Part int

const (
	Copy Part = iota // a source frame, copied
	Join             // a frame of the join piece
	Fade             // a frame of the fade piece
)

// Piece is a run of output frames that is encoded: Frames frames from
// output frame From.
type Piece struct {
	Part         Part
	From, Frames int
}

// Plan lays out an output of w from a source of frames frames of n
// samples each. It fails with ErrUnsuitable when the source is too short
// to loop by copy, or the output too short to splice.
func Plan(frames, n int, w Want) (Layout, error) {
	l := Layout{N: n, Want: w, Total: (w.Samples + n - 1) / n}
	l.FadeAt = (w.Samples-w.Fade)/n - 1
	if l.FadeAt < Lead+1 {
		return Layout{}, fmt.Errorf("an output of %d samples is too short to splice: %w", w.Samples, ErrUnsuitable)
	}
	if !w.Loop {
		if l.Total > frames {
			return Layout{}, fmt.Errorf("%d frames wanted of a source of %d: %w", l.Total, frames, ErrUnsuitable)
		}
		return l, nil
	}
	l.A = (w.Start + n - 1) / n
	l.B = min((w.End-w.CrossFade)/n, frames)
	if min := joinBefore + Lead + 2 + l.joinAfter() + Tail + 2; l.B-l.A < min {
		return Layout{}, fmt.Errorf("a loop of %d frames, fewer than %d: %w", l.B-l.A, min, ErrUnsuitable)
	}
	return l, nil
}

// joinAfter is how many frames of the join piece follow the join.
func (l Layout) joinAfter() int { return (l.Want.CrossFade+l.N-1)/l.N + joinAfter }

// period is the loop's length in frames.
func (l Layout) period() int { return l.B - l.A }

// Pieces are the runs of frames to encode: the join piece (for a loop)
// and the fade piece.
func (l Layout) Pieces() []Piece {
	fade := Piece{Part: Fade, From: l.FadeAt, Frames: l.Total - l.FadeAt}
	if !l.Want.Loop {
		return []Piece{fade}
	}
	return []Piece{{Part: Join, From: l.B - joinBefore, Frames: joinBefore + l.joinAfter()}, fade}
}

// FrameAt says where output frame j comes from: the source frame, or the
// frame of the piece, of that index.
func (l Layout) FrameAt(j int) (Part, int) {
	switch {
	case j >= l.FadeAt:
		return Fade, j - l.FadeAt
	case !l.Want.Loop || j < l.B-joinBefore:
		return Copy, j
	}
	r := (j - l.B + joinBefore) % l.period()
	if r < joinBefore+l.joinAfter() {
		return Join, r
	}
	return Copy, l.A + (j-l.B)%l.period()
}

// Resume is the source frame copied right after each join piece, or -1
// when it is never copied (the fade starts first).
func (l Layout) Resume() int {
	if !l.Want.Loop || l.B+l.joinAfter() >= l.FadeAt {
		return -1
	}
	return l.A + l.joinAfter()
}

// From says which source samples make output sample t: it is
// (1-w)·src[i] + w·src[k], times Gain(t); i < 0 for silence.
func (l Layout) From(t int) (i, k int, w float64) {
	switch {
	case t < 0 || t >= l.Want.Samples:
		return -1, -1, 0
	case !l.Want.Loop || t < l.B*l.N:
		return t, t, 0
	}
	u := (t - l.B*l.N) % (l.period() * l.N)
	i = l.A*l.N + u
	if u >= l.Want.CrossFade {
		return i, i, 0
	}
	// The samples that followed the period fade into its start.
	w = (float64(u) + 0.5) / float64(l.Want.CrossFade)
	return l.B*l.N + u, i, w
}

// Gain is the fade-out: 1 until Fade samples before the end, then down
// to 0 along a straight line, as ffmpeg's afade.
func (l Layout) Gain(t int) float64 {
	left := l.Want.Samples - t
	if left >= l.Want.Fade {
		return 1
	}
	return math.Max(0, float64(left)/float64(l.Want.Fade))
}

// Input is the window of output samples an encode of p reads, for an
// encoder whose output is delay samples late, and how many of its frames
// to drop at the start: start is chosen so that its frames fall on the
// output's frame grid.
func (l Layout) Input(p Piece, delay int) (start, samples, skip int) {
	start = (p.From-Lead)*l.N + delay%l.N
	skip = Lead + delay/l.N
	return start, (skip + p.Frames + Tail) * l.N, skip
}

// Needs lists the source frames that the output samples [from, from+n)
// are made of.
func (l Layout) Needs(from, n int) []int {
	seen := map[int]bool{}
	var frames []int
	add := func(i int) {
		if f := i / l.N; i >= 0 && !seen[f] {
			seen[f] = true
			frames = append(frames, f)
		}
	}
	for t := from; t < from+n; t++ {
		i, k, w := l.From(t)
		add(i)
		if w > 0 {
			add(k)
		}
	}
	return frames
}

// Signal is the output's samples [from, from+n), interleaved, made from
// the decoded source frames src holds (each N samples × channels).
func (l Layout) Signal(from, n, channels int, src map[int][]float32) ([]float32, error) {
	out := make([]float32, n*channels)
	at := func(i, c int) (float64, error) {
		f, ok := src[i/l.N]
		if !ok {
			return 0, fmt.Errorf("source frame %d was not decoded", i/l.N)
		}
		return float64(f[(i%l.N)*channels+c]), nil
	}
	for t := from; t < from+n; t++ {
		i, k, w := l.From(t)
		if i < 0 {
			continue
		}
		g := l.Gain(t)
		for c := range channels {
			a, err := at(i, c)
			if err != nil {
				return nil, err
			}
			b := a
			if w > 0 {
				if b, err = at(k, c); err != nil {
					return nil, err
				}
			}
			out[(t-from)*channels+c] = float32(g * ((1-w)*a + w*b))
		}
	}
	return out, nil
}
