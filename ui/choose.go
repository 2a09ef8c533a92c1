package ui

import (
	"errors"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"github.com/stillcast/stillcast/encoder"
)

// chooseImage asks for an image with the system's open dialog, starting in
// the folder of the last image. During a stream the image chosen goes on
// air.
func (m *mainWindow) chooseImage() {
	chosen := m.imageChosen
	switch {
	case m.progress.streaming():
		chosen = m.changePicture
	case m.progress.running():
		return
	}
	dir := m.prefs.String(prefImageDir)
	if !isDir(dir) {
		dir = ""
	}
	m.ask(func() (string, error) { return m.dialogs.OpenImage(dir) }, chosen, func() {
		m.fyneOpenFile(dir, imageExtensions(), chosen)
	})
}

// imageChosen adds the chosen image to the list, or makes it the image
// when there is none yet but the sample.
func (m *mainWindow) imageChosen(path string) {
	m.openImages(false, path)
}

// chooseAudio asks for an audio file, which becomes the audio.
func (m *mainWindow) chooseAudio() {
	if m.progress.running() {
		return
	}
	dir := m.audioDir()
	m.ask(func() (string, error) { return m.dialogs.OpenAudio(dir) }, m.audioChosen, func() {
		m.fyneOpenFile(dir, encoder.AudioExtensions(), m.audioChosen)
	})
}

// chooseAudioFolder asks for a folder of audio files: a stream's playlist.
func (m *mainWindow) chooseAudioFolder() {
	if m.progress.running() {
		return
	}
	dir := m.audioDir()
	m.ask(func() (string, error) { return m.dialogs.OpenFolder(dir) }, m.audioChosen, func() {
		m.fyneOpenFolder(dir)
	})
}

func (m *mainWindow) audioChosen(path string) { m.setAudio([]string{path}) }

// audioDir is where the audio dialogs start: the folder of the last
// audio, else of the last image.
func (m *mainWindow) audioDir() string {
	for _, dir := range []string{m.prefs.String(prefAudioDir), m.prefs.String(prefImageDir)} {
		if dir != "" && isDir(dir) {
			return dir
		}
	}
	return ""
}

// chooseCAFile asks for the certificate authorities to trust for an
// rtmps:// server, starting beside the one chosen before.
func (m *mainWindow) chooseCAFile() {
	if m.progress.running() {
		return
	}
	dir := filepath.Dir(strings.TrimSpace(m.live.options.caFile.Text))
	if !isDir(dir) {
		dir = ""
	}
	m.ask(func() (string, error) { return m.dialogs.OpenCAFile(dir) }, m.caFileChosen, func() {
		m.fyneOpenFile(dir, []string{"pem", "crt", "cer"}, m.caFileChosen)
	})
}

func (m *mainWindow) caFileChosen(path string) { m.live.options.caFile.SetText(path) }

// chooseOutput asks where to save the video, offering the image's name
// with the current extension.
func (m *mainWindow) chooseOutput() {
	if m.progress.running() {
		return
	}
	if m.form.perSong() {
		m.chooseOutputFolder()
		return
	}
	current := strings.TrimSpace(m.form.output.Text)
	dir, name := m.outputDir(), "video.mp4"
	if current != "" {
		if d := filepath.Dir(current); isDir(d) {
			dir = d
		}
		name = filepath.Base(current)
	} else if first := m.form.slides.first(); first != nil {
		name = stem(first.path) + encoder.Containers()[0].Ext
	}
	m.ask(func() (string, error) { return m.dialogs.SaveVideo(dir, name) }, m.outputSaved, func() {
		m.fyneSaveVideo(dir, name)
	})
}

// outputSaved takes the system save dialog's answer. That dialog asks
// before a file is replaced, so render does not ask again.
func (m *mainWindow) outputSaved(path string) {
	if filepath.Ext(path) != "" && isFile(path) {
		m.replaceOK = path
	}
	m.outputChosen(path)
}

func (m *mainWindow) outputChosen(path string) {
	if filepath.Ext(path) == "" {
		path += encoder.Containers()[0].Ext
	}
	m.autoOutput = ""
	m.prefs.SetString(prefOutputDir, filepath.Dir(path))
	m.form.setOutputPath(path)
	m.form.outputMode.SetSelected(outputLabel(outputFile))
	m.onFormChanged()
}

// ask runs a blocking system dialog on its own goroutine, so the window
// keeps drawing, and hands a chosen path to done on the UI thread. Without
// system dialogs it calls fallback, which shows Fyne's own.
func (m *mainWindow) ask(show func() (string, error), done func(string), fallback func()) {
	if m.dialogOpen {
		return
	}
	m.dialogOpen = true
	go func() {
		path, err := show()
		m.do(func() {
			m.dialogOpen = false
			switch {
			case errors.Is(err, errNoNativeDialogs):
				fallback()
			case err != nil:
				dialog.ShowError(err, m.win)
			case path != "":
				done(path)
			}
		})
	}()
}

// fyneOpenFile is Fyne's own open dialog, for when there are no native
// ones: files with one of exts (any file without exts), handed to chosen.
func (m *mainWindow) fyneOpenFile(dir string, exts []string, chosen func(string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		r.Close()
		chosen(r.URI().Path())
	}, m.win)
	if len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(dotted(exts)))
	}
	setDialogFolder(d, dir)
	d.Show()
}

func (m *mainWindow) fyneOpenFolder(dir string) {
	d := dialog.NewFolderOpen(func(folder fyne.ListableURI, err error) {
		if err != nil || folder == nil {
			return
		}
		m.audioChosen(folder.Path())
	}, m.win)
	setDialogFolder(d, dir)
	d.Show()
}

// fyneSaveVideo picks only a folder: Fyne's save dialog opens the file for
// writing, which would empty an existing video before the user is asked.
func (m *mainWindow) fyneSaveVideo(dir, name string) {
	d := dialog.NewFolderOpen(func(folder fyne.ListableURI, err error) {
		if err != nil || folder == nil {
			return
		}
		m.outputChosen(filepath.Join(folder.Path(), name))
	}, m.win)
	setDialogFolder(d, dir)
	d.Show()
}

type folderSetter interface{ SetLocation(fyne.ListableURI) }

func setDialogFolder(d folderSetter, dir string) {
	if dir == "" {
		return
	}
	if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
		d.SetLocation(l)
	}
}

func dotted(exts []string) []string {
	out := make([]string, len(exts))
	for i, e := range exts {
		out[i] = "." + e
	}
	return out
}
