package ui

import (
	"image/png"
	"os"
	"testing"

	"fyne.io/fyne/v2"
)

func TestTmpBannerSmall(t *testing.T) {
	withoutFFmpeg(t)
	h := newHarness(t)
	h.waitChecked(t)
	h.win.Resize(fyne.NewSize(1024, 700))
	h.win.Canvas().Capture()
	h.banner.show("The ffmpeg at C:\\Users\\someone\\Downloads\\ffmpeg-4.0.2-win64-static\\bin\\ffmpeg.exe is version 4.0.2, which is too old: Stillcast needs ffmpeg 4.1 or newer.", installHelp("windows"))
	h.win.Canvas().Capture()
	t.Log(h.banner.content.Size(), h.banner.content.MinSize(), h.banner.help.MinSize())
	img := h.win.Canvas().Capture()
	f, _ := os.Create("/tmp/banner-testdriver.png")
	png.Encode(f, img)
	f.Close()
}
