//go:build linux

package rtmptest

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestGapsFindsHoles: a file with a 0.5 s hole in its video and one in
// its audio has one gap of each, about 0.6 s (the hole and a packet's
// spacing) and 0.52 s long, and none over a longer threshold.
func TestGapsFindsHoles(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("rtmptest: ffmpeg is needed")
	}
	path := filepath.Join(t.TempDir(), "holes.flv")
	// 10 fps: the 10th frame and those after it come 0.5 s late, and so
	// does the sound from its first second on.
	out, err := exec.Command(bin, "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10",
		"-f", "lavfi", "-i", "sine=sample_rate=48000", "-t", "2",
		"-vf", `setpts=PTS+gte(N\,10)*0.5/TB`, "-af", `asetpts=PTS+gte(T\,1)*0.5/TB`, "-fps_mode", "passthrough",
		"-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", path).CombinedOutput()
	if err != nil {
		t.Fatalf("making %s: %v\n%s", path, err, out)
	}
	for _, c := range []struct {
		kind     string
		from, to time.Duration // where the hole is, give or take a packet
	}{{"video", 900 * time.Millisecond, 1500 * time.Millisecond}, {"audio", time.Second, 1500 * time.Millisecond}} {
		gaps := Gaps(t, path, c.kind, 200*time.Millisecond)
		if len(gaps) != 1 || (gaps[0].From-c.from).Abs() > 50*time.Millisecond || (gaps[0].To-c.to).Abs() > 50*time.Millisecond {
			t.Errorf("%s gaps %v, want one from %s to %s", c.kind, gaps, c.from, c.to)
		}
		if gaps := Gaps(t, path, c.kind, 700*time.Millisecond); gaps != nil {
			t.Errorf("%s gaps over 0.7 s: %v", c.kind, gaps)
		}
	}
	if _, err := PacketTimes(path, "subtitles"); err == nil || !strings.Contains(err.Error(), `"subtitles"`) {
		t.Errorf("an unknown kind: %v", err)
	}
}

func TestParsePacketTimes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		csv  string
		want []time.Duration
		bad  bool
	}{
		{"", nil, false},
		{"0.023000,0.023000\n0.123000,0.123000\n", []time.Duration{23 * time.Millisecond, 123 * time.Millisecond}, false},
		{"0.000000,0.000000,\n0.040000,0.040000,\n", []time.Duration{0, 40 * time.Millisecond}, false},       // side data
		{"0.080000,N/A\n0.120000,\n", []time.Duration{80 * time.Millisecond, 120 * time.Millisecond}, false}, // no dts: pts
		{"0.100000,0.066667\n", []time.Duration{66667 * time.Microsecond}, false},                            // B-frames: dts
		{"N/A,N/A\n", nil, true},
	} {
		got, err := parsePacketTimes(c.csv)
		if (err != nil) != c.bad || !slices.Equal(got, c.want) {
			t.Errorf("parsePacketTimes(%q) = %v, %v; want %v, error %v", c.csv, got, err, c.want, c.bad)
		}
	}
}
