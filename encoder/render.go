package encoder

import (
	"context"
	"image"
	"os"
	"sync"
	"time"

	"github.com/stillcast/stillcast/encoder/album"
	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

// startRender carries out a render plan whose output Start has checked:
// it composes the first frame, checks the other images, reserves the
// temporary file, and then encodes in the background. first is the first
// image, decoded.
func startRender(ctx context.Context, bin string, p renderPlan, first image.Image) (*Job, error) {
	s := p.Settings
	var frame []byte
	if !s.KenBurns { // Ken Burns composes every slide larger, for zooming
		frame = composeFirst(first, p.Canvas, s)
	}
	first = nil
	freeDecoded()
	if err := checkImages(s); err != nil {
		return nil, err
	}
	tmp, err := reserveTemp(s.Output)
	if err != nil {
		return nil, err
	}
	p.Encode.Output = tmp
	j := newJob(ctx)
	began := time.Now()
	go func() {
		err := encodeFile(j, bin, p, frame, began)
		var size int64
		if err == nil {
			size, err = commitOutput(tmp, s.Output, s.Force)
		}
		os.Remove(tmp) // gone already after a successful commit
		fin := Finished{Output: s.Output, Elapsed: time.Since(began)}
		if err == nil && len(p.Chapters) > 0 {
			fin.Chapters, fin.Tracklist = p.Chapters, album.Tracklist(p.Chapters)
			if path := TracklistPath(s); path != "" {
				err = saveTracklist(fin.Tracklist, path, s.Force)
			}
		}
		fin.Err = err
		if err == nil {
			fin.Size = size
			fin.Duration = time.Duration(p.Total) * time.Second / time.Duration(s.FPS)
		}
		j.finish(fin)
	}()
	return j, nil
}

// encodeFile writes the video of a plan into its temporary file, with
// the song's cover art when the plan has one. The cover's folder is gone
// when it returns: nothing of the job outlives Finished.
func encodeFile(j *Job, bin string, p renderPlan, first []byte, began time.Time) error {
	if p.Cover {
		cover, cleanup, err := writeCover(p.Settings.Images[0].Image, p.Settings.Background)
		defer cleanup()
		if err != nil {
			return err
		}
		p.Encode.Mux.Cover = cover
	}
	if len(p.Chapters) > 0 && takesChapters(p.Encode.Container) {
		chapters, cleanup, err := writeChapters(p.Chapters)
		defer cleanup()
		if err != nil {
			return err
		}
		p.Encode.Mux.Chapters = chapters
	}
	s := p.Settings
	var once sync.Once
	started := func() {
		once.Do(func() {
			j.emit(Started{Output: s.Output, Width: p.Canvas.X, Height: p.Canvas.Y, FPS: s.FPS, TotalFrames: p.Total})
		})
	}
	if a := p.Encode.Mux.Audio; a != nil && a.Splice != nil {
		started()
		stop := reportAudio(j, began)
		spliced, cleanup, err := spliceAudio(j.ctx, bin, a)
		stop()
		defer cleanup()
		if err != nil {
			return err
		}
		p.Encode.Mux.Audio = spliced
		if p.Still != nil {
			assemble := *p.Still
			assemble.Assemble.Mux.Audio = spliced
			p.Still = &assemble
		}
	}
	var video ffmpeg.Frames
	if s.KenBurns {
		video = p.kenBurnsVideo()
	}
	if p.Still != nil {
		started()
		if video == nil {
			video = clipFrames(partClips(p.Still.Parts), newSlideFrames(s, p.Canvas, first))
		}
		r := stillRender{job: j, bin: bin, plan: p.Still, final: p.Encode, frames: video, total: p.Total, began: began, aac: p.AAC}
		return r.encodeAndAssemble(j.ctx)
	}
	if video == nil {
		video = clipFrames(p.Clips, newSlideFrames(s, p.Canvas, first))
	}
	enc := p.Encode
	return ffmpeg.Command{
		Bin: bin,
		Args: func(in ffmpeg.Inputs) []string {
			enc.Input = in.Video
			return ffmpegArgs(enc)
		},
		Video:    video,
		Frames:   p.Total,
		Started:  started,
		Progress: func(pr ffmpeg.Progress) { j.emit(newProgress(pr, p.Total, time.Since(began))) },
	}.Run(j.ctx)
}

// reportAudio reports PhaseAudio at once and then every second, so that
// a window or terminal shows what the render does while the audio of a
// long loop is prepared, until stop is called.
func reportAudio(j *Job, began time.Time) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			j.emit(Progress{Phase: PhaseAudio, Elapsed: time.Since(began)})
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished // no report after it returns
	}
}

// kenBurnsVideo is the frames of a Ken Burns render: every one drawn.
func (p renderPlan) kenBurnsVideo() ffmpeg.Frames {
	return kenBurnsFrames(p.Clips, p.Spans, p.Fades, newZoomedSlides(p.Settings, p.Canvas), p.Canvas)
}
