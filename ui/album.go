package ui

import (
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
)

// songOptions are a file's choices for songs: one video of them all or
// one per song (with the full album video beside them), the song's own
// cover as the picture, and a title card. They show only for a file with
// audio; the choice of videos only for several songs, and the cover only
// when a song has art.
type songOptions struct {
	mode      *widget.RadioGroup
	album     *widget.Check
	cover     *widget.Check
	titleCard *widget.Check
	rows      []fyne.CanvasObject // the row's label and field
}

// The two ways to make videos of several songs.
const (
	songsOneVideo = "One video, with chapters"
	songsPerSong  = "One video per song"
)

func newSongOptions(f *form) *songOptions {
	return &songOptions{
		mode:      &widget.RadioGroup{Options: []string{lang.L(songsOneVideo), lang.L(songsPerSong)}, Required: true, OnChanged: f.onSongModeChanged},
		album:     &widget.Check{Text: lang.L("Also the full album video"), OnChanged: f.onCheckChanged},
		cover:     &widget.Check{Text: lang.L("Use the song's cover"), OnChanged: f.onCheckChanged},
		titleCard: &widget.Check{Text: lang.L("Title card: “Artist – Title” on the picture"), OnChanged: f.onCheckChanged},
	}
}

// songRows is the form row of the options, each with its reason label.
func (f *form) songRows() []fyne.CanvasObject {
	o := f.songs
	o.rows = []fyne.CanvasObject{
		formLabel(lang.L("Songs")),
		container.NewVBox(o.mode, f.errs["each"], o.album, f.errs["album"],
			o.cover, f.errs["cover-from-audio"], o.titleCard, f.errs["title-card"]),
	}
	return o.rows
}

// perSong reports whether the form makes one video per song, which it
// offers for a file of several songs.
func (f *form) perSong() bool {
	return !f.isLive() && f.audio.several() && f.songs.mode.Selected == lang.L(songsPerSong)
}

// coverFromAudio reports whether the song's own cover is the picture.
func (f *form) coverFromAudio() bool {
	return !f.isLive() && f.audio.art() != nil && f.songs.cover.Checked
}

// songSettings sets what the song options choose in s, whose Audio is
// set: one video per song, the album video, the cover and the title card.
func (f *form) songSettings(s *encoder.Settings) {
	s.Each = f.perSong()
	s.Album = s.Each && f.songs.album.Checked
	s.CoverFromAudio = f.coverFromAudio()
	s.TitleCard = !f.isLive() && len(s.Audio) > 0 && f.songs.titleCard.Checked
}

func (f *form) onSongModeChanged(string) {
	f.showSongOptions()
	f.changed()
}

// showSongOptions shows the options that apply, and makes the output a
// folder for one video per song and a file otherwise.
func (f *form) showSongOptions() {
	o := f.songs
	several := f.audio.several()
	showIf(!f.isLive() && len(f.audio.paths) > 0, o.rows...)
	showIf(several, o.mode)
	showIf(f.perSong(), o.album)
	showIf(!f.perSong(), f.durationRow...)
	showIf(f.audio.art() != nil, o.cover)
	f.audio.songVideos = f.perSong() || f.coverFromAudio() || o.titleCard.Checked
	f.audio.showOptions()
	f.showOutputKind(f.perSong())
}

// showOutputKind keeps each kind of output apart: switching to one video
// per song puts the folder in the output field, and back the file. A
// folder the window chose itself follows the audio.
func (f *form) showOutputKind(folder bool) {
	current := strings.TrimSpace(f.output.Text)
	if folder == f.outputIsFolder {
		if folder && current == f.autoFolder && current != "" {
			f.autoFolder = songsFolder(f.otherOutput, f.audio.paths, f.audio.probe.tracks)
			f.setQuietly(f.output, f.autoFolder)
		}
		return
	}
	f.outputIsFolder = folder
	other := f.otherOutput
	f.otherOutput = current
	if folder && (other == "" || other == f.autoFolder) {
		other = songsFolder(current, f.audio.paths, f.audio.probe.tracks)
		f.autoFolder = other
	}
	f.setQuietly(f.output, other)
	text := lang.L(outputFilePlaceholder)
	if folder {
		text = lang.L("The folder for the videos, one per song")
	}
	f.output.SetPlaceHolder(text)
}

// outputFilePlaceholder is the output field's hint for one video.
const outputFilePlaceholder = "Where to save the video (.mp4)"

// songsFolder is the folder the videos of songs go in when the user has
// not chosen one: named after the album, else the songs' folder, in the
// folder the one video would have gone to (file), else beside the songs'
// folder.
func songsFolder(file string, paths []string, tracks []encoder.AudioInfo) string {
	if len(paths) == 0 {
		return ""
	}
	songsDir := filepath.Dir(paths[0])
	if isDir(paths[0]) {
		songsDir = paths[0]
	}
	name := filepath.Base(songsDir)
	if len(tracks) > 0 && strings.TrimSpace(tracks[0].Album) != "" {
		name = tracks[0].Album
	}
	dir := filepath.Dir(songsDir)
	if file != "" {
		dir = filepath.Dir(file)
	}
	folder := filepath.Join(dir, safeFolderName(name))
	if folder == songsDir { // not among the songs themselves
		folder += " " + lang.L("videos")
	}
	return folder
}

// safeFolderName makes an album's name a folder name on every system.
func safeFolderName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '-'
		}
		return r
	}, name)
	name = strings.Trim(name, " .")
	if name == "" {
		return lang.L("videos")
	}
	return name
}

// coverPicture is the song's cover when s shows it, for the preview; nil
// otherwise.
func (m *mainWindow) coverPicture(s encoder.Settings) *loadedImage {
	if !s.CoverFromAudio {
		return nil
	}
	return m.form.audio.art()
}
