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
	total, shows, err := s.Showings(audio)
	if err != nil {
		return Timeline{}, err
	}
	tl := Timeline{Total: total}
	// The slides in order, round after round, until the video ends. With
	// shared durations the first round fills it.
	for at, i := time.Duration(0), 0; at < total; i = (i + 1) % len(shows) {
		d := min(shows[i].First, total-at)
		tl.Shown = append(tl.Shown, Shown{Slide: i, Start: at, Length: d})
		at += d
	}
	return tl, nil
}

// Showing sums up how one slide shows over the whole video.
type Showing struct {
	First time.Duration // the length of its first showing
	Times int           // how often it shows; 0 when the video ends before it
}

// Showings is what Timeline says of each slide, summed up in closed form:
// the video's length and how each slide shows, in O(slides) however often
// they repeat. The window calls it on every edit, where a slide of one
// frame in a 24-hour video would make Timeline list millions of showings.
func (s Settings) Showings(audio time.Duration) (time.Duration, []Showing, error) {
	total, fixed, auto, err := s.timelineTotal(audio)
	if err != nil {
		return 0, nil, err
	}
	out := make([]Showing, len(s.Images))
	if auto > 0 {
		share := (total - fixed) / time.Duration(auto)
		var at time.Duration
		for i, sl := range s.Images {
			d := sl.Duration
			if d <= 0 {
				d = share
			}
			if i == len(s.Images)-1 {
				d = total - at // the rounding of the shares ends up here
			}
			out[i] = Showing{First: d, Times: 1}
			at += d
		}
		return total, out, nil
	}
	// Every slide has its duration: full rounds, then the slides that
	// start before the video ends, the last of them cut short.
	rounds, rest := int(total/fixed), total%fixed
	var at time.Duration // where the slide starts in a round
	for i, sl := range s.Images {
		sh := Showing{Times: rounds}
		if at < rest {
			sh.Times++
		}
		if sh.Times > 0 {
			sh.First = min(sl.Duration, total-at)
		}
		out[i] = sh
		at += sl.Duration
	}
	return total, out, nil
}

// timelineTotal is the video's length, with what the slides' own
// durations add up to and how many slides share the rest.
func (s Settings) timelineTotal(audio time.Duration) (total, fixed time.Duration, auto int, err error) {
	total = s.Duration
	if total <= 0 {
		total = audio
	}
	for _, sl := range s.Images {
		if sl.Duration > 0 {
			fixed += sl.Duration
		} else {
			auto++
		}
	}
	switch {
	case total <= 0 && (auto > 0 || len(s.Images) == 0):
		return 0, 0, 0, fieldErr("duration", "set a duration, an audio file to follow, or a duration for every image")
	case total <= 0:
		total = fixed
	case auto > 0 && total <= fixed:
		return 0, 0, 0, fieldErr("image-duration", "the images with a duration take %s of the video's %s, which leaves nothing for the other %d", fixed, total, auto)
	case auto > 0 && s.FPS > 0 && (total-fixed)/time.Duration(auto) < time.Second/time.Duration(s.FPS):
		share := (total - fixed) / time.Duration(auto)
		return 0, 0, 0, fieldErr("image-duration", "%d images share %s, %s each, which is shorter than one frame at %d fps: make the video longer or use fewer images", auto, total-fixed, share, s.FPS)
	}
	return total, fixed, auto, nil
}
