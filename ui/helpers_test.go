package ui

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/ui/saved"
)

// uiQueue stands in for fyne.Do: goroutines queue UI work, and the test
// goroutine, which plays the UI thread, runs it. Nothing touches a widget
// from two goroutines, and no test depends on timing.
type uiQueue chan func()

func (q uiQueue) do(f func()) { q <- f }

// until runs queued UI work until cond holds.
func (q uiQueue) until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for !cond() {
		select {
		case f := <-q:
			f()
		case <-deadline:
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

// fakeDialogs answers the file dialogs with fixed paths.
type fakeDialogs struct {
	mu        sync.Mutex
	image     string
	audio     string
	folder    string
	ffmpeg    string
	caFile    string
	video     string
	videoDir  string
	err       error
	openDir   string
	saveDir   string
	saveName  string
	openCalls int
}

func (d *fakeDialogs) OpenImage(dir string) (string, error)  { return d.open(dir, &d.image) }
func (d *fakeDialogs) OpenAudio(dir string) (string, error)  { return d.open(dir, &d.audio) }
func (d *fakeDialogs) OpenFolder(dir string) (string, error) { return d.open(dir, &d.folder) }
func (d *fakeDialogs) OpenFFmpeg(dir string) (string, error) { return d.open(dir, &d.ffmpeg) }
func (d *fakeDialogs) OpenCAFile(dir string) (string, error) { return d.open(dir, &d.caFile) }
func (d *fakeDialogs) OpenVideoFolder(dir string) (string, error) {
	return d.open(dir, &d.videoDir)
}

// open notes an open dialog shown in startDir and gives its answer.
func (d *fakeDialogs) open(startDir string, answer *string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.openCalls++
	d.openDir = startDir
	return *answer, d.err
}

func (d *fakeDialogs) SaveVideo(startDir, name string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.saveDir, d.saveName = startDir, name
	return d.video, d.err
}

// harness is a window on Fyne's test driver with its queue and fakes.
type harness struct {
	*mainWindow
	t       testing.TB
	q       uiQueue
	dialogs *fakeDialogs
	dir     string // a scratch folder, also the output folder
}

// newHarness builds the window with a private home, cache and config
// folder, so nothing of the real user's is read or written.
func newHarness(t testing.TB) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	return newHarnessFor(t, a)
}

func newHarnessFor(t testing.TB, a fyne.App) *harness {
	t.Helper()
	return newHarnessWith(t, a, saved.Store{})
}

// newHarnessWith is newHarnessFor with Stillcast's settings file in
// settings; the zero Store puts it in the harness's home.
func newHarnessWith(t testing.TB, a fyne.App, settings saved.Store) *harness {
	t.Helper()
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, ".cache"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	h := &harness{t: t, q: make(uiQueue, 4096), dialogs: &fakeDialogs{}, dir: dir}
	if settings == (saved.Store{}) {
		settings.Path = filepath.Join(home, ".config", "stillcast", saved.FileName)
	}
	// Not a temp window: TestCloseDuringJobAsksThenCancels closes it, and a
	// test window must not be closed twice. NewTempApp drops it with the app.
	w := test.NewWindow(nil)
	h.mainWindow = newMainWindow(a, w, deps{
		dialogs:  h.dialogs,
		keys:     &keyStore{path: filepath.Join(home, ".config", "stillcast", keyFileName)},
		do:       h.q.do,
		settings: settings,
	})
	w.Resize(fyne.NewSize(windowWidth, windowHeight))
	return h
}

// openImage loads path as at start-up and waits for its preview.
func (h *harness) openImage(t testing.TB, path string) {
	t.Helper()
	h.open([]string{path})
	h.waitPreview(t, path)
}

func (h *harness) waitPreview(t testing.TB, path string) {
	t.Helper()
	h.q.until(t, "the image "+filepath.Base(path)+" is previewed", func() bool {
		return h.picture != nil && h.picture.path == path && h.loads.pending == "" && h.previewSettled()
	})
}

// waitImages waits until every image of the list has loaded or failed.
func (h *harness) waitImages(t testing.TB) {
	t.Helper()
	h.q.until(t, "the images load", func() bool { return !h.form.slides.pending() })
}

// waitAudio waits until the audio has been read.
func (h *harness) waitAudio(t *testing.T) {
	t.Helper()
	h.q.until(t, "the audio is read", func() bool { return !h.form.audio.pending() })
}

// previewSettled reports whether the preview shows the newest request.
func (h *harness) previewSettled() bool {
	return h.preview.frame.Image != nil && h.preview.shown == h.preview.gen
}

// setText types into an entry as a user would, and lets the window
// check the form.
func (h *harness) setText(e *widget.Entry, text string) {
	e.SetText("")
	test.Type(e, text)
	h.settle()
}

// writePNG writes a w×h PNG filled with c.
func writePNG(t testing.TB, path string, w, h int, c color.Color) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, c)
		}
	}
	return savePNG(t, path, img)
}

// savePNG writes img to path as a PNG and returns path.
func savePNG(t testing.TB, path string, img image.Image) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

// walkObjects calls visit on o and everything inside it, going into
// containers and widgets' renderers wherever visit returns true.
func walkObjects(t *testing.T, o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) {
	if !visit(o) {
		return
	}
	switch o := o.(type) {
	case *fyne.Container:
		for _, child := range o.Objects {
			walkObjects(t, child, visit)
		}
	case fyne.Widget:
		for _, child := range test.TempWidgetRenderer(t, o).Objects() {
			walkObjects(t, child, visit)
		}
	}
}

// tapButton taps the button labelled text in the window or a dialog on it.
func tapButton(t *testing.T, c fyne.Canvas, text string) {
	t.Helper()
	var found *widget.Button
	find := func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			found = b
		}
		return true
	}
	for _, o := range c.Overlays().List() {
		walkObjects(t, o, find)
	}
	if found == nil {
		walkObjects(t, c.Content(), find)
	}
	if found == nil {
		t.Fatalf("no button %q on screen", text)
	}
	test.Tap(found)
}

// overlayText gathers the labels of the dialogs on the window.
func overlayText(t *testing.T, c fyne.Canvas) string {
	t.Helper()
	var b strings.Builder
	for _, o := range c.Overlays().List() {
		walkObjects(t, o, func(o fyne.CanvasObject) bool {
			if l, ok := o.(*widget.Label); ok {
				b.WriteString(l.Text + "\n")
			}
			return true
		})
	}
	return b.String()
}

// settle runs the check of the form that typing scheduled, at once, as
// the debounce's timer would a moment later, and lets the lines under the
// images be redrawn.
func (h *harness) settle() {
	h.edits.flush()
	h.q.until(h.t, "the lines under the images are redrawn", func() bool { return !h.form.slides.infoBusy })
}
