//go:build screenshot

package ui

// The per-song screenshot: `make screenshot-per-song` runs this test
// binary on a virtual screen (Xvfb) with STILLCAST_ALBUM_SHOT set (see
// TestMain in screenshot_live_test.go). The real window opens three songs
// of an album, each with its cover embedded, made here with ffmpeg, and
// chooses one video per song with the songs' own cover.

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/stillcast/stillcast/encoder"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// shootAlbum shows the window with three songs, one video per song, and
// saves it to out. It runs on the main goroutine, as the OpenGL driver
// must.
func shootAlbum(out string) error {
	home := os.Getenv("HOME")
	songs, err := albumSongs(filepath.Join(home, "Music", "Evening Light"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(home, "Videos"), 0o755); err != nil {
		return err
	}
	a, w, m := screenshotWindow()
	m.open(songs)
	go func() {
		err = waitThenShoot(m, out)
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
	return err
}

// waitThenShoot waits for the songs and their art to be read, chooses one
// video per song with the songs' covers, and captures the screen.
func waitThenShoot(m *mainWindow, out string) error {
	for i := 0; ; i++ {
		var read bool
		fyne.DoAndWait(func() { read = !m.form.audio.pending() && m.form.audio.art() != nil })
		if read {
			break
		}
		if i > 120 {
			return fmt.Errorf("the songs were never read")
		}
		time.Sleep(250 * time.Millisecond)
	}
	fyne.DoAndWait(func() {
		m.form.songs.mode.SetSelected(songsPerSong)
		m.form.songs.album.SetChecked(true)
		m.form.songs.cover.SetChecked(true)
		m.form.size.SetSelected(sizeLabel(encoder.NamedSizes()[2])) // 1080p: the square cover with a blurred fill
		m.form.fit.SetSelected(fitLabels()[encoder.FitBlur])
	})
	time.Sleep(time.Second) // the form lays out its new rows
	fyne.DoAndWait(func() { scrollToSongs(m) })
	time.Sleep(3 * time.Second) // the preview composes the cover and the window draws
	// ImageMagick reads the screen as it is drawn: a capture of the
	// canvas comes back blank under Xvfb.
	if b, e := exec.Command("import", "-window", "root", out).CombinedOutput(); e != nil {
		return fmt.Errorf("import: %w: %s", e, b)
	}
	return nil
}

// scrollToSongs scrolls the settings column so that the Video section,
// with the songs' options, is at its top and the output folder shows.
func scrollToSongs(m *mainWindow) {
	side := findScroll(m.win.Content(), m.form.songs.mode)
	if side == nil {
		return
	}
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(m.form.audio.name).Y - d.AbsolutePositionForObject(side.Content).Y
	side.Offset.Y = top - 60 // the section's title above the audio
	side.Refresh()
}

// findScroll is the scroll inside o that holds target.
func findScroll(o fyne.CanvasObject, target fyne.CanvasObject) *container.Scroll {
	var found *container.Scroll
	var walk func(o, scroll fyne.CanvasObject) bool
	walk = func(o, scroll fyne.CanvasObject) bool {
		if o == target {
			found, _ = scroll.(*container.Scroll)
			return true
		}
		switch o := o.(type) {
		case *fyne.Container:
			for _, c := range o.Objects {
				if walk(c, scroll) {
					return true
				}
			}
		case *container.Scroll:
			return walk(o.Content, o)
		}
		return false
	}
	walk(o, nil)
	return found
}

// albumSongs makes three short songs of the album "Evening Light" in dir,
// tagged, with a cover embedded.
func albumSongs(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	cover := filepath.Join(dir, "cover.png")
	if err := writeCover(cover); err != nil {
		return nil, err
	}
	var songs []string
	for i, title := range []string{"Harbour Lights", "Slow Tide", "Last Ferry"} {
		path := filepath.Join(dir, fmt.Sprintf("%02d %s.mp3", i+1, title))
		args := []string{"-v", "error", "-y", "-f", "lavfi", "-i", fmt.Sprintf("sine=frequency=%d:duration=%d", 330+110*i, 150+40*i),
			"-i", cover, "-map", "0:a", "-map", "1:v", "-c:v", "copy", "-disposition:v", "attached_pic", "-id3v2_version", "3",
			"-c:a", "libmp3lame", "-b:a", "64k", "-metadata", "title=" + title, "-metadata", "artist=The Quiet Hours",
			"-metadata", "album=Evening Light", "-metadata", "track=" + strconv.Itoa(i+1), path}
		if b, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("making %s: %w: %s", path, err, b)
		}
		songs = append(songs, path)
	}
	return songs, nil
}

// writeCover writes a square cover: a dusk gradient with a pale sun.
func writeCover(path string) error {
	const side = 600
	img := image.NewNRGBA(image.Rect(0, 0, side, side))
	for y := range side {
		t := float64(y) / side
		for x := range side {
			c := color.NRGBA{R: uint8(40 + 200*t), G: uint8(30 + 90*t), B: uint8(90 - 40*t), A: 255}
			if dx, dy := x-side/2, y-side*2/3; dx*dx+dy*dy < 90*90 {
				c = color.NRGBA{R: 255, G: 220, B: 150, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
