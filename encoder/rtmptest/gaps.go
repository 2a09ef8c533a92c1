package rtmptest

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Gap is a stretch of a recording's timeline with no packet of one kind.
type Gap struct {
	// From is the timestamp of the packet before the gap, To that of the
	// packet after it.
	From, To time.Duration
}

// Len is how long the gap lasts.
func (g Gap) Len() time.Duration { return g.To - g.From }

func (g Gap) String() string { return fmt.Sprintf("%s gap at %s", g.Len(), g.From) }

// Gaps returns where the timestamps of consecutive packets of one kind
// ("video" or "audio") of the recording at path are more than over apart,
// in the order of the file. Timestamps are decode timestamps, so B-frames
// do not count as gaps; a backwards jump is a gap of negative length, and
// listed whatever over is. At 30 frames a second a recording without a gap
// has packets 33 ms apart, and AAC at 48 kHz 21 ms apart: "no gap over
// 0.1 s" is Gaps(t, path, "video", 100*time.Millisecond) == nil.
//
// It reads the file with ffprobe -show_packets, and fails the test when the
// file holds no packet of that kind.
func Gaps(t testing.TB, path, kind string, over time.Duration) []Gap {
	t.Helper()
	times, err := PacketTimes(path, kind)
	if err != nil {
		t.Fatalf("rtmptest: %v", err)
	}
	var gaps []Gap
	for i := 1; i < len(times); i++ {
		if d := times[i] - times[i-1]; d > over || d < 0 {
			gaps = append(gaps, Gap{From: times[i-1], To: times[i]})
		}
	}
	return gaps
}

// streamSpecifiers are ffprobe's -select_streams for each kind of packet.
var streamSpecifiers = map[string]string{"video": "v", "audio": "a"}

// PacketTimes returns the decode timestamps of the packets of one kind
// ("video" or "audio") of the recording at path, in the order of the file,
// read with ffprobe. A packet without a decode timestamp has its
// presentation timestamp instead. It is an error when there is no packet
// of that kind.
func PacketTimes(path, kind string) ([]time.Duration, error) {
	spec, ok := streamSpecifiers[kind]
	if !ok {
		return nil, fmt.Errorf("packet kind %q: want video or audio", kind)
	}
	bin, err := exec.LookPath("ffprobe")
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", filepath.Base(path), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-v", "error", "-select_streams", spec,
		"-show_entries", "packet=dts_time,pts_time", "-of", "csv=p=0", path)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("ffprobe %s: %w: %s", filepath.Base(path), err, strings.TrimSpace(stderr.String()))
	}
	times, err := parsePacketTimes(string(out))
	if err != nil {
		return nil, fmt.Errorf("ffprobe %s: %w", filepath.Base(path), err)
	}
	if len(times) == 0 {
		return nil, fmt.Errorf("%s has no %s packets", filepath.Base(path), kind)
	}
	return times, nil
}

// parsePacketTimes reads ffprobe's "pts_time,dts_time" lines (the order
// of -show_entries is ffprobe's own: pts before dts). Packets with side
// data have an empty field more at the end.
func parsePacketTimes(csv string) ([]time.Duration, error) {
	var times []time.Duration
	for i, line := range strings.Fields(csv) {
		fields := append(strings.Split(line, ","), "")
		s := fields[1]
		if s == "" || s == "N/A" {
			s = fields[0]
		}
		sec, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("packet %d: timestamp %q: %w", i, line, err)
		}
		times = append(times, time.Duration(sec*float64(time.Second)).Round(time.Microsecond))
	}
	return times, nil
}
