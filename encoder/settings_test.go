package encoder

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

// validSettings is DefaultSettings with the two paths it lacks.
func validSettings() Settings {
	s := DefaultSettings()
	s.Images = SlidesOf("photo.jpg")
	s.Output = "video.mp4"
	return s
}

func TestDefaultSettingsValidate(t *testing.T) {
	t.Parallel()
	if err := validSettings().Validate(); err != nil {
		t.Fatalf("DefaultSettings with Image and Output: %v", err)
	}
	d := DefaultSettings()
	if !d.Size.IsSource() || d.Fit != FitLetterbox || d.FPS != 25 || d.Duration != 10*time.Second ||
		d.Preset != "veryfast" || d.CRF != 20 || d.Background != (color.RGBA{A: 255}) || d.Force {
		t.Errorf("DefaultSettings() = %+v", d)
	}
	// Without the paths, exactly those two fields are reported, in order.
	got := FieldErrors(DefaultSettings().Validate())
	if len(got) != 2 || got[0].Field != "image" || got[1].Field != "out" {
		t.Errorf("DefaultSettings().Validate() fields = %v, want [image out]", got)
	}
}

func TestValidateFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*Settings)
		field  string // "" means valid
		msg    string // a piece of the message
	}{
		{"no image", func(s *Settings) { s.Images = SlidesOf("") }, "image", "no image"},
		{"blank image", func(s *Settings) { s.Images = SlidesOf("  \t") }, "image", "no image"},
		{"no output", func(s *Settings) { s.Output = "" }, "out", "no output"},
		{"blank output", func(s *Settings) { s.Output = "   " }, "out", "no output"},
		{"output .avi", func(s *Settings) { s.Output = "video.avi" }, "out", `".avi"`},
		{"output without extension", func(s *Settings) { s.Output = "video" }, "out", "no extension"},
		{"output .mp4.part", func(s *Settings) { s.Output = "video.mp4.part" }, "out", ".part"},
		{"output upper-case .MKV", func(s *Settings) { s.Output = "VIDEO.MKV" }, "", ""},
		{"output .mov", func(s *Settings) { s.Output = "a/b/c.mov" }, "", ""},
		{"size 0x0", func(s *Settings) { s.Size = Size{W: 0, H: 0} }, "size", "too small"},
		{"size 1x100", func(s *Settings) { s.Size = Size{W: 1, H: 100} }, "size", "too small"},
		{"size 2x2", func(s *Settings) { s.Size = Size{W: 2, H: 2} }, "", ""},
		{"size 8192x4320", func(s *Settings) { s.Size = Size{W: 8192, H: 4320} }, "", ""},
		{"size 8193x100", func(s *Settings) { s.Size = Size{W: 8193, H: 100} }, "size", "too large"},
		{"size 100x8193", func(s *Settings) { s.Size = Size{W: 100, H: 8193} }, "size", "too large"},
		{"size negative", func(s *Settings) { s.Size = Size{W: -2, H: 100} }, "size", "too small"},
		{"size 720p", func(s *Settings) { s.Size = NamedSizes()[1] }, "", ""},
		{"fit empty", func(s *Settings) { s.Fit = "" }, "fit", "unknown fit"},
		{"fit zoom", func(s *Settings) { s.Fit = "zoom" }, "fit", `"zoom"`},
		{"fit Crop (case matters)", func(s *Settings) { s.Fit = "Crop" }, "fit", "unknown fit"},
		{"fit crop", func(s *Settings) { s.Fit = FitCrop }, "", ""},
		{"fit stretch", func(s *Settings) { s.Fit = FitStretch }, "", ""},
		{"fit blur", func(s *Settings) { s.Fit = FitBlur }, "", ""},
		{"fit unknown names blur", func(s *Settings) { s.Fit = "blurry" }, "fit", "stretch or blur"},
		{"fps 0", func(s *Settings) { s.FPS = 0 }, "fps", "not 0"},
		{"fps -1", func(s *Settings) { s.FPS = -1 }, "fps", "between 1 and 120"},
		{"fps 121", func(s *Settings) { s.FPS = 121 }, "fps", "not 121"},
		{"fps 1", func(s *Settings) { s.FPS = 1 }, "", ""},
		{"fps 120", func(s *Settings) { s.FPS = 120 }, "", ""},
		{"duration 0", func(s *Settings) { s.Duration = 0 }, "duration", "longer than zero"},
		{"duration 0 follows the audio", func(s *Settings) { s.Duration, s.Audio = 0, []string{"song.mp3"} }, "", ""},
		{"duration 0 with timed slides", func(s *Settings) {
			s.Duration, s.Images = 0, []Slide{{Image: "a.jpg", Duration: time.Second}, {Image: "b.jpg", Duration: 2 * time.Second}}
		}, "", ""},
		{"duration 0 with one slide untimed", func(s *Settings) {
			s.Duration, s.Images = 0, []Slide{{Image: "a.jpg", Duration: time.Second}, {Image: "b.jpg"}}
		}, "duration", "longer than zero"},
		{"no images at all", func(s *Settings) { s.Images = nil }, "image", "no image chosen"},
		{"second slide blank", func(s *Settings) { s.Images = SlidesOf("a.jpg", " ") }, "image", "slide 2"},
		{"slide duration negative", func(s *Settings) { s.Images = []Slide{{Image: "a.jpg", Duration: -time.Second}} }, "image-duration", "a.jpg"},
		{"slide duration over a day", func(s *Settings) { s.Images = []Slide{{Image: "a.jpg", Duration: 25 * time.Hour}} }, "image-duration", "at most 24h"},
		{"crossfade negative", func(s *Settings) { s.Crossfade = -time.Second }, "crossfade", "between 0"},
		{"crossfade 11s", func(s *Settings) { s.Crossfade = 11 * time.Second }, "crossfade", "not 11s"},
		{"crossfade 0 cuts", func(s *Settings) { s.Crossfade = 0 }, "", ""},
		{"ken burns on a file", func(s *Settings) { s.KenBurns = true }, "", ""},
		{"ken burns live", func(s *Settings) {
			s.KenBurns = true
			s.Live = Live{Destinations: []Destination{{URL: "rtmp://127.0.0.1/live", Key: "k"}}}
		}, "ken-burns", "for files"},
		{"live with two images", func(s *Settings) {
			s.Images = SlidesOf("a.jpg", "b.jpg")
			s.Live = Live{Destinations: []Destination{{URL: "rtmp://127.0.0.1/live", Key: "k"}}}
		}, "image", "a live stream shows one image"},
		{"duration -1s", func(s *Settings) { s.Duration = -time.Second }, "duration", "longer than zero"},
		{"duration 24h+1s", func(s *Settings) { s.Duration = 24*time.Hour + time.Second }, "duration", "at most 24h"},
		{"duration 24h", func(s *Settings) { s.Duration = 24 * time.Hour }, "", ""},
		{"duration under one frame", func(s *Settings) { s.Duration = 10 * time.Millisecond }, "duration", "shorter than one frame"},
		{"duration one frame", func(s *Settings) { s.Duration = 40 * time.Millisecond }, "", ""},
		{"duration 1ns at 120 fps", func(s *Settings) { s.Duration = 1; s.FPS = 120 }, "duration", "shorter than one frame"},
		{"preset empty", func(s *Settings) { s.Preset = "" }, "preset", "unknown x264 preset"},
		{"preset placebo", func(s *Settings) { s.Preset = "placebo" }, "preset", `"placebo"`},
		{"preset upper case", func(s *Settings) { s.Preset = "Fast" }, "preset", "ultrafast"},
		{"preset veryslow", func(s *Settings) { s.Preset = "veryslow" }, "", ""},
		{"crf 0", func(s *Settings) { s.CRF = 0 }, "crf", "not 0"},
		{"crf 52", func(s *Settings) { s.CRF = 52 }, "crf", "between 1"},
		{"crf 1", func(s *Settings) { s.CRF = 1 }, "", ""},
		{"crf 51", func(s *Settings) { s.CRF = 51 }, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validSettings()
			tt.change(&s)
			err := s.Validate()
			fes := FieldErrors(err)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if len(fes) != 1 {
				t.Fatalf("Validate() = %v: %d field errors, want 1 for %q", err, len(fes), tt.field)
			}
			if fes[0].Field != tt.field {
				t.Errorf("field = %q, want %q (%v)", fes[0].Field, tt.field, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q lacks %q", err.Error(), tt.msg)
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Errorf("errors.As(*FieldError) = %v", fe)
			}
		})
	}
}

func TestValidateReportsEveryField(t *testing.T) {
	t.Parallel()
	s := Settings{Size: Size{W: 1, H: 9000}, Fit: "zoom", FPS: 0, Duration: -1, Preset: "x", CRF: 99}
	want := []string{"image", "out", "size", "fit", "fps", "duration", "preset", "crf"}
	var got []string
	for _, fe := range FieldErrors(s.Validate()) {
		got = append(got, fe.Field)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("fields = %v, want %v", got, want)
	}
}

func TestFieldErrors(t *testing.T) {
	t.Parallel()
	a := &FieldError{Field: "fps", Err: errors.New("bad")}
	b := &FieldError{Field: "crf", Err: errors.New("worse")}
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"nil", nil, nil},
		{"plain", errors.New("x"), nil},
		{"one", a, []string{"fps"}},
		{"joined", errors.Join(a, b), []string{"fps", "crf"}},
		{"wrapped", wrapErr(a), []string{"fps"}},
		{"wrapped join", wrapErr(errors.Join(a, errors.New("other"), b)), []string{"fps", "crf"}},
		{"nested joins", errors.Join(errors.Join(a), errors.Join(b)), []string{"fps", "crf"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, fe := range FieldErrors(tt.err) {
				got = append(got, fe.Field)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("FieldErrors = %v, want %v", got, tt.want)
			}
		})
	}
	if got := a.Error(); got != "fps: bad" {
		t.Errorf("Error() = %q", got)
	}
	if !errors.Is(&FieldError{Field: "out", Err: ErrOutputExists}, ErrOutputExists) {
		t.Error("FieldError does not unwrap")
	}
}

type wrapped struct{ err error }

func (w wrapped) Error() string { return "context: " + w.err.Error() }
func (w wrapped) Unwrap() error { return w.err }

func wrapErr(err error) error { return wrapped{err} }

var parseSizeTests = []struct {
	in   string
	want Size
	ok   bool
}{
	{"1920x1080", Size{W: 1920, H: 1080}, true},
	{"  640X360 ", Size{W: 640, H: 360}, true},
	{"0x0", Size{W: 0, H: 0}, true}, // the form is right; Validate rejects it
	{"8193x100", Size{W: 8193, H: 100}, true},
	{"source", SizeSource, true},
	{"Source", SizeSource, true},
	{"720p", Size{Name: "720p", W: 1280, H: 720}, true},
	{"1080P", Size{Name: "1080p", W: 1920, H: 1080}, true},
	{"1440p", Size{Name: "1440p", W: 2560, H: 1440}, true},
	{"4K", Size{Name: "4k", W: 3840, H: 2160}, true},
	{"2160p", Size{Name: "4k", W: 3840, H: 2160}, true},
	{"uhd", Size{Name: "4k", W: 3840, H: 2160}, true},
	{"vertical", Size{Name: "vertical", W: 1080, H: 1920}, true},
	{"square", Size{Name: "square", W: 1080, H: 1080}, true},
	{"", Size{}, false},
	{"x", Size{}, false},
	{"1920", Size{}, false},
	{"1920x", Size{}, false},
	{"x1080", Size{}, false},
	{"1920*1080", Size{}, false},
	{"1920x1080x3", Size{}, false},
	{"-1920x1080", Size{}, false},
	{"1920x-1080", Size{}, false},
	{"19.5x10", Size{}, false},
	{"1920 x 1080", Size{}, false},
	{"abcxdef", Size{}, false},
	{"99999999999999999999x1", Size{}, false},
	{"8k", Size{}, false},
}

func TestParseSize(t *testing.T) {
	t.Parallel()
	for _, tt := range parseSizeTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSize(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseSize(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if !tt.ok {
				if !strings.Contains(err.Error(), strconv.Quote(tt.in)) {
					t.Errorf("message %q does not quote the input", err)
				}
				return
			}
			if got != tt.want {
				t.Errorf("ParseSize(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
	// Every named size parses back from its String.
	for _, z := range NamedSizes() {
		if got, err := ParseSize(z.String()); err != nil || got != z {
			t.Errorf("ParseSize(%q) = %+v, %v", z.String(), got, err)
		}
	}
	if got := (Size{W: 640, H: 360}).String(); got != "640x360" {
		t.Errorf("String() = %q", got)
	}
}

func FuzzParseSize(f *testing.F) {
	for _, tt := range parseSizeTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		z, err := ParseSize(in)
		if err != nil {
			if z != (Size{}) {
				t.Errorf("ParseSize(%q) failed but returned %+v", in, z)
			}
			return
		}
		if z.W < 0 || z.H < 0 {
			t.Errorf("ParseSize(%q) = %+v: negative side", in, z)
		}
		if z.Name != "" {
			// A named size is one of NamedSizes().
			found := false
			for _, n := range NamedSizes() {
				found = found || n == z
			}
			if !found {
				t.Errorf("ParseSize(%q) = %+v: not a named size", in, z)
			}
			return
		}
		// A custom size round-trips through String.
		back, err := ParseSize(z.String())
		if err != nil || back != z {
			t.Errorf("ParseSize(%q) = %+v, but ParseSize(%q) = %+v, %v", in, z, z.String(), back, err)
		}
		if z.validate() == nil && (z.W < 2 || z.H < 2 || z.W > MaxCanvasSide || z.H > MaxCanvasSide) {
			t.Errorf("%+v validates", z)
		}
	})
}

var parseDurationTests = []struct {
	in   string
	want time.Duration
	ok   bool
}{
	{"90s", 90 * time.Second, true},
	{"1h30m", 90 * time.Minute, true},
	{"1m30s", 90 * time.Second, true},
	{"500ms", 500 * time.Millisecond, true},
	{"90", 90 * time.Second, true},
	{"2.5", 2500 * time.Millisecond, true},
	{" 10 ", 10 * time.Second, true},
	{"0", 0, true}, // the form is right; Validate rejects it
	{"1:30", 90 * time.Second, true},
	{"1:30:00", 90 * time.Minute, true},
	{"0:00:02.5", 2500 * time.Millisecond, true},
	{"90:00", 90 * time.Minute, true},
	{"0:59", 59 * time.Second, true},
	{"1:30.25", 90250 * time.Millisecond, true},
	{"24:00:00", 24 * time.Hour, true},
	{"", 0, false},
	{"   ", 0, false},
	{"abc", 0, false},
	{"1:60", 0, false},
	{"1:60:00", 0, false},
	{"1:2:3:4", 0, false},
	{"-", 0, false},
	{":", 0, false},
	{"1:", 0, false},
	{":30", 0, false},
	{"1::30", 0, false},
	{"1.5:30", 0, false},
	{"1:-5", 0, false},
	{"-1:30", 0, false},
	{"1:30s", 0, false},
	{"NaN", 0, false},
	{"Inf", 0, false},
	{"1e300", 0, false},
	{"10 s", 0, false},
	{"1h30", 0, false},
}

func TestParseDuration(t *testing.T) {
	t.Parallel()
	for _, tt := range parseDurationTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseDuration(%q) = %v, %v; want ok=%v", tt.in, got, err, tt.ok)
			}
			if !tt.ok {
				if !strings.Contains(err.Error(), strconv.Quote(tt.in)) {
					t.Errorf("message %q does not quote the input", err)
				}
				return
			}
			if got != tt.want {
				t.Errorf("ParseDuration(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, tt := range parseDurationTests {
		f.Add(tt.in)
	}
	f.Add("9223372036")
	f.Add("9223372037")
	f.Add("2562047:47:16")
	f.Fuzz(func(t *testing.T, in string) {
		d, err := ParseDuration(in)
		if err != nil {
			if d != 0 {
				t.Errorf("ParseDuration(%q) failed but returned %v", in, d)
			}
			if !strings.Contains(err.Error(), "not a duration") {
				t.Errorf("ParseDuration(%q): message %q", in, err)
			}
			return
		}
		trimmed := strings.TrimSpace(in)
		switch {
		case strings.Contains(trimmed, ":"):
			// A clock time is never negative.
			if d < 0 {
				t.Errorf("ParseDuration(%q) = %v < 0", in, d)
			}
		default:
			if v, err := strconv.ParseFloat(trimmed, 64); err == nil {
				// Plain seconds: within half a nanosecond of the number, or
				// a rounding step of float64 for huge values.
				want := v * 1e9
				if diff := math.Abs(float64(d) - want); diff > 1+math.Abs(want)*1e-15 {
					t.Errorf("ParseDuration(%q) = %v, want %v s", in, d, v)
				}
			} else if want, err := time.ParseDuration(trimmed); err != nil || want != d {
				t.Errorf("ParseDuration(%q) = %v, time.ParseDuration says %v, %v", in, d, want, err)
			}
		}
		// A positive result re-parses from its own String.
		if d > 0 {
			if back, err := ParseDuration(d.String()); err != nil || back != d {
				t.Errorf("ParseDuration(%q) = %v, but its String re-parses as %v, %v", in, d, back, err)
			}
		}
	})
}

var parseColorTests = []struct {
	in   string
	want color.RGBA
	ok   bool
}{
	{"#000000", color.RGBA{0, 0, 0, 255}, true},
	{"#ffffff", color.RGBA{255, 255, 255, 255}, true},
	{"#FF8000", color.RGBA{255, 128, 0, 255}, true},
	{"ff8000", color.RGBA{255, 128, 0, 255}, true},
	{" #102030 ", color.RGBA{16, 32, 48, 255}, true},
	{"#f80", color.RGBA{255, 136, 0, 255}, true},
	{"abc", color.RGBA{170, 187, 204, 255}, true},
	{"", color.RGBA{}, false},
	{"#", color.RGBA{}, false},
	{"#ff", color.RGBA{}, false},
	{"#ffff", color.RGBA{}, false},
	{"#fffff", color.RGBA{}, false},
	{"#fffffff", color.RGBA{}, false},
	{"#ffffffff", color.RGBA{}, false},
	{"#gggggg", color.RGBA{}, false},
	{"##ffffff", color.RGBA{}, false},
	{"+12345", color.RGBA{}, false},
	{"-12345", color.RGBA{}, false},
	{"0x1234", color.RGBA{}, false},
	{"1_2345", color.RGBA{}, false},
	{"red", color.RGBA{}, false},
	{"#ééé", color.RGBA{}, false},
	{"#é1", color.RGBA{}, false},
}

func TestParseColor(t *testing.T) {
	t.Parallel()
	for _, tt := range parseColorTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseColor(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseColor(%q) = %v, %v; want ok=%v", tt.in, got, err, tt.ok)
			}
			if tt.ok && got != tt.want {
				t.Errorf("ParseColor(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
	for _, c := range []color.RGBA{{0, 0, 0, 255}, {1, 2, 3, 255}, {255, 254, 253, 255}} {
		s := FormatColor(c)
		if back, err := ParseColor(s); err != nil || back != c {
			t.Errorf("ParseColor(FormatColor(%v) = %q) = %v, %v", c, s, back, err)
		}
	}
}

func FuzzParseColor(f *testing.F) {
	for _, tt := range parseColorTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		c, err := ParseColor(in)
		if err != nil {
			if c != (color.RGBA{}) {
				t.Errorf("ParseColor(%q) failed but returned %v", in, c)
			}
			return
		}
		if c.A != 255 {
			t.Errorf("ParseColor(%q) = %v: not opaque", in, c)
		}
		// The hex digits read are the ones written back, in lower case.
		hex := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(in), "#"))
		if len(hex) == 3 {
			hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
		}
		if got := FormatColor(c); got != "#"+hex {
			t.Errorf("ParseColor(%q) = %v, formats as %q, want %q", in, c, got, "#"+hex)
		}
	})
}

func TestContainerFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path, format string
		fast         bool
		errPart      string
	}{
		{"a.mp4", "mp4", true, ""},
		{"/x/y/A.MP4", "mp4", true, ""},
		{"a.mov", "mov", true, ""},
		{"a.mkv", "matroska", false, ""},
		{"a.flv", "flv", false, ""},
		{"a.ts", "mpegts", false, ""},
		{"a.tar.ts", "mpegts", false, ""},
		{"a.avi", "", false, `".avi" is not a supported output type`},
		{"a.webm", "", false, ".mp4 .mov .mkv .flv .ts"},
		{"video", "", false, `"video" has no extension`},
		{"dir.mp4/video", "", false, "no extension"},
		{".mp4", "mp4", true, ""}, // a hidden file named ".mp4" has the extension .mp4
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			c, err := ContainerFor(tt.path)
			if tt.errPart != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errPart) {
					t.Fatalf("ContainerFor(%q) = %+v, %v; want an error with %q", tt.path, c, err, tt.errPart)
				}
				return
			}
			if err != nil || c.Format != tt.format || c.FastStart != tt.fast {
				t.Errorf("ContainerFor(%q) = %+v, %v; want format %s faststart %v", tt.path, c, err, tt.format, tt.fast)
			}
		})
	}
}

func TestTotalFrames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fps  int
		d    time.Duration
		want int
	}{
		{25, 2 * time.Second, 50},
		{30, 1500 * time.Millisecond, 45},
		{24, time.Second, 24},
		{25, 1500 * time.Millisecond, 38}, // 37.5 rounds up
		{120, 24 * time.Hour, 120 * 86400},
		{1, 400 * time.Millisecond, 0},
	}
	for _, tt := range tests {
		s := Settings{FPS: tt.fps, Duration: tt.d}
		if got := s.TotalFrames(); got != tt.want {
			t.Errorf("TotalFrames(%d fps, %v) = %d, want %d", tt.fps, tt.d, got, tt.want)
		}
	}
}

func TestCanvasSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		size Size
		img  image.Point
		want image.Point
	}{
		{SizeSource, image.Pt(640, 360), image.Pt(640, 360)},
		{SizeSource, image.Pt(101, 77), image.Pt(100, 76)},
		{SizeSource, image.Pt(1, 1), image.Pt(2, 2)},
		{SizeSource, image.Pt(3, 2), image.Pt(2, 2)},
		{SizeSource, image.Pt(4000, 3001), image.Pt(4000, 3000)},
		{Size{W: 1280, H: 720}, image.Pt(33, 99), image.Pt(1280, 720)},
		{Size{W: 1281, H: 721}, image.Pt(10, 10), image.Pt(1280, 720)},
		{Size{W: 3, H: 3}, image.Pt(10, 10), image.Pt(2, 2)},
		{NamedSizes()[5], image.Pt(10, 10), image.Pt(1080, 1920)}, // vertical
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%v_%v", tt.size, tt.img), func(t *testing.T) {
			got := CanvasSize(tt.size, tt.img)
			if got != tt.want {
				t.Errorf("CanvasSize(%v, %v) = %v, want %v", tt.size, tt.img, got, tt.want)
			}
			if got.X%2 != 0 || got.Y%2 != 0 {
				t.Errorf("odd canvas %v", got)
			}
		})
	}
}
