package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/saved"
)

// ffmpegSetting is which ffmpeg the window's jobs use, and what the last
// check of it found.
type ffmpegSetting struct {
	store saved.Store // Stillcast's settings file, which the CLI reads too
	saved string      // the ffmpeg saved there; "" for none
	// chosen is the ffmpeg chosen in this window: like --ffmpeg, it wins
	// over $STILLCAST_FFMPEG until the window closes.
	chosen   string
	checking bool // a check is under way; its answer is not in yet
	gen      int  // counts the checks: only the newest one's answer counts
	usable   bool // the last check found a usable ffmpeg
}

// loadFFmpegSetting reads the saved ffmpeg. A settings file that cannot
// be read is logged and left out: the ffmpeg on PATH may do.
func loadFFmpegSetting(store saved.Store) ffmpegSetting {
	v, err := store.Load()
	if err != nil {
		fyne.LogError("the saved ffmpeg setting is left out", err)
	}
	return ffmpegSetting{store: store, saved: v.FFmpeg}
}

// lookup says where jobs look for ffmpeg; explicit, when not "", comes
// first.
func (f *ffmpegSetting) lookup(explicit string) encoder.FFmpegLookup {
	if explicit == "" {
		explicit = f.chosen
	}
	return encoder.FFmpegLookup{Explicit: explicit, Saved: f.saved, Getenv: os.Getenv}
}

// checkFFmpeg checks the ffmpeg the jobs would use, off the UI thread:
// it runs ffmpeg -version. The banner shows what is wrong.
func (m *mainWindow) checkFFmpeg() {
	l, gen := m.ffmpeg.lookup(""), m.ffmpeg.begin()
	go func() {
		c, err := encoder.CheckFFmpeg(context.Background(), l)
		m.do(func() { m.ffmpegChecked(gen, c, err) })
	}()
}

// begin starts a check and returns its number.
func (f *ffmpegSetting) begin() int {
	f.gen++
	f.checking = true
	return f.gen
}

// ffmpegChecked shows the answer of check gen, unless a newer one is
// under way.
func (m *mainWindow) ffmpegChecked(gen int, c encoder.FFmpegCheck, err error) {
	if gen != m.ffmpeg.gen {
		return
	}
	m.ffmpeg.checking = false
	m.ffmpeg.usable = err == nil
	if err == nil {
		m.banner.hide()
	} else {
		m.banner.show(ffmpegProblemText(c, systemKind()))
	}
	m.syncControls()
}

// relayout lays the whole window out again.
func (m *mainWindow) relayout() { m.win.Content().Refresh() }

// hintFFmpeg points from the idle status line to the banner while it
// shows. Render stays enabled: the check may be wrong about an odd build,
// and a job that cannot find ffmpeg fails at once with the same words.
func (m *mainWindow) hintFFmpeg() {
	if m.banner.content.Visible() && m.progress.state == stateIdle {
		m.progress.status.SetText(lang.L("Stillcast cannot make videos until it has ffmpeg: see the note at the top."))
	}
}

// chooseFFmpeg asks for the ffmpeg program, starting beside the saved one.
func (m *mainWindow) chooseFFmpeg() {
	dir := filepath.Dir(m.ffmpeg.saved)
	if m.ffmpeg.saved == "" || !isDir(dir) {
		dir = ""
	}
	m.ask(func() (string, error) { return m.dialogs.OpenFFmpeg(dir) }, m.ffmpegChosen, func() {
		m.fyneOpenFile(dir, nil, m.ffmpegChosen)
	})
}

// ffmpegChosen checks the chosen file as the start-up check does, and
// saves it only when Stillcast can use it; otherwise the banner says why.
func (m *mainWindow) ffmpegChosen(path string) {
	l, gen := m.ffmpeg.lookup(path), m.ffmpeg.begin()
	store := m.ffmpeg.store
	m.banner.choose.Disable()
	go func() {
		c, err := encoder.CheckFFmpeg(context.Background(), l)
		var saveErr error
		if err == nil {
			saveErr = saveFFmpeg(store, c.Path)
		}
		m.do(func() {
			m.ffmpegChecked(gen, c, err)
			if err == nil && gen == m.ffmpeg.gen {
				m.ffmpeg.chosen, m.ffmpeg.saved = c.Path, c.Path
				m.reprobeAudio()
			}
			if saveErr != nil {
				dialog.ShowError(errors.Join(errors.New(lang.L("This ffmpeg is used until Stillcast closes, but it could not be remembered.")), saveErr), m.win)
			}
		})
	}()
}

// saveFFmpeg writes path into the settings file, keeping what else is there.
func saveFFmpeg(store saved.Store, path string) error {
	v, err := store.Load()
	if err != nil {
		v = saved.Settings{} // unreadable: replaced by a good one
	}
	v.FFmpeg = path
	return store.Save(v)
}

// reprobeAudio reads the audio again with the ffmpeg just chosen: it may
// have failed for want of one.
func (m *mainWindow) reprobeAudio() {
	if paths := m.form.audio.paths; len(paths) > 0 && !m.progress.running() {
		m.form.audio.set(paths)
		m.onFormChanged()
	}
}
