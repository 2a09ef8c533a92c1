package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tracklistHeight is the height of the tracklist's text, which scrolls:
// about eight tracks show at once.
const tracklistHeight = 180

// tracklistView shows, after a render of several songs, the tracklist
// to paste into the video's description on YouTube, with a button that
// copies it. It changes only on the UI thread, through progressPanel.
type tracklistView struct {
	app     fyne.App
	text    *widget.Label
	content fyne.CanvasObject
}

func newTracklistView(a fyne.App) *tracklistView {
	v := &tracklistView{app: a}
	v.text = &widget.Label{Selectable: true, TextStyle: fyne.TextStyle{Monospace: true}}
	title := &widget.Label{Text: lang.L("Tracklist for the video's description"), TextStyle: fyne.TextStyle{Bold: true}}
	copyButton := &widget.Button{Text: lang.L("Copy tracklist"), Icon: theme.ContentCopyIcon(), OnTapped: v.onCopy}
	v.content = container.NewBorder(title, nil, nil, container.NewVBox(copyButton),
		container.New(atLeast{Height: tracklistHeight}, container.NewVScroll(v.text)))
	v.content.Hide()
	return v
}

// show shows text, a tracklist; "" hides the view.
func (v *tracklistView) show(text string) {
	v.text.SetText(text)
	if text == "" {
		v.content.Hide()
		return
	}
	v.content.Show()
}

func (v *tracklistView) onCopy() { v.app.Clipboard().SetContent(v.text.Text) }
