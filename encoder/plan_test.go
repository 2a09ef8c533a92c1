package encoder

import (
	"fmt"
	"image"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/picture"
)

// TestPlanRender covers the plans of the kinds of file render, with no
// ffmpeg: which path is taken, the frames, the parts and copies, the
// audio and the cover, and the argument lists the plan gives ffmpeg.
func TestPlanRender(t *testing.T) {
	t.Parallel()
	song := AudioInfo{Path: "/m/song.mp3", Codec: "mp3", SampleRate: 44100, Channels: 2, Bitrate: 192_000, Duration: 61 * time.Second, Title: "Song"}
	base := func(out string, images ...string) Settings {
		s := DefaultSettings()
		s.Images, s.Output, s.Size = SlidesOf(images...), out, Size{W: 1280, H: 720}
		return s
	}
	tests := []struct {
		name   string
		s      func() Settings
		tracks []AudioInfo
		check  func(t *testing.T, p renderPlan)
	}{
		{"a still takes the still path", func() Settings {
			s := base("/v/a.mp4", "a.png")
			s.Duration = time.Minute
			return s
		}, nil, func(t *testing.T, p renderPlan) {
			if p.Total != 1500 || p.Still == nil || p.Cover {
				t.Fatalf("total %d, still %v, cover %v", p.Total, p.Still != nil, p.Cover)
			}
			// A 50-frame warm-up, then the 10 s segment six times, written
			// by the Go writer: 300 of 1500 frames encoded.
			if got := encodedFrames(p.Still.Parts); got != 300 || !p.Still.Repeat || p.Still.Segment != 250 {
				t.Errorf("encodes %d frames (repeat %v, segment %d), want 300 by the Go writer", got, p.Still.Repeat, p.Still.Segment)
			}
			if last := p.Still.Parts[len(p.Still.Parts)-1]; last.copies != 6 {
				t.Errorf("the segment plays %d times, want 6", last.copies)
			}
			seg := p.Still.segmentEncode(p.Encode, "/work")
			args := strings.Join(ffmpegArgs(seg), " ")
			if strings.Contains(args, "-bf") {
				t.Errorf("the segment encode leaves out B-frames: %s", args)
			}
			for _, want := range []string{"-g 250 -keyint_min 250", "-force_key_frames:v:0 2.000000", "-segment_format mp4 -segment_frames 50", "file:/work/part%d.mp4", "-video_size 1280x720"} {
				if !strings.Contains(args, want) {
					t.Errorf("the segment encode lacks %q: %s", want, args)
				}
			}
		}},
		{"a long still spaces its keyframes by its length", func() Settings {
			s := base("/v/a.mp4", "a.png")
			s.Duration = 5 * time.Hour
			return s
		}, nil, func(t *testing.T, p renderPlan) {
			// 300 keyframes in 5 h: one a minute, after a 50-frame warm-up.
			if p.Still == nil || !p.Still.Repeat || p.Still.Segment != 1500 || encodedFrames(p.Still.Parts) != 1550 {
				t.Fatalf("still %+v", p.Still)
			}
		}},
		{"a chosen keyframe interval holds for a long still and a slideshow", func() Settings {
			s := base("/v/a.mp4", "a.png")
			s.Duration, s.KeyframeInterval = 10*time.Hour, 1500*time.Millisecond
			return s
		}, nil, func(t *testing.T, p renderPlan) {
			// 37.5 frames, rounded: 36 divides 900000, 38 would leave 8.
			if p.Still == nil || p.Still.Segment != 36 || len(p.Still.Parts) != 2 {
				t.Fatalf("still %+v", p.Still)
			}
			s := base("/v/show.mp4", "a.png", "b.png")
			s.Duration, s.KeyframeInterval = 10*time.Minute, 30*time.Second
			show, err := planRender(s, facts{Image: image.Pt(640, 480)})
			if err != nil || show.Still == nil || show.Still.Repeat || show.Still.Segment != 750 || !strings.Contains(show.Still.List, "part") {
				t.Fatalf("slideshow %v: %+v", err, show.Still)
			}
		}},
		{"a still that does not end on a whole segment has a last one of its own", func() Settings {
			s := base("/v/a.mp4", "a.png")
			s.Duration = 61*time.Second + 40*time.Millisecond // 1526 frames: 6 × 250 and 26; no segment from 225 to 249 leaves fewer
			return s
		}, nil, func(t *testing.T, p renderPlan) {
			parts := p.Still.Parts
			if len(parts) != 3 || parts[0].copies != 0 || parts[0].frames() != 50 || parts[1].frames() != 250 || parts[1].copies != 6 || parts[2].frames() != 26 || parts[2].copies != 1 {
				t.Fatalf("parts %+v: want a warm-up, 6 × 250 and 1 × 26", parts)
			}
			if at := splitPoints(parts); !slices.Equal(at, []int{50, 300}) {
				t.Fatalf("split at %v", at)
			}
		}},
		{"tests can ask a still for the concat path", func() Settings {
			s := base("/v/a.mp4", "a.png")
			s.Duration, s.concatPath = time.Minute, true
			return s
		}, nil, func(t *testing.T, p renderPlan) {
			if p.Still == nil || p.Still.Repeat || strings.Count(p.Still.List, "file part1.nut") != 6 {
				t.Fatalf("still %+v", p.Still)
			}
			asm := p.Still.Assemble
			asm.List, asm.Output = "/work/list.ffconcat", "/v/.a.part"
			if args := strings.Join(assembleArgs(asm), " "); !strings.Contains(args, "-t 60.000000") || strings.Contains(args, "1:a") {
				t.Errorf("assemble: %s", args)
			}
		}},
		{"no fast path encodes every frame", func() Settings {
			s := base("/v/a.mp4", "a.png")
			s.Duration, s.NoFastPath = time.Minute, true
			return s
		}, nil, func(t *testing.T, p renderPlan) {
			if p.Still != nil || p.Total != 1500 || len(p.Clips) != 1 || p.Clips[0].n != 1500 {
				t.Errorf("still %v, total %d, clips %+v", p.Still != nil, p.Total, p.Clips)
			}
			enc := p.Encode
			enc.Input, enc.Output = "/p/frames", "/v/.a.part"
			if args := strings.Join(ffmpegArgs(enc), " "); strings.Contains(args, "-segment") || strings.Contains(args, "-g ") {
				t.Errorf("a plain encode has segments: %s", args)
			}
		}},
		{"a short still encodes every frame", func() Settings {
			s := base("/v/a.mp4", "a.png")
			s.Duration = 5 * time.Second
			return s
		}, nil, func(t *testing.T, p renderPlan) {
			if p.Still != nil || p.Total != 125 {
				t.Errorf("still %v, total %d", p.Still != nil, p.Total)
			}
		}},
		{"a slideshow crossfades", func() Settings {
			s := base("/v/show.mp4", "a.png", "b.png", "c.png")
			s.Duration = 6 * time.Second
			return s
		}, nil, func(t *testing.T, p renderPlan) {
			if len(p.Spans) != 3 || len(p.Fades) != 2 || p.Fades[0] != 25 {
				t.Fatalf("spans %+v fades %v", p.Spans, p.Fades)
			}
			var n, blends int
			for _, c := range p.Clips {
				n += c.n
				if c.blend() {
					blends++
				}
			}
			if n != 150 || blends != 2 || p.Still != nil {
				t.Errorf("%d frames with %d crossfades, still %v", n, blends, p.Still != nil)
			}
		}},
		{"a song video follows the song, copies it and takes the cover", func() Settings {
			s := base("/v/song.mp4", "cover.png")
			s.Duration, s.Audio = 0, []string{song.Path}
			return s
		}, []AudioInfo{song}, func(t *testing.T, p renderPlan) {
			a := p.Encode.Mux.Audio
			if p.Total != 61*25 || p.Still == nil || !p.Cover || a == nil || !a.Copy || a.Length != 61*time.Second {
				t.Fatalf("total %d, still %v, cover %v, audio %+v", p.Total, p.Still != nil, p.Cover, a)
			}
			asm := p.Still.Assemble
			asm.Video, asm.Output = "/work/video.mp4", "/v/.song.part"
			asm.Mux.Cover = "/c/cover.jpg"
			args := strings.Join(assembleArgs(asm), " ")
			for _, want := range []string{"-i file:/work/video.mp4 -i file:/m/song.mp3", "-map 0:v:0 -c:v:0 copy", "-map 1:a:0 -c:a copy", "-disposition:v:1 attached_pic", "-t 61.000000"} {
				if !strings.Contains(args, want) {
					t.Errorf("assemble lacks %q: %s", want, args)
				}
			}
		}},
		{"a song video cut short fades and encodes the audio", func() Settings {
			s := base("/v/song.mkv", "cover.png")
			s.Duration, s.Audio = 30*time.Second, []string{song.Path}
			return s
		}, []AudioInfo{song}, func(t *testing.T, p renderPlan) {
			a := p.Encode.Mux.Audio
			if a == nil || a.Copy || a.FadeOut != 3*time.Second || p.Encode.Mux.CoverStyle != coverAttachment {
				t.Errorf("audio %+v, cover %v", a, p.Encode.Mux.CoverStyle)
			}
		}},
		{"Ken Burns encodes every frame", func() Settings {
			s := base("/v/kb.mp4", "a.png", "b.png")
			s.Duration, s.KenBurns = time.Minute, true
			return s
		}, nil, func(t *testing.T, p renderPlan) {
			if p.Still != nil || p.Total != 1500 {
				t.Errorf("still %v, total %d", p.Still != nil, p.Total)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := planRender(tt.s(), facts{Tracks: tt.tracks, Image: image.Pt(640, 480)})
			if err != nil {
				t.Fatal(err)
			}
			if p.Canvas != image.Pt(1280, 720) || p.Encode.Matrix != picture.BT709() {
				t.Errorf("canvas %v, matrix %+v", p.Canvas, p.Encode.Matrix)
			}
			tt.check(t, p)
		})
	}
}

// TestPlanRenderRefuses: what only the facts can show is refused by the
// plan, as a field error.
func TestPlanRenderRefuses(t *testing.T) {
	t.Parallel()
	two := []AudioInfo{{Path: "a.mp3", Duration: time.Minute}, {Path: "b.mp3", Duration: time.Minute}}
	s := DefaultSettings()
	s.Images, s.Output, s.Duration, s.Audio, s.LoopAudio = SlidesOf("a.png"), "/v/a.mp4", time.Hour, []string{"a.mp3", "b.mp3"}, true
	if _, err := planRender(s, facts{Tracks: two, Image: image.Pt(64, 64)}); FieldErrors(err) == nil || FieldErrors(err)[0].Field != "audio" {
		t.Errorf("looping two files: %v", err)
	}
	s = DefaultSettings()
	s.Images, s.Output, s.Duration, s.Audio = SlidesOf("a.png"), "/v/a.mp4", 0, []string{"long.mp3"}
	long := []AudioInfo{{Path: "long.mp3", Duration: 25 * time.Hour}}
	if _, err := planRender(s, facts{Tracks: long, Image: image.Pt(64, 64)}); FieldErrors(err) == nil || FieldErrors(err)[0].Field != "duration" {
		t.Errorf("a 25 h song: %v", err)
	}
}

// TestPlanLive covers the live plans: the canvas and the bitrate. The
// plan holds no address and no key: ffmpeg never connects.
func TestPlanLive(t *testing.T) {
	t.Parallel()
	s := DefaultSettings()
	s.Images, s.FPS, s.Duration, s.Size = SlidesOf("a.png"), 30, 0, SizeSource
	s.Live = Live{Destinations: []Destination{{URL: "rtmp://h/a", Key: "k1"}, {URL: "rtmp://h/b/"}}}
	p := planLive(s, facts{Image: image.Pt(1281, 721)})
	if p.Canvas != image.Pt(1280, 720) || p.Encode.Bitrate != 1_500_000 {
		t.Errorf("canvas %v, bitrate %d", p.Canvas, p.Encode.Bitrate)
	}
	if plan := fmt.Sprintf("%+v", p.Encode); strings.Contains(plan, "k1") {
		t.Errorf("the plan holds the key: %s", plan)
	}
	s.NoFastPath, s.Live.Bitrate = true, 900_000
	if p := planLive(s, facts{Image: image.Pt(1920, 1080)}); p.Encode.Bitrate != 900_000 {
		t.Errorf("per-frame: bitrate %d", p.Encode.Bitrate)
	}
}
