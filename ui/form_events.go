package ui

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
)

// The form's widget callbacks. While load fills the widgets they stay
// quiet, so loading preferences does not count as the user editing.

func (f *form) changed() {
	if f.loading {
		return
	}
	f.showSongOptions()
	if f.onChanged != nil {
		f.onChanged()
	}
}

func (f *form) onValueChanged(string) { f.changed() }

func (f *form) onTextChanged(string) {
	if !f.loading {
		f.onEdited()
	}
}

func (f *form) onCheckChanged(bool) { f.changed() }

func (f *form) onChooseImageTapped() { f.onChooseImage() }

func (f *form) onSaveAsTapped() { f.onChooseOutput() }

func (f *form) onSizeChanged(string) {
	f.showCustom()
	if f.size.Selected == sizeCustomLabel() && f.customW.Text == "" && f.customH.Text == "" {
		was := f.loading
		f.loading = true // one change, not three
		f.customW.SetText("1920")
		f.customH.SetText("1080")
		f.loading = was
	}
	f.changed()
}

func (f *form) showCustom() {
	if f.size.Selected == sizeCustomLabel() {
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
		f.durationLabel.SetText(lang.L(durationLiveLabel))
		f.durationHint.Show()
	} else {
		f.durationLabel.SetText(lang.L(durationFileLabel))
		f.durationHint.Hide()
	}
	f.audio.setLive(live)
	f.showSongOptions()
	f.showDurationPlaceholder()
	if f.filePanel == nil { // not laid out yet
		return
	}
	f.showSlideshow()
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

// Duration placeholders of a video whose length comes from elsewhere.
const (
	durationAudioPlaceholder  = "follows the audio"
	durationSlidesPlaceholder = "the images' durations added up"
)

// showDurationPlaceholder says what an empty duration means: a stream
// runs until stopped; a video follows its audio, or adds up the images'
// own durations.
func (f *form) showDurationPlaceholder() {
	text := lang.L(durationFilePlaceholder)
	switch {
	case f.isLive():
		text = lang.L(durationLivePlaceholder)
	case len(f.audio.paths) > 0:
		text = lang.L(durationAudioPlaceholder)
	case f.slidesTimed():
		text = lang.L(durationSlidesPlaceholder)
	}
	if f.duration.PlaceHolder != text {
		f.duration.SetPlaceHolder(text)
	}
}

// slidesTimed reports whether a slideshow has a duration typed for every
// image, so an empty duration can add them up.
func (f *form) slidesTimed() bool {
	items := f.slides.items
	if len(items) < 2 {
		return false
	}
	for _, s := range items {
		if strings.TrimSpace(s.duration.Text) == "" {
			return false
		}
	}
	return true
}

// showSlideshow shows what only a slideshow to a file has: the crossfade
// and each image's duration.
func (f *form) showSlideshow() {
	on := !f.isLive() && len(f.slides.items) > 1
	showIf(on, f.crossfadeRow...)
	f.slides.setTimed(!f.isLive())
}

func (f *form) onBackgroundTapped() {
	picker := dialog.NewColorPicker(lang.L("Background colour"),
		lang.L("Fills the bars around the image and shows through transparent pixels."),
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
	for _, w := range []fyne.Disableable{f.chooseImage, f.crossfade, f.kenBurns, f.size, f.customW, f.customH, f.fit, f.bgButton,
		f.duration, f.fps, f.preset, f.crf, f.keyframes, f.outputMode, f.output, f.saveAs,
		f.songs.mode, f.songs.album, f.songs.cover, f.songs.titleCard} {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	f.live.setEnabled(on)
	f.slides.setEnabled(on)
	f.audio.setEnabled(on)
}

// setOutputPath changes the output without counting as an edit.
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

// showLength shows the sum-up of the video's length; "" hides it.
func (f *form) showLength(text string) {
	if f.length.Text != text {
		f.length.SetText(text)
	}
	showIf(text != "", f.length)
}
