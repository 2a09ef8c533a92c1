package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/human"
)

// How progress is shown.
type progressKind int

const (
	progressBar   progressKind = iota // one redrawn line, for a terminal
	progressPlain                     // a line now and then, for logs
	progressJSON                      // one JSON object per line on stdout
)

// plainEvery spaces plain progress lines so a log stays readable.
const plainEvery = time.Second

func progressMode(mode string, stderr io.Writer) (progressKind, error) {
	switch mode {
	case "auto":
		if isTerminal(stderr) {
			return progressBar, nil
		}
		return progressPlain, nil
	case "plain":
		return progressPlain, nil
	case "json":
		return progressJSON, nil
	}
	return 0, usagef("--progress: %q is not a progress mode: use auto, plain or json", mode)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// reporter prints a job's events in one of the progress modes.
type reporter struct {
	kind     progressKind
	stdout   io.Writer
	stderr   io.Writer
	lastLine time.Time
	drawn    bool // a bar is on screen and needs a newline before other text
	live     bool // the job is a stream, not a render
	batch    bool // the job makes one video per song
	// tracklistOut prints the tracklist to stdout, which then carries
	// nothing else, so it can be piped or redirected as it is.
	tracklistOut bool
	state        encoder.LiveState
}

func newReporter(kind progressKind, stdout, stderr io.Writer) *reporter {
	return &reporter{kind: kind, stdout: stdout, stderr: stderr, state: -1}
}

// jsonEvent is the --progress json line.
type jsonEvent struct {
	State       string  `json:"state"`           // started, rendering, done, failed, cancelled
	Phase       string  `json:"phase,omitempty"` // encoding, assembling
	Frame       int     `json:"frame"`
	TotalFrames int     `json:"total_frames"`
	Fraction    float64 `json:"fraction"`
	Speed       float64 `json:"speed"`
	ETASeconds  float64 `json:"eta_s"`
	Output      string  `json:"output,omitempty"`
	Size        int64   `json:"size,omitempty"`
	Error       string  `json:"error,omitempty"`
	Tracklist   string  `json:"tracklist,omitempty"` // of a render of several audio files
}

func (r *reporter) event(ev encoder.Event) {
	if r.kind == progressJSON {
		r.json(ev)
		return
	}
	switch ev := ev.(type) {
	case encoder.Started:
		if r.live {
			fmt.Fprintf(r.stderr, "Streaming to %s: %dx%d, %d fps; preparing the video…\n", ev.Output, ev.Width, ev.Height, ev.FPS)
			break
		}
		fmt.Fprintf(r.stderr, "Rendering %s: %dx%d, %d fps, %d frames\n", ev.Output, ev.Width, ev.Height, ev.FPS, ev.TotalFrames)
	case encoder.Progress:
		if r.live {
			break // the short encode before a stream; its states follow
		}
		r.progress(ev)
	case encoder.LiveStatus:
		r.liveStatus(ev)
	case encoder.BatchProgress:
		r.batchProgress(ev)
	case encoder.VideoDone:
		r.videoDone(ev)
	case encoder.NowPlaying:
		if r.drawn {
			fmt.Fprintln(r.stderr) // the track goes on a line of its own; the bar redraws below it
			r.drawn = false
		}
		fmt.Fprintf(r.stderr, "♪ now playing %d/%d: %s\n", ev.Track+1, ev.Tracks, oneLine(ev.Info.Label()))
	case encoder.Finished:
		if r.drawn {
			fmt.Fprintln(r.stderr)
		}
		if r.live {
			if ev.Err == nil {
				fmt.Fprintf(r.stdout, "Stream ended after %s on air\n", human.Clock(ev.Duration))
			}
			break
		}
		if r.batch {
			r.batchFinished(ev)
			break
		}
		if ev.Err != nil {
			break
		}
		wrote := r.stdout
		if r.tracklistOut {
			wrote = r.stderr
			fmt.Fprint(r.stdout, ev.Tracklist)
		}
		fmt.Fprintf(wrote, "Wrote %s (%s, %s of video) in %s\n", ev.Output, human.Bytes(ev.Size), human.Clock(ev.Duration), ev.Elapsed.Round(100*time.Millisecond))
	}
}

func (r *reporter) progress(p encoder.Progress) {
	if p.Phase == encoder.PhaseAudio { // no frames yet: what it does, and for how long
		r.preparing(p)
		return
	}
	if r.kind == progressPlain {
		if time.Since(r.lastLine) < plainEvery && p.Frame < p.TotalFrames {
			return
		}
		r.lastLine = time.Now()
		fmt.Fprintf(r.stderr, "%s %3.0f%%  frame %d/%d  %.1fx  ETA %s\n", p.Phase, 100*p.Fraction, p.Frame, p.TotalFrames, p.Speed, human.Clock(p.ETA))
		return
	}
	const width = 30
	done := int(p.Fraction * width)
	bar := strings.Repeat("█", done) + strings.Repeat("░", width-done)
	fmt.Fprintf(r.stderr, "\r%s %3.0f%%  %s %d/%d  %.1fx  ETA %s ", bar, 100*p.Fraction, p.Phase, p.Frame, p.TotalFrames, p.Speed, human.Clock(p.ETA))
	r.drawn = true
}

// preparing shows PhaseAudio: a plain line every plainEvery, or the bar
// at 0 with the phase and the time so far.
func (r *reporter) preparing(p encoder.Progress) {
	if r.kind == progressPlain {
		if time.Since(r.lastLine) < plainEvery {
			return
		}
		r.lastLine = time.Now()
		fmt.Fprintf(r.stderr, "%s  %s\n", p.Phase, human.Clock(p.Elapsed))
		return
	}
	fmt.Fprintf(r.stderr, "\r%s   0%%  %s  %s ", strings.Repeat("░", 30), p.Phase, human.Clock(p.Elapsed))
	r.drawn = true
}

// liveEvery spaces plain on-air lines; state changes always print.
const liveEvery = 10 * time.Second

func (r *reporter) liveStatus(st encoder.LiveStatus) {
	changed := st.State != r.state
	r.state = st.State
	if st.State == encoder.LiveOnAir {
		line := fmt.Sprintf("● LIVE %s  %s  %.2f Mbit/s  sent %s  reconnects %d",
			st.Name, human.Clock(st.Uptime), float64(st.Bitrate)/1e6, human.Bytes(st.Sent), st.Reconnects)
		if r.kind == progressBar {
			fmt.Fprintf(r.stderr, "\r%s ", line)
			r.drawn = true
		} else if changed || time.Since(r.lastLine) >= liveEvery {
			r.lastLine = time.Now()
			fmt.Fprintln(r.stderr, line)
		}
		return
	}
	if !changed && st.State != encoder.LiveReconnecting {
		return
	}
	if r.drawn {
		fmt.Fprintln(r.stderr)
		r.drawn = false
	}
	switch st.State {
	case encoder.LiveConnecting:
		fmt.Fprintf(r.stderr, "Connecting (attempt %d)…\n", st.Attempt)
	case encoder.LiveReconnecting:
		fmt.Fprintf(r.stderr, "Connection lost: %s; reconnecting in %s (attempt %d)\n", oneLine(errText(st.Err)), st.NextTry.Round(100*time.Millisecond), st.Attempt)
	case encoder.LiveStopped:
		fmt.Fprintln(r.stderr, "Stopped.")
	case encoder.LiveFailed:
		fmt.Fprintf(r.stderr, "Gave up: %s\n", oneLine(errText(st.Err)))
	}
}

func errText(err error) string {
	if err == nil {
		return "unknown reason"
	}
	return err.Error()
}

// jsonLive is the --progress json line of a stream.
type jsonLive struct {
	State      string  `json:"state"`                 // connecting, live, reconnecting, stopped, failed, done
	Dest       *int    `json:"destination,omitempty"` // from 0, in the order given; absent on the stream's last line
	Name       string  `json:"name,omitempty"`        // the destination, its secrets hidden
	Attempt    int     `json:"attempt"`
	UptimeS    float64 `json:"uptime_s"`
	Bitrate    int     `json:"bitrate"`
	SentBytes  int64   `json:"sent_bytes"`
	Reconnects int     `json:"reconnects"`
	NextTryS   float64 `json:"next_try_s,omitempty"`
	Output     string  `json:"output,omitempty"`
	Error      string  `json:"error,omitempty"`
}

// jsonNowPlaying is the --progress json line when a stream's playlist
// moves on. It has a type instead of a state: the stream's state is
// unchanged.
type jsonNowPlaying struct {
	Type   string `json:"type"`  // now_playing
	Track  int    `json:"track"` // from 1, in the playlist as given
	Tracks int    `json:"tracks"`
	Title  string `json:"title"`
	Artist string `json:"artist,omitempty"`
	Path   string `json:"path"`
}

func (r *reporter) json(ev encoder.Event) {
	var j any
	switch ev := ev.(type) {
	case encoder.Started:
		j = jsonEvent{State: "started", TotalFrames: ev.TotalFrames, Output: ev.Output}
	case encoder.Progress:
		state := "rendering"
		if r.live {
			state = "preparing" // encoding the segment the stream loops
		}
		j = jsonEvent{State: state, Phase: ev.Phase.String(), Frame: ev.Frame, TotalFrames: ev.TotalFrames, Fraction: ev.Fraction, Speed: ev.Speed, ETASeconds: ev.ETA.Seconds()}
	case encoder.LiveStatus:
		dest := ev.Dest
		l := jsonLive{State: ev.State.String(), Dest: &dest, Name: ev.Name, Attempt: ev.Attempt, UptimeS: ev.Uptime.Seconds(), Bitrate: ev.Bitrate,
			SentBytes: ev.Sent, Reconnects: ev.Reconnects, NextTryS: ev.NextTry.Seconds()}
		if ev.Err != nil {
			l.Error = oneLine(ev.Err.Error())
		}
		j = l
	case encoder.BatchProgress, encoder.VideoDone:
		j = jsonBatch(ev)
	case encoder.NowPlaying:
		j = jsonNowPlaying{Type: "now_playing", Track: ev.Track + 1, Tracks: ev.Tracks,
			Title: ev.Info.Title, Artist: ev.Info.Artist, Path: ev.Info.Path}
	case encoder.Finished:
		f := jsonEvent{State: "done", Fraction: 1, Output: ev.Output, Size: ev.Size, Tracklist: ev.Tracklist}
		if ev.Err != nil {
			f = jsonEvent{State: "failed", Output: ev.Output, Error: oneLine(ev.Err.Error())}
			if errors.Is(ev.Err, encoder.ErrCancelled) {
				f.State = "cancelled"
			}
		}
		j = f
	default:
		return
	}
	line, _ := json.Marshal(j)
	fmt.Fprintf(r.stdout, "%s\n", line)
}
