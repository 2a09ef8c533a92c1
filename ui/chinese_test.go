package ui

import (
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
)

// latinWord is a run of Latin letters, with the digits, dots and signs
// that make "H.264" or "x264" one word.
var latinWord = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9.+_-]*`)

// asTyped are what stays as it is: file names, paths, URLs, environment
// variables, what the user typed (quoted), and the commands that install
// ffmpeg.
var asTyped = regexp.MustCompile(`\S*[/\\]\S*|[\w.-]+\.(jpe?g|png|mp4|mp3|wav|exe)\b|\$[A-Z_]+|"[^"]*"|(sudo )?(apt|brew|winget) install \w+`)

// untranslatedOK are the Latin words a Chinese window may show: units,
// formats, programs, brands, keys and the languages' own names.
var untranslatedOK = map[string]bool{
	"fps": true, "MP4": true, "mp4": true, "AAC": true, "ALAC": true, "FLAC": true, "RTMP": true, "RTMPS": true, "rtmp": true, "rtmps": true, "H.264": true,
	"ffmpeg": true, "ffprobe": true, "libx264": true, "x264": true, "Stillcast": true, "JPEG": true, "PNG": true, "GIF": true,
	"BMP": true, "TIFF": true, "WebP": true, "mp3": true, "m4a": true, "wav": true, "flac": true, "ogg": true,
	"opus": true, "YouTube": true, "Twitch": true, "Facebook": true, "Bilibili": true, "Ctrl+Enter": true, "English": true, "k": true, "M": true, "kB": true, "MB": true, "GB": true, "kbit": true, "Mbit": true,
	"s": true, "h": true, "m": true, "Debian": true, "Ubuntu": true, "macOS": true, "Windows": true,
}

// colourChannels are the channels' letters in Fyne's colour picker.
var colourChannels = []string{"H", "S", "L", "R", "G", "B", "A"}

// untranslated is the Latin words of text that are not allowed through.
func untranslated(text string) []string {
	var bad []string
	for _, w := range latinWord.FindAllString(asTyped.ReplaceAllString(text, ""), -1) {
		w = strings.TrimRight(w, ".-_")
		if !untranslatedOK[w] && !regexp.MustCompile(`\d`).MatchString(w) {
			bad = append(bad, w)
		}
	}
	return bad
}

// drawnTexts are the texts of o and everything in it: what is drawn, and
// what the widgets hold to show later (options, placeholders).
func drawnTexts(t *testing.T, o fyne.CanvasObject) []string {
	var texts []string
	walkObjects(t, o, func(o fyne.CanvasObject) bool {
		switch w := o.(type) {
		case *canvas.Text:
			texts = append(texts, w.Text)
		case *widget.Label:
			texts = append(texts, w.Text)
		case *widget.Button:
			texts = append(texts, w.Text)
		case *widget.Check:
			texts = append(texts, w.Text)
		case *widget.Select:
			texts = append(texts, append([]string{w.PlaceHolder, w.Selected}, w.Options...)...)
		case *widget.RadioGroup:
			texts = append(texts, w.Options...)
		case *widget.SelectEntry: // what is typed is the user's
			texts = append(texts, w.PlaceHolder)
			return false
		case *widget.Entry:
			texts = append(texts, w.PlaceHolder)
			return false
		case *widget.Accordion:
			for _, it := range w.Items {
				texts = append(texts, it.Title)
			}
		}
		return true
	})
	return texts
}

// checkChinese fails for every text of where that holds untranslated
// English.
func checkChinese(t *testing.T, where string, texts []string) {
	t.Helper()
	for _, text := range texts {
		if bad := untranslated(text); len(bad) > 0 {
			t.Errorf("%s: %q has untranslated words %v", where, text, bad)
		}
	}
}

// windowTexts are the texts of the window, its menus and its dialogs.
func windowTexts(t *testing.T, h *harness) []string {
	c := h.win.Canvas()
	texts := drawnTexts(t, c.Content())
	for _, o := range c.Overlays().List() {
		texts = append(texts, drawnTexts(t, o)...)
	}
	for _, menu := range h.win.MainMenu().Items {
		texts = append(texts, menu.Label)
		for _, it := range menu.Items {
			texts = append(texts, it.Label)
		}
	}
	return texts
}

// With LANG=zh_CN.UTF-8 the window is in Chinese throughout: every text
// in both output modes, with fields in error, in the dialogs it opens and
// through a stream's states.
func TestChineseWindow(t *testing.T) {
	if !runInLocale(t, "TestChineseWindow", "LANG=zh_CN.UTF-8") {
		return
	}
	a := test.NewTempApp(t)
	LoadTranslations(a.Preferences())
	if got := lang.L("Render"); got != "渲染" {
		t.Fatalf(`lang.L("Render") = %q under LANG=zh_CN.UTF-8`, got)
	}
	h := newHarnessFor(t, a)
	h.open(nil)
	h.q.until(t, "the sample is previewed", func() bool { return h.picture != nil && h.previewSettled() })
	checkChinese(t, "file mode", windowTexts(t, h))

	h.setText(h.form.duration, "soon")
	h.setText(h.form.fps, "fast")
	h.form.size.SetSelected(sizeCustomLabel())
	h.setText(h.form.customW, "wide")
	checkChinese(t, "file mode with errors", windowTexts(t, h))
	for _, field := range []string{"duration", "fps", "size"} {
		if h.form.reason(field) == "" {
			t.Errorf("the bad %s is not marked", field)
		}
	}

	h.confirmReplace(encoder.Settings{Output: "/tmp/video.mp4"})
	checkChinese(t, "the replace dialog", windowTexts(t, h))
	tapButton(t, h.win.Canvas(), lang.L("Keep it"))

	h.form.onBackgroundTapped()
	var picker []string
	for _, text := range windowTexts(t, h) {
		if !slices.Contains(colourChannels, text) {
			picker = append(picker, text)
		}
	}
	checkChinese(t, "the colour picker", picker)
	h.win.Canvas().Overlays().Top().Hide()

	h.form.outputMode.SetSelected(outputLabel(outputLive))
	h.setText(h.live.bitrate, "fast")
	checkChinese(t, "live mode", windowTexts(t, h))
	if h.form.reason("key") == "" || h.form.reason("bitrate") == "" {
		t.Error("the missing key and the bad bitrate are not marked")
	}

	v := h.progress.liveView
	v.begin([]string{"rtmp://a.rtmp.youtube.com/live2/[推流码]", "rtmps://live.example.com/app/[推流码]"})
	for _, st := range []encoder.LiveState{encoder.LiveConnecting, encoder.LiveOnAir, encoder.LiveReconnecting, encoder.LiveStopped, encoder.LiveFailed} {
		v.apply(encoder.LiveStatus{Dest: 1, State: st, Attempt: 2, NextTry: 5 * time.Second, Bitrate: 1_000_000})
		checkChinese(t, "a stream's status", append(drawnTexts(t, v.content), v.rows[1].detail.Text))
	}
	v.stop()
	v.switchingPicture("/tmp/b.png")
	checkChinese(t, "a stream stopping, its picture changing", drawnTexts(t, v.content))
	v.pictureChanged(encoder.PictureChanged{Path: "/tmp/b.png", Err: errors.Join(encoder.ErrCancelled)})
	checkChinese(t, "a picture that did not change", drawnTexts(t, v.content))
	v.pictureChanged(encoder.PictureChanged{Path: "/tmp/b.png"})
	v.finish(nil, time.Minute)
	checkChinese(t, "a stream stopped", drawnTexts(t, v.content))
	for _, system := range []string{"windows", "darwin", "debian", "other"} {
		for p := encoder.FFmpegNotFound; p <= encoder.FFprobeNotFound; p++ {
			for _, from := range []encoder.FFmpegSource{encoder.FromEnv, encoder.FromSaved, 0} {
				title, help := ffmpegProblemText(encoder.FFmpegCheck{Path: "/opt/ffmpeg", From: from, Problem: p, Version: "4.0"}, system)
				checkChinese(t, "the ffmpeg banner", []string{title, help})
			}
		}
	}
	for _, q := range []closeQuestion{closeWhileRendering(), closeWhileLive()} {
		checkChinese(t, "closing", []string{q.title, q.message, q.confirm, q.dismiss})
	}
	checkChinese(t, "errors", []string{
		failureText(&encoder.FieldError{Field: "ffmpeg", Err: encoder.ErrFFmpegNotFound}),
		failureText(&encoder.FieldError{Field: "out", Err: encoder.ErrOutputExists}),
		failureText(&encoder.FFmpegError{ExitCode: 1, Hint: "the disk is full"}),
		failureText(&encoder.FFmpegError{ExitCode: 1}),
		failureDetails(errors.Join(&encoder.FieldError{Field: "fps", Err: errors.New("x"), Format: "must be between %d and %d, not %d", Args: []any{1, 120, 0}},
			&encoder.FieldError{Field: "out", Err: encoder.ErrOutputExists})),
		liveFailureText(encoder.ErrKeyRejected),
		errorText(&os.PathError{Op: "open", Path: "/tmp/a.jpg", Err: os.ErrNotExist}),
		errorText(errors.Join(encoder.ErrCancelled)),
	})
}
