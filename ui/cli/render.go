package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/stillcast/stillcast/encoder"
)

const renderUsage = `Usage: stillcast render [flags] [IMAGE...]

Renders IMAGE (JPEG, PNG, GIF, BMP, TIFF or WebP) to a video file, with
the sound of --audio if given. Several images make a slideshow, shown in
the order given. Several audio files make one album video with a chapter
per song. Without IMAGE, a video with audio shows the songs' own cover
art, and one without the bundled sample picture. Flags may come before
or after the images.

Make an album's videos:
  stillcast render --each --audio album/ -o videos/ --album --size 1080p --fit blur

  -o, --out PATH        output file; .mp4 (default), .mov, .mkv, .flv or .ts
                        (default: the first IMAGE's name with .mp4 in the current folder)
  --audio PATH          a sound file (mp3, m4a, aac, wav, flac, ogg or opus), or a
                        folder of them in name order; repeat it to play several,
                        one after the other
  --each                one video per audio file, named "NN - Title.mp4" from the
                        song's tags, into the folder -o OUTDIR/ (existing videos
                        are skipped unless --force); each shows its song's own
                        cover art, else IMAGE (one for all, or one per song)
  --album               with --each: also the full album video with chapters and
                        its tracklist, in the same folder and the same run
  --cover-from-audio    show the cover art embedded in the audio (mp3, m4a, flac,
                        ogg) instead of IMAGE, which stands in for songs without
  --title-card          draw "Artist – Title" of the song on the picture; in an
                        album video each song's own, as its chapter plays
  --audio-loop          with --duration longer than the audio: repeat the audio
                        instead of ending in silence
  --audio-codec C       aac | alac | flac | copy (default: copy what the container
                        takes untouched, like FLAC in .mkv, else aac); alac and
                        flac keep every sample (.mkv, .mp4; alac also .mov)
  --duration D          90s, 1h30m, 1:30:00 or plain seconds (default: as long as
                        the audio, else the sum of --image-duration, else 10s)
  --image-duration D    how long each image shows, crossfades included: one value
                        for all, or one per image like 5s,10s,5s (default: an even
                        share of --duration)
  --crossfade D         how long one image takes to blend into the next; 0 cuts
                        (default 1s)
  --ken-burns           zoom each image slowly in or out while it shows (every
                        frame is then encoded, so it takes far longer)
  --size SIZE           WxH | 720p | 1080p | 1440p | 4k | vertical | square | source
                        (default source: the first image's own size, evened)
  --fit MODE            letterbox | crop | stretch | blur (default letterbox);
                        blur fills the bars with the image blurred and darkened
  --background COLOR    #RRGGBB for bars and transparency (default #000000)
  --fps N               frames per second, 1–120 (default 25)
  --preset P            x264 preset, ultrafast … veryslow (default veryfast)
  --crf N               quality, 1 (best) … 51 (smallest) (default 20)
  --keyframe-interval D the longest stretch between keyframes, where seeking lands,
                        1s … 10m (default 10s; a still over an hour gets 300 at
                        most, up to 2m apart, which keeps a long file small)
  --tracklist PATH|-    with several audio files, where the YouTube tracklist goes
                        (default: beside the video, as NAME.tracklist.txt); - prints
                        it to stdout, and "Wrote …" goes to stderr instead (with
                        --progress json it is the "tracklist" of the "done" line)
  --force               replace an existing output file (and tracklist)
  --no-fast-path        encode every frame instead of encoding one segment and
                        copying it (same picture, much slower; for comparison)
  --progress MODE       auto | plain | json (default auto: a bar on a terminal,
                        plain lines otherwise; json: one object per line on stdout)
  --ffmpeg PATH         the ffmpeg to use (default $STILLCAST_FFMPEG, then the one
                        chosen in the window, then one beside stillcast, then
                        PATH; ffprobe, which reads the audio, is looked for beside it)

Exit codes: 0 done, 1 ffmpeg failed, 2 bad input, 130 interrupted.
`

// renderFlags are the raw flag values before they become Settings.
type renderFlags struct {
	commonFlags
	out, preset, crf, crossfade, imageDuration string
	tracklist, audioCodec, keyframeInterval    string
	force, noFastPath, audioLoop, kenBurns     bool
	each, album, coverFromAudio, titleCard     bool
}

func parseRenderFlags(args []string) (renderFlags, error) {
	def := encoder.DefaultSettings()
	var f renderFlags
	fs := newFlagSet("render", &f.commonFlags, def)
	f.preset, f.crf, f.crossfade = def.Preset, strconv.Itoa(def.CRF), def.Crossfade.String()
	fs.StringVar(&f.out, "o", "", "")
	fs.StringVar(&f.out, "out", "", "")
	fs.StringVar(&f.preset, "preset", f.preset, "")
	fs.StringVar(&f.crf, "crf", f.crf, "")
	fs.BoolVar(&f.force, "force", false, "")
	fs.StringVar(&f.tracklist, "tracklist", "", "")
	fs.BoolVar(&f.noFastPath, "no-fast-path", false, "")
	fs.StringVar(&f.crossfade, "crossfade", f.crossfade, "")
	fs.StringVar(&f.imageDuration, "image-duration", "", "")
	fs.StringVar(&f.keyframeInterval, "keyframe-interval", "", "")
	fs.BoolVar(&f.audioLoop, "audio-loop", false, "")
	fs.StringVar(&f.audioCodec, "audio-codec", "", "")
	fs.BoolVar(&f.kenBurns, "ken-burns", false, "")
	fs.BoolVar(&f.each, "each", false, "")
	fs.BoolVar(&f.album, "album", false, "")
	fs.BoolVar(&f.coverFromAudio, "cover-from-audio", false, "")
	fs.BoolVar(&f.titleCard, "title-card", false, "")
	f.artNoSample = true
	err := f.parse(fs, args)
	return f, err
}

// settings turns the flags into encoder.Settings, naming the flag of the
// first value that does not parse. Several images make a slideshow, in
// the order given.
func (f renderFlags) settings(images []string) (encoder.Settings, error) {
	s := encoder.DefaultSettings()
	s.Images = encoder.SlidesOf(images...)
	s.Output = f.out
	s.Each, s.Album, s.TitleCard = f.each, f.album, f.titleCard
	s.CoverFromAudio = f.coverFromAudio || len(images) == 0
	if s.Output == "" {
		s.Output = defaultOutput(images, f.audio, f.each)
	}
	if err := slideDurations(s.Images, f.imageDuration); err != nil {
		return s, err
	}
	var err error
	if s.Crossfade, err = encoder.ParseDuration(f.crossfade); err != nil {
		return s, usagef("--crossfade: %v", err)
	}
	if f.keyframeInterval != "" {
		if s.KeyframeInterval, err = encoder.ParseDuration(f.keyframeInterval); err != nil {
			return s, usagef("--keyframe-interval: %v", err)
		}
	}
	if err := f.apply(&s); err != nil {
		return s, err
	}
	s.KenBurns = f.kenBurns
	s.AudioCodec = strings.ToLower(f.audioCodec)
	if f.audioLoop {
		switch {
		case len(f.audio) == 0:
			return s, usagef("--audio-loop needs --audio")
		case !f.durationSet:
			return s, usagef("--audio-loop needs --duration: without it the video lasts as long as the audio")
		}
		s.LoopAudio = true
	}
	s.Preset = strings.ToLower(f.preset)
	if s.CRF, err = strconv.Atoi(f.crf); err != nil {
		return s, usagef("--crf: %q is not a whole number", f.crf)
	}
	s.Force = f.force
	s.NoFastPath = f.noFastPath
	s.Tracklist = f.tracklist
	return s, nil
}

// defaultOutput is where a render goes without -o: beside the current
// folder, named after the first image, else after the first song (or its
// folder), and for --each the current folder itself.
func defaultOutput(images, audio []string, each bool) string {
	switch {
	case each:
		return "."
	case len(images) > 0:
		base := filepath.Base(images[0])
		return strings.TrimSuffix(base, filepath.Ext(base)) + ".mp4"
	case len(audio) > 0:
		base := filepath.Base(filepath.Clean(audio[0]))
		return strings.TrimSuffix(base, filepath.Ext(base)) + ".mp4"
	}
	return "stillcast.mp4"
}

// slideDurations sets the slides' durations from --image-duration: one
// value for every image, or a comma-separated list with one per image.
// Empty leaves them at 0, an even share of the video each.
func slideDurations(slides []encoder.Slide, text string) error {
	if text == "" {
		return nil
	}
	parts := strings.Split(text, ",")
	if len(parts) != 1 && len(parts) != len(slides) {
		return usagef("--image-duration: %d durations for %d images: give one for all of them, or one per image", len(parts), len(slides))
	}
	for i := range slides {
		d, err := encoder.ParseDuration(parts[min(i, len(parts)-1)])
		if err != nil {
			return usagef("--image-duration: %v", err)
		}
		slides[i].Duration = d
	}
	return nil
}

func runRender(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, err := parseRenderFlags(args)
	if err != nil {
		return printErr(stderr, err)
	}
	code, ran, err := runJob(ctx, f.commonFlags, renderUsage, false, f.settings, stdout, stderr)
	switch {
	case !ran:
		return code
	case err == nil:
		return ExitOK
	case errors.Is(err, encoder.ErrCancelled) && f.each:
		fmt.Fprintln(stderr, "stillcast: interrupted; the videos already made are kept, the one being made was not written")
		return ExitInterrupted
	case errors.Is(err, encoder.ErrCancelled):
		fmt.Fprintln(stderr, "stillcast: interrupted; nothing was written")
		return ExitInterrupted
	}
	if line, ok := batchSummary(err); ok {
		fmt.Fprintln(stderr, "stillcast: "+line)
		return ExitFailure
	}
	return printFailure(stderr, err)
}

// printFailure shows a runtime failure with ffmpeg's last lines.
func printFailure(stderr io.Writer, err error) int {
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
// anything the user can fix by changing the command line. savedFFmpeg,
// when the saved ffmpeg was used, words a problem with it instead.
func startError(err error, savedFFmpeg func(string) string) error {
	fields := encoder.FieldErrors(err)
	if len(fields) == 0 {
		return err
	}
	lines := make([]string, len(fields))
	for i, fe := range fields {
		lines[i] = flagName(fe.Field) + ": " + fe.Err.Error()
		switch {
		case fe.Field == "ffmpeg" && savedFFmpeg == nil:
			// ffmpeg's problems name where it came from (--ffmpeg,
			// $STILLCAST_FFMPEG, PATH) themselves.
			lines[i] = fe.Err.Error()
		case fe.Field == "ffmpeg" && savedFFmpeg != nil:
			lines[i] = savedFFmpeg(fe.Err.Error())
		case errors.Is(fe, encoder.ErrOutputExists):
			lines[i] += " (use --force to replace it)"
		case fe.Field == "key":
			lines[i] += " (give --key, or set $" + StreamKeyEnv + ")"
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
