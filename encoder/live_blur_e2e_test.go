//go:build linux

package encoder_test

import (
	"image"
	"image/color"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/encoder/internal/imgtest"
	"github.com/stillcast/stillcast/encoder/picture"
	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// TestLiveBlurredFill streams a square picture at 640×360 with FitBlur to
// a real nginx-rtmp and decodes the recording: its bars show the
// picture's edges blurred and darkened, and its middle the picture.
func TestLiveBlurredFill(t *testing.T) {
	t.Parallel()
	srv := rtmptest.Start(t, rtmptest.Options{})
	art := imgtest.BlurArt(360, 360, true)
	bg := color.RGBA{200, 0, 200, 255}
	s := liveSettings(t, destination(srv, liveKey))
	s.Images = encoder.SlidesOf(imgtest.WritePNG(t, t.TempDir(), "square.png", art))
	s.Fit, s.Background, s.Duration = encoder.FitBlur, bg, 3*time.Second
	w := liveStart(t, s)
	if err := w.finish(90 * time.Second); err != nil {
		t.Fatalf("Wait: %v\n%s", err, w.dump())
	}
	if err := srv.WaitRecordingsClosed(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	recs := srv.Recordings("live")
	if len(recs) != 1 {
		t.Fatalf("recordings %v, want one", recs)
	}
	frames := recordedFrames(t, recs[0], 640, 360)
	if len(frames) == 0 {
		t.Fatalf("no frames in %s", recs[0])
	}
	frame := image.NewRGBA(image.Rect(0, 0, 640, 360))
	for i, j := 0, 0; i < len(frame.Pix); i, j = i+4, j+3 {
		raw := frames[len(frames)-1]
		frame.Pix[i], frame.Pix[i+1], frame.Pix[i+2], frame.Pix[i+3] = raw[j], raw[j+1], raw[j+2], 255
	}
	_, dst := picture.FitRects(art.Bounds().Size(), image.Pt(640, 360), encoder.FitBlur)
	imgtest.CheckBlurredBars(t, frame, art, dst, bg, 14)
	imgtest.CheckColor(t, "middle", frame, image.Rect(320-30, 180-80, 320+30, 180+80), imgtest.BlurArtMiddle, 10)
}
