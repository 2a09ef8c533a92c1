package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/human"
)

// audioRow is the sound of the video: one file, or several played one
// after the other, or a folder of them (the songs of an album, or a
// stream's playlist).
// It reads their lengths and tags with ffprobe on a goroutine, and says
// what it found, or why a file cannot be used, under the field.
type audioRow struct {
	do             func(func())
	ffmpeg         func(explicit string) encoder.FFmpegLookup // where the window finds ffmpeg
	onChanged      func()
	onChoose       func()
	onChooseFolder func()

	paths []string // as chosen: files and folders
	live  bool     // the form is in Go Live mode
	// songVideos says the form makes song videos (one per song, the
	// song's cover, a title card), each exactly as long as its songs.
	songVideos bool

	name    *widget.Label
	length  *widget.Label
	choose  *widget.Button
	folder  *widget.Button
	clear   *widget.Button
	loop    *widget.Check
	shuffle *widget.Check
	codec   *widget.Select // the audio codec of a file: audioCodecLabels, as encoder.AudioCodecs
	codecs  *fyne.Container

	probe audioProbe
}

// audioProbe is the reading of the chosen audio: only the newest lands.
type audioProbe struct {
	gen    uint64
	cancel context.CancelFunc // stops the one under way; nil when none
	busy   bool
	tracks []encoder.AudioInfo // the files, folders expanded, in order
	err    error               // a *encoder.FieldError for "audio"
	// artBusy says the songs' cover art is being looked for; art is the
	// first found (see album_art.go).
	artBusy bool
	art     *loadedImage
}

// Empty audio, as each output mode says it.
const (
	noAudioFile = "None: the video is silent"
	noAudioLive = "None: the stream carries silence"
)

func newAudioRow(do func(func())) *audioRow {
	r := &audioRow{do: do}
	r.name = &widget.Label{Text: lang.L(noAudioFile), Truncation: fyne.TextTruncateEllipsis, Importance: widget.LowImportance}
	r.length = &widget.Label{Importance: widget.LowImportance, SizeName: captionSize, Truncation: fyne.TextTruncateEllipsis}
	r.length.Hide()
	r.choose = &widget.Button{Text: lang.L("Choose…"), Icon: theme.FolderOpenIcon(), OnTapped: func() { r.onChoose() }}
	r.folder = &widget.Button{Text: lang.L("Folder…"), OnTapped: func() { r.onChooseFolder() }}
	r.clear = &widget.Button{Icon: theme.ContentClearIcon(), Importance: widget.LowImportance, OnTapped: r.onClearTapped}
	r.clear.Hide()
	r.loop = &widget.Check{Text: lang.L("Loop audio to fill the duration"), OnChanged: r.onCheckChanged}
	r.shuffle = &widget.Check{Text: lang.L("Shuffle the playlist"), OnChanged: r.onCheckChanged}
	r.codec = &widget.Select{Options: audioCodecLabels(), PlaceHolder: lang.L(selectPlaceholder), OnChanged: r.onCodecChanged}
	r.codec.SetSelectedIndex(0)
	r.codecs = container.NewBorder(nil, nil, &widget.Label{Text: lang.L("Audio codec")}, nil, r.codec)
	r.showOptions()
	return r
}

// content is the field: the audio's name with its buttons, what was
// found in it, the reason it cannot be used, and the options that apply,
// with the reason the codec cannot be.
func (r *audioRow) content(reason, codecReason *widget.Label) fyne.CanvasObject {
	buttons := container.NewHBox(r.clear, r.folder, r.choose)
	return container.NewVBox(
		container.NewBorder(nil, nil, nil, buttons, r.name),
		r.length, reason, r.loop, r.shuffle, r.codecs, codecReason,
	)
}

// audioCodecLabels name the choices of encoder.AudioCodecs, in order.
func audioCodecLabels() []string {
	return []string{lang.L("Automatic: copied when it fits, else AAC"), "AAC", lang.L("ALAC (lossless)"), lang.L("FLAC (lossless)"), lang.L("Copy untouched")}
}

func (r *audioRow) onCodecChanged(string) { r.onCheckChanged(true) }

// codecValue is the chosen audio codec, as encoder.Settings takes it.
func (r *audioRow) codecValue() string {
	return encoder.AudioCodecs()[max(0, r.codec.SelectedIndex())]
}

func (r *audioRow) onClearTapped() {
	r.set(nil)
	r.onChanged()
}

func (r *audioRow) onCheckChanged(bool) {
	if r.onChanged != nil {
		r.onChanged()
	}
}

// set chooses the audio and starts reading it. It does not count as an
// edit: callers run onChanged when they are done.
func (r *audioRow) set(paths []string) {
	if r.probe.cancel != nil {
		r.probe.cancel()
	}
	r.paths = paths
	r.probe = audioProbe{gen: r.probe.gen + 1}
	if len(paths) > 0 {
		ctx, cancel := context.WithCancel(context.Background())
		r.probe.cancel, r.probe.busy = cancel, true
		gen, l := r.probe.gen, r.lookup()
		go func() {
			tracks, err := probeAudio(ctx, l, paths)
			r.do(func() { r.probed(gen, tracks, err) })
		}()
	}
	r.show()
}

func (r *audioRow) probed(gen uint64, tracks []encoder.AudioInfo, err error) {
	if gen != r.probe.gen {
		return // a newer choice took over
	}
	r.probe.cancel()
	r.probe = audioProbe{gen: gen, tracks: tracks, err: err}
	if err == nil && len(tracks) > 0 {
		r.lookForArt()
	}
	r.show()
	r.onChanged()
}

// lookup is where the row finds ffmpeg: the window's, else the usual places.
func (r *audioRow) lookup() encoder.FFmpegLookup {
	if r.ffmpeg != nil {
		return r.ffmpeg("")
	}
	return encoder.FFmpegLookup{Getenv: os.Getenv}
}

// probeAudio finds ffmpeg and reads every file, folders expanded. Every
// error is a *encoder.FieldError for "audio".
func probeAudio(ctx context.Context, l encoder.FFmpegLookup, paths []string) ([]encoder.AudioInfo, error) {
	ffmpeg, _, err := l.Find()
	if err != nil {
		return nil, audioFieldError(err)
	}
	tracks, err := encoder.ProbeAll(ctx, ffmpeg, paths)
	if err != nil {
		return nil, audioFieldError(err)
	}
	return tracks, nil
}

// audioFieldError shows err under the audio field, whichever field the
// encoder gave it: a missing ffprobe is the audio's problem here.
func audioFieldError(err error) error {
	var fe *encoder.FieldError
	if errors.As(err, &fe) {
		if fe.Field == "audio" {
			return fe
		}
		moved := *fe
		moved.Field = "audio"
		return &moved
	}
	return &encoder.FieldError{Field: "audio", Err: err}
}

// pending reports whether the audio, or its cover art, is still being read.
func (r *audioRow) pending() bool { return r.probe.busy || r.probe.artBusy }

// problem is why the audio cannot be used, nil if it can.
func (r *audioRow) problem() error { return r.probe.err }

// known reports whether the audio's length is known: there is none, or
// it has been read.
func (r *audioRow) known() bool { return !r.probe.busy && r.probe.err == nil }

// total is the length of all the audio; 0 without audio.
func (r *audioRow) total() time.Duration {
	var d time.Duration
	for _, t := range r.probe.tracks {
		d += t.Duration
	}
	return d
}

// files are the audio for Settings: a stream takes folders as they are,
// to read them again each round; a file render plays their files.
func (r *audioRow) files() []string {
	if r.live || r.probe.busy || r.probe.err != nil || len(r.probe.tracks) == 0 {
		return r.paths
	}
	out := make([]string, len(r.probe.tracks))
	for i, t := range r.probe.tracks {
		out[i] = t.Path
	}
	return out
}

// setLive words the row for a stream or a file.
func (r *audioRow) setLive(live bool) {
	r.live = live
	r.show()
}

// show makes the labels say what is chosen and what was found in it.
func (r *audioRow) show() {
	switch {
	case len(r.paths) == 0 && r.live:
		r.name.SetText(lang.L(noAudioLive))
	case len(r.paths) == 0:
		r.name.SetText(lang.L(noAudioFile))
	case len(r.paths) == 1:
		r.name.SetText(audioName(r.paths[0]))
	default:
		names := make([]string, len(r.paths))
		for i, p := range r.paths {
			names[i] = audioName(p)
		}
		r.name.SetText(lang.L("{{.Count}} files: {{.Names}}", map[string]any{"Count": len(r.paths), "Names": strings.Join(names, ", ")}))
	}
	r.name.Importance = widget.MediumImportance
	if len(r.paths) == 0 {
		r.name.Importance = widget.LowImportance
	}
	r.name.Refresh()
	showIf(len(r.paths) > 0, r.clear)

	tracks := r.probe.tracks
	switch {
	case r.probe.busy:
		r.length.SetText(lang.L("Reading the audio…"))
	case len(tracks) == 1:
		r.length.SetText(human.Clock(tracks[0].Duration) + "  ·  " + tracks[0].Label())
	case len(tracks) > 1:
		r.length.SetText(lang.L("{{.Count}} tracks  ·  {{.Length}} in all", map[string]any{"Count": len(tracks), "Length": human.Clock(r.total())}))
	}
	showIf(r.probe.busy || len(tracks) > 0, r.length)
	r.showOptions()
}

// showOptions shows the options that apply: looping to a file (not to
// song videos, as long as their songs), shuffling a stream's playlist.
func (r *audioRow) showOptions() {
	has := len(r.paths) > 0
	showIf(has && !r.live && !r.songVideos, r.loop, r.codecs)
	showIf(has && r.live, r.shuffle)
}

// audioName is how a chosen file or folder is named in the field.
func audioName(path string) string {
	if isDir(path) {
		return filepath.Base(path) + string(filepath.Separator) + " " + lang.L("(folder)")
	}
	return filepath.Base(path)
}

// setEnabled locks the row while a job runs.
func (r *audioRow) setEnabled(on bool) {
	for _, w := range []fyne.Disableable{r.choose, r.folder, r.clear, r.loop, r.shuffle, r.codec} {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
}
