package encoder

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/picture"
)

func TestPlanAudio(t *testing.T) {
	mp4, mkv := Containers()[0], Containers()[2]
	song := func(codec string, secs float64, bitrate int) AudioInfo {
		return AudioInfo{Path: "/m/" + codec, Codec: codec, Duration: time.Duration(secs * float64(time.Second)), Bitrate: bitrate}
	}
	s := time.Second
	spliced := &AudioInfo{} // any: the plan names the track
	tests := []struct {
		name   string
		tracks []AudioInfo
		length time.Duration
		loop   bool
		c      Container
		want   audioPlan
	}{
		{"mp3 into mp4, same length: copied", []AudioInfo{song("mp3", 30, 128_000)}, 30 * s, false, mp4,
			audioPlan{Files: []string{"/m/mp3"}, Copy: true, Length: 30 * s, Bitrate: aacBitrate, Tags: true}},
		{"length off by less than a frame: still copied", []AudioInfo{song("aac", 30.03, 128_000)}, 30 * s, false, mp4,
			audioPlan{Files: []string{"/m/aac"}, Copy: true, Length: 30 * s, Bitrate: aacBitrate, Tags: true}},
		{"flac into mp4: AAC, richer", []AudioInfo{song("flac", 30, 900_000)}, 30 * s, false, mp4,
			audioPlan{Files: []string{"/m/flac"}, Length: 30 * s, Bitrate: aacRichBitrate, Tags: true}},
		{"flac into mkv: copied", []AudioInfo{song("flac", 30, 900_000)}, 30 * s, false, mkv,
			audioPlan{Files: []string{"/m/flac"}, Copy: true, Length: 30 * s, Bitrate: aacRichBitrate, Tags: true}},
		{"320k mp3 cut short: copied but a fade, else AAC 256k", []AudioInfo{song("mp3", 60, 320_000)}, 20 * s, false, mp4,
			audioPlan{Files: []string{"/m/mp3"}, Length: 20 * s, FadeOut: audioFadeOut, Bitrate: aacRichBitrate, Tags: true, Splice: spliced}},
		{"a short video gets a short fade", []AudioInfo{song("mp3", 60, 128_000)}, 4 * s, false, mp4,
			audioPlan{Files: []string{"/m/mp3"}, Length: 4 * s, FadeOut: s, Bitrate: aacBitrate, Tags: true, Splice: spliced}},
		{"flac cut short into mp4: AAC", []AudioInfo{song("flac", 60, 900_000)}, 20 * s, false, mp4,
			audioPlan{Files: []string{"/m/flac"}, Length: 20 * s, FadeOut: audioFadeOut, Bitrate: aacRichBitrate, Tags: true}},
		{"opus looped into mkv: AAC", []AudioInfo{song("opus", 10, 128_000)}, 25 * s, true, mkv,
			audioPlan{Files: []string{"/m/opus"}, Loop: true, Length: 25 * s, FadeOut: audioFadeOut, Bitrate: aacBitrate, Tags: true}},
		{"aac looped into mkv: copied but the joins and the fade", []AudioInfo{song("aac", 10, 128_000)}, 25 * s, true, mkv,
			audioPlan{Files: []string{"/m/aac"}, Loop: true, Length: 25 * s, FadeOut: audioFadeOut, Bitrate: aacBitrate, Tags: true, Splice: spliced}},
		{"longer video: silence after", []AudioInfo{song("mp3", 10, 128_000)}, 20 * s, false, mp4,
			audioPlan{Files: []string{"/m/mp3"}, Length: 20 * s, Pad: true, Bitrate: aacBitrate, Tags: true}},
		{"longer video, looped: fades at the end", []AudioInfo{song("mp3", 10, 128_000)}, 25 * s, true, mp4,
			audioPlan{Files: []string{"/m/mp3"}, Loop: true, Length: 25 * s, FadeOut: audioFadeOut, Bitrate: aacBitrate, Tags: true, Splice: spliced}},
		{"loop asked but not needed", []AudioInfo{song("mp3", 10, 128_000)}, 10 * s, true, mp4,
			audioPlan{Files: []string{"/m/mp3"}, Copy: true, Length: 10 * s, Bitrate: aacBitrate, Tags: true}},
		{"an album: joined, encoded, no one's tags", []AudioInfo{song("mp3", 10, 128_000), song("aac", 5, 128_000)}, 15 * s, false, mp4,
			audioPlan{Files: []string{"/m/mp3", "/m/aac"}, Length: 15 * s, Bitrate: aacBitrate}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := planAudio(tt.tracks, tt.length, tt.loop, tt.c, 25)
			if got == nil || !slices.Equal(got.Files, tt.want.Files) {
				t.Fatalf("plan %+v, want %+v", got, tt.want)
			}
			g, w := *got, tt.want
			if (g.Splice != nil) != (w.Splice != nil) || g.Splice != nil && g.Splice.Path != tt.tracks[0].Path {
				t.Errorf("splice by copy: %+v, want %v", g.Splice, w.Splice != nil)
			}
			g.Files, w.Files, g.Splice, w.Splice = nil, nil, nil, nil
			if fmt.Sprintf("%+v", g) != fmt.Sprintf("%+v", w) {
				t.Errorf("plan %+v\nwant %+v", g, w)
			}
		})
	}
	if planAudio(nil, time.Second, false, mp4, 25) != nil {
		t.Error("a plan without audio")
	}
}

func TestMuxArgs(t *testing.T) {
	join := func(a []string) string { return strings.Join(a, " ") }
	tests := []struct {
		name      string
		m         mux
		in, out   string
		inputArgs int // how many -i
	}{
		{"copy with cover",
			mux{Audio: &audioPlan{Files: []string{"/a.mp3"}, Copy: true, Length: 30 * time.Second, Tags: true}, Cover: "/c.jpg", CoverStyle: coverPicture},
			"-i file:/a.mp3 -i file:/c.jpg",
			"-map 1:a:0 -c:a copy -map_metadata 1 -map 2:v:0 -c:v:1 copy -disposition:v:1 attached_pic", 2},
		{"loop with fade",
			mux{Audio: &audioPlan{Files: []string{"/a.wav"}, Loop: true, Length: 25 * time.Second, FadeOut: 3 * time.Second, Bitrate: 192000}},
			"-stream_loop -1 -i file:/a.wav",
			"-filter_complex [1:a:0]afade=t=out:st=22.000000:d=3.000000[audio] -map [audio] -c:a aac -b:a 192000", 1},
		{"album padded",
			mux{Audio: &audioPlan{Files: []string{"/1.mp3", "/2.flac"}, Pad: true, Length: 20 * time.Second, Bitrate: 256000}, Cover: "/c.jpg", CoverStyle: coverPicture},
			"-i file:/1.mp3 -i file:/2.flac -i file:/c.jpg",
			"-filter_complex [1:a:0][2:a:0]concat=n=2:v=0:a=1,apad[audio] -map [audio] -c:a aac -b:a 256000 -map 3:v:0 -c:v:1 copy -disposition:v:1 attached_pic", 3},
		{"encoded as it is",
			mux{Audio: &audioPlan{Files: []string{"/a.ogg"}, Length: 5 * time.Second, Bitrate: 192000}},
			"-i file:/a.ogg",
			"-filter_complex [1:a:0]anull[audio] -map [audio] -c:a aac -b:a 192000", 1},
		{"attached to Matroska",
			mux{Audio: &audioPlan{Files: []string{"/a.flac"}, Copy: true, Length: 2 * time.Second}, Cover: "/c.jpg", CoverStyle: coverAttachment},
			"-i file:/a.flac",
			"-map 1:a:0 -c:a copy -attach file:/c.jpg -metadata:s:t:0 mimetype=image/jpeg -metadata:s:t:0 filename=cover.jpg", 1},
		{"spliced by copy, with the song's tags and cover",
			mux{Audio: &audioPlan{Files: []string{"/a.mp3"}, Spliced: "/w/spliced.mp3", Copy: true, Length: 10 * time.Hour, Tags: true}, Cover: "/c.jpg", CoverStyle: coverPicture},
			"-i file:/w/spliced.mp3 -i file:/a.mp3 -i file:/c.jpg",
			"-map 1:a:0 -c:a copy -map_metadata 2 -map 3:v:0 -c:v:1 copy -disposition:v:1 attached_pic", 3},
		{"nothing", mux{}, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := join(tt.m.inputArgs()); got != tt.in {
				t.Errorf("inputs  %q\nwant    %q", got, tt.in)
			}
			if got := join(tt.m.outputArgs()); got != tt.out {
				t.Errorf("outputs %q\nwant    %q", got, tt.out)
			}
		})
	}
	// In the full argument lists, the extra inputs follow the video's.
	p := encodePlan{Input: "/f", Width: 64, Height: 36, FPS: 25, Matrix: picture.BT601(), Preset: "veryfast", CRF: 20, Container: Containers()[0], Output: "/o.mp4",
		Mux: mux{Audio: &audioPlan{Files: []string{"/a.mp3"}, Copy: true, Length: time.Second}}}
	args := join(ffmpegArgs(p))
	if !strings.Contains(args, "-i file:/f -i file:/a.mp3 -map 0:v:0 -c:v:0 libx264") || !strings.Contains(args, "-map 1:a:0 -c:a copy") {
		t.Errorf("ffmpegArgs with audio: %s", args)
	}
	if !strings.Contains(args, "-t 1.000000") {
		t.Errorf("ffmpegArgs with audio must cut it to the video: %s", args)
	}
	asm := join(assembleArgs(assemblePlan{List: "/l", Frames: 25, FPS: 25, Container: Containers()[0], Output: "/o.mp4", Mux: p.Mux}))
	if strings.Contains(asm, "-frames:v") || !strings.Contains(asm, "-i file:/l -i file:/a.mp3") || !strings.Contains(asm, "-t 1.000000") {
		t.Errorf("assembleArgs with audio must stop by -t, not -frames (which cuts the audio): %s", asm)
	}
}

// parseProbe reads ffprobe's JSON about path as probeAudio does.
func parseProbe(path string, data []byte) (AudioInfo, error) {
	p, err := ffmpeg.ParseProbe(data)
	if err != nil {
		return AudioInfo{}, audioErr(path, err)
	}
	return audioInfo(path, p)
}

func TestParseProbe(t *testing.T) {
	const mp3 = `{"streams":[{"codec_type":"audio","codec_name":"mp3","sample_rate":"44100","channels":2,"bit_rate":"320000","duration":"181.5","disposition":{"attached_pic":0}},
		{"codec_type":"video","codec_name":"mjpeg","disposition":{"attached_pic":1}}],
		"format":{"duration":"181.524","bit_rate":"321000","tags":{"title":"Song","ARTIST":"Band"}}}`
	a, err := parseProbe("/m/01 song.mp3", []byte(mp3))
	if err != nil {
		t.Fatal(err)
	}
	want := AudioInfo{Path: "/m/01 song.mp3", Codec: "mp3", SampleRate: 44100, Channels: 2, Bitrate: 320000,
		Duration: 181524 * time.Millisecond, Title: "Song", Artist: "Band"}
	if a != want {
		t.Errorf("got  %+v\nwant %+v", a, want)
	}
	if a.Label() != "Band – Song" {
		t.Errorf("label %q", a.Label())
	}
	// Vorbis comments upper case; no title: the file name.
	a, err = parseProbe("/m/02 rain.flac", []byte(`{"streams":[{"codec_type":"audio","codec_name":"flac","sample_rate":"48000","channels":2,"tags":{"ARTIST":"X"}}],"format":{"duration":"60.0"}}`))
	if err != nil || a.Title != "02 rain" || a.Artist != "" || a.Label() != "02 rain" || a.Duration != time.Minute {
		t.Errorf("got %+v, %v", a, err)
	}
	for name, js := range map[string]string{
		"is a video":           `{"streams":[{"codec_type":"video","codec_name":"h264","disposition":{"attached_pic":0}},{"codec_type":"audio","codec_name":"aac"}],"format":{"duration":"5"}}`,
		"has no audio":         `{"streams":[{"codec_type":"video","codec_name":"png","disposition":{"attached_pic":0}}],"format":{"duration":"0.04"}}`,
		"cannot be read":       `{"streams":[{"codec_type":"audio","codec_name":"mp3"}],"format":{}}`,
		"reading ffprobe's an": `not json`,
	} {
		if _, err := parseProbe("/m/x.mp3", []byte(js)); err == nil || !strings.Contains(err.Error(), name) || !strings.HasPrefix(err.Error(), "audio: x.mp3: ") {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

func TestExpandAudio(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"10 ten.mp3", "2 two.FLAC", "1 one.opus", "cover.jpg", "notes.txt"} {
		writeTestFile(t, dir, n, []byte("x"))
	}
	os.Mkdir(filepath.Join(dir, "sub.mp3"), 0o755) // a folder, whatever its name
	single := writeTestFile(t, t.TempDir(), "solo.wav", []byte("x"))
	got, err := expandAudio([]string{single, dir})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{single, filepath.Join(dir, "1 one.opus"), filepath.Join(dir, "2 two.FLAC"), filepath.Join(dir, "10 ten.mp3")}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if _, err := expandAudio([]string{filepath.Join(dir, "nope")}); err == nil || !strings.Contains(err.Error(), "nope: no such file") {
		t.Errorf("missing: %v", err)
	}
	for _, ok := range []string{"a.mp3", "B.M4A", "c.ogg", "d.opus", "e.wav", "f.flac", "g.aac", "h.oga"} {
		if !IsAudioFile(ok) {
			t.Errorf("IsAudioFile(%q) = false", ok)
		}
	}
	for _, no := range []string{"a.mp4", "b.jpg", "mp3", "c.mp3.txt"} {
		if IsAudioFile(no) {
			t.Errorf("IsAudioFile(%q) = true", no)
		}
	}
}

func TestNaturalLess(t *testing.T) {
	names := []string{"track 10.mp3", "Track 2.mp3", "track 1.mp3", "b.mp3", "a10.mp3", "a9.mp3", "a.mp3"}
	slices.SortFunc(names, func(a, b string) int {
		if naturalLess(a, b) {
			return -1
		}
		if naturalLess(b, a) {
			return 1
		}
		return 0
	})
	want := []string{"a.mp3", "a9.mp3", "a10.mp3", "b.mp3", "track 1.mp3", "Track 2.mp3", "track 10.mp3"}
	if !slices.Equal(names, want) {
		t.Errorf("got  %q\nwant %q", names, want)
	}
}

func TestPlaylistOrder(t *testing.T) {
	tracks := make([]AudioInfo, 4)
	in := newPlaylist(tracks, false, nil)
	var got []int
	for range 9 {
		got = append(got, trackOf(in))
		in.advance()
	}
	if !slices.Equal(got, []int{0, 1, 2, 3, 0, 1, 2, 3, 0}) {
		t.Errorf("in order: %v", got)
	}
	// Shuffled: each round plays every track once, and a round never
	// starts with the track the last one ended on. Without that rule a
	// round would do so one time in four: over 200 seeded rounds it would
	// be caught about 50 times.
	intn := rand.New(rand.NewPCG(1, 2)).IntN
	sh := newPlaylist(tracks, true, intn)
	var rounds [][]int
	for range 200 {
		var round []int
		for range 4 {
			round = append(round, trackOf(sh))
			sh.advance()
		}
		rounds = append(rounds, round)
	}
	for i, r := range rounds {
		sorted := slices.Sorted(slices.Values(r))
		if !slices.Equal(sorted, []int{0, 1, 2, 3}) {
			t.Errorf("round %d plays %v", i, r)
		}
		if i > 0 && r[0] == rounds[i-1][3] {
			t.Errorf("round %d starts with %d, the track just played (%v)", i, r[0], rounds)
		}
	}
	one := newPlaylist(tracks[:1], true, intn)
	one.advance()
	if trackOf(one) != 0 {
		t.Error("a playlist of one")
	}
}

func trackOf(p *playlist) int { return p.current() }

// TestPlaylistUpcoming: the track after the one playing is known ahead,
// also across a shuffled round's end, so it can be prepared while this
// one plays.
func TestPlaylistUpcoming(t *testing.T) {
	n := 0
	p := newPlaylist(make([]AudioInfo, 3), true, func(k int) int { n++; return n % k })
	for i := range 10 {
		next := p.ahead(1)[0]
		p.advance()
		if got := p.current(); got != next {
			t.Fatalf("step %d: upcoming said %d, then %d played", i, next, got)
		}
	}
}

func TestWholeSamples(t *testing.T) {
	data := bytes.Repeat([]byte{1, 2, 3, 4}, 10)
	data = append(data, 9, 9) // half a sample at the end
	r := &wholeSamples{r: iotest.OneByteReader(bytes.NewReader(data))}
	var out bytes.Buffer
	buf := make([]byte, 64)
	for {
		n, err := r.Read(buf)
		out.Write(buf[:n])
		if n%pcmFrame != 0 {
			t.Fatalf("a read of %d bytes: not whole samples", n)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(out.Bytes(), data[:40]) {
		t.Errorf("got %v", out.Bytes())
	}
	if d := pcmDuration(192000); d != time.Second {
		t.Errorf("a second of raw audio is %s", d)
	}
}
