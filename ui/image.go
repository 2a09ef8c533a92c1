package ui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"

	"github.com/stillcast/stillcast/encoder"
)

// imageLoads tracks image loading, so only the newest load lands and the
// form can tell why the path it shows did not load.
type imageLoads struct {
	gen        uint64
	pending    string // the path being loaded, "" when none
	failedPath string
	failed     error
}

// loadImage decodes path on a goroutine. If it loads it becomes the image
// and note is shown; if not, the image shown before stays and the reason
// is shown instead.
func (m *mainWindow) loadImage(path, note string) {
	m.loads.gen++
	m.loads.pending = path
	gen := m.loads.gen
	go func() {
		pic, err := loadPicture(path)
		m.do(func() { m.imageLoaded(gen, path, pic, err, note) })
	}()
}

func (m *mainWindow) imageLoaded(gen uint64, path string, pic *picture, err error, note string) {
	if gen != m.loads.gen {
		return // a newer load took over
	}
	m.loads.pending = ""
	if err != nil {
		m.loads.failedPath, m.loads.failed = path, err
		m.preview.say(loadFailureText(err))
		m.onFormChanged()
		return
	}
	m.loads.failedPath, m.loads.failed = "", nil
	m.picture = pic
	m.form.setImagePath(path)
	m.prefs.SetString(prefImage, path)
	m.prefs.SetString(prefImageDir, filepath.Dir(path))
	m.suggestOutput(path)
	m.preview.say(note)
	m.onFormChanged()
}

// loadFailureText is why an image did not load; the encoder's message
// names the file already.
func loadFailureText(err error) string {
	if fes := encoder.FieldErrors(err); len(fes) > 0 {
		return fes[0].Err.Error()
	}
	return err.Error()
}

// onImageTyped loads a path typed or pasted into the image field once it
// names a file.
func (m *mainWindow) onImageTyped(text string) {
	path := strings.TrimSpace(text)
	if (m.picture != nil && path == m.picture.path) || path == m.loads.pending || path == m.loads.failedPath {
		return
	}
	if isFile(path) {
		m.loadImage(path, "")
	}
}

// onDropped takes files dropped anywhere on the window. It loads the first
// image; a drop while a job runs is refused, as the form is locked then.
func (m *mainWindow) onDropped(_ fyne.Position, uris []fyne.URI) {
	switch {
	case m.progress.streaming():
		m.preview.say("Stillcast is streaming this image. Stop the stream, then drop the new one.")
		return
	case m.progress.running():
		m.preview.say("A video is being rendered. Drop the image again when it is done.")
		return
	}
	var files []string
	for _, u := range uris {
		if u.Scheme() == "file" {
			files = append(files, u.Path())
		}
	}
	var images []string
	for _, f := range files {
		if hasImageExtension(f) {
			images = append(images, f)
		}
	}
	switch {
	case len(files) == 0:
		m.preview.say("Only files can be dropped here.")
	case len(files) == 1:
		m.loadImage(files[0], "") // the decoder knows an image without an extension
	case len(images) == 0:
		m.preview.say(fmt.Sprintf("None of the %d dropped files is an image (%s).", len(files), encoder.SupportedImages))
	default:
		m.loadImage(images[0], fmt.Sprintf("Using %s: one image makes one video, so the %d other dropped files were left out.",
			filepath.Base(images[0]), len(files)-1))
	}
}

func hasImageExtension(path string) bool {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	return slices.Contains(imageExtensions, ext)
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
