package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
)

// The form's widget callbacks. While load fills the widgets they stay
// quiet, so loading preferences does not count as the user editing.

func (f *form) changed() {
	if !f.loading && f.onChanged != nil {
		f.onChanged()
	}
}

func (f *form) onValueChanged(string) { f.changed() }

func (f *form) onImageChanged(text string) {
	if f.loading {
		return
	}
	f.onImageTyped(text)
	f.changed()
}

func (f *form) onChooseImageTapped() { f.onChooseImage() }

func (f *form) onSaveAsTapped() { f.onChooseOutput() }

func (f *form) onSizeChanged(string) {
	f.showCustom()
	if f.size.Selected == sizeCustom && f.customW.Text == "" && f.customH.Text == "" {
		f.loading = true // one change, not three
		f.customW.SetText("1920")
		f.customH.SetText("1080")
		f.loading = false
	}
	f.changed()
}

func (f *form) showCustom() {
	if f.size.Selected == sizeCustom {
		f.custom.Show()
	} else {
		f.custom.Hide()
	}
}

func (f *form) onCRFChanged(v float64) {
	f.crfLabel.SetText(crfText(int(v)))
	f.changed()
}

func crfText(crf int) string {
	return fmt.Sprintf("%d · %s", crf, crfWords(crf))
}

func (f *form) onOutputModeChanged(string) {
	f.showOutputMode()
	f.changed()
}

func (f *form) showOutputMode() {
	if f.filePanel == nil { // not laid out yet
		return
	}
	if f.isLive() {
		f.filePanel.Hide()
		f.livePanel.Show()
	} else {
		f.livePanel.Hide()
		f.filePanel.Show()
	}
}

func (f *form) onBackgroundTapped() {
	picker := dialog.NewColorPicker("Background colour",
		"Fills the bars around the image and shows through transparent pixels.",
		f.onBackgroundPicked, f.window)
	picker.Advanced = true
	picker.SetColor(f.background)
	picker.Show()
}

func (f *form) onBackgroundPicked(c color.Color) {
	f.setBackground(opaque(c))
	f.changed()
}

func (f *form) setBackground(c color.RGBA) {
	f.background = c
	f.bgSwatch.FillColor = c
	f.bgSwatch.Refresh()
	f.bgButton.SetText(encoder.FormatColor(c))
}

// setEnabled locks the form while a job runs, so what is shown is what is
// being rendered.
func (f *form) setEnabled(on bool) {
	type disableable interface {
		Enable()
		Disable()
	}
	for _, w := range []disableable{f.image, f.chooseImage, f.size, f.customW, f.customH, f.fit, f.bgButton,
		f.duration, f.fps, f.preset, f.crf, f.outputMode, f.output, f.saveAs,
		f.live.service, f.live.server, f.live.key, f.live.remember} {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
}

// setImagePath and setOutputPath change a path without counting as an edit.
func (f *form) setImagePath(path string) { f.setQuietly(f.image, path) }

func (f *form) setOutputPath(path string) { f.setQuietly(f.output, path) }

func (f *form) setQuietly(e *widget.Entry, text string) {
	f.loading = true
	e.SetText(text)
	f.loading = false
	// Show the end of a long path: the file name matters most.
	e.CursorColumn = len([]rune(text))
	e.Refresh()
}
