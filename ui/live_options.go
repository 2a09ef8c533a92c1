package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
)

// liveOptions are the stream's extras: the title card and track art over
// the picture, and a CA file to trust for rtmps:// servers.
type liveOptions struct {
	titleCard    *widget.Check
	trackArt     *widget.Check
	trackArtHint *widget.Label // why track art is off: there is no audio
	hasAudio     bool

	caFile   *widget.Entry
	caChoose *widget.Button
	caLabel  fyne.CanvasObject
	caField  fyne.CanvasObject
	// onChooseCAFile asks for the file; the window sets it.
	onChooseCAFile func()
}

func (l *livePanel) newLiveOptions() {
	o := &l.options
	o.titleCard = &widget.Check{Text: lang.L("Title card"), Checked: l.prefs.Bool(prefLiveTitleCard), OnChanged: l.onTitleCardChanged}
	o.trackArt = &widget.Check{Text: lang.L("Track art"), Checked: l.prefs.Bool(prefLiveTrackArt), OnChanged: l.onTrackArtChanged}
	o.trackArtHint = &widget.Label{Text: lang.L("both show the track on air: choose audio first"), Importance: widget.LowImportance, SizeName: captionSize}
	o.caFile = &widget.Entry{Text: l.prefs.String(prefLiveCAFile), PlaceHolder: lang.L("optional: to trust a self-hosted rtmps server"), OnChanged: l.onCAFileChanged, AlwaysShowValidationError: true}
	o.caChoose = &widget.Button{Text: lang.L("Choose…"), Icon: theme.FolderOpenIcon(), OnTapped: l.chooseCAFile}
	l.setHasAudio(false)
}

// optionRows are the extras' label/field pairs for the form's grid.
func (l *livePanel) optionRows(errs map[string]*widget.Label) []fyne.CanvasObject {
	o := &l.options
	o.caLabel = formLabel(lang.L("CA file"))
	o.caField = withError(container.NewBorder(nil, nil, nil, o.caChoose, o.caFile), errs["ca-file"])
	l.showCAFile()
	return []fyne.CanvasObject{
		formLabel(lang.L("On screen")), container.NewVBox(o.titleCard, container.NewHBox(o.trackArt, container.NewCenter(o.trackArtHint))),
		o.caLabel, o.caField,
	}
}

func (l *livePanel) onTitleCardChanged(on bool) {
	l.prefs.SetBool(prefLiveTitleCard, on)
	l.onChanged()
}

func (l *livePanel) onTrackArtChanged(on bool) {
	l.prefs.SetBool(prefLiveTrackArt, on)
	l.onChanged()
}

func (l *livePanel) onCAFileChanged(text string) {
	l.prefs.SetString(prefLiveCAFile, strings.TrimSpace(text))
	l.onChanged()
}

func (l *livePanel) chooseCAFile() {
	if l.options.onChooseCAFile != nil {
		l.options.onChooseCAFile()
	}
}

// setHasAudio turns track art on or off with the audio: there is no art
// to show without a track.
func (l *livePanel) setHasAudio(has bool) {
	o := &l.options
	o.hasAudio = has
	if has {
		o.trackArtHint.Hide()
	} else {
		o.trackArtHint.Show()
	}
	l.enableTrackArt(!l.locked)
}

// enableTrackArt enables the title card and track art while there is
// audio: both show the track on air.
func (l *livePanel) enableTrackArt(on bool) {
	for _, c := range []*widget.Check{l.options.titleCard, l.options.trackArt} {
		if on && l.options.hasAudio {
			c.Enable()
		} else {
			c.Disable()
		}
	}
}

// secure reports whether a destination is rtmps://, where a CA file means
// something.
func (l *livePanel) secure() bool {
	servers := []string{l.server.Text}
	if l.second.Checked {
		servers = append(servers, l.server2.Text)
	}
	for _, s := range servers {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "rtmps://") {
			return true
		}
	}
	return false
}

// showCAFile shows the CA file only while a destination is rtmps://.
func (l *livePanel) showCAFile() {
	o := &l.options
	if o.caLabel == nil {
		return
	}
	if l.secure() {
		o.caLabel.Show()
		o.caField.Show()
	} else {
		o.caLabel.Hide()
		o.caField.Hide()
	}
}

// applyOptions puts the extras into live: the CA file only for rtmps://,
// where the encoder reads it (and says what is wrong with it, under
// "ca-file"); the title card and track art only with audio.
func (l *livePanel) applyOptions(live *encoder.Live) {
	o := &l.options
	live.TitleCard = o.titleCard.Checked && o.hasAudio
	live.TrackArt = o.trackArt.Checked && o.hasAudio
	if l.secure() {
		live.CAFile = strings.TrimSpace(o.caFile.Text)
	}
}
