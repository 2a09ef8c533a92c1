package ui

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"fyne.io/fyne/v2/lang"
	"github.com/sqweek/dialog"

	"github.com/stillcast/stillcast/encoder"
)

// fileDialogs asks the user for files. Both methods block until the user
// answers, so they must never run on Fyne's UI thread. An empty path with a
// nil error means the user cancelled.
type fileDialogs interface {
	OpenImage(startDir string) (string, error)
	OpenAudio(startDir string) (string, error)
	OpenFolder(startDir string) (string, error) // a folder of audio files
	OpenFFmpeg(startDir string) (string, error) // the ffmpeg program
	OpenCAFile(startDir string) (string, error) // certificate authorities, PEM
	SaveVideo(startDir, name string) (string, error)
	OpenVideoFolder(startDir string) (string, error) // where one video per song goes (album_choose.go)
}

// errNoNativeDialogs says the system's dialogs cannot be shown (no GTK or
// no display); the window then falls back to Fyne's own file dialogs.
var errNoNativeDialogs = errors.New("the system file dialogs are not available")

// imageExtensions are the file types picture.Load reads.
func imageExtensions() []string {
	return []string{"jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp"}
}

// videoExtensions are the containers encoder.ContainerFor knows.
func videoExtensions() []string {
	var out []string
	for _, c := range encoder.Containers() {
		out = append(out, strings.TrimPrefix(c.Ext, "."))
	}
	return out
}

// nativeDialogs shows the system's dialogs through sqweek/dialog. On Linux
// that is GTK, which must be driven from one thread at a time and must not
// block Fyne's event loop: each call locks its goroutine to an OS thread
// and holds mu, and callers run it on a goroutine of their own.
type nativeDialogs struct {
	mu sync.Mutex
}

func (d *nativeDialogs) OpenImage(startDir string) (string, error) {
	return d.openFile(lang.L("Choose an image"), lang.L("Images"), imageExtensions(), startDir)
}

func (d *nativeDialogs) OpenAudio(startDir string) (string, error) {
	return d.openFile(lang.L("Choose the audio"), lang.L("Audio"), encoder.AudioExtensions(), startDir)
}

// openFile asks for one file of a kind, any file allowed at a pinch.
func (d *nativeDialogs) openFile(title, kind string, exts []string, startDir string) (string, error) {
	return d.run(func() (string, error) {
		return dialog.File().
			Title(title).
			Filter(kind, exts...).
			Filter(lang.L("All files"), "*").
			SetStartDir(startDir).
			Load()
	})
}

func (d *nativeDialogs) OpenFFmpeg(startDir string) (string, error) {
	return d.run(func() (string, error) {
		b := dialog.File().Title(lang.L("Choose the ffmpeg program")).SetStartDir(startDir)
		if runtime.GOOS == "windows" {
			b = b.Filter("ffmpeg", "exe")
		}
		return b.Load()
	})
}

func (d *nativeDialogs) OpenCAFile(startDir string) (string, error) {
	return d.openFile(lang.L("Choose the certificate authority (PEM)"), lang.L("Certificates"), []string{"pem", "crt", "cer"}, startDir)
}

func (d *nativeDialogs) OpenFolder(startDir string) (string, error) {
	return d.run(func() (string, error) {
		return dialog.Directory().
			Title(lang.L("Choose a folder of audio files")).
			SetStartDir(startDir).
			Browse()
	})
}

func (d *nativeDialogs) SaveVideo(startDir, name string) (string, error) {
	return d.run(func() (string, error) {
		return dialog.File().
			Title(lang.L("Save the video as")).
			Filter(lang.L("Videos"), videoExtensions()...).
			SetStartDir(startDir).
			SetStartFile(name).
			Save()
	})
}

func (d *nativeDialogs) run(show func() (string, error)) (path string, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// sqweek/dialog panics when GTK could not start (no display).
	defer func() {
		if r := recover(); r != nil {
			path, err = "", fmt.Errorf("%w: %v", errNoNativeDialogs, r)
		}
	}()
	path, err = show()
	if errors.Is(err, dialog.ErrCancelled) {
		return "", nil
	}
	return path, err
}
