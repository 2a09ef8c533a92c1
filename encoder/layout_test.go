package encoder

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestTimeline(t *testing.T) {
	sec := func(n float64) time.Duration { return time.Duration(n * float64(time.Second)) }
	slides := func(ds ...float64) []Slide {
		out := make([]Slide, len(ds))
		for i, d := range ds {
			out[i] = Slide{Image: fmt.Sprint(i, ".png"), Duration: sec(d)}
		}
		return out
	}
	type shown struct{ slide, start, length float64 }
	tests := []struct {
		name     string
		slides   []Slide
		duration float64
		audio    float64
		total    float64
		want     []shown
		err      string
	}{
		{"one image, its duration", slides(0), 10, 0, 10, []shown{{0, 0, 10}}, ""},
		{"one image follows the audio", slides(0), 0, 30, 30, []shown{{0, 0, 30}}, ""},
		{"duration wins over audio", slides(0), 20, 30, 20, []shown{{0, 0, 20}}, ""},
		{"even shares of the audio", slides(0, 0, 0), 0, 9, 9, []shown{{0, 0, 3}, {1, 3, 3}, {2, 6, 3}}, ""},
		{"fixed and shared", slides(2, 0, 0), 10, 0, 10, []shown{{0, 0, 2}, {1, 2, 4}, {2, 6, 4}}, ""},
		{"every slide timed: their sum", slides(2, 3), 0, 0, 5, []shown{{0, 0, 2}, {1, 2, 3}}, ""},
		{"timed slides loop over a longer audio", slides(2, 3), 0, 12, 12, []shown{{0, 0, 2}, {1, 2, 3}, {0, 5, 2}, {1, 7, 3}, {0, 10, 2}}, ""},
		{"timed slides cut by a shorter duration", slides(4, 4), 6, 0, 6, []shown{{0, 0, 4}, {1, 4, 2}}, ""},
		{"shares that do not divide evenly end on the last", slides(0, 0, 0), 10, 0, 10, []shown{{0, 0, 10.0 / 3}, {1, 10.0 / 3, 10.0 / 3}, {2, 20.0 / 3, 10.0 / 3}}, ""},
		{"nothing to go by", slides(0, 0), 0, 0, 0, nil, "duration: set a duration"},
		{"fixed slides leave nothing", slides(6, 0), 5, 0, 0, nil, "image-duration: the images with a duration take 6s of the video's 5s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSettings()
			s.Images, s.Duration = tt.slides, sec(tt.duration)
			tl, err := s.Timeline(sec(tt.audio))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tl.Total != sec(tt.total) {
				t.Errorf("total %s, want %s", tl.Total, sec(tt.total))
			}
			var got []shown
			var sum time.Duration
			for _, sh := range tl.Shown {
				got = append(got, shown{float64(sh.Slide), sh.Start.Seconds(), sh.Length.Seconds()})
				sum += sh.Length
			}
			if sum != tl.Total {
				t.Errorf("the slides add up to %s of %s", sum, tl.Total)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("shown %v, want %v", got, tt.want)
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if g.slide != w.slide || abs(g.start-w.start) > 1e-6 || abs(g.length-w.length) > 1e-6 {
					t.Errorf("shown %v, want %v", got, tt.want)
					break
				}
			}
		})
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func TestFrameRuns(t *testing.T) {
	tl := Timeline{Total: 6 * time.Second, Shown: []Shown{
		{Slide: 0, Start: 0, Length: 2 * time.Second},
		{Slide: 1, Start: 2 * time.Second, Length: 2 * time.Second},
		{Slide: 2, Start: 4 * time.Second, Length: 2 * time.Second},
	}}
	clips := clipsOf(layout(tl, 25, 25))
	want := []clip{
		{a: 0, b: -1, n: 38},
		{a: 0, b: 1, n: 25, steps: 25},
		{a: 1, b: -1, n: 25, span: 1},
		{a: 1, b: 2, n: 25, steps: 25, span: 1},
		{a: 2, b: -1, n: 37, span: 2},
	}
	if !slices.Equal(clips, want) {
		t.Fatalf("clips %+v\nwant %+v", clips, want)
	}
	// The middle frame of a fade of 25 is half of each; the weights climb
	// from near 0 to near 256, never reaching either.
	if w := clips[1].weight(12); w != 128 {
		t.Errorf("middle weight %d, want 128", w)
	}
	if w0, wn := clips[1].weight(0), clips[1].weight(24); w0 <= 0 || wn >= 256 || w0 >= wn {
		t.Errorf("weights from %d to %d", w0, wn)
	}
	total := 0
	for _, r := range clips {
		total += r.n
	}
	if total != 150 {
		t.Errorf("clips hold %d frames, want 150", total)
	}

	// A fade longer than a slide is cut to the slide; neighbours showing
	// the same slide merge; no crossfade at all is a cut.
	short := Timeline{Total: 3 * time.Second, Shown: []Shown{
		{Slide: 0, Start: 0, Length: time.Second},
		{Slide: 1, Start: time.Second, Length: 200 * time.Millisecond},
		{Slide: 1, Start: 1200 * time.Millisecond, Length: 800 * time.Millisecond},
		{Slide: 0, Start: 2 * time.Second, Length: time.Second},
	}}
	clips = clipsOf(layout(short, 10, 50))
	want = []clip{
		{a: 0, b: -1, n: 5},
		{a: 0, b: 1, n: 10, steps: 10},
		{a: 1, b: 0, n: 10, steps: 10, span: 1},
		{a: 0, b: -1, n: 5, span: 2},
	}
	if !slices.Equal(clips, want) {
		t.Errorf("long fade: clips %+v\nwant %+v", clips, want)
	}
	clips = clipsOf(layout(short, 10, 0))
	want = []clip{{a: 0, b: -1, n: 10}, {a: 1, b: -1, n: 10, span: 1}, {a: 0, b: -1, n: 10, span: 2}}
	if !slices.Equal(clips, want) {
		t.Errorf("cuts: clips %+v\nwant %+v", clips, want)
	}
}

func TestStillParts(t *testing.T) {
	solid := func(a, n int) clip { return clip{a: a, b: -1, n: n} }
	fade := func(a, b, n int) clip { return clip{a: a, b: b, n: n, steps: n} }
	tests := []struct {
		name  string
		clips []clip
		want  []part
		saves bool
	}{
		{"a still shorter than a segment", []clip{solid(0, 90)}, []part{{clips: []clip{solid(0, 90)}, copies: 1}}, false},
		{"a still of 1.5 segments: no gain", []clip{solid(0, 150)}, []part{
			{clips: []clip{solid(0, 100)}, copies: 1},
			{clips: []clip{solid(0, 50)}, copies: 1},
		}, false},
		{"a still of 2.5 segments: copies, no warm-up", []clip{solid(0, 250)}, []part{
			{clips: []clip{solid(0, 100)}, copies: 2},
			{clips: []clip{solid(0, 50)}, copies: 1},
		}, true},
		{"a still of 3.5 segments: warm-up, copies, rest", []clip{solid(0, 350)}, []part{
			{clips: []clip{solid(0, warmUpFrames)}, copies: 0},
			{clips: []clip{solid(0, 100)}, copies: 3},
			{clips: []clip{solid(0, 50)}, copies: 1},
		}, true},
		{"slides: the rest travels with the fade", []clip{solid(0, 350), fade(0, 1, 20), solid(1, 230)}, []part{
			{clips: []clip{solid(0, warmUpFrames)}, copies: 0},
			{clips: []clip{solid(0, 100)}, copies: 3},
			{clips: []clip{solid(0, 50), fade(0, 1, 20)}, copies: 1},
			{clips: []clip{solid(1, 100)}, copies: 2},
			{clips: []clip{solid(1, 30)}, copies: 1},
		}, true},
		{"short slides are encoded whole", []clip{solid(0, 60), fade(0, 1, 20), solid(1, 60)}, []part{
			{clips: []clip{solid(0, 60), fade(0, 1, 20), solid(1, 60)}, copies: 1},
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := stillParts(tt.clips, 100)
			if fmt.Sprint(parts) != fmt.Sprint(tt.want) {
				t.Fatalf("parts %+v\nwant  %+v", parts, tt.want)
			}
			// The parts, played as listed, give every frame of the clips.
			played, total := 0, 0
			for _, p := range parts {
				played += p.frames() * p.copies
			}
			for _, r := range tt.clips {
				total += r.n
			}
			if played != total {
				t.Errorf("the parts play %d frames of %d", played, total)
			}
			if savesEncoding(parts, total) != tt.saves {
				t.Errorf("savesEncoding = %v", !tt.saves)
			}
		})
	}
	got := splitPoints([]part{{clips: []clip{solid(0, 100)}}, {clips: []clip{solid(0, 100)}, copies: 2}, {clips: []clip{solid(0, 7)}}})
	if !slices.Equal(got, []int{100, 200}) {
		t.Errorf("splitPoints %v, want [100 200]", got)
	}
}
