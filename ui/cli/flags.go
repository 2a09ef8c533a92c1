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

// commonFlags are the flags render and live share: how the picture looks,
// what sound goes with it, how long it runs, how progress shows, and which
// ffmpeg runs.
type commonFlags struct {
	size, fit, background, fps, duration, progress, ffmpeg string
	help                                                   bool
	// durationSet is true when --duration was given: without it a video
	// with audio, or with a duration for every image, follows those.
	durationSet bool
	audio       stringList
	images      []string
	// artNoSample: without IMAGE, a render with audio shows the songs'
	// own cover art rather than the bundled sample.
	artNoSample bool
}

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// newFlagSet makes a flag set that leaves wording errors to the caller.
func newFlagSet(name string, c *commonFlags, def encoder.Settings) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are worded by flagError, on one line
	c.size = def.Size.String()
	c.fit = string(def.Fit)
	c.background = encoder.FormatColor(def.Background)
	c.fps = strconv.Itoa(def.FPS)
	c.duration = def.Duration.String()
	c.progress = "auto"
	fs.StringVar(&c.size, "size", c.size, "")
	fs.StringVar(&c.fit, "fit", c.fit, "")
	fs.StringVar(&c.background, "background", c.background, "")
	fs.StringVar(&c.fps, "fps", c.fps, "")
	fs.StringVar(&c.duration, "duration", c.duration, "")
	fs.StringVar(&c.progress, "progress", c.progress, "")
	fs.StringVar(&c.ffmpeg, "ffmpeg", "", "")
	fs.Var(&c.audio, "audio", "")
	fs.BoolVar(&c.help, "h", false, "")
	fs.BoolVar(&c.help, "help", false, "")
	return fs
}

// parse reads args into fs, collecting the images. The flag package stops
// at the first non-flag; parse starts again after each one, so flags may
// follow IMAGE as people type them. After a bare "--" everything is an
// image, even a name that starts with "-".
func (c *commonFlags) parse(fs *flag.FlagSet, args []string) error {
	var rest []string
	for i, a := range args {
		if a == "--" {
			args, rest = args[:i], args[i+1:]
			break
		}
	}
	for {
		if err := fs.Parse(args); err != nil {
			return usagef("%s (see stillcast help %s)", flagError(err), fs.Name())
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		c.images = append(c.images, args[0])
		args = args[1:]
	}
	c.images = append(c.images, rest...)
	fs.Visit(func(f *flag.Flag) { c.durationSet = c.durationSet || f.Name == "duration" })
	return nil
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

// apply parses the shared values into s, naming the flag of the first
// value that does not parse. Validate checks the ranges later. s.Images
// must be set already: whether each has a duration decides the default
// duration.
func (c commonFlags) apply(s *encoder.Settings) error {
	var err error
	if s.Size, err = encoder.ParseSize(c.size); err != nil {
		return usagef("--size: %v", err)
	}
	s.Fit = encoder.Fit(strings.ToLower(c.fit))
	if s.Background, err = encoder.ParseColor(c.background); err != nil {
		return usagef("--background: %v", err)
	}
	if s.FPS, err = strconv.Atoi(c.fps); err != nil {
		return usagef("--fps: %q is not a whole number", c.fps)
	}
	if s.Duration, err = encoder.ParseDuration(c.duration); err != nil {
		return usagef("--duration: %v", err)
	}
	if !c.durationSet && (len(c.audio) > 0 || s.SlidesTimed()) {
		s.Duration = 0 // the video follows the audio, or the slides' own durations
	}
	s.Audio = c.audio
	s.FFmpeg = c.ffmpeg
	return nil
}

// imagesOrSample returns the images given, or the bundled sample, written
// to a temporary folder, when there are none; cleanup removes that folder.
// A sound file among them is refused: it belongs after --audio.
func (c commonFlags) imagesOrSample() (paths []string, cleanup func(), err error) {
	for _, p := range c.images {
		if encoder.IsAudioFile(p) {
			return nil, nil, usagef("IMAGE: %s is a sound file: give it with --audio %s", filepath.Base(p), p)
		}
	}
	if len(c.images) > 0 || c.artNoSample && len(c.audio) > 0 {
		return c.images, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "stillcast-sample-")
	if err != nil {
		return nil, nil, err
	}
	path := filepath.Join(dir, resources.SampleName())
	if err := os.WriteFile(path, resources.SampleImage(), 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return []string{path}, func() { os.RemoveAll(dir) }, nil
}

// runJob does what render and live share: help, the progress mode, the
// images (or the sample), the settings, then the job with its events shown.
// ran is false when it stopped before the job, with code the exit code;
// otherwise err is the job's own result, for the command to judge.
func runJob(ctx context.Context, c commonFlags, usage string, live bool,
	settings func(images []string) (encoder.Settings, error), stdout, stderr io.Writer) (code int, ran bool, err error) {
	if c.help {
		fmt.Fprint(stdout, usage)
		return ExitOK, false, nil
	}
	mode, err := progressMode(c.progress, stderr)
	if err != nil {
		return printErr(stderr, err), false, nil
	}
	images, cleanup, err := c.imagesOrSample()
	if err != nil {
		return printErr(stderr, err), false, nil
	}
	defer cleanup()
	s, err := settings(images)
	if err != nil {
		return printErr(stderr, err), false, nil
	}
	sf := loadSavedFFmpeg(stderr)
	s.SavedFFmpeg = sf.path
	job, err := encoder.Start(ctx, s)
	if errors.Is(err, encoder.ErrCancelled) {
		// Ctrl-C while Start still checks ffmpeg or reads the files.
		fmt.Fprintln(stderr, "stillcast: interrupted before it started; nothing was written")
		return ExitInterrupted, false, nil
	}
	if err != nil {
		if sf.usedBy(s) {
			return printErr(stderr, startError(err, sf.explain)), false, nil
		}
		return printErr(stderr, startError(err, nil)), false, nil
	}
	report := newReporter(mode, stdout, stderr)
	report.live = live
	report.batch = s.Each
	report.tracklistOut = s.Tracklist == encoder.TracklistStdout
	for ev := range job.Events() {
		report.event(ev)
	}
	return 0, true, job.Wait()
}
