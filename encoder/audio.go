package encoder

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/stillcast/stillcast/encoder/album"
	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

// SupportedAudio names the audio formats a user is offered, for messages.
const SupportedAudio = "mp3, m4a, aac, wav, flac, ogg or opus"

// AudioExtensions are the extensions, without the dot, that a folder is
// searched for, a dropped file is taken as audio by and an open dialog
// offers. Any file ffmpeg reads works when named.
func AudioExtensions() []string {
	return []string{"mp3", "m4a", "aac", "wav", "flac", "ogg", "oga", "opus"}
}

// IsAudioFile reports whether path's extension is that of an audio file.
func IsAudioFile(path string) bool {
	return slices.Contains(AudioExtensions(), strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), "."))
}

// AudioInfo is what Stillcast needs to know of an audio file.
type AudioInfo struct {
	Path       string
	Codec      string // ffmpeg's codec name: "mp3", "aac", "flac", "pcm_s16le", …
	SampleRate int
	Channels   int
	Bitrate    int // bits per second; 0 when unknown
	Duration   time.Duration
	Title      string // from the tags, else the file name without extension
	Artist     string
	Album      string // the album tag
	Number     int    // the track number tag; 0 without
	// Untitled says Title is the file's name: the file has no title tag.
	Untitled bool
}

// Label is how a track is named to people: "Artist – Title", or the title.
func (a AudioInfo) Label() string {
	if a.Artist != "" {
		return a.Artist + " – " + a.Title
	}
	return a.Title
}

// expandAudio turns the paths of files and folders into a list of files:
// a folder gives its audio files (by extension, not its subfolders) in
// name order. Every error is a *FieldError for "audio" naming the path.
func expandAudio(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, audioErr(p, describeOpenError(err))
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, audioErr(p, describeOpenError(err))
		}
		var found []string
		for _, e := range entries {
			if !e.IsDir() && IsAudioFile(e.Name()) {
				found = append(found, filepath.Join(p, e.Name()))
			}
		}
		if len(found) == 0 {
			return nil, audioErr(p, fmt.Errorf("the folder has no audio files (%s)", SupportedAudio))
		}
		sort.Slice(found, func(i, j int) bool { return naturalLess(found[i], found[j]) })
		files = append(files, found...)
	}
	if len(files) > MaxAudioFiles {
		return nil, fieldErr("audio", "%d audio files; the limit is %d", len(files), MaxAudioFiles)
	}
	return files, nil
}

// naturalLess orders "2 song" before "10 song", as file managers do.
func naturalLess(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	for a != "" && b != "" {
		da, db := leadingDigits(a), leadingDigits(b)
		if da != "" && db != "" {
			na, _ := strconv.ParseUint(da, 10, 64)
			nb, _ := strconv.ParseUint(db, 10, 64)
			if na != nb {
				return na < nb
			}
			a, b = a[len(da):], b[len(db):]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func leadingDigits(s string) string {
	i := 0
	for i < len(s) && i < 18 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

func describeOpenError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return wordedError{"no such file or folder", err}
	case errors.Is(err, fs.ErrPermission):
		return wordedError{"permission denied", err}
	}
	return err
}

// wordedError says err in plain words, and still wraps it, so errors.Is
// finds fs.ErrNotExist or image.ErrFormat behind the words.
type wordedError struct {
	text string
	err  error
}

func (w wordedError) Error() string { return w.text }
func (w wordedError) Unwrap() error { return w.err }

func audioErr(path string, err error) *FieldError {
	return &FieldError{Field: "audio", Err: fmt.Errorf("%s: %w", filepath.Base(path), err)}
}

// probeAudio reads what Stillcast needs of the audio file at path with
// ffprobe. It refuses, with a *FieldError for "audio" that names the file,
// what is missing, unreadable, not audio, or a video.
func probeAudio(ctx context.Context, ffprobe, path string) (AudioInfo, error) {
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return AudioInfo{}, audioErr(path, describeOpenError(err))
	case info.IsDir():
		return AudioInfo{}, fieldErr("audio", "%s: is a folder, not an audio file", filepath.Base(path))
	case info.Size() == 0:
		return AudioInfo{}, fieldErr("audio", "%s: the file is empty", filepath.Base(path))
	}
	probe, err := ffmpeg.ProbeFile(ctx, ffprobe, path)
	switch {
	case errors.Is(err, ErrCancelled):
		return AudioInfo{}, err
	case errors.Is(err, ffmpeg.ErrUnreadable):
		return AudioInfo{}, fieldErr("audio", "%s: not an audio file ffmpeg can read: it is damaged or of an unknown kind (use %s)", filepath.Base(path), SupportedAudio)
	case err != nil:
		return AudioInfo{}, audioErr(path, err)
	}
	return audioInfo(path, probe)
}

// audioInfo reads what ffprobe found in the file at path.
func audioInfo(path string, out ffmpeg.Probe) (AudioInfo, error) {
	a := AudioInfo{Path: path}
	found := false
	for _, s := range out.Streams {
		switch {
		case s.CodecType == "video" && s.Disposition.AttachedPic == 0 && !stillCodec(s.CodecName):
			return AudioInfo{}, fieldErr("audio", "%s: is a video, not an audio file: choose its soundtrack as mp3, m4a, wav or flac, or the image to show", filepath.Base(path))
		case s.CodecType == "audio" && !found:
			found = true
			a.Codec = s.CodecName
			a.SampleRate, _ = strconv.Atoi(s.SampleRate)
			a.Channels = s.Channels
			a.Bitrate, _ = strconv.Atoi(s.BitRate)
			a.Duration = parseSeconds(s.Duration)
			a.Title, a.Artist = tag(s.Tags, "title"), tag(s.Tags, "artist")
		}
	}
	if !found {
		return AudioInfo{}, fieldErr("audio", "%s: has no audio in it", filepath.Base(path))
	}
	if d := parseSeconds(out.Format.Duration); d > 0 {
		a.Duration = d // the container's length covers every stream's delay
	}
	if a.Duration <= 0 {
		return AudioInfo{}, fieldErr("audio", "%s: its length cannot be read: the file may be damaged", filepath.Base(path))
	}
	if a.Bitrate == 0 {
		a.Bitrate, _ = strconv.Atoi(out.Format.BitRate)
	}
	if a.Title == "" {
		a.Title = tag(out.Format.Tags, "title")
	}
	if a.Artist == "" {
		a.Artist = tag(out.Format.Tags, "artist")
	}
	for _, tags := range []map[string]string{out.Format.Tags, firstAudioTags(out)} {
		if a.Album == "" {
			a.Album = tag(tags, "album")
		}
		if a.Number == 0 {
			a.Number = album.TrackNumber(tag(tags, "track"))
		}
	}
	if a.Title == "" {
		a.Title = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		a.Artist = ""
		a.Untitled = true
	}
	return a, nil
}

// firstAudioTags are the tags of the file's first audio stream, where
// Ogg and Opus files keep theirs.
func firstAudioTags(out ffmpeg.Probe) map[string]string {
	for _, s := range out.Streams {
		if s.CodecType == "audio" {
			return s.Tags
		}
	}
	return nil
}

// stillCodec reports whether a video stream is a picture: cover art some
// formats carry as a stream without marking it so.
func stillCodec(codec string) bool {
	switch codec {
	case "mjpeg", "png", "bmp", "gif", "webp", "tiff":
		return true
	}
	return false
}

// tag reads a tag whatever the case of its key (Vorbis comments are upper case).
func tag(tags map[string]string, key string) string {
	for k, v := range tags {
		if strings.EqualFold(k, key) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func parseSeconds(s string) time.Duration {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 {
		return 0
	}
	return time.Duration(v * float64(time.Second))
}

// ProbeAll expands paths (files and folders) and reads every file with
// the ffprobe beside ffmpeg, and reports the first in the list that is not
// usable. Start does the same with Settings.Audio. An ffprobe costs about
// a tenth of a second, mostly in starting up, so a folder of a hundred
// tracks is read by one ffprobe per CPU at a time.
func ProbeAll(ctx context.Context, ffmpeg string, paths []string) ([]AudioInfo, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	files, err := expandAudio(paths)
	if err != nil {
		return nil, err
	}
	ffprobe, err := findFFprobe(ffmpeg)
	if err != nil {
		return nil, err
	}
	tracks := make([]AudioInfo, len(files))
	err = eachInParallel(ctx, len(files), func(ctx context.Context, i int) error {
		var err error
		tracks[i], err = probeAudio(ctx, ffprobe, files[i])
		return err
	})
	if err != nil {
		return nil, err
	}
	return tracks, nil
}

// totalLength adds up the tracks' lengths.
func totalLength(tracks []AudioInfo) time.Duration {
	var d time.Duration
	for _, t := range tracks {
		d += t.Duration
	}
	return d
}
