package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/resources"
)

const renderUsage = `Usage: stillcast render [flags] [IMAGE]

Renders IMAGE (JPEG, PNG, GIF, BMP, TIFF or WebP) to a video file.
Without IMAGE it renders the bundled sample picture. Flags may come
before or after IMAGE.

  -o, --out PATH        output file; .mp4 (default), .mov, .mkv, .flv or .ts
                        (default: IMAGE's name with .mp4 in the current folder)
  --size SIZE           WxH | 720p | 1080p | 1440p | 4k | vertical | square | source
                        (default source: the image's own size, evened)
  --fit MODE            letterbox | crop | stretch (default letterbox)
  --background COLOR    #RRGGBB for bars and transparency (default #000000)
  --fps N               frames per second, 1–120 (default 25)
  --duration D          90s, 1h30m, 1:30:00 or plain seconds (default 10s)
  --preset P            x264 preset, ultrafast … veryslow (default veryfast)
  --crf N               quality, 1 (best) … 51 (smallest) (default 20)
  --force               replace an existing output file
  --progress MODE       auto | plain | json (default auto: a bar on a terminal,
                        plain lines otherwise; json: one object per line on stdout)
  --ffmpeg PATH         the ffmpeg to use (default $STILLCAST_FFMPEG, then PATH)

Exit codes: 0 done, 1 ffmpeg failed, 2 bad input, 130 interrupted.
`

// renderFlags are the raw flag values before they become Settings.
type renderFlags struct {
	out, size, fit, background, fps, duration, preset, crf, progress, ffmpeg string
	force, help                                                              bool
	images                                                                   []string
}

func parseRenderFlags(args []string) (renderFlags, error) {
	def := encoder.DefaultSettings()
	f := renderFlags{
		size:       def.Size.String(),
		fit:        string(def.Fit),
		background: encoder.FormatColor(def.Background),
		fps:        strconv.Itoa(def.FPS),
		duration:   def.Duration.String(),
		preset:     def.Preset,
		crf:        strconv.Itoa(def.CRF),
		progress:   "auto",
	}
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are worded below, on one line
	fs.StringVar(&f.out, "o", "", "")
	fs.StringVar(&f.out, "out", "", "")
	fs.StringVar(&f.size, "size", f.size, "")
	fs.StringVar(&f.fit, "fit", f.fit, "")
	fs.StringVar(&f.background, "background", f.background, "")
	fs.StringVar(&f.fps, "fps", f.fps, "")
	fs.StringVar(&f.duration, "duration", f.duration, "")
	fs.StringVar(&f.preset, "preset", f.preset, "")
	fs.StringVar(&f.crf, "crf", f.crf, "")
	fs.StringVar(&f.progress, "progress", f.progress, "")
	fs.StringVar(&f.ffmpeg, "ffmpeg", "", "")
	fs.BoolVar(&f.force, "force", false, "")
	fs.BoolVar(&f.help, "h", false, "")
	fs.BoolVar(&f.help, "help", false, "")

	// Everything after a bare "--" is an image, even if it starts with "-".
	var rest []string
	for i, a := range args {
		if a == "--" {
			args, rest = args[:i], args[i+1:]
			break
		}
	}
	// The flag package stops at the first non-flag; start again after each
	// one so flags may follow IMAGE, as people type them.
	for {
		if err := fs.Parse(args); err != nil {
			return f, usagef("%s (see stillcast help render)", flagError(err))
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		f.images = append(f.images, args[0])
		args = args[1:]
	}
	f.images = append(f.images, rest...)
	return f, nil
}

// flagError rewords the flag package's errors for people.
func flagError(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return "unknown flag " + name
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return name + " needs a value"
	}
	return msg
}

// settings turns the flags into encoder.Settings, naming the flag of the
// first value that does not parse.
func (f renderFlags) settings(image string) (encoder.Settings, error) {
	s := encoder.DefaultSettings()
	s.Image = image
	s.Output = f.out
	if s.Output == "" {
		base := filepath.Base(image)
		s.Output = strings.TrimSuffix(base, filepath.Ext(base)) + ".mp4"
	}
	var err error
	if s.Size, err = encoder.ParseSize(f.size); err != nil {
		return s, usagef("--size: %v", err)
	}
	s.Fit = encoder.Fit(strings.ToLower(f.fit))
	if s.Background, err = encoder.ParseColor(f.background); err != nil {
		return s, usagef("--background: %v", err)
	}
	if s.FPS, err = strconv.Atoi(f.fps); err != nil {
		return s, usagef("--fps: %q is not a whole number", f.fps)
	}
	if s.Duration, err = encoder.ParseDuration(f.duration); err != nil {
		return s, usagef("--duration: %v", err)
	}
	s.Preset = strings.ToLower(f.preset)
	if s.CRF, err = strconv.Atoi(f.crf); err != nil {
		return s, usagef("--crf: %q is not a whole number", f.crf)
	}
	s.Force = f.force
	s.FFmpeg = f.ffmpeg
	return s, nil
}

func runRender(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, err := parseRenderFlags(args)
	if err != nil {
		return printErr(stderr, err)
	}
	if f.help {
		fmt.Fprint(stdout, renderUsage)
		return ExitOK
	}
	mode, err := progressMode(f.progress, stderr)
	if err != nil {
		return printErr(stderr, err)
	}
	var image string
	switch len(f.images) {
	case 0:
		dir, err := os.MkdirTemp("", "stillcast-sample-")
		if err != nil {
			return printErr(stderr, err)
		}
		defer os.RemoveAll(dir)
		image = filepath.Join(dir, resources.SampleName())
		if err := os.WriteFile(image, resources.SampleImage(), 0o600); err != nil {
			return printErr(stderr, err)
		}
	case 1:
		image = f.images[0]
	default:
		return printErr(stderr, usagef("one IMAGE at a time, not %d (slideshows are not supported yet)", len(f.images)))
	}
	s, err := f.settings(image)
	if err != nil {
		return printErr(stderr, err)
	}

	job, err := encoder.Start(ctx, s)
	if err != nil {
		return printErr(stderr, startError(err))
	}
	report := newReporter(mode, stdout, stderr)
	for ev := range job.Events() {
		report.event(ev)
	}
	err = job.Wait()
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, encoder.ErrCancelled):
		fmt.Fprintln(stderr, "stillcast: interrupted; nothing was written")
		return ExitInterrupted
	}
	code := printErr(stderr, err)
	var fe *encoder.FFmpegError
	if errors.As(err, &fe) && len(fe.Tail) > 0 {
		fmt.Fprintln(stderr, "ffmpeg's last lines:")
		for _, l := range fe.Tail {
			fmt.Fprintln(stderr, "  "+l)
		}
	}
	return code
}

// startError words the problems Start finds in terms of flags: exit 2 for
// anything the user can fix by changing the command line.
func startError(err error) error {
	fields := encoder.FieldErrors(err)
	if len(fields) == 0 {
		return err
	}
	lines := make([]string, len(fields))
	for i, fe := range fields {
		lines[i] = flagName(fe.Field) + ": " + fe.Err.Error()
		if errors.Is(fe, encoder.ErrOutputExists) {
			lines[i] += " (use --force to replace it)"
		}
	}
	return &usageError{msg: strings.Join(lines, "; ")}
}

// flagName maps a Settings field to what the user typed.
func flagName(field string) string {
	if field == "image" {
		return "IMAGE"
	}
	return "--" + field
}
