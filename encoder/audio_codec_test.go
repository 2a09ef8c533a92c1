package encoder

import (
	"context"
	"errors"
	"image"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestPlanRenderAAC covers when a render encodes its audio ahead in
// chunks, with no ffmpeg: long audio that is encoded to AAC, on several
// cores; on the still path, or on the per-frame path as one whole part.
func TestPlanRenderAAC(t *testing.T) {
	t.Parallel()
	wav := func(d time.Duration) AudioInfo {
		return AudioInfo{Path: "/m/a.wav", Codec: "pcm_s16le", SampleRate: 44100, Channels: 2, Duration: d, Title: "A"}
	}
	mp3 := AudioInfo{Path: "/m/a.mp3", Codec: "mp3", SampleRate: 44100, Channels: 2, Bitrate: 192_000, Duration: 20 * time.Minute}
	tests := []struct {
		name     string
		edit     func(*Settings)
		track    AudioInfo
		cores    int
		chunks   int  // 0: no chunks, the output's ffmpeg encodes the audio
		whole    bool // the per-frame path, as one part
		duration time.Duration
	}{
		{"an hour of WAV", nil, wav(time.Hour), 2, 2, false, 0},
		{"on one core", nil, wav(time.Hour), 1, 0, false, 0},
		{"too short to gain", nil, wav(7 * time.Minute), 2, 0, false, 0},
		{"mp3 is copied", nil, mp3, 2, 0, false, 0},
		{"mp3 encoded on request", func(s *Settings) { s.AudioCodec = CodecAAC }, mp3, 2, 2, false, 0},
		{"ALAC is not chunked", func(s *Settings) { s.AudioCodec = CodecALAC }, wav(time.Hour), 2, 0, false, 0},
		{"Ken Burns: one whole part", func(s *Settings) { s.KenBurns = true }, wav(9 * time.Minute), 2, 2, true, 0},
		{"no fast path: one whole part", func(s *Settings) { s.NoFastPath = true }, wav(9 * time.Minute), 2, 2, true, 0},
		{"looped to 20 minutes", func(s *Settings) { s.LoopAudio = true }, wav(5 * time.Minute), 2, 2, false, 20 * time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := DefaultSettings()
			s.Images, s.Output, s.Size, s.Duration = SlidesOf("a.png"), "/v/a.mp4", Size{W: 1280, H: 720}, tc.duration
			s.Audio = []string{tc.track.Path}
			if tc.edit != nil {
				tc.edit(&s)
			}
			p, err := planRender(s, facts{Tracks: []AudioInfo{tc.track}, Image: image.Pt(1280, 720), Cores: tc.cores})
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			if p.AAC != nil {
				got = len(p.AAC.Chunks)
			}
			if got != tc.chunks {
				t.Fatalf("%d chunks, want %d", got, tc.chunks)
			}
			if p.AAC == nil {
				return
			}
			if p.Still == nil || p.Still.Whole != tc.whole {
				t.Fatalf("still path %v, whole %v; want whole %v", p.Still != nil, p.Still != nil && p.Still.Whole, tc.whole)
			}
			length := time.Duration(p.Total) * time.Second / time.Duration(s.FPS)
			if want := samplesIn(length, 44100); p.AAC.Samples != want {
				t.Errorf("%d samples, want %d", p.AAC.Samples, want)
			}
			args := strings.Join(ffmpegArgs(p.Still.segmentEncode(p.Encode, "/w")), " ")
			if tc.whole == strings.Contains(args, "-g 250") || strings.Contains(args, "-c:a") {
				t.Errorf("the parts' encode: %s", args)
			}
			chunk := strings.Join(joinedAACArgs(p.Encode.Mux.Audio, p.AAC.Chunks[1], 44100, "adts", "/w/1.adts", "", limits{}), " ")
			if s.LoopAudio != strings.Contains(chunk, "-stream_loop -1") || !strings.Contains(chunk, "atrim=end_sample=") {
				t.Errorf("a chunk's encode: %s", chunk)
			}
		})
	}
}

// TestChooseCodec covers --audio-codec: what it encodes to, and the
// choices it refuses with a field error that says why.
func TestChooseCodec(t *testing.T) {
	t.Parallel()
	flac := AudioInfo{Path: "/m/master.flac", Codec: "flac", SampleRate: 44100, Duration: time.Minute}
	mp3 := AudioInfo{Path: "/m/song.mp3", Codec: "mp3", SampleRate: 44100, Duration: time.Minute}
	c := func(ext string) Container { c, _ := ContainerFor("a" + ext); return c }
	tests := []struct {
		name, choice, ext string
		track             AudioInfo
		length            time.Duration
		lim               limits
		args, err         string
	}{
		{"auto keeps FLAC in Matroska", CodecAuto, ".mkv", flac, time.Minute, limits{}, "-c:a copy", ""},
		{"auto encodes FLAC for MP4", CodecAuto, ".mp4", flac, time.Minute, limits{}, "-c:a aac -b:a 256000", ""},
		{"aac encodes mp3", CodecAAC, ".mp4", mp3, time.Minute, limits{}, "-c:a aac -b:a 192000", ""},
		{"flac into MP4", CodecFLAC, ".mp4", flac, time.Minute, limits{}, "-c:a flac -strict experimental", ""},
		{"flac cut into MP4", CodecFLAC, ".mp4", flac, 30 * time.Second, limits{}, "afade=t=out", ""},
		{"alac into MOV", CodecALAC, ".mov", flac, time.Minute, limits{}, "-c:a alac", ""},
		{"alac into MP4", CodecALAC, ".mp4", flac, time.Minute, limits{}, "-c:a alac", ""},
		{"alac into MP4 on ffmpeg 4.1", CodecALAC, ".mp4", flac, time.Minute, oldestLimits(), "", "this ffmpeg cannot write ALAC into .mp4"},
		{"flac into MOV", CodecFLAC, ".mov", flac, time.Minute, limits{}, "", ".mov cannot carry flac audio"},
		{"alac into FLV", CodecALAC, ".flv", flac, time.Minute, limits{}, "", ".flv cannot carry alac audio"},
		{"copy mp3", CodecCopy, ".mp4", mp3, time.Minute, limits{}, "-c:a copy", ""},
		{"copy FLAC into MP4", CodecCopy, ".mp4", flac, time.Minute, limits{}, "", "master.flac: its flac audio cannot be copied into .mp4"},
		{"copy what must be cut", CodecCopy, ".mkv", flac, 30 * time.Second, limits{}, "", "must be cut short with a fade to fit the video"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := planAudio([]AudioInfo{tc.track}, tc.length, false, c(tc.ext), 25)
			err := chooseCodec(p, []AudioInfo{tc.track}, c(tc.ext), tc.choice, tc.lim)
			var fe *FieldError
			switch {
			case tc.err != "" && (!errors.As(err, &fe) || fe.Field != "audio-codec" || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("error %v, want one for audio-codec saying %q", err, tc.err)
			case tc.err == "" && err != nil:
				t.Fatal(err)
			case tc.err == "":
				if args := strings.Join(mux{Audio: p}.outputArgs(), " "); !strings.Contains(args, tc.args) {
					t.Errorf("args %s, want %q in them", args, tc.args)
				}
			}
		})
	}
	s := DefaultSettings()
	s.Images, s.Output, s.Duration, s.AudioCodec = SlidesOf("a.png"), "a.mp4", time.Second, "opus"
	if err := s.Validate(); err == nil || !slices.ContainsFunc(FieldErrors(err), func(fe *FieldError) bool { return fe.Field == "audio-codec" }) {
		t.Errorf("Validate with audio codec opus: %v, want a field error for audio-codec", err)
	}
}

// TestAudioCodecsDecode renders a short song with each lossless choice
// and checks what ffprobe finds, and that every sample is the source's.
func TestAudioCodecsDecode(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	img := writePNG(t, dir, "a.png", solidImage(64, 36, tRed))
	src := filepath.Join(dir, "master.flac")
	makeMusic(t, ffmpegBin, src, 3)
	for _, tc := range []struct{ choice, ext, codec string }{
		{CodecALAC, ".mp4", "alac"},
		{CodecFLAC, ".mp4", "flac"},
		{CodecALAC, ".mov", "alac"},
		{CodecAuto, ".mkv", "flac"}, // untouched, as always
		{CodecCopy, ".mkv", "flac"},
	} {
		t.Run(tc.choice+tc.ext, func(t *testing.T) {
			s := testSettings(img, filepath.Join(dir, "out-"+tc.choice+tc.ext))
			s.Audio, s.Duration, s.AudioCodec, s.Force = []string{src}, 0, tc.choice, true
			renderOK(t, s)
			if got := probeAV(t, s.Output).stream(t, "audio").CodecName; got != tc.codec {
				t.Errorf("audio codec %s, want %s", got, tc.codec)
			}
			want, got := stereoPCM(t, src, 44100), stereoPCM(t, s.Output, 44100)
			if !slices.Equal(want, got) {
				t.Errorf("the audio decodes to %d samples unlike the source's %d, or differs", len(got), len(want))
			}
		})
	}
}

// TestLongLosslessSongInChunks renders 8½ minutes of WAV into MP4 with
// its cover and title: the audio is encoded ahead in two chunks, and the
// file has it all, as long as the video, tagged. A second render is
// cancelled while the chunks encode: nothing of it is left.
func TestLongLosslessSongInChunks(t *testing.T) {
	needFFmpeg(t)
	tmp := isolateTemp(t)
	dir := t.TempDir()
	img := writePNG(t, dir, "a.png", solidImage(64, 36, tBlue))
	src := filepath.Join(dir, "long.wav")
	makeMusic(t, ffmpegBin, src, 510)
	s := testSettings(img, filepath.Join(dir, "song.mp4"))
	s.Audio, s.Duration, s.Size = []string{src}, 0, Size{W: 320, H: 180}
	if f, err := ProbeAll(context.Background(), ffmpegBin, s.Audio); err != nil {
		t.Fatal(err)
	} else if p, err := planRender(s, facts{Tracks: f, Image: image.Pt(64, 36), Cores: 2}); err != nil || p.AAC == nil {
		t.Fatalf("the plan encodes no chunks ahead (%v)", err)
	}
	evs := renderOK(t, s)
	last := 0.0
	for _, ev := range evs {
		if p, ok := ev.Event.(Progress); ok {
			if p.Fraction < last-1e-9 {
				t.Errorf("progress went back from %.3f to %.3f", last, p.Fraction)
			}
			last = p.Fraction
		}
	}
	pr := probeAV(t, s.Output)
	a, v := secondsOf(t, pr.stream(t, "audio").Duration), secondsOf(t, pr.stream(t, "video").Duration)
	if pr.stream(t, "audio").CodecName != "aac" || a < 509.99 || a > v+0.001 {
		t.Errorf("audio %s of %.3f s, video %.3f s: want AAC of 510 s, not past the video", pr.stream(t, "audio").CodecName, a, v)
	}
	if _, ok := pr.cover(); !ok || pr.Format.Tags["title"] != "Lossless" {
		t.Errorf("cover %v, title %q: want the cover and the song's title", ok, pr.Format.Tags["title"])
	}

	s.Output, s.Force = filepath.Join(dir, "cancelled.mp4"), true
	j, err := Start(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	waitProgress(t, j, func(p Progress) bool { return p.Fraction > 0.05 })
	j.Cancel()
	if err := j.Wait(); !errors.Is(err, ErrCancelled) {
		t.Errorf("Wait after Cancel: %v", err)
	}
	if left := stillcastTemps(t, tmp); len(left) > 0 {
		t.Errorf("left in the temporary folder: %v", left)
	}
	checkNoLeftoverProcesses(t, []string{src})
}
