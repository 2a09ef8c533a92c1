package ui

import (
	"image/color"
	"os"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
)

// ffmpegBanner runs along the top of the window while Stillcast has no
// ffmpeg it can use: what is wrong, where to get ffmpeg, and a button to
// choose one.
type ffmpegBanner struct {
	content  *fyne.Container
	relayout func()
	bg       *canvas.Rectangle
	title    *widget.Label
	help     *widget.Label
	choose   *widget.Button
}

// newFFmpegBanner makes the banner, hidden. relayout lays the window out
// again, later: see fitHeight.
func newFFmpegBanner(onChoose, relayout func()) *ffmpegBanner {
	b := &ffmpegBanner{
		relayout: relayout,
		bg:       canvas.NewRectangle(color.Transparent),
		title:    &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord},
		help:     &widget.Label{Wrapping: fyne.TextWrapWord},
		choose:   &widget.Button{Text: lang.L("Choose ffmpeg…"), Icon: theme.FolderOpenIcon(), Importance: widget.HighImportance, OnTapped: onChoose},
	}
	b.bg.CornerRadius = theme.InputRadiusSize()
	icon := widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))
	row := container.NewBorder(nil, nil, container.NewCenter(icon), container.NewCenter(b.choose),
		container.NewVBox(b.title, b.help))
	b.content = container.New(&fitHeight{relayout: relayout},
		container.NewPadded(container.NewStack(b.bg, container.NewPadded(row))))
	b.content.Hide()
	return b
}

// fitHeight lays out one object, wrapped text inside, and when at its new
// width the text needs another height, asks for one more layout of the
// window: a wrapped label knows its height only once it has its width,
// after its parent has already asked for it.
type fitHeight struct {
	relayout func()
	asked    float32 // the height last asked for, so that it asks once
}

func (l *fitHeight) MinSize(objects []fyne.CanvasObject) fyne.Size { return objects[0].MinSize() }

func (l *fitHeight) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	objects[0].Move(fyne.NewPos(0, 0))
	objects[0].Resize(size)
	if need := objects[0].MinSize().Height; need != size.Height && need != l.asked {
		l.asked = need
		l.relayout()
	}
}

// show puts the words up, in the theme's warning color, faint.
func (b *ffmpegBanner) show(title, help string) {
	r, g, bl, _ := theme.Color(theme.ColorNameWarning).RGBA()
	b.bg.FillColor = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(bl >> 8), A: 0x38}
	b.bg.Refresh()
	b.title.SetText(title)
	b.help.SetText(help)
	b.choose.Enable()
	b.content.Show()
	b.relayout() // new words, maybe another number of lines
}

func (b *ffmpegBanner) hide() { b.content.Hide() }

// ffmpegProblemText words what CheckFFmpeg found wrong, naming the file
// and what it is, and where to get ffmpeg on system (see systemKind).
func ffmpegProblemText(c encoder.FFmpegCheck, system string) (title, help string) {
	data := map[string]string{"Path": c.Path, "Version": c.Version, "Min": encoder.MinFFmpeg(), "Env": "$" + encoder.FFmpegEnv}
	switch c.Problem {
	case encoder.FFmpegNotFound:
		title = lang.L("Stillcast needs ffmpeg to make videos, and it was not found on this computer.")
	case encoder.FFmpegNotAProgram:
		switch c.From {
		case encoder.FromEnv:
			title = lang.L("{{.Env}} points at {{.Path}}, which is not a program that can run.", data)
		case encoder.FromSaved:
			title = lang.L("The ffmpeg Stillcast saved, {{.Path}}, is gone or can no longer run.", data)
		default:
			title = lang.L("The file you chose, {{.Path}}, is not a program that can run.", data)
		}
	case encoder.FFmpegNotFFmpeg:
		title = lang.L("{{.Path}} is not ffmpeg: it does not answer as ffmpeg does.", data)
	case encoder.FFmpegTooOld:
		title = lang.L("The ffmpeg at {{.Path}} is version {{.Version}}, which is too old: Stillcast needs ffmpeg {{.Min}} or newer.", data)
	case encoder.FFmpegNoLibx264:
		title = lang.L("The ffmpeg at {{.Path}} ({{.Version}}) was built without libx264, which Stillcast needs to make H.264 video.", data)
	case encoder.FFprobeNotFound:
		title = lang.L("ffprobe was not found beside {{.Path}}. It comes with ffmpeg, and Stillcast needs it to read sound files.", data)
	}
	return title, installHelp(system)
}

// installHelp says where to get ffmpeg on system.
func installHelp(system string) string {
	switch system {
	case "windows":
		return lang.L("To install it, run “winget install ffmpeg” in a terminal, or put ffmpeg.exe and ffprobe.exe beside stillcast.exe; then restart Stillcast. Or choose an ffmpeg you already have.")
	case "darwin":
		return lang.L("To install it, run “brew install ffmpeg” in Terminal, then restart Stillcast. Or choose an ffmpeg you already have.")
	case "debian":
		return lang.L("To install it, run “sudo apt install ffmpeg” in a terminal, then restart Stillcast. Or choose an ffmpeg you already have.")
	}
	return lang.L("Install ffmpeg with your system's package manager, then restart Stillcast. Or choose an ffmpeg you already have.")
}

// systemKind is runtime.GOOS, except that Debian, Ubuntu and the systems
// built on them are "debian": they share apt.
func systemKind() string {
	if runtime.GOOS != "linux" {
		return runtime.GOOS
	}
	osRelease, _ := os.ReadFile("/etc/os-release")
	return linuxKind(string(osRelease))
}

// linuxKind reads an os-release file: "debian" for Debian and its kin,
// else "linux".
func linuxKind(osRelease string) string {
	for _, line := range strings.Split(osRelease, "\n") {
		key, value, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok || (key != "ID" && key != "ID_LIKE") {
			continue
		}
		for _, id := range strings.Fields(strings.Trim(value, `"'`)) {
			if id == "debian" || id == "ubuntu" {
				return "debian"
			}
		}
	}
	return "linux"
}
