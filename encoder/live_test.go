package encoder

import (
	"fmt"
	"image"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/picture"
)

// Unit tests of the live stream's pure parts. live_e2e_test.go streams to
// a real nginx and checks what arrives.

// liveSections splits a live argument list at its two inputs: the options
// of the frames input, of the silent audio input, and of the output.
func liveSections(t *testing.T, args []string) (video, audio, output []string) {
	t.Helper()
	var inputs []int
	for i, a := range args {
		if a == "-i" && i+1 < len(args) {
			inputs = append(inputs, i)
		}
	}
	if len(inputs) != 2 {
		t.Fatalf("want two inputs (frames, silence), got %d in %q", len(inputs), args)
	}
	return args[:inputs[0]+2], args[inputs[0]+2 : inputs[1]+2], args[inputs[1]+2:]
}

// liveOpt is the value after the last opt in args; "" when absent.
func liveOpt(args []string, opt string) string {
	v := ""
	for i := 0; i < len(args)-1; i++ {
		if args[i] == opt {
			v = args[i+1]
		}
	}
	return v
}

func TestLivePerFrameArgs(t *testing.T) {
	t.Parallel()
	plans := []livePlan{
		{Input: "/tmp/stillcast-1/frames.yuv", Width: 1920, Height: 1080, FPS: 30, Matrix: picture.BT709(), Bitrate: 2_500_000},
		{Input: "in", Width: 640, Height: 360, FPS: 25, Matrix: picture.BT601(), Bitrate: 1_000_000},
	}
	for _, p := range plans {
		args := perFrameArgs(p)
		video, audio, out := liveSections(t, args)
		// Frames: raw yuv420p from the FIFO, read at their own rate.
		if !slices.Contains(video, "-re") {
			t.Errorf("no -re before the frames input: %q", video)
		}
		for opt, want := range map[string]string{
			"-f": "rawvideo", "-pix_fmt": "yuv420p", "-video_size": fmt.Sprintf("%dx%d", p.Width, p.Height),
			"-framerate": strconv.Itoa(p.FPS), "-i": "file:" + p.Input,
			"-colorspace": p.Matrix.Colorspace, "-color_range": "tv",
		} {
			if got := liveOpt(video, opt); got != want {
				t.Errorf("frames input %s = %q, want %q", opt, got, want)
			}
		}
		if got := liveOpt(audio, "-i"); got != "anullsrc=channel_layout=stereo:sample_rate=48000" {
			t.Errorf("audio input = %q", got)
		}
		gop := strconv.Itoa(2 * p.FPS) // a keyframe every 2 s
		rate := strconv.Itoa(p.Bitrate)
		for opt, want := range map[string]string{
			"-c:v": "libx264", "-profile:v": "high", "-g": gop, "-keyint_min": gop, "-sc_threshold": "0",
			"-b:v": rate, "-maxrate": rate, "-bf": "0", "-c:a": "aac", "-ar": "48000", "-ac": "2",
			"-f": "mpegts",
		} {
			if got := liveOpt(out, opt); got != want {
				t.Errorf("output %s = %q, want %q", opt, got, want)
			}
		}
		// ffmpeg writes to Stillcast, never to a server: no address, no key.
		if last := args[len(args)-1]; last != "pipe:1" {
			t.Errorf("output %q, want pipe:1", last)
		}
		for _, a := range args {
			if strings.Contains(a, "rtmp") || strings.Contains(a, "tee") {
				t.Errorf("argument %q names a server or the tee muxer", a)
			}
		}
	}
	seg := segmentArgs(plans[0], "/c/seg.h264")
	if got := liveOpt(seg, "-f"); got != "h264" || seg[len(seg)-1] != "file:/c/seg.h264" || liveOpt(seg, "-bf") != "0" || !slices.Contains(seg, "-an") {
		t.Errorf("segmentArgs: %q", seg)
	}
	if got := liveOpt(seg, "-x264-params"); !strings.Contains(got, "aud=1") || !strings.Contains(got, "nal-hrd=cbr") {
		t.Errorf("segment -x264-params %q: want delimiters and a constant bitrate", got)
	}
}

func TestLiveRedactor(t *testing.T) {
	t.Parallel()
	const key = "sk-live-9f8e7d6c5b4a"
	odd := "k&y=1+2%z?é" // escapes differently in paths and queries
	if url.PathEscape(odd) == url.QueryEscape(odd) || url.PathEscape(odd) == odd {
		t.Fatalf("test key %q should escape three ways", odd)
	}
	redact := redactor([]Destination{
		{URL: "rtmp://a.rtmp.youtube.com/live2", Key: key},
		{URL: "rtmp://custom.example/app"}, // no key
		{URL: "rtmp://live.twitch.tv/app", Key: odd},
		// One key the start of another: the longer must go as a whole.
		{URL: "rtmp://h/a", Key: "abc123"},
		{URL: "rtmp://h/b", Key: "abc123456789"},
	})
	tests := []struct{ in, want string }{
		{"rtmp://a.rtmp.youtube.com/live2/" + key + ": Input/output error",
			"rtmp://a.rtmp.youtube.com/live2/[stream key]: Input/output error"},
		{"Output #0, flv, to 'rtmp://a.rtmp.youtube.com/live2/" + key + "':",
			"Output #0, flv, to 'rtmp://a.rtmp.youtube.com/live2/[stream key]':"},
		{"tcurl=rtmp://x/app&name=" + url.QueryEscape(odd), "tcurl=rtmp://x/app&name=[stream key]"},
		{"rtmp://live.twitch.tv/app/" + url.PathEscape(odd) + " failed", "rtmp://live.twitch.tv/app/[stream key] failed"},
		{"raw " + odd, "raw [stream key]"},
		{key + key, "[stream key][stream key]"},
		{"rtmp://h/b/abc123456789: Broken pipe", "rtmp://h/b/[stream key]: Broken pipe"},
		{"rtmp://h/a/abc123: Broken pipe", "rtmp://h/a/[stream key]: Broken pipe"},
		{"nothing secret here: rtmp://custom.example/app", "nothing secret here: rtmp://custom.example/app"},
	}
	for _, tt := range tests {
		if got := redact(tt.in); got != tt.want {
			t.Errorf("redact(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}

	same := redactor([]Destination{{URL: "rtmp://h/app"}})
	if got := same("rtmp://h/app: refused"); got != "rtmp://h/app: refused" {
		t.Errorf("without keys the text changed: %q", got)
	}
}

func TestLiveDestinationRedacted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d        Destination
		redacted string
	}{
		{Destination{URL: "rtmp://a.rtmp.youtube.com/live2", Key: "k1"}, "rtmp://a.rtmp.youtube.com/live2/[stream key]"},
		{Destination{URL: "rtmps://live-api-s.facebook.com:443/rtmp/", Key: "FB-2"}, "rtmps://live-api-s.facebook.com:443/rtmp/[stream key]"},
		{Destination{URL: "rtmp://127.0.0.1:1935/live"}, "rtmp://127.0.0.1:1935/live"},
		{Destination{URL: "rtmp://live-push.bilivideo.com/live-bvc/", Key: "?streamname=live_1_2&key=ab&schedule=rtmp&pflag=1"},
			"rtmp://live-push.bilivideo.com/live-bvc/[stream key]"},
		{Destination{URL: "rtmp://bob:s3cret@h.example/app?token=t0k&b=2", Key: "k"}, "rtmp://[hidden]@h.example/app/[stream key]?b=[hidden]&token=[hidden]"},
	}
	for _, tt := range tests {
		if err := tt.d.validate(); err != nil {
			t.Errorf("%s: %v", tt.d.URL, err)
		}
		if got := tt.d.Redacted(); got != tt.redacted {
			t.Errorf("Redacted() = %q, want %q", got, tt.redacted)
		}
	}
}

func TestLiveServices(t *testing.T) {
	t.Parallel()
	want := map[string][2]string{
		"youtube":  {"rtmp://a.rtmp.youtube.com/live2", "rtmps://a.rtmps.youtube.com:443/live2"},
		"twitch":   {"rtmp://live.twitch.tv/app", ""},
		"facebook": {"", "rtmps://live-api-s.facebook.com:443/rtmp/"},
		"bilibili": {"rtmp://live-push.bilivideo.com/live-bvc/", ""},
		"custom":   {"", ""},
	}
	for id, urls := range want {
		sv, ok := ServiceByID(strings.ToUpper(id))
		if !ok {
			t.Errorf("ServiceByID(%q) found nothing", strings.ToUpper(id))
			continue
		}
		if sv.URL != urls[0] || sv.SecureURL != urls[1] {
			t.Errorf("%s: %q %q, want %q %q", id, sv.URL, sv.SecureURL, urls[0], urls[1])
		}
	}
	if sv, _ := ServiceByID("facebook"); sv.Server() != "rtmps://live-api-s.facebook.com:443/rtmp/" {
		t.Errorf("facebook's server is %q", sv.Server())
	}
	if _, ok := ServiceByID("myspace"); ok {
		t.Error("found an unknown service")
	}
	if last := Services()[len(Services())-1]; last.ID != "custom" {
		t.Errorf("last service %q, want custom", last.ID)
	}
}

func TestLiveDestinationValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		d     Destination
		field string // "" when valid
		msg   string // part of the message
	}{
		{"rtmp", Destination{URL: "rtmp://live.example.com/app", Key: "k"}, "", ""},
		{"rtmps with port", Destination{URL: "rtmps://live.example.com:443/app/", Key: "k"}, "", ""},
		{"upper-case scheme", Destination{URL: "RTMP://live.example.com/app"}, "", ""},
		{"custom server needs no key", Destination{URL: "rtmp://127.0.0.1:1935/live"}, "", ""},
		{"youtube with key", Destination{URL: "rtmp://a.rtmp.youtube.com/live2", Key: "sk-live-9f8e7d6c5b4a"}, "", ""},
		{"http refused", Destination{URL: "http://x/y", Key: "k"}, "url", "http:// is not supported: use rtmp:// or rtmps://"},
		{"https refused", Destination{URL: "https://live.example.com/app"}, "url", "https:// is not supported"},
		{"empty", Destination{URL: "  "}, "url", "no server URL"},
		{"no scheme", Destination{URL: "live.example.com/app"}, "url", "is not a server URL"},
		{"no host", Destination{URL: "rtmp:///app"}, "url", "is not a server URL"},
		{"no app", Destination{URL: "rtmp://live.example.com"}, "url", "no application path"},
		{"only a slash", Destination{URL: "rtmp://live.example.com/"}, "url", "no application path"},
		{"youtube without key", Destination{URL: "rtmp://a.rtmp.youtube.com/live2"}, "key", "YouTube needs a stream key"},
		{"youtube rtmps without key", Destination{URL: "rtmps://a.rtmps.youtube.com:443/live2"}, "key", "YouTube needs a stream key"},
		{"twitch without key", Destination{URL: "rtmp://LIVE.twitch.tv/app"}, "key", "Twitch needs a stream key"},
		{"facebook without key", Destination{URL: "rtmps://live-api-s.facebook.com:443/rtmp/"}, "key", "Facebook needs a stream key"},
		{"key with a space", Destination{URL: "rtmp://h/app", Key: "a b"}, "key", "must not contain spaces or slashes"},
		{"key with a slash", Destination{URL: "rtmp://h/app", Key: "a/b"}, "key", "must not contain spaces or slashes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSettings()
			s.Images = SlidesOf("x.png")
			s.Duration = 0 // until stopped
			s.Live = Live{Destinations: []Destination{tt.d}}
			err := s.Validate()
			fields := FieldErrors(err)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if len(fields) != 1 || fields[0].Field != tt.field {
				t.Fatalf("Validate = %v, want one error on %q", err, tt.field)
			}
			if !strings.Contains(fields[0].Error(), tt.msg) {
				t.Errorf("message %q lacks %q", fields[0].Error(), tt.msg)
			}
			if strings.Contains(fields[0].Error(), "\n") {
				t.Errorf("message is not one line: %q", fields[0].Error())
			}
		})
	}
}

func TestLiveValidateSettings(t *testing.T) {
	t.Parallel()
	base := func() Settings {
		s := DefaultSettings()
		s.Images = SlidesOf("x.png")
		s.Duration = 0
		s.Live = Live{Destinations: []Destination{{URL: "rtmp://h/app", Key: "k"}}}
		return s
	}
	tests := []struct {
		name   string
		change func(*Settings)
		fields []string
	}{
		{"until stopped", func(*Settings) {}, nil},
		{"no output file needed", func(s *Settings) { s.Output = "" }, nil},
		{"with a duration", func(s *Settings) { s.Duration = 3 * time.Second }, nil},
		{"bitrate at the bounds", func(s *Settings) { s.Live.Bitrate = minBitrate }, nil},
		{"bitrate too low", func(s *Settings) { s.Live.Bitrate = 99_999 }, []string{"bitrate"}},
		{"bitrate too high", func(s *Settings) { s.Live.Bitrate = MaxBitrate + 1 }, []string{"bitrate"}},
		{"negative retries", func(s *Settings) { s.Live.MaxReconnects = -1 }, []string{"retries"}},
		{"every destination checked", func(s *Settings) {
			s.Live.Destinations = append(s.Live.Destinations, Destination{URL: "http://x/y"}, Destination{URL: "rtmp://live.twitch.tv/app"})
		}, []string{"url", "key"}},
		{"negative duration", func(s *Settings) { s.Duration = -time.Second }, []string{"duration"}},
	}
	for _, tt := range tests {
		s := base()
		tt.change(&s)
		var got []string
		for _, fe := range FieldErrors(s.Validate()) {
			got = append(got, fe.Field)
		}
		if !slices.Equal(got, tt.fields) {
			t.Errorf("%s: fields %v, want %v (%v)", tt.name, got, tt.fields, s.Validate())
		}
	}
}

func TestLiveParseBitrate(t *testing.T) {
	t.Parallel()
	good := map[string]int{
		"2500k": 2_500_000, "2500K": 2_500_000, " 1500k ": 1_500_000, "2.5M": 2_500_000, "2.5m": 2_500_000,
		"800000": 800_000, "0": 0, "1M": 1_000_000, "0.5k": 500,
	}
	for in, want := range good {
		got, err := ParseBitrate(in)
		if err != nil || got != want {
			t.Errorf("ParseBitrate(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "k", "M", "abc", "-1k", "-5", "2500kb", "2,5M", "1e99", "inf", "NaN", "nank", "2500 k"} {
		got, err := ParseBitrate(in)
		if err == nil {
			t.Errorf("ParseBitrate(%q) = %d, want an error", in, got)
			continue
		}
		if !strings.Contains(err.Error(), "is not a bitrate") || !strings.Contains(err.Error(), "2500k") {
			t.Errorf("ParseBitrate(%q) error %q does not say what to write", in, err)
		}
	}
}

func TestLiveFailureHints(t *testing.T) {
	t.Parallel()
	for line, want := range map[string]string{
		"rtmp://127.0.0.1:1/live/[stream key]: Connection refused":              "cannot reach the server",
		"Failed to resolve hostname x.invalid: Name or service not known":       "cannot reach the server",
		"av_interleaved_write_frame(): Connection reset by peer":                "the server closed the connection",
		"Error writing trailer of rtmp://h/app/[stream key]: Broken pipe":       "the server closed the connection",
		"Connection to tcp://10.1.1.1:1935 failed: Connection timed out":        "cannot reach the server",
		"Connection to tcp://10.1.1.1:1935 failed: Network is unreachable":      "cannot reach the server",
		"Connection to tcp://10.1.1.1:1935?x failed: No route to host":          "cannot reach the server",
		"rtmp://127.0.0.1:1/live/[stream key]: Input/output error (not hinted)": "Input/output error",
	} {
		if got := ffmpeg.NewError(1, []string{line}).Error(); !strings.Contains(got, want) {
			t.Errorf("%q gives %q, want it to say %q", line, got, want)
		}
	}
}

func TestLiveDefaultBitrate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		w, h, want int
	}{
		{640, 360, 1_000_000},
		{854, 480, 1_000_000},
		{1280, 720, 1_500_000},
		{1080, 1080, 2_500_000},
		{1920, 1080, 2_500_000},
		{1080, 1920, 2_500_000}, // vertical is as many pixels as 1080p
		{2560, 1440, 4_500_000},
		{3840, 2160, 8_000_000},
	}
	for _, tt := range tests {
		if got := DefaultBitrate(tt.w, tt.h); got != tt.want {
			t.Errorf("DefaultBitrate(%d, %d) = %d, want %d", tt.w, tt.h, got, tt.want)
		}
		if got := DefaultBitrate(tt.w, tt.h); got < minBitrate || got > MaxBitrate {
			t.Errorf("DefaultBitrate(%d, %d) = %d is outside what Validate accepts", tt.w, tt.h, got)
		}
	}
	// Never less for more pixels.
	prev := 0
	for side := 16; side <= 8192; side += 16 {
		got := DefaultBitrate(side, side*9/16)
		if got < prev {
			t.Fatalf("DefaultBitrate drops from %d to %d at width %d", prev, got, side)
		}
		prev = got
	}
}

func TestLiveStateStrings(t *testing.T) {
	t.Parallel()
	want := map[LiveState]string{LiveConnecting: "connecting", LiveOnAir: "live", LiveReconnecting: "reconnecting",
		LiveStopped: "stopped", LiveFailed: "failed", LiveState(9): "LiveState(9)"}
	for st, w := range want {
		if st.String() != w {
			t.Errorf("%d.String() = %q, want %q", int(st), st.String(), w)
		}
	}
}

func TestLivePlanDefaultsTheBitrate(t *testing.T) {
	t.Parallel()
	s := DefaultSettings()
	s.FPS = 30
	s.Live = Live{Destinations: []Destination{{URL: "rtmp://h/a", Key: "k1"}, {URL: "rtmp://h/b/"}}}
	l := &liveStream{s: s}
	p := planLive(s, facts{Image: image.Pt(1280, 720)}).Encode
	if p.Bitrate != 1_500_000 || p.Width != 1280 || p.Height != 720 || p.FPS != 30 || p.Matrix != picture.BT709() {
		t.Errorf("plan %+v", p)
	}
	if got := l.output(); got != "rtmp://h/a/[stream key], rtmp://h/b/" {
		t.Errorf("output() = %q", got)
	}
	s.Live.Bitrate = 900_000
	if p := planLive(s, facts{Image: image.Pt(1280, 720)}).Encode; p.Bitrate != 900_000 {
		t.Errorf("chosen bitrate became %d", p.Bitrate)
	}
}
