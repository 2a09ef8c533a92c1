// Package ui is Stillcast's desktop window: a preview of the composed
// frame, the settings form, and the progress of a render or the status of
// a live stream. It hands encoder.Settings to encoder.Start and applies a
// Job's events on the UI thread.
//
// It imports encoder and encoder/picture (for the preview, composed by the
// same code that encodes), never encoder/ffmpeg or os/exec: it builds no
// ffmpeg arguments and runs no programs.
package ui

import (
	"image"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/saved"
)

// The window opens at 1280×800; the layout also holds at 1024×700.
const windowWidth, windowHeight = 1280, 800

// sideWidth is the settings column's width; the preview takes the rest.
const sideWidth = 440

// mainWindow is the one Stillcast window and everything it shows.
type mainWindow struct {
	app     fyne.App
	win     fyne.Window
	prefs   fyne.Preferences
	do      func(func()) // fyne.Do; tests run the queued calls themselves
	dialogs fileDialogs
	ffmpeg  ffmpegSetting
	banner  *ffmpegBanner // says what is wrong with ffmpeg; hidden while it is fine

	form         *form
	live         *livePanel
	preview      *preview
	progress     *progressPanel
	renderButton *widget.Button

	picture    *loadedImage // the image the preview shows; nil before one loads
	loads      imageLoads
	samplePath string // the bundled sample while it stands in for the user's image
	dropNote   string // said under the preview once the dropped images load
	autoOutput string // the output path the window picked itself, "" once the user picked one
	// replaceOK is an existing output that the system's save dialog already
	// asked about; the next render replaces it without asking again.
	replaceOK  string
	dialogOpen bool          // a file dialog is up; another would queue behind it
	valid      bool          // the form holds a job that can start
	total      time.Duration // the video's length as the form stands; 0 when not known
	formLocked bool
	run        *run // the job under way, nil when idle
	stopping   bool // a cancel was asked for and is under way
	// edits checks the form once typing pauses, not on every keystroke.
	edits *debouncer
}

// deps are what Create wires to the real desktop and tests replace.
type deps struct {
	dialogs fileDialogs
	keys    *keyStore // nil: stream keys cannot be remembered
	do      func(func())
	// settings is Stillcast's own settings file, shared with the CLI.
	settings saved.Store
}

// Create builds Stillcast's window in w. imagePath is an image to open, as
// given on the command line; with "" the window reopens the last image used
// if it still exists, and otherwise the bundled sample picture, so a
// newcomer can press Render at once.
func Create(a fyne.App, w fyne.Window, files ...string) {
	create(a, w, files)
}

func create(a fyne.App, w fyne.Window, files []string) *mainWindow {
	LoadTranslations(a.Preferences())
	useChineseFont(a)
	keys, err := defaultKeyStore()
	if err != nil { // keys is nil: the live panel says so if asked to remember one
		fyne.LogError("stream keys cannot be remembered", err)
	}
	settings, err := saved.DefaultStore()
	if err != nil { // a zero store: nothing saved is read, and saving says why it failed
		fyne.LogError("Stillcast's settings cannot be read", err)
	}
	m := newMainWindow(a, w, deps{dialogs: &nativeDialogs{}, keys: keys, do: fyne.Do, settings: settings})
	m.open(files)
	return m
}

func newMainWindow(a fyne.App, w fyne.Window, d deps) *mainWindow {
	m := &mainWindow{app: a, win: w, prefs: a.Preferences(), do: d.do, dialogs: d.dialogs}
	m.edits = &debouncer{do: m.do, run: func() { m.form.changed() }, delay: editDelay}
	m.ffmpeg = loadFFmpegSetting(d.settings)
	m.banner = newFFmpegBanner(m.chooseFFmpeg, func() { m.do(m.relayout) })
	m.live = newLivePanel(m.prefs, d.keys, m.onFormChanged)
	m.live.options.onChooseCAFile = m.chooseCAFile
	m.form = newForm(w, m.live, m.do)
	m.form.onChanged = m.onFormChanged
	m.form.onEdited = m.edits.schedule
	m.form.slides.onEdited = m.edits.schedule
	m.form.slides.onChanged = m.onSlidesChanged
	m.form.slides.onSelected = m.onSlideSelected
	m.form.slides.onLoaded = m.onSlideLoaded
	m.form.audio.onChoose = m.chooseAudio
	m.form.audio.onChooseFolder = m.chooseAudioFolder
	m.form.audio.ffmpeg = m.ffmpeg.lookup
	m.form.onChooseImage = m.chooseImage
	m.form.onChooseOutput = m.chooseOutput
	m.preview = newPreview(m.do, m.chooseImage)
	m.renderButton = &widget.Button{Text: lang.L("Render"), Icon: theme.MediaPlayIcon(), Importance: widget.HighImportance, OnTapped: m.onRenderTapped}
	m.progress = newProgressPanel(a, m.renderButton)

	w.SetTitle("Stillcast")
	w.SetIcon(resourceIconPng)
	w.SetContent(m.layout())
	w.SetMainMenu(m.menu())
	w.Canvas().SetOnTypedKey(m.onTypedKey)
	w.SetOnDropped(m.onDropped)
	w.SetCloseIntercept(m.onCloseRequested)
	w.Resize(fyne.NewSize(windowWidth, windowHeight))

	m.form.load(loadFormValues(m.prefs), "")
	m.syncControls()
	m.checkFFmpeg()
	return m
}

// layout puts the preview left, the form right and the job along the
// bottom, with the ffmpeg banner, when it shows, across the top.
func (m *mainWindow) layout() fyne.CanvasObject {
	scroll := container.NewVScroll(container.NewPadded(m.form.content()))
	m.form.slides.view = scroll
	side := container.New(atLeast{Width: sideWidth}, scroll)
	m.form.showOutputMode()
	top := container.NewBorder(nil, nil, nil, side, container.NewPadded(m.preview.content))
	bottom := container.NewVBox(widget.NewSeparator(), container.NewPadded(m.progress.content))
	return container.NewBorder(m.banner.content, bottom, nil, nil, top)
}

// menu carries the shortcuts. Shortcuts of the main menu work even while
// a text field has the focus, which canvas shortcuts do not.
func (m *mainWindow) menu() *fyne.MainMenu {
	ctrl := func(k fyne.KeyName) fyne.Shortcut {
		return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
	}
	return fyne.NewMainMenu(
		fyne.NewMenu(lang.L("File"),
			&fyne.MenuItem{Label: lang.L("Add Image…"), Shortcut: ctrl(fyne.KeyO), Action: m.chooseImage},
			&fyne.MenuItem{Label: lang.L("Choose Audio…"), Action: m.chooseAudio},
			&fyne.MenuItem{Label: lang.L("Save Video As…"), Shortcut: ctrl(fyne.KeyS), Action: m.chooseOutput},
		),
		fyne.NewMenu(lang.L("Video"),
			&fyne.MenuItem{Label: lang.L("Render"), Shortcut: ctrl(fyne.KeyReturn), Action: m.onRenderShortcut},
			// Esc has no modifier, so the menu only shows it; onTypedKey acts on it.
			&fyne.MenuItem{Label: lang.L("Cancel Render"), Shortcut: &desktop.CustomShortcut{KeyName: fyne.KeyEscape}, Action: m.cancelRender},
			// No shortcut: a stream ends only when asked for in so many words.
			&fyne.MenuItem{Label: lang.L("Stop Stream"), Action: m.stopStream},
		),
		m.languageMenu(),
	)
}

func (m *mainWindow) onTypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape {
		m.cancelRender()
	}
}

// stopStream ends a running stream cleanly.
func (m *mainWindow) stopStream() {
	if m.run != nil && m.run.live {
		m.cancel()
	}
}

// onFormChanged runs after any edit: check, preview, remember. Typing
// reaches it through m.edits, once the typing pauses.
func (m *mainWindow) onFormChanged() {
	m.edits.stop() // this check covers the typing too
	m.form.showDurationPlaceholder()
	m.live.setHasAudio(len(m.form.audio.paths) > 0)
	s, err := m.validate()
	m.refreshPreview(s, err)
	m.live.showDefaultBitrate(m.canvasSize(s, err))
	saveFormValues(m.prefs, m.form.values())
	m.syncControls()
}

// onSlideSelected shows another image of the list in the preview.
func (m *mainWindow) onSlideSelected() {
	m.showSelectedImage()
	m.onFormChanged()
}

// canvasSize is the frame size s makes of the first image, which sets it
// for a slideshow; zero while it is not known.
func (m *mainWindow) canvasSize(s encoder.Settings, problems error) image.Point {
	for _, fe := range encoder.FieldErrors(problems) {
		if fe.Field == "size" {
			return image.Point{}
		}
	}
	if !s.Size.IsSource() {
		return encoder.CanvasSize(s.Size, image.Point{})
	}
	if cover := m.coverPicture(s); cover != nil {
		return encoder.CanvasSize(s.Size, cover.size)
	}
	first := m.form.slides.first()
	if first == nil || first.state != slideLoaded {
		return image.Point{}
	}
	return encoder.CanvasSize(s.Size, first.size)
}

// syncControls makes the button and the form match the state.
func (m *mainWindow) syncControls() {
	running := m.progress.running()
	if m.formLocked != running {
		m.formLocked = running
		m.form.setEnabled(!running)
	}
	b := m.renderButton
	switch {
	case running && m.progress.streaming():
		b.Text, b.Icon, b.Importance = lang.L("Stop"), theme.MediaStopIcon(), widget.DangerImportance
	case running:
		b.Text, b.Icon, b.Importance = lang.L("Cancel"), theme.CancelIcon(), widget.DangerImportance
	case m.form.isLive():
		b.Text, b.Icon, b.Importance = lang.L("Go Live"), theme.MediaRecordIcon(), widget.HighImportance
	default:
		b.Text, b.Icon, b.Importance = lang.L("Render"), theme.MediaPlayIcon(), widget.HighImportance
	}
	if (running && !m.stopping) || (!running && m.valid) {
		b.Enable()
	} else {
		b.Disable()
	}
	b.Refresh()
	m.progress.hint(m.valid, m.form.isLive())
	m.hintFFmpeg()
}

// closeQuestion is what closing the window over a running job asks.
type closeQuestion struct {
	title, message, confirm, dismiss string
}

func closeWhileRendering() closeQuestion {
	return closeQuestion{
		title:   lang.L("Stop rendering?"),
		message: lang.L("A video is still being rendered.\nStop it and close Stillcast? The unfinished video is deleted."),
		confirm: lang.L("Stop and close"), dismiss: lang.L("Keep rendering"),
	}
}

func closeWhileLive() closeQuestion {
	return closeQuestion{
		title:   lang.L("Stop the stream and quit?"),
		message: lang.L("Stillcast is streaming live.\nClosing it ends the stream for everyone watching."),
		confirm: lang.L("Stop and quit"), dismiss: lang.L("Keep streaming"),
	}
}

// onCloseRequested asks before closing over a running job, then stops it
// and closes only once ffmpeg is gone: a render's partial file deleted, a
// stream ended cleanly.
func (m *mainWindow) onCloseRequested() {
	m.edits.flush() // remember what was typed last
	if m.run == nil {
		m.win.Close()
		return
	}
	q := closeWhileRendering()
	if m.run.live {
		q = closeWhileLive()
	}
	d := dialog.NewConfirm(q.title, q.message, m.onCloseConfirmed, m.win)
	d.SetConfirmText(q.confirm)
	d.SetDismissText(q.dismiss)
	d.Show()
}

func (m *mainWindow) onCloseConfirmed(ok bool) {
	if !ok {
		return
	}
	r := m.run
	if r == nil { // it ended while the question was up
		m.win.Close()
		return
	}
	m.cancel()
	go func() {
		<-r.done
		m.do(m.win.Close)
	}()
}
