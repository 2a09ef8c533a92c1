package encoder

import (
	"context"
	"image"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/stillcast/stillcast/encoder/picture"
)

// Start checks the settings, reads the audio and the first image, plans
// the job, and starts it: a render to a file, or a live stream when
// s.Live has destinations. Problems with the settings or files come back
// at once as *FieldError values; what goes wrong later arrives in
// Finished and Wait.
//
// It reads as its three steps: learn the facts (ffprobe, the image),
// plan (a pure function of the settings and the facts), then run the
// plan.
func Start(ctx context.Context, s Settings) (*Job, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	bin, _, err := FFmpegLookup{Explicit: s.FFmpeg, Saved: s.SavedFFmpeg, Getenv: os.Getenv}.Find()
	if err != nil {
		return nil, err
	}
	songs := s.songVideos() || s.albumOfOnePicture()
	if songs && !s.Each {
		if err := checkOutput(s.Output, s.Force); err != nil {
			return nil, err
		}
		if err := checkTracklist(s); err != nil {
			return nil, err
		}
	}
	if songs {
		return startSongs(ctx, bin, s)
	}
	if !s.IsLive() {
		// Before the image is decoded: the window asks before replacing
		// a file and starts again, and must not wait for a decode twice.
		if err := checkOutput(s.Output, s.Force); err != nil {
			return nil, err
		}
		if err := checkTracklist(s); err != nil {
			return nil, err
		}
	}
	f, first, err := readFacts(ctx, bin, s)
	if err != nil {
		return nil, err
	}
	if s.IsLive() {
		p := planLive(s, f)
		canvas := picture.Compose(first, p.Canvas, s.Fit, s.Background)
		first = nil
		freeDecoded()
		return startLive(ctx, bin, p, canvas, f.Tracks), nil
	}
	p, err := planRender(s, f)
	if err != nil {
		return nil, err
	}
	return startRender(ctx, bin, p, first)
}

// facts are what planning needs to know of ffmpeg and the files: what
// this ffmpeg cannot do, the audio tracks as ffprobe read them, and the
// size of the first image, upright.
type facts struct {
	FFmpeg limits
	Tracks []AudioInfo
	Image  image.Point
	Cores  int // to encode long audio on, in parallel chunks
}

// readFacts inspects ffmpeg, probes the audio and decodes the first
// image, which the job composes once it has planned the canvas.
func readFacts(ctx context.Context, bin string, s Settings) (facts, image.Image, error) {
	lim, err := inspectFFmpeg(ctx, bin)
	if err != nil {
		return facts{}, nil, err
	}
	tracks, err := ProbeAll(ctx, bin, s.Audio)
	if err != nil {
		return facts{}, nil, err
	}
	if !s.IsLive() && len(tracks) > 1 { // the video and its chapters follow the decoded audio
		if err := measureDecoded(ctx, bin, tracks); err != nil {
			return facts{}, nil, err
		}
	}
	first, err := loadImage(s.Images[0].Image)
	if err != nil {
		return facts{}, nil, err
	}
	return facts{FFmpeg: lim, Tracks: tracks, Image: first.Bounds().Size(), Cores: runtime.NumCPU()}, first, nil
}

// composeFirst lays the first image on the canvas and converts it to
// yuv420p once; that frame is then written for every frame it shows.
func composeFirst(img image.Image, canvas image.Point, s Settings) []byte {
	return picture.ToYUV420(picture.Compose(img, canvas, s.Fit, s.Background), picture.MatrixFor(canvas.Y))
}

// freeDecoded hands the memory of a decoded image and its RGBA canvas
// back to the system once the caller holds none of it: they can be
// several times the size of the frame, and a job runs for long.
func freeDecoded() { debug.FreeOSMemory() }
