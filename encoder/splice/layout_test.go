package splice

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// TestLayout: every output frame is copied from the source frame whose
// samples the plan wants there unchanged, or comes from the join piece
// at the same place of its period as at the first join, or from the
// fade; and the output has the wanted length to within a frame.
func TestLayout(t *testing.T) {
	const n = 1152
	tests := []struct {
		name   string
		frames int
		w      Want
	}{
		{"loop", 300, Want{Loop: true, Samples: 2000 * n, Fade: 3 * 44100, Start: 1105, End: 1105 + 299*n - 400, CrossFade: 882}},
		{"loop barely longer", 300, Want{Loop: true, Samples: 310 * n, Fade: 3 * 44100, Start: 1105, End: 1105 + 299*n - 400, CrossFade: 882}},
		{"loop, cross-fade over a frame", 100, Want{Loop: true, Samples: 1000*n + 7, Fade: 44100, Start: 2112, End: 99 * n, CrossFade: 1500}},
		{"cut", 300, Want{Samples: 250*n + 17, Fade: 3 * 44100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Plan(tt.frames, n, tt.w)
			if err != nil {
				t.Fatal(err)
			}
			if got := l.Total * n; got < tt.w.Samples || got >= tt.w.Samples+n {
				t.Errorf("%d frames of %d samples for %d samples", l.Total, n, tt.w.Samples)
			}
			pieces := l.Pieces()
			join := pieces[0]
			for j := range l.Total {
				part, i := l.FrameAt(j)
				switch part {
				case Copy:
					for _, u := range []int{0, n / 2, n - 1} {
						if a, b, w := l.From(j*n + u); a != i*n+u || b != a || w != 0 || l.Gain(j*n+u) != 1 {
							t.Fatalf("output frame %d copies source frame %d, but its sample %d is made of %d, %d at %.2f, gain %.2f", j, i, u, a, b, w, l.Gain(j*n+u))
						}
					}
				case Join:
					first := join.From + i
					for _, u := range []int{0, n / 3, n - 1} {
						a, b, w := l.From(j*n + u)
						a0, b0, w0 := l.From(first*n + u)
						if a != a0 || b != b0 || w != w0 {
							t.Fatalf("output frame %d is join frame %d, but differs from the first join's", j, i)
						}
					}
				case Fade:
					if i != j-l.FadeAt {
						t.Fatalf("output frame %d is fade frame %d", j, i)
					}
				}
			}
			if last, _ := l.FrameAt(l.Total - 1); last != Fade || l.Gain(tt.w.Samples-tt.w.Fade-1) != 1 || l.FadeAt*n > tt.w.Samples-tt.w.Fade {
				t.Errorf("the fade piece from frame %d does not hold the fade", l.FadeAt)
			}
			if tt.w.Loop {
				lost := float64(tt.w.Start%n) + float64(tt.w.End-l.B*n)
				t.Logf("loop of source frames [%d, %d): %.1f frames of the source's sound not looped", l.A, l.B, lost/n)
				if lost > 2*n+float64(tt.w.CrossFade) {
					t.Errorf("%.0f samples lost per loop, more than two frames and the cross-fade", lost)
				}
			}
		})
	}
	for name, w := range map[string]Want{
		"too short a loop":    {Loop: true, Samples: 100 * n, Fade: n, Start: 1105, End: 10 * n},
		"too short an output": {Samples: 3 * n, Fade: n},
		"a cut past the end":  {Samples: 400 * n, Fade: n},
	} {
		if _, err := Plan(300, n, w); !errors.Is(err, ErrUnsuitable) {
			t.Errorf("%s: %v, want ErrUnsuitable", name, err)
		}
	}
}

// TestWrite: copied runs and piece frames come out in the layout's order.
func TestWrite(t *testing.T) {
	var data []byte
	for i := range 40 {
		data = append(data, adtsFrame(1, 4, 2, 10+i)...)
	}
	s, err := ParseADTS(data)
	if err != nil {
		t.Fatal(err)
	}
	l, err := Plan(len(s.Frames), 1024, Want{Loop: true, Samples: 100 * 1024, Fade: 5 * 1024, Start: 1024, End: 39 * 1024, CrossFade: 500})
	if err != nil {
		t.Fatal(err)
	}
	pieces := l.Pieces()
	join := make([][]byte, pieces[0].Frames)
	for i := range join {
		join[i] = []byte{'J', byte(i)}
	}
	fade := make([][]byte, pieces[1].Frames)
	for i := range fade {
		fade[i] = []byte{'F', byte(i)}
	}
	var got, want bytes.Buffer
	if err := l.Write(&got, s, join, fade); err != nil {
		t.Fatal(err)
	}
	for j := range l.Total {
		switch part, i := l.FrameAt(j); part {
		case Copy:
			want.Write(data[s.Frames[i].Off : s.Frames[i].Off+s.Frames[i].Len])
		case Join:
			want.Write(join[i])
		case Fade:
			want.Write(fade[i])
		}
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("wrote %d bytes, not the %d of the layout's frames in order", got.Len(), want.Len())
	}
	if err := l.Write(&got, s, join[:1], fade); err == nil {
		t.Error("a join piece short of frames: no error")
	}
}

// TestDelay finds a known delay in noise that went through a lossy
// encoder (here: delayed, scaled, with noise added), and refuses silence.
func TestDelay(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const delay, channels = 1105, 2
	in := make([]float32, 20*1152*channels)
	for i := range in {
		in[i] = float32(math.Sin(float64(i)/40)*0.3 + (r.Float64()-0.5)*0.4)
	}
	out := make([]float32, len(in)+delay*channels)
	for i := range in {
		out[i+delay*channels] = 0.9*in[i] + float32((r.Float64()-0.5)*0.05)
	}
	if got, ok := Delay(in, out, channels, 3*1152); !ok || got != delay {
		t.Errorf("Delay = %d, %v; want %d", got, ok, delay)
	}
	if _, ok := Delay(make([]float32, len(in)), out, channels, 3*1152); ok {
		t.Error("a delay found in silence")
	}
}
