package ui

import (
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	sqweek "github.com/sqweek/dialog"
)

// chooseOutputFolder asks for the folder of one video per song, starting
// in the folder that holds the one chosen now.
func (m *mainWindow) chooseOutputFolder() {
	dir := m.outputDir()
	if current := strings.TrimSpace(m.form.output.Text); current != "" {
		if d := filepath.Dir(current); isDir(d) {
			dir = d
		}
	}
	m.ask(func() (string, error) { return m.dialogs.OpenVideoFolder(dir) }, m.outputFolderChosen, func() {
		d := dialog.NewFolderOpen(func(folder fyne.ListableURI, err error) {
			if err == nil && folder != nil {
				m.outputFolderChosen(folder.Path())
			}
		}, m.win)
		setDialogFolder(d, dir)
		d.Show()
	})
}

// outputFolderChosen makes path the folder of the videos; the user chose
// it, so it no longer follows the audio.
func (m *mainWindow) outputFolderChosen(path string) {
	m.form.autoFolder = ""
	m.prefs.SetString(prefOutputDir, filepath.Dir(path))
	m.form.setOutputPath(path)
	m.onFormChanged()
}

func (d *nativeDialogs) OpenVideoFolder(startDir string) (string, error) {
	return d.run(func() (string, error) {
		return sqweek.Directory().
			Title(lang.L("Choose the folder for the videos")).
			SetStartDir(startDir).
			Browse()
	})
}
