package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
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
		was := f.loading
		f.loading = true // one change, not three
		f.customW.SetText("1920")
		f.customH.SetText("1080")
		f.loading = was
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
	if f.loading {
		return // load sets the duration of the mode itself
	}
	// Each mode keeps its own duration: a video has one, a stream usually
	// runs until stopped.
	text := f.duration.Text
	f.setQuietly(f.duration, f.otherDuration)
	f.otherDuration = text
	f.showOutputMode()
	f.changed()
}

// Duration placeholders of each output mode.
const (
	durationFilePlaceholder = "90s, 1m30s or 1:30:00"
	durationLivePlaceholder = "until you press Stop"
)

// showOutputMode shows the fields of the chosen output and words the
// duration for it.
func (f *form) showOutputMode() {
	live := f.isLive()
	if live {
		f.durationLabel.SetText(durationLiveLabel)
		f.duration.SetPlaceHolder(durationLivePlaceholder)
		f.durationHint.Show()
	} else {
		f.durationLabel.SetText(durationFileLabel)
		f.duration.SetPlaceHolder(durationFilePlaceholder)
		f.durationHint.Hide()
	}
	if f.filePanel == nil { // not laid out yet
		return
	}
	for _, o := range f.fileOnly {
		if live {
			o.Hide()
		} else {
			o.Show()
		}
	}
	if live {
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
	for _, w := range []fyne.Disableable{f.image, f.chooseImage, f.size, f.customW, f.customH, f.fit, f.bgButton,
		f.duration, f.fps, f.preset, f.crf, f.outputMode, f.output, f.saveAs} {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	f.live.setEnabled(on)
}

// setImagePath and setOutputPath change a path without counting as an edit.
func (f *form) setImagePath(path string) { f.setQuietly(f.image, path) }

func (f *form) setOutputPath(path string) { f.setQuietly(f.output, path) }

func (f *form) setQuietly(e *widget.Entry, text string) {
	was := f.loading
	f.loading = true
	e.SetText(text)
	f.loading = was
	// Show the end of a long path: the file name matters most.
	e.CursorColumn = len([]rune(text))
	e.Refresh()
}
