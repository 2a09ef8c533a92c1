package encoder

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestShowingsMatchTimeline: the closed form says of each slide what the
// listed timeline says, for slides timed, shared and mixed, looping or
// cut, in a video set by its duration, its audio or its slides.
func TestShowingsMatchTimeline(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 1))
	ms := func(max int) time.Duration { return time.Duration(r.IntN(max)) * time.Millisecond }
	checked := 0
	for range 2000 {
		s := DefaultSettings()
		s.Images = make([]Slide, 1+r.IntN(6))
		for i := range s.Images {
			s.Images[i].Image = "a.png"
			if r.IntN(3) > 0 {
				s.Images[i].Duration = time.Millisecond + ms(5000)
			}
		}
		if r.IntN(2) == 0 {
			s.Duration = ms(40_000)
		}
		audio := ms(2) * ms(30_000) / time.Millisecond
		tl, tlErr := s.Timeline(audio)
		total, shows, err := s.Showings(audio)
		if (err == nil) != (tlErr == nil) {
			t.Fatalf("%+v, audio %s: Showings error %v, Timeline error %v", s.Images, audio, err, tlErr)
		}
		if err != nil {
			continue
		}
		want := make([]Showing, len(s.Images))
		for _, sh := range tl.Shown {
			if want[sh.Slide].Times == 0 {
				want[sh.Slide].First = sh.Length
			}
			want[sh.Slide].Times++
		}
		if total != tl.Total {
			t.Fatalf("%+v, duration %s, audio %s: total %s, Timeline %s", s.Images, s.Duration, audio, total, tl.Total)
		}
		for i := range want {
			if shows[i] != want[i] {
				t.Fatalf("%+v, duration %s, audio %s: slide %d shows %+v, Timeline %+v", s.Images, s.Duration, audio, i, shows[i], want[i])
			}
		}
		checked++
	}
	if checked < 1000 {
		t.Fatalf("only %d of 2000 settings made a timeline", checked)
	}
}

// TestShowingsOfAFrameLongSlide: one frame's slides in a 24-hour video
// are summed up without listing them.
func TestShowingsOfAFrameLongSlide(t *testing.T) {
	s := DefaultSettings()
	s.Images = []Slide{{Image: "a.png", Duration: 40 * time.Millisecond}, {Image: "b.png", Duration: 40 * time.Millisecond}}
	s.Duration = MaxDuration
	total, shows, err := s.Showings(0)
	if err != nil {
		t.Fatal(err)
	}
	want := int(MaxDuration / (80 * time.Millisecond))
	if total != MaxDuration || shows[0].Times != want || shows[1].Times != want || shows[0].First != 40*time.Millisecond {
		t.Errorf("total %s, shows %+v; want %d times each", total, shows, want)
	}
}
