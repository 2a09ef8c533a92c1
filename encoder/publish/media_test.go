package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
)

// media is a short stream split into packets, as the playout hands them
// over: H.264 access units from an Annex-B file, AAC frames from ADTS.
type media struct {
	codecs  Codecs
	packets []Packet      // one round, in timestamp order
	length  time.Duration // one round
}

// makeMedia encodes secs seconds of a test picture and a tone with
// ffmpeg (no B-frames, a keyframe every 2 s, access unit delimiters) and
// splits them with mediacommon.
func makeMedia(t testing.TB, size string, bitrate string, secs int) *media {
	t.Helper()
	bin, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("ffmpeg is not installed")
	}
	dir := t.TempDir()
	video, audio := filepath.Join(dir, "v.h264"), filepath.Join(dir, "a.aac")
	d := strconv.Itoa(secs)
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(bin, append([]string{"-hide_banner", "-loglevel", "error", "-y"}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("ffmpeg: %v\n%s", err, out)
		}
	}
	run("-f", "lavfi", "-i", "testsrc2=size="+size+":rate=30", "-t", d, "-c:v", "libx264", "-preset", "veryfast",
		"-pix_fmt", "yuv420p", "-bf", "0", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0",
		"-b:v", bitrate, "-maxrate", bitrate, "-bufsize", bitrate, "-x264-params", "aud=1", "-f", "h264", video)
	run("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", d, "-ac", "2", "-c:a", "aac", "-b:a", "128k", "-f", "adts", audio)
	m := &media{length: time.Duration(secs) * time.Second}
	m.splitVideo(t, video)
	m.splitAudio(t, audio)
	sort.SliceStable(m.packets, func(i, j int) bool { return m.packets[i].PTS < m.packets[j].PTS })
	return m
}

func (m *media) splitVideo(t testing.TB, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// AnnexB.Unmarshal reads one access unit: cut the file at each access
	// unit delimiter (x264 writes them with 4-byte start codes) first.
	aud := []byte{0, 0, 0, 1, 9}
	for frame := 0; len(b) > 0; frame++ {
		end := bytes.Index(b[len(aud):], aud)
		if end < 0 {
			end = len(b)
		} else {
			end += len(aud)
		}
		var nalus h264.AnnexB
		if err := nalus.Unmarshal(b[:end]); err != nil {
			t.Fatalf("%s, access unit %d: %v", path, frame, err)
		}
		b = b[end:]
		var au [][]byte
		for _, n := range nalus {
			switch h264.NALUType(n[0] & 0x1f) {
			case h264.NALUTypeAccessUnitDelimiter:
				continue
			case h264.NALUTypeSPS:
				m.codecs.SPS = n
			case h264.NALUTypePPS:
				m.codecs.PPS = n
			}
			au = append(au, n)
		}
		pts := time.Duration(frame) * time.Second / 30
		m.packets = append(m.packets, Packet{Kind: Video, PTS: pts, DTS: pts, Key: h264.IsRandomAccess(au), Data: au})
	}
	if m.codecs.SPS == nil || len(m.packets) == 0 {
		t.Fatalf("%s: no SPS or no frames", path)
	}
}

func (m *media) splitAudio(t testing.TB, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var pkts mpeg4audio.ADTSPackets
	if err := pkts.Unmarshal(b); err != nil {
		t.Fatal(err)
	}
	conf := mpeg4audio.AudioSpecificConfig{Type: pkts[0].Type, SampleRate: pkts[0].SampleRate, ChannelConfig: pkts[0].ChannelConfig}
	if m.codecs.AudioConfig, err = conf.Marshal(); err != nil {
		t.Fatal(err)
	}
	for i, p := range pkts {
		pts := time.Duration(i) * 1024 * time.Second / time.Duration(p.SampleRate)
		if pts >= m.length {
			break
		}
		m.packets = append(m.packets, Packet{Kind: Audio, PTS: pts, DTS: pts, Data: [][]byte{p.AU}})
	}
}

// feed hands out the media in rounds with continuous timestamps, paced by
// the wall clock, until ctx ends; then it closes packets.
func (m *media) feed(ctx context.Context, packets chan<- Packet) {
	feedRounds(ctx, packets, []*media{m})
}

// pace is how the test feeders pace packets: every 40 ms they hand over
// those whose time has come, as the playout should, so that Run wakes once
// a batch rather than once a packet (each wake-up of a goroutine costs
// more than passing a packet on).
const pace = 100 * time.Millisecond

// feedRounds plays the media one after another, again and again; a round
// whose codecs differ from the last one's carries them on its first packet.
func feedRounds(ctx context.Context, packets chan<- Packet, rounds []*media) {
	defer close(packets)
	start := time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	var offset time.Duration
	for i := 0; ; i++ {
		m := rounds[i%len(rounds)]
		for j, p := range m.packets {
			p.PTS += offset
			p.DTS += offset
			if j == 0 && i > 0 && len(rounds) > 1 {
				p.Codecs = &m.codecs
			}
			if wait := time.Until(start.Add(p.DTS.Truncate(pace))); wait > 0 {
				timer.Reset(wait)
				select {
				case <-ctx.Done():
					return
				case <-timer.C:
				}
			}
			select {
			case packets <- p:
			case <-ctx.Done():
				return
			}
		}
		offset += m.length
	}
}

// probePacket is one packet of a recording, as ffprobe shows it.
type probePacket struct {
	Type string  `json:"codec_type"`
	DTS  float64 `json:"dts_time,string"`
	Flag string  `json:"flags"`
}

// probePackets lists a recording's packets with ffprobe.
func probePackets(t testing.TB, path string) []probePacket {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_packets", "-show_entries", "packet=codec_type,dts_time,flags",
		"-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var r struct{ Packets []probePacket }
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	return r.Packets
}

// gaps finds, per stream, the largest step between packets and where the
// stream starts and ends.
type streamSpan struct {
	first, last, maxGap float64
	n                   int
	firstKey            bool
}

func spans(pkts []probePacket) map[string]*streamSpan {
	out := map[string]*streamSpan{}
	for _, p := range pkts {
		s := out[p.Type]
		if s == nil {
			s = &streamSpan{first: p.DTS, last: p.DTS, firstKey: len(p.Flag) > 0 && p.Flag[0] == 'K'}
			out[p.Type] = s
		}
		s.maxGap = max(s.maxGap, p.DTS-s.last)
		s.last = p.DTS
		s.n++
	}
	return out
}

func (s *streamSpan) String() string {
	return fmt.Sprintf("%d packets from %.3f to %.3f s, largest gap %.3f s", s.n, s.first, s.last, s.maxGap)
}
