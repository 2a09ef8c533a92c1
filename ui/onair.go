package ui

import (
	"fyne.io/fyne/v2/lang"

	"github.com/stillcast/stillcast/encoder"
)

// changePicture puts the image at path on air in place of the stream's
// picture. The encoder answers with PictureChanged; until then the live
// panel says the switch is under way.
func (m *mainWindow) changePicture(path string) {
	r := m.run
	if r == nil || !r.live {
		return
	}
	if r.job == nil {
		m.preview.say(lang.L("The stream is still starting. Drop the image again in a moment."))
		return
	}
	if err := r.job.ChangePicture(path); err != nil {
		m.progress.liveView.pictureChanged(encoder.PictureChanged{Path: path, Err: err})
		return
	}
	m.preview.say("")
	m.progress.liveView.switchingPicture(path)
}

// pictureChanged shows the picture that went on air in the preview too.
func (m *mainWindow) pictureChanged(ev encoder.PictureChanged) {
	if ev.Err == nil && m.progress.streaming() {
		m.loadPreview(ev.Path)
	}
}

// dropOnAir takes files dropped during a stream: the first image goes on
// air; the rest of the form is locked.
func (m *mainWindow) dropOnAir(files []string) {
	d := sortDrop(files, true)
	images := append(d.images, d.other...) // the decoder knows an image without an extension
	if len(images) == 0 {
		m.preview.say(lang.L("Drop an image to show it on air. The audio cannot change during a stream."))
		return
	}
	m.changePicture(images[0])
}
