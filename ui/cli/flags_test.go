package cli

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder"
)

// settingsOf parses args for cmd ("render" or "live") and returns the
// settings they make, with in.png when no image is given and no stream
// key in the environment.
func settingsOf(cmd string, args ...string) (encoder.Settings, error) {
	var (
		c        commonFlags
		settings func([]string) (encoder.Settings, error)
	)
	switch cmd {
	case "render":
		f, err := parseRenderFlags(args)
		if err != nil {
			return encoder.Settings{}, err
		}
		c, settings = f.commonFlags, f.settings
	case "live":
		f, err := parseLiveFlags(args)
		if err != nil {
			return encoder.Settings{}, err
		}
		noEnv := func(string) string { return "" }
		c, settings = f.commonFlags, func(images []string) (encoder.Settings, error) { return f.settings(images, noEnv) }
	}
	images := c.images
	if len(images) == 0 {
		images = []string{"in.png"}
	}
	return settings(images)
}

const testURL = "rtmp://127.0.0.1/live"

func TestAudioFlagRepeats(t *testing.T) {
	tests := []struct {
		name string
		cmd  string
		args []string
		want []string
	}{
		{"render without audio", "render", []string{"in.png"}, nil},
		{"render one file", "render", []string{"in.png", "--audio", "song.mp3"}, []string{"song.mp3"}},
		{"render in order", "render", []string{"--audio", "b.mp3", "in.png", "--audio", "a.flac", "--audio=c.wav"}, []string{"b.mp3", "a.flac", "c.wav"}},
		{"live files and a folder", "live", []string{"--url", testURL, "--audio", "~/Music/lofi", "--audio", "jingle.mp3"}, []string{"~/Music/lofi", "jingle.mp3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := settingsOf(tt.cmd, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(s.Audio, tt.want) {
				t.Errorf("Audio = %q, want %q", s.Audio, tt.want)
			}
		})
	}
}

func TestSeveralImagesMakeASlideshowInOrder(t *testing.T) {
	s, err := settingsOf("render", "c.jpg", "--fps", "30", "a.png", "b.webp")
	if err != nil {
		t.Fatal(err)
	}
	want := encoder.SlidesOf("c.jpg", "a.png", "b.webp")
	if !slices.Equal(s.Images, want) {
		t.Errorf("Images = %+v, want %+v", s.Images, want)
	}
	if s.Output != "c.mp4" {
		t.Errorf("Output = %q, want the first image's name, c.mp4", s.Output)
	}
	if s.Crossfade != time.Second {
		t.Errorf("Crossfade = %s, want the default 1s", s.Crossfade)
	}
}

func TestImageDurationMapsToSlides(t *testing.T) {
	imgs := []string{"a.png", "b.png", "c.png"}
	tests := []struct {
		name    string
		images  []string
		value   string
		want    []time.Duration
		wantErr string
	}{
		{"not given", imgs, "", []time.Duration{0, 0, 0}, ""},
		{"one for all", imgs, "5s", []time.Duration{5 * time.Second, 5 * time.Second, 5 * time.Second}, ""},
		{"one per image", imgs, "1s,1:30,2.5", []time.Duration{time.Second, 90 * time.Second, 2500 * time.Millisecond}, ""},
		{"0 is an even share", imgs, "10s,0,0", []time.Duration{10 * time.Second, 0, 0}, ""},
		{"one image", imgs[:1], "4s", []time.Duration{4 * time.Second}, ""},
		{"too few", imgs, "1s,2s", nil, "--image-duration: 2 durations for 3 images: give one for all of them, or one per image"},
		{"too many", imgs[:1], "1s,2s", nil, "--image-duration: 2 durations for 1 images"},
		{"an empty item", imgs, "1s,,2s", nil, `--image-duration: "" is not a duration`},
		{"malformed", imgs, "1s,soon,2s", nil, `--image-duration: "soon" is not a duration`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := settingsOf("render", append(slices.Clone(tt.images), "--image-duration", tt.value)...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if code := printErr(&strings.Builder{}, err); code != ExitUsage {
					t.Errorf("exit %d, want %d", code, ExitUsage)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []time.Duration
			for i, sl := range s.Images {
				got = append(got, sl.Duration)
				if sl.Image != tt.images[i] {
					t.Errorf("slide %d shows %q, want %q", i, sl.Image, tt.images[i])
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("durations %v, want %v", got, tt.want)
			}
		})
	}
}

// An unset --duration follows the audio or the slides; a set one, even to
// the default's value, is kept.
func TestDurationDefault(t *testing.T) {
	tests := []struct {
		name string
		cmd  string
		args []string
		want time.Duration
	}{
		{"render still", "render", []string{"a.png"}, 10 * time.Second},
		{"render with audio", "render", []string{"a.png", "--audio", "song.mp3"}, 0},
		{"render with audio and duration", "render", []string{"a.png", "--audio", "song.mp3", "--duration", "30s"}, 30 * time.Second},
		{"render with audio and the default duration given", "render", []string{"a.png", "--audio", "song.mp3", "--duration", "10s"}, 10 * time.Second},
		{"render with audio, looped", "render", []string{"a.png", "--audio", "song.mp3", "--audio-loop", "--duration", "1h"}, time.Hour},
		{"render slideshow, every image timed", "render", []string{"a.png", "b.png", "--image-duration", "3s"}, 0},
		{"render slideshow, one image untimed", "render", []string{"a.png", "b.png", "--image-duration", "3s,0"}, 10 * time.Second},
		{"render slideshow untimed", "render", []string{"a.png", "b.png"}, 10 * time.Second},
		{"render slideshow timed, with duration", "render", []string{"a.png", "b.png", "--image-duration", "3s", "--duration", "1m"}, time.Minute},
		{"live", "live", []string{"--url", testURL}, 0},
		{"live with audio", "live", []string{"--url", testURL, "--audio", "music/"}, 0},
		{"live with audio and duration", "live", []string{"--url", testURL, "--audio", "music/", "--duration", "2h"}, 2 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := settingsOf(tt.cmd, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			if s.Duration != tt.want {
				t.Errorf("Duration = %s, want %s", s.Duration, tt.want)
			}
		})
	}
}

func TestRenderAndLiveAudioOptions(t *testing.T) {
	tests := []struct {
		name                    string
		cmd                     string
		args                    []string
		crossfade               time.Duration
		loop, shuffle, kenBurns bool
	}{
		{"render defaults", "render", []string{"a.png"}, time.Second, false, false, false},
		{"render cut", "render", []string{"a.png", "b.png", "--crossfade", "0"}, 0, false, false, false},
		{"render long fade", "render", []string{"a.png", "b.png", "--crossfade", "2.5s"}, 2500 * time.Millisecond, false, false, false},
		{"render audio loop", "render", []string{"a.png", "--audio", "s.mp3", "--audio-loop", "--duration", "1h"}, time.Second, true, false, false},
		{"render ken burns", "render", []string{"a.png", "b.png", "--ken-burns"}, time.Second, false, false, true},
		{"live shuffle", "live", []string{"--url", testURL, "--audio", "music", "--shuffle"}, time.Second, false, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := settingsOf(tt.cmd, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			if s.Crossfade != tt.crossfade || s.LoopAudio != tt.loop || s.Shuffle != tt.shuffle || s.KenBurns != tt.kenBurns {
				t.Errorf("Crossfade %s, LoopAudio %v, Shuffle %v, KenBurns %v; want %s, %v, %v, %v",
					s.Crossfade, s.LoopAudio, s.Shuffle, s.KenBurns, tt.crossfade, tt.loop, tt.shuffle, tt.kenBurns)
			}
		})
	}
}

// These fail before anything starts, so they run in-process.
func TestLiveSlideshowAndShuffleAreUsageErrors(t *testing.T) {
	img := t.TempDir() + "/in.png"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"two images", []string{img, img, "--url", testURL}, "stillcast: IMAGE: a live stream shows one image, not 2"},
		{"shuffle without audio", []string{img, "--url", testURL, "--shuffle"}, "stillcast: --shuffle needs --audio"},
		{"song as image", []string{"mix.MP3", "--url", testURL}, "stillcast: IMAGE: mix.MP3 is a sound file: give it with --audio mix.MP3"},
		{"crossfade is for render", []string{img, "--url", testURL, "--crossfade", "1s"}, "stillcast: unknown flag -crossfade"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, append([]string{"live"}, tt.args...)...)
			if code != ExitUsage {
				t.Fatalf("exit %d, want %d; stderr: %s", code, ExitUsage, stderr)
			}
			if stdout != "" || strings.Count(stderr, "\n") != 1 {
				t.Errorf("stdout %q, stderr %q: want nothing and one line", stdout, stderr)
			}
			if !strings.HasPrefix(stderr, tt.want) {
				t.Errorf("stderr %q, want it to start with %q", stderr, tt.want)
			}
		})
	}
}
