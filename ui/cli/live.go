package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/stillcast/stillcast/encoder"
)

// StreamKeyEnv names the environment variable that holds the stream key,
// which keeps it out of the shell history and the process list.
const StreamKeyEnv = "STILLCAST_STREAM_KEY"

const liveUsage = `Usage: stillcast live [flags] [IMAGE] (--service NAME | --url URL) [--key KEY]

Streams IMAGE to one or more RTMP/RTMPS servers at wall-clock speed until
Ctrl-C or --duration, with keyframes every 2 s and a constant bitrate. The
sound is a playlist of --audio files, looped forever, or else silence. If
the connection drops, it reconnects by itself. Without IMAGE it streams the
bundled sample picture.

  --service NAME        youtube | twitch | facebook | bilibili | custom: fills in the server
  --rtmps               use the service's RTMPS server where it has one
  --url URL             rtmp:// or rtmps:// server, without the key; repeat it to
                        stream to several servers at once from one encode
  --key-file FILE       read the stream key from FILE (its first line); repeat it
                        to match each --url in order
  --key KEY             stream key on the command line; every user of the machine
                        can read it there (ps): prefer --key-file or
                        $STILLCAST_STREAM_KEY, which other users cannot see
                        (Stillcast itself never hands the key to another program)
  --ca-file FILE        trust the certificate authorities in FILE (PEM) for
                        rtmps:// servers, beside the system's: for your own server
  --bitrate RATE        constant video bitrate, like 2500k (default by size:
                        720p 1500k, 1080p 2500k)
  --retries N           give up after N reconnects in a row (default 0: never)
  --audio PATH          a sound file, or a folder of them (played in name order);
                        repeat it to add more; the playlist loops forever
  --shuffle             play the playlist in a new random order every round
  --title-card          draw "Artist – Title" of the track on air onto the picture
  --track-art           show the cover art embedded in the track on air
  --size SIZE           WxH | 720p | 1080p | 1440p | 4k | vertical | square | source
                        (default 1080p)
  --fit MODE            letterbox | crop | stretch | blur (default letterbox);
                        blur fills the bars with the image blurred and darkened
  --background COLOR    #RRGGBB (default #000000)
  --fps N               frames per second, 1–120 (default 30)
  --duration D          stop after D, like 2h (default: until Ctrl-C)
  --progress MODE       auto | plain | json
  --no-fast-path        encode every frame live instead of looping a segment
                        encoded once (the same picture for far more CPU)
  --ffmpeg PATH         the ffmpeg to use (default $STILLCAST_FFMPEG, then the one
                        chosen in the window, then one beside stillcast, then PATH)

Each destination has its own connection: one that drops reconnects on its
own (2 s, then up to a minute apart) while the others go on.

Exit codes: 0 stopped (Ctrl-C, or --duration after being on air), 1 never on
air before --duration ended, or every destination failed (the key was
rejected three times, or --retries ran out), 2 bad input.
`

type liveFlags struct {
	commonFlags
	service, bitrate, retries, caFile string
	rtmps, noFastPath, shuffle        bool
	titleCard, trackArt               bool
	urls, keys, keyFiles              stringList
}

// liveDefaults are the settings a stream starts from: 1080p30 until stopped.
func liveDefaults() encoder.Settings {
	s := encoder.DefaultSettings()
	s.Size, _ = encoder.ParseSize("1080p")
	s.FPS = 30
	s.Duration = 0
	return s
}

func parseLiveFlags(args []string) (liveFlags, error) {
	var f liveFlags
	fs := newFlagSet("live", &f.commonFlags, liveDefaults())
	f.duration = "0"
	fs.StringVar(&f.service, "service", "", "")
	fs.BoolVar(&f.rtmps, "rtmps", false, "")
	fs.BoolVar(&f.noFastPath, "no-fast-path", false, "")
	fs.Var(&f.urls, "url", "")
	fs.Var(&f.keys, "key", "")
	fs.Var(&f.keyFiles, "key-file", "")
	fs.StringVar(&f.caFile, "ca-file", "", "")
	fs.BoolVar(&f.titleCard, "title-card", false, "")
	fs.BoolVar(&f.trackArt, "track-art", false, "")
	fs.StringVar(&f.bitrate, "bitrate", "", "")
	fs.StringVar(&f.retries, "retries", "0", "")
	fs.BoolVar(&f.shuffle, "shuffle", false, "")
	err := f.parse(fs, args)
	return f, err
}

// settings turns the flags into encoder.Settings; getenv is os.Getenv
// outside tests. A stream shows one image: Validate words the error when
// there are more.
func (f liveFlags) settings(images []string, getenv func(string) string) (encoder.Settings, error) {
	s := liveDefaults()
	s.Images = encoder.SlidesOf(images...)
	if err := f.apply(&s); err != nil {
		return s, err
	}
	urls := []string(f.urls)
	if f.service != "" {
		sv, ok := encoder.ServiceByID(f.service)
		if !ok {
			return s, usagef("--service: %q is not a service: use youtube, twitch, facebook, bilibili or custom", f.service)
		}
		server := sv.Server()
		if f.rtmps && sv.SecureURL != "" {
			server = sv.SecureURL
		}
		if server == "" && len(urls) == 0 {
			return s, usagef("--service custom needs --url")
		}
		if server != "" {
			urls = append([]string{server}, urls...)
		}
	}
	if len(urls) == 0 {
		return s, usagef("no server: give --service or --url")
	}
	keys := []string(f.keys)
	if len(keys) > 0 && len(f.keyFiles) > 0 {
		return s, usagef("--key and --key-file: give the keys one way")
	}
	for _, path := range f.keyFiles {
		k, err := readKeyFile(path)
		if err != nil {
			return s, usagef("--key-file: %v", err)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		if k := getenv(StreamKeyEnv); k != "" {
			keys = []string{k}
		}
	}
	if len(keys) > 0 && len(keys) != len(urls) {
		return s, usagef("--key: give one key per server (%d servers, %d keys)", len(urls), len(keys))
	}
	for i, u := range urls {
		d := encoder.Destination{URL: u}
		if len(keys) > 0 {
			d.Key = keys[i]
		}
		s.Live.Destinations = append(s.Live.Destinations, d)
	}
	if f.bitrate != "" {
		rate, err := encoder.ParseBitrate(f.bitrate)
		if err != nil {
			return s, usagef("--bitrate: %v", err)
		}
		s.Live.Bitrate = rate
	}
	n, err := strconv.Atoi(f.retries)
	if err != nil {
		return s, usagef("--retries: %q is not a whole number", f.retries)
	}
	s.Live.MaxReconnects = n
	if f.shuffle && len(f.audio) == 0 {
		return s, usagef("--shuffle needs --audio: it plays the playlist in a random order")
	}
	s.Shuffle = f.shuffle
	s.NoFastPath = f.noFastPath
	s.Live.CAFile = f.caFile
	s.Live.TitleCard, s.Live.TrackArt = f.titleCard, f.trackArt
	return s, nil
}

// readKeyFile reads a stream key: the first line of the file, trimmed.
func readKeyFile(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("cannot read the stream key: %w", err)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	if line = strings.TrimSpace(line); line == "" {
		return "", fmt.Errorf("%s: the first line holds no stream key", path)
	}
	return line, nil
}

func runLive(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, err := parseLiveFlags(args)
	if err != nil {
		return printErr(stderr, err)
	}
	// The key stays in Stillcast: the programs it starts (ffmpeg) do not
	// inherit it.
	envKey := os.Getenv(StreamKeyEnv)
	os.Unsetenv(StreamKeyEnv)
	getenv := func(name string) string {
		if name == StreamKeyEnv {
			return envKey
		}
		return os.Getenv(name)
	}
	settings := func(images []string) (encoder.Settings, error) { return f.settings(images, getenv) }
	code, ran, err := runJob(ctx, f.commonFlags, liveUsage, true, settings, stdout, stderr)
	switch {
	case !ran:
		return code
	case err != nil:
		return printFailure(stderr, err)
	}
	// A requested stop (Ctrl-C) or the end of --duration is a success.
	return ExitOK
}
