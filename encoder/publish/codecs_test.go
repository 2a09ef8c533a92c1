package publish

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// TestCodecsChange: a packet with new Codecs (a segment encoded at
// another size) makes the connection send new sequence headers before
// it, with no reconnect: the recording decodes at both sizes.
func TestCodecsChange(t *testing.T) {
	small := makeMedia(t, "320x240", "300k", 2)
	large := makeMedia(t, "480x360", "400k", 2)
	s := rtmptest.Start(t, rtmptest.Options{})
	log := newStatusLog()
	pub := New([]Target{target(s, "live", "sizes")}, Options{Status: log.add})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	packets := make(chan Packet, 16)
	go feedRounds(ctx, packets, []*media{small, large})
	done := make(chan error, 1)
	go func() { done <- pub.Run(ctx, small.codecs, packets) }()
	log.wait(t, 0, time.Time{}, 15*time.Second, func(s Status) bool { return s.State == OnAir && s.Uptime >= 5*time.Second })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if st, _ := log.last(0); st.Reconnects != 0 {
		t.Errorf("%d reconnects, want none", st.Reconnects)
	}
	if err := s.WaitRecordingsClosed(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	recs := s.Recordings("live")
	if len(recs) != 1 {
		t.Fatalf("%d recordings, want 1", len(recs))
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "frame=width",
		"-of", "csv=p=0", recs[0]).Output()
	if err != nil {
		t.Fatal(err)
	}
	widths := map[string]int{}
	for _, w := range strings.Fields(string(out)) {
		widths[w]++
	}
	if widths["320"] < 50 || widths["480"] < 50 {
		t.Errorf("decoded frames by width: %v, want both sizes", widths)
	}
	t.Logf("decoded frames by width: %v", widths)
}
