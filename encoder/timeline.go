package encoder

import "time"

// Shown is one stretch of the video during which a slide shows.
type Shown struct {
	Slide  int // index into Settings.Images
	Start  time.Duration
	Length time.Duration // crossfades included: each is centred on a cut
}

// Timeline says how long the video is and when each slide shows.
type Timeline struct {
	Total time.Duration
	Shown []Shown
}

// Timeline works out the video's length and when each slide shows, given
// the length of its audio (0 without). The length is Duration, else the
// audio's, else the sum of the slides' durations. Slides without a
// duration share evenly what the others leave; when every slide has one
// and the video is longer, the slides play again from the first.
func (s Settings) Timeline(audio time.Duration) (Timeline, error) {
	total := s.Duration
	if total <= 0 {
		total = audio
	}
	var fixed time.Duration
	auto := 0
	for _, sl := range s.Images {
		if sl.Duration > 0 {
			fixed += sl.Duration
		} else {
			auto++
		}
	}
	if total <= 0 {
		if auto > 0 || len(s.Images) == 0 {
			return Timeline{}, fieldErr("duration", "set a duration, an audio file to follow, or a duration for every image")
		}
		total = fixed
	}
	tl := Timeline{Total: total}
	if auto > 0 {
		left := total - fixed
		if left <= 0 {
			return Timeline{}, fieldErr("image-duration", "the images with a duration take %s of the video's %s, which leaves nothing for the other %d", fixed, total, auto)
		}
		share := left / time.Duration(auto)
		var at time.Duration
		for i, sl := range s.Images {
			d := sl.Duration
			if d <= 0 {
				d = share
			}
			if i == len(s.Images)-1 {
				d = total - at // the rounding of the shares ends up here
			}
			tl.Shown = append(tl.Shown, Shown{Slide: i, Start: at, Length: d})
			at += d
		}
		return tl, nil
	}
	// Every slide has its duration: play them in order, again and again,
	// until the video ends.
	for at, i := time.Duration(0), 0; at < total; i = (i + 1) % len(s.Images) {
		d := min(s.Images[i].Duration, total-at)
		tl.Shown = append(tl.Shown, Shown{Slide: i, Start: at, Length: d})
		at += d
	}
	return tl, nil
}
