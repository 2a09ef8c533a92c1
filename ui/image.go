package ui

import (
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/stillcast/stillcast/encoder"
)

// imageLoads tracks the loading of the picture the preview shows, so
// only the newest load lands.
type imageLoads struct {
	gen     uint64
	pending string // the path being loaded, "" when none
}

// openImages makes paths the images: they replace the list when it is
// empty or holds only the bundled sample, which stands in until the user
// picks an image, and join the end of it otherwise. tentative images are
// files without an image's extension, which leave again if they do not
// decode.
func (m *mainWindow) openImages(tentative bool, paths ...string) {
	if len(paths) == 0 {
		return
	}
	l := m.form.slides
	if len(l.items) == 0 || (len(l.items) == 1 && l.items[0].path == m.samplePath) {
		if l.tooMany(0, len(paths)) {
			return // and the sample stays
		}
		l.items, l.selected = nil, nil
	}
	l.add(tentative, paths...)
}

// onSlidesChanged runs when images were added, moved or removed, or a
// duration changed: the output follows the first image, the preview the
// selected one.
func (m *mainWindow) onSlidesChanged() {
	m.form.showSlideshow()
	if first := m.form.slides.first(); first != nil && first.state == slideLoaded {
		m.firstImageLoaded(first.path)
	}
	m.showSelectedImage()
	m.onFormChanged()
}

// firstImageLoaded remembers the first image and names the video after it.
func (m *mainWindow) firstImageLoaded(path string) {
	if path != m.samplePath {
		m.prefs.SetString(prefImage, path)
	}
	m.suggestOutput(path)
}

// showSelectedImage makes the preview show the selected image, or the
// first: at once when its picture is at hand, else once it has loaded.
func (m *mainWindow) showSelectedImage() {
	s := m.form.slides.current()
	switch {
	case s == nil:
		m.loads = imageLoads{gen: m.loads.gen + 1}
		m.picture = nil
		m.preview.say("")
	case m.picture != nil && m.picture.path == s.path:
		m.loads = imageLoads{gen: m.loads.gen + 1}
	case s.state == slideLoaded && m.loads.pending != s.path:
		m.loadPreview(s.path)
	case s.state == slideFailed:
		m.preview.say(loadFailureText(s.err))
	}
}

// loadPreview decodes path again for the preview, on a goroutine: the list
// keeps only thumbnails.
func (m *mainWindow) loadPreview(path string) {
	m.loads.gen++
	m.loads.pending = path
	gen := m.loads.gen
	go func() {
		pic, err := loadPicture(path)
		m.do(func() {
			if gen != m.loads.gen {
				return // a newer load took over
			}
			m.loads.pending = ""
			if err != nil {
				m.preview.say(loadFailureText(err))
			} else {
				m.picture = pic
				m.preview.say("")
			}
			m.onFormChanged()
		})
	}()
}

// onSlideLoaded takes an image of the list that finished loading: the
// preview shows it if it is the one selected. pic is nil if it failed.
func (m *mainWindow) onSlideLoaded(s *slide, pic *loadedImage) {
	l := m.form.slides
	switch {
	case pic == nil && s.tentative:
		m.preview.say(loadFailureText(s.err)) // it has left the list already
	case pic == nil && s == l.current():
		m.preview.say(loadFailureText(s.err))
	case pic != nil && s == l.current():
		m.loads = imageLoads{gen: m.loads.gen + 1}
		m.picture = pic
		m.preview.say(m.dropNote)
		m.dropNote = ""
	}
	if dir := filepath.Dir(s.path); pic != nil && s.path != m.samplePath && m.prefs.String(prefImageDir) != dir {
		m.prefs.SetString(prefImageDir, dir)
	}
	if s == l.first() && pic != nil {
		m.firstImageLoaded(s.path)
	}
	// An image that loads among others changes nothing but its own row:
	// the form is checked again once the last is in, not once for each of
	// 10,000.
	if pic != nil && s != l.first() && s != l.current() && l.pending() {
		return
	}
	m.onFormChanged()
}

// loadFailureText is why an image did not load; the encoder's message
// names the file already.
func loadFailureText(err error) string {
	if fes := encoder.FieldErrors(err); len(fes) > 0 {
		return fieldErrorText(fes[0])
	}
	return errorText(err)
}

// onDropped takes files dropped anywhere on the window: images join the
// list, audio files become the audio (several are played in the order
// dropped), and in Go Live mode a folder of audio files becomes the
// playlist. During a stream a dropped image goes on air; during a render
// a drop is refused, as the form is locked then.
func (m *mainWindow) onDropped(_ fyne.Position, uris []fyne.URI) {
	if m.progress.running() && !m.progress.streaming() {
		m.preview.say(lang.L("A video is being rendered. Drop the image again when it is done."))
		return
	}
	var files []string
	for _, u := range uris {
		if u.Scheme() == "file" {
			files = append(files, u.Path())
		}
	}
	switch {
	case len(files) == 0:
		m.preview.say(lang.L("Only files can be dropped here."))
		return
	case m.progress.streaming():
		m.dropOnAir(files)
		return
	}
	d := sortDrop(files, m.form.isLive())
	m.preview.say("")
	switch {
	case len(d.images) == 0 && len(d.audio) == 0 && len(d.other) == 1:
		// The decoder knows an image without an extension; if it is not
		// one, nothing changes and the reason is shown.
		m.openImages(true, d.other[0])
		return
	case len(d.images) == 0 && len(d.audio) == 0:
		m.preview.say(lang.L("None of the {{.Count}} dropped files is an image ({{.Images}}) or audio ({{.Audio}}).",
			map[string]any{"Count": len(files), "Images": encoder.SupportedImages, "Audio": encoder.SupportedAudio}))
		return
	}
	if len(d.other) > 0 {
		m.dropNote = leftOutText(len(d.other))
	}
	if len(d.audio) > 0 {
		m.setAudio(d.audio)
	}
	m.openImages(false, d.images...)
	if cur := m.form.slides.current(); cur == nil || cur.state != slideLoading {
		m.preview.say(m.dropNote) // no image to wait for
		m.dropNote = ""
	}
}

// leftOutText says that n dropped files were neither images nor audio.
func leftOutText(n int) string {
	if n == 1 {
		return lang.L("Left out 1 dropped file: it is neither an image nor audio.")
	}
	return lang.L("Left out {{.Count}} dropped files: they are neither an image nor audio.", map[string]any{"Count": n})
}

// droppedFiles are dropped files sorted by what they are.
type droppedFiles struct {
	images, audio, other []string
}

// sortDrop sorts dropped files by their extensions, keeping their order.
// Folders are audio in Go Live mode, a playlist; in a file render they
// are left out. A video is taken as audio, so reading it says why it
// cannot be.
func sortDrop(files []string, live bool) droppedFiles {
	var d droppedFiles
	for _, f := range files {
		switch {
		case live && isDir(f): // only a stream takes a folder: a render stats nothing
			d.audio = append(d.audio, f)
		case encoder.IsAudioFile(f), hasExtension(f, droppedVideoExtensions()):
			d.audio = append(d.audio, f)
		case hasImageExtension(f):
			d.images = append(d.images, f)
		default:
			d.other = append(d.other, f)
		}
	}
	return d
}

// setAudio makes paths the audio. A video still at the default duration
// follows the audio instead: a song is rarely ten seconds long.
func (m *mainWindow) setAudio(paths []string) {
	f := m.form
	f.audio.set(paths)
	if !f.isLive() && strings.TrimSpace(f.duration.Text) == defaultFormValues().Duration {
		f.setQuietly(f.duration, "")
	}
	m.prefs.SetString(prefAudioDir, filepath.Dir(paths[len(paths)-1]))
	f.showDurationPlaceholder()
	m.onFormChanged()
}

func hasImageExtension(path string) bool { return hasExtension(path, imageExtensions()) }

func hasExtension(path string, exts []string) bool {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	return slices.Contains(exts, ext)
}

// droppedVideoExtensions are videos someone may drop for their sound.
func droppedVideoExtensions() []string {
	return append(videoExtensions(), "m4v", "webm", "avi")
}

// suggestOutput names the video after the image, in the output folder,
// unless the user chose the output file themselves.
func (m *mainWindow) suggestOutput(imagePath string) {
	current := strings.TrimSpace(m.form.output.Text)
	if current != "" && current != m.autoOutput {
		return
	}
	ext := encoder.Containers()[0].Ext
	if c, err := encoder.ContainerFor(current); err == nil {
		ext = c.Ext
	}
	m.autoOutput = filepath.Join(m.outputDir(), stem(imagePath)+ext)
	m.form.setOutputPath(m.autoOutput)
}

// outputDir is where the next video goes: the remembered folder while it
// exists, else the Videos or home folder.
func (m *mainWindow) outputDir() string {
	if dir := m.prefs.String(prefOutputDir); dir != "" && isDir(dir) {
		return dir
	}
	return defaultOutputDir()
}

// stem is a file's name without folder and extension.
func stem(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}
