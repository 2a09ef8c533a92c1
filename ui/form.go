package ui

import (
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
)

// form is the settings column. It turns its widgets into encoder.Settings
// and shows, beside each field, what Validate found wrong with it.
type form struct {
	window fyne.Window
	// onChanged runs after any value changed; onEdited after a keystroke
	// in a text field instead, and the window runs changed once typing
	// pauses.
	onChanged      func()
	onEdited       func()
	onChooseImage  func()
	onChooseOutput func()

	slides      *slideList
	chooseImage *widget.Button
	// crossfade is shown only for a slideshow; crossfadeRow is its label
	// and field.
	crossfade    *widget.Entry
	crossfadeRow []fyne.CanvasObject
	kenBurns     *widget.Check // a slow zoom on each image of a slideshow
	audio        *audioRow
	songs        *songOptions
	size         *widget.Select
	customW      *widget.Entry
	customH      *widget.Entry
	custom       *fyne.Container
	fit          *widget.RadioGroup
	background   color.RGBA
	bgSwatch     *canvas.Rectangle
	bgButton     *widget.Button
	duration     *widget.Entry
	// durationLabel and durationHint say what the duration means in the
	// output mode shown; otherDuration is the other mode's duration text.
	durationLabel *widget.Label
	durationHint  *widget.Label
	otherDuration string
	// length sums the video up: its total length, images and audio.
	length     *widget.Label
	fps        *widget.Entry
	preset     *widget.Select
	crf        *widget.Slider
	crfLabel   *widget.Label
	outputMode *widget.RadioGroup
	output     *widget.Entry
	saveAs     *widget.Button
	filePanel  *fyne.Container
	livePanel  *fyne.Container
	live       *livePanel
	// keyframes is the longest gap between a file's keyframes (keyframes.go).
	keyframes *widget.Select
	// fileOnly are the rows that mean nothing to a stream, which has a
	// fixed preset, a bitrate instead of a quality, and a keyframe every 2 s.
	fileOnly []fyne.CanvasObject

	// outputIsFolder says output holds the folder of one video per song;
	// otherOutput is the other kind's path, and autoFolder the folder the
	// window chose itself.
	outputIsFolder bool
	otherOutput    string
	autoFolder     string
	// durationRow is hidden for one video per song: each is as long as its song.
	durationRow []fyne.CanvasObject

	// errs holds each field's reason label; entries the entries marked red
	// along with it. Both are keyed by encoder.FieldError.Field.
	errs    map[string]*widget.Label
	entries map[string][]*widget.Entry
	// loading stops the widgets' callbacks while values are set in bulk.
	loading bool
}

// selectPlaceholder is what a list says with nothing chosen: Fyne's own
// words, which it does not translate.
const selectPlaceholder = "(Select one)"

// captionSize is the text size of the reasons under the fields.
const captionSize = theme.SizeNameCaptionText

// The duration's name in each output mode.
const (
	durationFileLabel = "Duration"
	durationLiveLabel = "Stop after"
)

func newForm(w fyne.Window, live *livePanel, do func(func())) *form {
	f := &form{window: w, live: live, errs: map[string]*widget.Label{}}
	f.slides = newSlideList(do)
	f.chooseImage = &widget.Button{Text: lang.L("Choose…"), Icon: theme.FolderOpenIcon(), OnTapped: f.onChooseImageTapped}
	f.crossfade = &widget.Entry{PlaceHolder: lang.L("none: a cut"), OnChanged: f.onTextChanged, AlwaysShowValidationError: true}
	f.kenBurns = &widget.Check{Text: lang.L("Slow zoom"), OnChanged: f.onCheckChanged}
	f.audio = newAudioRow(do)
	f.audio.onChanged = f.changed
	f.songs = newSongOptions(f)
	f.size = &widget.Select{Options: sizeOptions(), PlaceHolder: lang.L(selectPlaceholder), OnChanged: f.onSizeChanged}
	f.customW = &widget.Entry{PlaceHolder: lang.L("width"), OnChanged: f.onTextChanged, AlwaysShowValidationError: true}
	f.customH = &widget.Entry{PlaceHolder: lang.L("height"), OnChanged: f.onTextChanged, AlwaysShowValidationError: true}
	f.custom = container.NewGridWithColumns(3, f.customW, &widget.Label{Text: "×", Alignment: fyne.TextAlignCenter}, f.customH)
	f.fit = &widget.RadioGroup{Options: fitOptions(), Horizontal: true, Required: true, OnChanged: f.onValueChanged}
	f.bgSwatch = &canvas.Rectangle{StrokeWidth: 1, StrokeColor: theme.Color(theme.ColorNameInputBorder), CornerRadius: 4}
	f.bgSwatch.SetMinSize(fyne.NewSquareSize(30))
	f.bgButton = &widget.Button{Text: lang.L("Change…"), OnTapped: f.onBackgroundTapped}
	f.duration = &widget.Entry{PlaceHolder: lang.L(durationFilePlaceholder), OnChanged: f.onTextChanged, AlwaysShowValidationError: true}
	f.fps = &widget.Entry{PlaceHolder: "25", OnChanged: f.onTextChanged, AlwaysShowValidationError: true}
	f.preset = &widget.Select{Options: presetOptions(), PlaceHolder: lang.L(selectPlaceholder), OnChanged: f.onValueChanged}
	f.crf = &widget.Slider{Min: encoder.MinCRF, Max: encoder.MaxCRF, Step: 1, OnChanged: f.onCRFChanged}
	f.crfLabel = &widget.Label{}
	f.keyframes = newKeyframes(f.onValueChanged)
	f.outputMode = &widget.RadioGroup{Options: []string{outputLabel(outputFile), outputLabel(outputLive)}, Horizontal: true, Required: true, OnChanged: f.onOutputModeChanged}
	f.output = &widget.Entry{PlaceHolder: lang.L(outputFilePlaceholder), OnChanged: f.onTextChanged, AlwaysShowValidationError: true}
	f.saveAs = &widget.Button{Text: lang.L("Save as…"), Icon: theme.DocumentSaveIcon(), OnTapped: f.onSaveAsTapped}
	f.durationLabel = &widget.Label{Text: lang.L(durationFileLabel), Alignment: fyne.TextAlignTrailing}
	f.durationHint = &widget.Label{Text: lang.L("Empty or 0 streams until you press Stop."), Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord, SizeName: captionSize}
	f.durationHint.Hide()
	f.length = &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: captionSize}
	f.length.Hide()
	f.entries = map[string][]*widget.Entry{
		"crossfade": {f.crossfade}, "size": {f.customW, f.customH}, "duration": {f.duration}, "fps": {f.fps},
		"out": {f.output}, "url": {&live.server.Entry}, "key": {live.key}, "bitrate": {live.bitrate},
		"url2": {&live.server2.Entry}, "key2": {live.key2}, "ca-file": {live.options.caFile},
	}
	for _, field := range []string{"image", "image-duration", "crossfade", "audio", "audio-codec", "size", "fit", "duration", "fps", "preset", "crf", "keyframe-interval", "out", "url", "key", "bitrate", "url2", "key2", "ca-file", "each", "album", "cover-from-audio", "title-card"} {
		l := &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, SizeName: captionSize}
		l.Hide()
		f.errs[field] = l
	}
	return f
}

// content lays the form out as label/field rows in three groups.
func (f *form) content() fyne.CanvasObject {
	swatch := container.NewBorder(nil, nil, container.NewCenter(f.bgSwatch), nil, f.bgButton)
	f.filePanel = formGrid(
		formLabel(lang.L("Save to")), withError(container.NewBorder(nil, nil, nil, f.saveAs, f.output), f.errs["out"]),
	)
	f.livePanel = formGrid(f.live.rows(f.errs)...)
	speedLabel, speed := formLabel(lang.L("Speed")), withError(f.preset, f.errs["preset"])
	qualityLabel, quality := formLabel(lang.L("Quality")), withError(container.NewBorder(nil, nil, nil, f.crfLabel, f.crf), f.errs["crf"])
	keyframesLabel, keyframes := formLabel(lang.L("Keyframes")), withError(f.keyframes, f.errs["keyframe-interval"])
	f.fileOnly = []fyne.CanvasObject{speedLabel, speed, qualityLabel, quality, keyframesLabel, keyframes}
	imageHint := &widget.Label{Text: lang.L("Drop more images for a slideshow"), Importance: widget.LowImportance, SizeName: captionSize, Truncation: fyne.TextTruncateEllipsis}
	images := container.NewVBox(f.slides.content(),
		container.NewBorder(nil, nil, nil, f.chooseImage, imageHint),
		f.errs["image"], f.errs["image-duration"])
	f.crossfadeRow = []fyne.CanvasObject{
		formLabel(lang.L("Crossfade")),
		withError(container.NewBorder(nil, nil, nil, container.NewHBox(&widget.Label{Text: lang.L("between images")}, f.kenBurns), f.crossfade), f.errs["crossfade"]),
	}
	songs := f.songRows()
	f.durationRow = []fyne.CanvasObject{container.New(atLeast{Width: labelWidth}, f.durationLabel),
		container.NewVBox(f.duration, f.durationHint, f.errs["duration"], f.length)}
	return container.NewVBox(
		sectionTitle(lang.L("Picture")),
		formGrid(
			formLabel(lang.L("Images")), images,
			f.crossfadeRow[0], f.crossfadeRow[1],
			formLabel(lang.L("Size")), withError(container.NewVBox(f.size, f.custom), f.errs["size"]),
			formLabel(lang.L("Fit")), withError(f.fit, f.errs["fit"]),
			formLabel(lang.L("Background")), swatch,
		),
		sectionTitle(lang.L("Video")),
		formGrid(
			formLabel(lang.L("Audio")), f.audio.content(f.errs["audio"], f.errs["audio-codec"]),
			songs[0], songs[1],
			f.durationRow[0], f.durationRow[1],
			formLabel(lang.L("Frame rate")), withError(container.NewBorder(nil, nil, nil, &widget.Label{Text: lang.L("frames per second")}, f.fps), f.errs["fps"]),
			speedLabel, speed,
			qualityLabel, quality,
			keyframesLabel, keyframes,
		),
		sectionTitle(lang.L("Output")),
		formGrid(formLabel(lang.L("Send to")), f.outputMode),
		f.filePanel,
		f.livePanel,
	)
}

func formGrid(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(layout.NewFormLayout(), objs...)
}

// formLabel is a field's name. All of them share one width, so the
// fields of the separate groups line up.
func formLabel(text string) fyne.CanvasObject {
	return container.New(atLeast{Width: labelWidth}, &widget.Label{Text: text, Alignment: fyne.TextAlignTrailing})
}

// labelWidth fits the longest field name, "Background".
const labelWidth = 104

// atLeast is a layout that stacks its objects and is at least its own
// size: a column of fixed width, or a scroll of fixed height.
type atLeast fyne.Size

func (a atLeast) MinSize(objs []fyne.CanvasObject) fyne.Size {
	size := fyne.Size(a)
	for _, o := range objs {
		size = size.Max(o.MinSize())
	}
	return size
}

func (a atLeast) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func sectionTitle(text string) fyne.CanvasObject {
	return container.NewVBox(
		&widget.Label{Text: text, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText},
		widget.NewSeparator(),
	)
}

// withError puts a field's reason label under it.
func withError(field fyne.CanvasObject, reason *widget.Label) fyne.CanvasObject {
	return container.NewVBox(field, reason)
}

// load fills the widgets without running their callbacks.
func (f *form) load(v formValues, output string) {
	f.loading = true
	defer func() { f.loading = false }()
	if v.OutputMode != outputLive {
		v.OutputMode = outputFile
	}
	fits, presets := fitLabels(), presetLabels()
	if z, ok := namedSize(sizeLabel(v.Size)); ok && v.Size.Name != "" {
		f.size.SetSelected(sizeLabel(z))
	} else {
		f.size.SetSelected(sizeCustomLabel())
		f.customW.SetText(strconv.Itoa(v.Size.W))
		f.customH.SetText(strconv.Itoa(v.Size.H))
	}
	f.showCustom()
	if l, ok := fits[v.Fit]; ok {
		f.fit.SetSelected(l)
	} else {
		f.fit.SetSelected(fits[encoder.FitLetterbox])
	}
	bg, err := encoder.ParseColor(v.Background)
	if err != nil {
		bg = encoder.DefaultSettings().Background
	}
	f.setBackground(bg)
	if v.OutputMode == outputLive {
		f.duration.SetText(v.LiveDuration)
		f.otherDuration = v.Duration
	} else {
		f.duration.SetText(v.Duration)
		f.otherDuration = v.LiveDuration
	}
	f.crossfade.SetText(v.Crossfade)
	f.kenBurns.SetChecked(v.KenBurns)
	f.audio.loop.SetChecked(v.LoopAudio)
	f.audio.shuffle.SetChecked(v.Shuffle)
	f.fps.SetText(v.FPS)
	if l, ok := presets[v.Preset]; ok {
		f.preset.SetSelected(l)
	} else {
		f.preset.SetSelected(presets[encoder.DefaultSettings().Preset])
	}
	f.crf.SetValue(float64(min(max(v.CRF, encoder.MinCRF), encoder.MaxCRF)))
	f.crfLabel.SetText(crfText(int(f.crf.Value)))
	f.setKeyframeInterval(v.Keyframes)
	f.songs.mode.SetSelected(lang.L(songsOneVideo))
	if v.PerSong {
		f.songs.mode.SetSelected(lang.L(songsPerSong))
	}
	f.songs.album.SetChecked(v.AlbumVideo)
	f.songs.cover.SetChecked(v.CoverFromAudio)
	f.songs.titleCard.SetChecked(v.TitleCard)
	f.outputMode.SetSelected(outputLabel(v.OutputMode))
	f.showOutputMode()
	f.output.SetText(output)
}

// values is what preferences keep of the form.
func (f *form) values() formValues {
	z, _ := f.sizeValue()
	v := formValues{
		Size:       z,
		Fit:        fitFor(f.fit.Selected),
		Background: encoder.FormatColor(f.background),
		FPS:        strings.TrimSpace(f.fps.Text),
		Preset:     presetFor(f.preset.Selected),
		CRF:        int(f.crf.Value),
		Keyframes:  f.keyframeInterval(),
		OutputMode: outputFile,
		Crossfade:  strings.TrimSpace(f.crossfade.Text),
		KenBurns:   f.kenBurns.Checked,
		LoopAudio:  f.audio.loop.Checked,
		Shuffle:    f.audio.shuffle.Checked,
		// As chosen, whether they apply to the audio now or not.
		PerSong:        f.songs.mode.Selected == lang.L(songsPerSong),
		AlbumVideo:     f.songs.album.Checked,
		CoverFromAudio: f.songs.cover.Checked,
		TitleCard:      f.songs.titleCard.Checked,
	}
	shown, other := strings.TrimSpace(f.duration.Text), strings.TrimSpace(f.otherDuration)
	if f.isLive() {
		v.OutputMode = outputLive
		v.LiveDuration, v.Duration = shown, other
	} else {
		v.Duration, v.LiveDuration = shown, other
	}
	return v
}

func (f *form) isLive() bool { return f.outputMode.Selected == outputLabel(outputLive) }
