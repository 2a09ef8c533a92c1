package ui

import (
	"os"
	"path/filepath"
	"strconv"
	"time"

	"fyne.io/fyne/v2"

	"github.com/stillcast/stillcast/encoder"
)

// Preference keys: the only spelling of each.
const (
	prefImage            = "image.last"    // the last image loaded
	prefImageDir         = "image.folder"  // where the open dialog starts
	prefOutputDir        = "output.folder" // where new videos are saved
	prefOutputMode       = "output.mode"   // outputFile or outputLive
	prefSize             = "video.size"    // encoder.Size.String()
	prefFit              = "video.fit"     // encoder.Fit
	prefBackground       = "video.background"
	prefDuration         = "video.duration" // as the user typed it
	prefFPS              = "video.fps"      // as the user typed it
	prefPreset           = "video.preset"   // x264 preset name
	prefCRF              = "video.crf"
	prefKeyframes        = "video.keyframes" // the longest gap, as time.Duration.String(); "" is automatic
	prefCrossfade        = "video.crossfade" // as the user typed it; "" cuts
	prefKenBurns         = "video.kenBurns"
	prefAudioDir         = "audio.folder" // where the audio dialog starts
	prefLoopAudio        = "audio.loop"
	prefShuffle          = "audio.shuffle"
	prefLiveDuration     = "live.duration" // as the user typed it; "" streams until stopped
	prefLiveService      = "live.service"  // the service's Name
	prefLiveServer       = "live.server"
	prefLiveCustomServer = "live.customServer" // comes back when Custom is chosen again
	prefLiveBitrate      = "live.bitrate"      // as the user typed it; "" is the default
	prefLiveSecond       = "live.second"       // a second destination is on
	prefLiveServer2      = "live.server2"      // the second destination's server
	prefRememberKey      = "live.rememberKey"  // the key itself is in the keyStore, never here
	prefLiveTitleCard    = "live.titleCard"
	prefLiveTrackArt     = "live.trackArt"
	prefLiveCAFile       = "live.caFile"  // a PEM file trusted for rtmps:// servers
	prefLanguage         = "app.language" // languageAuto, languageEnglish or languageChinese
)

// The song options' keys (album.go).
const (
	prefPerSong        = "audio.perSong"    // one video per song, when there are several
	prefAlbumVideo     = "audio.albumVideo" // with one per song, the full album video too
	prefCoverFromAudio = "audio.cover"      // the song's own cover is the picture
	prefTitleCard      = "video.titleCard"  // "Artist – Title" on a file's picture
)

// formValues is what the form remembers between runs, as text where the
// user typed text, so a half-typed value comes back as it was left.
type formValues struct {
	Size       encoder.Size
	Fit        encoder.Fit
	Background string
	Duration   string
	// LiveDuration is the duration of a stream, kept apart from a video's:
	// a 10 s render must not make the next stream stop after 10 s.
	LiveDuration string
	FPS          string
	Preset       string
	CRF          int
	OutputMode   string
	Crossfade    string
	KenBurns     bool
	LoopAudio    bool
	Shuffle      bool
	// Keyframes is the longest gap between keyframes, one of
	// keyframeChoices; 0 is automatic.
	Keyframes time.Duration
	// The song options (album.go), as chosen.
	PerSong        bool
	AlbumVideo     bool
	CoverFromAudio bool
	TitleCard      bool
}

// defaultFormValues mirrors encoder.DefaultSettings.
func defaultFormValues() formValues {
	d := encoder.DefaultSettings()
	return formValues{
		Size:       d.Size,
		Fit:        d.Fit,
		Background: encoder.FormatColor(d.Background),
		Duration:   d.Duration.String(),
		FPS:        strconv.Itoa(d.FPS),
		Preset:     d.Preset,
		CRF:        d.CRF,
		OutputMode: outputFile,
		Crossfade:  d.Crossfade.String(),
	}
}

// loadFormValues reads the remembered values, falling back to the defaults
// for any that are missing or no longer make sense.
func loadFormValues(p fyne.Preferences) formValues {
	v := defaultFormValues()
	if z, err := encoder.ParseSize(p.String(prefSize)); err == nil {
		v.Size = z
	}
	v.Fit = encoder.Fit(p.StringWithFallback(prefFit, string(v.Fit)))
	v.Background = p.StringWithFallback(prefBackground, v.Background)
	v.Duration = p.StringWithFallback(prefDuration, v.Duration)
	v.LiveDuration = p.String(prefLiveDuration)
	v.FPS = p.StringWithFallback(prefFPS, v.FPS)
	v.Preset = p.StringWithFallback(prefPreset, v.Preset)
	v.CRF = p.IntWithFallback(prefCRF, v.CRF)
	if d, err := time.ParseDuration(p.String(prefKeyframes)); err == nil {
		v.Keyframes = keyframeChoices()[keyframeIndex(d)] // one the list does not offer is automatic
	}
	v.OutputMode = p.StringWithFallback(prefOutputMode, v.OutputMode)
	v.Crossfade = p.StringWithFallback(prefCrossfade, v.Crossfade)
	v.KenBurns = p.Bool(prefKenBurns)
	v.LoopAudio = p.Bool(prefLoopAudio)
	v.Shuffle = p.Bool(prefShuffle)
	v.PerSong = p.Bool(prefPerSong)
	v.AlbumVideo = p.Bool(prefAlbumVideo)
	v.CoverFromAudio = p.Bool(prefCoverFromAudio)
	v.TitleCard = p.Bool(prefTitleCard)
	return v
}

func saveFormValues(p fyne.Preferences, v formValues) {
	p.SetString(prefSize, v.Size.String())
	p.SetString(prefFit, string(v.Fit))
	p.SetString(prefBackground, v.Background)
	p.SetString(prefDuration, v.Duration)
	p.SetString(prefLiveDuration, v.LiveDuration)
	p.SetString(prefFPS, v.FPS)
	p.SetString(prefPreset, v.Preset)
	p.SetInt(prefCRF, v.CRF)
	p.SetString(prefKeyframes, v.Keyframes.String())
	p.SetString(prefOutputMode, v.OutputMode)
	p.SetString(prefCrossfade, v.Crossfade)
	p.SetBool(prefKenBurns, v.KenBurns)
	p.SetBool(prefLoopAudio, v.LoopAudio)
	p.SetBool(prefShuffle, v.Shuffle)
	p.SetBool(prefPerSong, v.PerSong)
	p.SetBool(prefAlbumVideo, v.AlbumVideo)
	p.SetBool(prefCoverFromAudio, v.CoverFromAudio)
	p.SetBool(prefTitleCard, v.TitleCard)
}

// defaultOutputDir is where videos go until the user picks a folder: the
// Videos folder when there is one, else the home folder.
func defaultOutputDir() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return "."
	}
	if videos := filepath.Join(home, "Videos"); isDir(videos) {
		return videos
	}
	return home
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

func isFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode().IsRegular()
}
