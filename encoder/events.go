package encoder

import (
	"fmt"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

// Event is something a Job reports: Started, Progress, LiveStatus,
// NowPlaying or Finished.
type Event interface{ isEvent() }

// Started says ffmpeg is running and frames are about to flow.
type Started struct {
	Output      string
	Width       int
	Height      int
	FPS         int
	TotalFrames int
}

// Phase is a stage of a render.
type Phase int

const (
	// PhaseEncode encodes frames: every frame on the per-frame path, one
	// segment on the still path.
	PhaseEncode Phase = iota
	// PhaseAssemble builds the output from copies of the encoded segment.
	PhaseAssemble
	// PhaseAudio prepares looped or cut audio by copy before the picture
	// is encoded (a few seconds for ten hours): it counts no frames, and
	// is reported once a second.
	PhaseAudio
)

func (p Phase) String() string {
	switch p {
	case PhaseAssemble:
		return "assembling"
	case PhaseAudio:
		return "preparing audio"
	}
	return "encoding"
}

// Progress is a snapshot of a render. A slow reader may miss some; the
// next one carries the whole state.
type Progress struct {
	Phase       Phase
	Frame       int     // frames done in this phase
	TotalFrames int     // frames in this phase
	Fraction    float64 // 0–1, of the whole render
	FPS         float64 // frames per second of wall time in this phase
	Speed       float64 // seconds of video per second of wall time
	OutTime     time.Duration
	Elapsed     time.Duration
	ETA         time.Duration // of the whole render; 0 until it can be estimated
}

// Finished is always the last event, delivered even to a slow reader.
type Finished struct {
	Output   string
	Size     int64         // bytes of the output file
	Duration time.Duration // length of the video
	Elapsed  time.Duration // wall time of the job
	Err      error         // nil on success
	// Chapters and Tracklist, of a video of several audio files: one
	// chapter per track, and the tracklist for YouTube's description.
	Chapters  []Chapter
	Tracklist string
}

func (Started) isEvent()  {}
func (Progress) isEvent() {}
func (Finished) isEvent() {}

// newProgress turns one of ffmpeg's progress blocks into an event.
func newProgress(p ffmpeg.Progress, total int, elapsed time.Duration) Progress {
	ev := Progress{
		Frame:       min(p.Frame, total),
		TotalFrames: total,
		OutTime:     p.OutTime,
		Elapsed:     elapsed,
		Speed:       p.Speed,
	}
	if total > 0 {
		ev.Fraction = float64(ev.Frame) / float64(total)
	}
	if secs := elapsed.Seconds(); secs > 0 {
		ev.FPS = float64(ev.Frame) / secs
		if ev.Speed == 0 {
			ev.Speed = p.OutTime.Seconds() / secs
		}
	}
	if ev.FPS > 0 {
		ev.ETA = time.Duration(float64(total-ev.Frame) / ev.FPS * float64(time.Second)).Round(100 * time.Millisecond)
	}
	if p.End {
		ev.ETA = 0
	}
	return ev
}

// LiveState is where a live stream stands.
type LiveState int

const (
	LiveConnecting   LiveState = iota // preparing, or connecting to the server
	LiveOnAir                         // media is reaching the server
	LiveReconnecting                  // the connection ended; waiting to try again
	LiveStopped                       // stopped on request or at the end of its duration
	LiveFailed                        // given up: the key was rejected or the reconnects ran out
)

func (s LiveState) String() string {
	switch s {
	case LiveConnecting:
		return "connecting"
	case LiveOnAir:
		return "live"
	case LiveReconnecting:
		return "reconnecting"
	case LiveStopped:
		return "stopped"
	case LiveFailed:
		return "failed"
	}
	return fmt.Sprintf("LiveState(%d)", int(s))
}

// LiveStatus reports one destination's state and figures: on every
// change of its state, and about once a second while it is on air. Each
// destination has its own connection, so each reports on its own. It
// never holds a stream key, userinfo or query value.
type LiveStatus struct {
	Dest       int    // which destination: its index in Settings.Live.Destinations
	Name       string // the destination's address with its secrets hidden
	State      LiveState
	Attempt    int           // the connection attempt, from 1; when reconnecting, the one it waits for
	NextTry    time.Duration // when reconnecting: the wait before the next attempt
	Uptime     time.Duration // how long this connection has been on air
	Bitrate    int           // bits per second over the last few seconds, from this connection's own byte count
	Sent       int64         // bytes sent to this destination so far, over all its connections
	Reconnects int           // reconnects of this destination so far
	Err        error         // why it is reconnecting or has failed
}

func (LiveStatus) isEvent() {}

// NowPlaying says a live playlist has moved on to another track. It comes
// when the track reaches the stream, not when Stillcast starts reading it.
type NowPlaying struct {
	Track  int // its place in the playlist as given, from 0
	Tracks int // how many tracks the playlist has
	Info   AudioInfo
}

func (NowPlaying) isEvent() {}

// PictureChanged answers Job.ChangePicture: the new picture is on air, or
// Err says why it is not (the old one stays).
type PictureChanged struct {
	Path string
	Err  error
}

func (PictureChanged) isEvent() {}
