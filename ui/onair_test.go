package ui

import (
	"fmt"
	"image/color"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// frameColours decodes every frame of a recording down to one pixel: its
// average colour, in order.
func frameColours(t *testing.T, path string) []color.NRGBA {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-v", "error", "-i", path, "-an", "-vf", "scale=1:1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-").Output()
	if err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	var cs []color.NRGBA
	for i := 0; i+3 <= len(out); i += 3 {
		cs = append(cs, color.NRGBA{R: out[i], G: out[i+1], B: out[i+2], A: 255})
	}
	return cs
}

func reddish(c color.NRGBA) bool      { return int(c.R) > int(c.B)+80 }
func bluish(c color.NRGBA) bool       { return int(c.B) > int(c.R)+80 }
func colourText(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// An image dropped on the window while it streams goes on air: the panel
// says so, the preview shows it, and the server's recording turns from
// the first picture to the new one, with no reconnect.
func TestGoLiveChangesThePictureOnAir(t *testing.T) {
	srv := rtmptest.Start(t, rtmptest.Options{})
	h := newHarness(t)
	liveForm(t, h, srv.URL("live"), streamKey) // a blue picture
	r := goLive(t, h)
	v := h.progress.liveView
	h.q.until(t, "the stream is on air", func() bool { return v.state.Text == "LIVE" })
	rec, err := srv.WaitRecording("live", 1, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}

	red := writePNG(t, filepath.Join(h.dir, "red.png"), 64, 36, color.NRGBA{R: 220, G: 30, B: 30, A: 255})
	h.onDropped(fyne.NewPos(0, 0), fileURIs(red))
	if !strings.HasPrefix(v.pictureNote.Text, "Switching picture to red.png") || !v.pictureNote.Visible() {
		t.Errorf("after the drop the panel says %q", v.pictureNote.Text)
	}
	h.q.until(t, "the panel says the new picture is on air", func() bool { return v.pictureNote.Text != "Switching picture to red.png…" })
	if v.pictureNote.Text != "On air now: red.png" {
		t.Fatalf("the change ended with %q", v.pictureNote.Text)
	}
	h.waitPreview(t, red)

	deadline := time.Now().Add(20 * time.Second)
	for {
		cs := frameColours(t, rec)
		if n := len(cs); n > 0 && reddish(cs[n-1]) {
			if !bluish(cs[0]) {
				t.Errorf("the recording began %s, not with the blue picture", colourText(cs[0]))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the recording never turned red: %d frames, the last %v", len(cs), cs[max(len(cs)-1, 0):])
		}
		time.Sleep(500 * time.Millisecond)
	}
	if got := srv.Recordings("live"); len(got) != 1 {
		t.Errorf("%d recordings: the change reconnected", len(got))
	}
	checkKeyHidden(t, h, streamKey)
	stopLive(t, h, r, srv.Addr())
}

// One destination whose key the server refuses fails on its own row,
// with its reason, while the other stays on air.
func TestGoLiveOneDestinationFailsTheOtherGoesOn(t *testing.T) {
	srv := rtmptest.Start(t, rtmptest.Options{Apps: []string{"a", "b"}, Keys: []string{streamKey}})
	h := newHarness(t)
	liveForm(t, h, srv.URL("a"), streamKey)
	const wrongKey = "sk-WRONG-0000"
	h.live.second.SetChecked(true)
	h.setText(&h.live.server2.Entry, srv.URL("b"))
	h.setText(h.live.key2, wrongKey)

	r := goLive(t, h)
	v := h.progress.liveView
	// Refused, B fails, or tries again, as the publisher judges nginx's
	// answer (it closes the connection): either way with its own reason.
	h.q.until(t, "the second destination drops", func() bool {
		return len(v.rows) == 2 && (v.rows[1].state.Text == "Failed" || v.rows[1].state.Text == "Reconnecting") && v.rows[1].reason.Visible()
	})
	a, b := v.rows[0], v.rows[1]
	h.q.until(t, "the first stays on air", func() bool {
		return a.state.Text == "LIVE" && v.state.Text == "LIVE" && v.detail.Text == "1 of 2 on air"
	})
	if b.reason.Text == "" || b.dot.FillColor == a.dot.FillColor {
		t.Errorf("the dropped row: reason %q, dot %v beside the live row's %v", b.reason.Text, b.dot.FillColor, a.dot.FillColor)
	}
	if _, err := srv.WaitRecording("a", 1, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	if !h.progress.streaming() {
		t.Fatal("the stream ended with one destination")
	}
	for _, key := range []string{streamKey, wrongKey} {
		checkKeyHidden(t, h, key)
	}
	stopLive(t, h, r, srv.Addr())
	if (b.state.Text != "Failed" && b.state.Text != "Stopped") || a.state.Text != "Stopped" {
		t.Errorf("after Stop: A %q, B %q", a.state.Text, b.state.Text)
	}
}
