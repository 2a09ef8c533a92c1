package encoder

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/picture"
)

// songBatch is a batch of song videos being made (see batch_plan.go).
type songBatch struct {
	job   *Job
	bin   string
	s     Settings
	lim   limits
	dir   string // the work folder: art, segments, lists, covers
	songs []song
	pics  []pictureSource
	plan  batchPlan
	began time.Time

	mu     sync.Mutex
	album  *aacAhead      // the album video's audio; nil without one
	covers map[int]string // cover art JPEG per picture, written when first needed
	// chapters and tracklist are the album video's, once it is made.
	chapters  []Chapter
	tracklist string
	cleanup   []func()
	tracker   atomic.Pointer[batchTracker]
	// audioDone is how much of the album's audio is encoded, 0–1, as
	// math.Float64bits: it is encoded before the tracker is made.
	audioDone atomic.Uint64
}

// audioProgress notes how far the album's audio encode is.
func (b *songBatch) audioProgress(frac float64) {
	b.audioDone.Store(math.Float64bits(min(1, max(0, frac))))
	if t := b.tracker.Load(); t != nil {
		t.refresh()
	}
}

// startSongs checks and reads what a batch of song videos needs before
// anything is made (the folder, the songs, each song's picture), then
// makes the videos in the background: the pictures encoded once, then
// each video by stream copy with its audio, several at a time. Problems
// of the settings come back at once as *FieldError values; a song that
// fails later fails its video alone.
func startSongs(ctx context.Context, bin string, s Settings) (*Job, error) {
	b := &songBatch{bin: bin, s: s, began: time.Now(), covers: map[int]string{}}
	if err := b.prepare(ctx); err != nil {
		if b.dir != "" {
			os.RemoveAll(b.dir)
		}
		return nil, err
	}
	b.job = newJob(ctx)
	go func() {
		err := b.run()
		b.mu.Lock()
		for _, c := range b.cleanup {
			c()
		}
		b.mu.Unlock()
		os.RemoveAll(b.dir)
		fin := Finished{Output: s.Output, Elapsed: time.Since(b.began), Err: err}
		if b.tracklist != "" {
			fin.Chapters, fin.Tracklist = b.chapters, b.tracklist
		}
		if v := b.plan.Videos; err == nil && !s.Each && len(v) == 1 {
			fin.Duration = time.Duration(v[0].Frames) * time.Second / time.Duration(s.FPS)
			if info, serr := os.Stat(s.Output); serr == nil {
				fin.Size = info.Size()
			}
		}
		b.job.finish(fin)
	}()
	return b.job, nil
}

// prepare does the part of the batch that can still be refused as bad
// input: the output folder, the songs' tags and the pictures.
func (b *songBatch) prepare(ctx context.Context) error {
	var err error
	if b.lim, err = inspectFFmpeg(ctx, b.bin); err != nil {
		return err
	}
	if b.s.Each {
		if err := prepareFolder(b.s.Output); err != nil {
			return err
		}
	}
	files, err := expandAudio(b.s.Audio)
	if err != nil {
		return err
	}
	ffprobe, err := findFFprobe(b.bin)
	if err != nil {
		return err
	}
	if b.songs, err = readSongs(ctx, ffprobe, files); err != nil {
		return err
	}
	if !b.s.Each { // one video: every song must be there
		for _, sg := range b.songs {
			if sg.Err != nil {
				return &FieldError{Field: "audio", Err: sg.Err}
			}
		}
	}
	if b.dir, err = os.MkdirTemp("", "stillcast-songs-"); err != nil {
		return fmt.Errorf("making a folder for the pictures: %w", err)
	}
	b.pics, err = choosePictures(ctx, b.bin, b.dir, b.s, b.songs)
	return err
}

// prepareFolder makes sure out is a folder the videos can go in, making
// it (and its parents) when it is not there.
func prepareFolder(out string) error {
	info, err := os.Stat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(out, 0o777); err != nil {
			return &FieldError{Field: "out", Err: fmt.Errorf("cannot make the folder %s: %w", out, err)}
		}
	case err != nil:
		return &FieldError{Field: "out", Err: err}
	case !info.IsDir():
		return fieldErr("out", "%s is a file: --each writes one video per song into a folder", out)
	}
	return nil
}

// run measures the songs, composes and encodes the pictures, and makes
// every video, several at a time. It returns nil, ErrCancelled, the
// error of a single video, or a *BatchError.
func (b *songBatch) run() error {
	ctx := b.job.ctx
	b.startAlbumAudio(ctx)
	if b.album != nil {
		defer b.album.stop() // no ffmpeg outlives the job
	}
	if err := measureSongs(ctx, b.bin, b.songs); err != nil {
		return err
	}
	canvas, frames, err := composePictures(b.s, b.pics)
	if err != nil {
		return err
	}
	b.plan = planBatch(b.s, b.songs, len(b.pics), canvas)
	b.tracker.Store(newBatchTracker(b, len(frames)))
	todo := b.skipExisting()
	if len(todo) > 0 {
		if err := b.encodePictures(ctx, frames); err != nil {
			return err
		}
		if err := b.buildBlocks(ctx); err != nil {
			return err
		}
	}
	frames = nil
	results := b.makeVideos(ctx, todo)
	if ctx.Err() != nil {
		return ErrCancelled
	}
	return b.judge(results)
}

// encodePictures encodes each picture's segment, all in one ffmpeg run,
// split into a file per picture: seg0.nut, seg1.nut, …
func (b *songBatch) encodePictures(ctx context.Context, frames [][]byte) error {
	p := b.plan
	enc := encodePlan{
		Width: p.Canvas.X, Height: p.Canvas.Y, FPS: p.FPS,
		Matrix: picture.MatrixFor(p.Canvas.Y), Preset: b.s.Preset, CRF: b.s.CRF,
		Container: Container{Ext: ".nut", Format: "nut"},
		Segment:   p.Segment, NoBFrames: true, Limits: b.lim,
		Output: filepath.Join(b.dir, "seg%d.nut"),
	}
	for i := 1; i < len(frames); i++ {
		enc.SplitAt = append(enc.SplitAt, i*p.Segment)
	}
	if len(frames) == 1 {
		enc.Output = filepath.Join(b.dir, segmentName(0))
	}
	video := func(yield func([]byte, error) bool) {
		for _, f := range frames {
			for range p.Segment {
				if !yield(f, nil) {
					return
				}
			}
		}
	}
	return ffmpeg.Command{
		Bin: b.bin,
		Args: func(in ffmpeg.Inputs) []string {
			enc.Input = in.Video
			return ffmpegArgs(enc)
		},
		Video:    video,
		Frames:   len(frames) * p.Segment,
		Progress: func(pr ffmpeg.Progress) { b.tracker.Load().encoded(pr.Frame) },
	}.Run(ctx)
}

// buildBlocks joins copies of each picture's segment into its block (see
// batchPlan.Blocks), one ffmpeg per core.
func (b *songBatch) buildBlocks(ctx context.Context) error {
	return eachInParallel(ctx, len(b.plan.Blocks), func(ctx context.Context, k int) error {
		if b.plan.Blocks[k] == 0 {
			return nil
		}
		list := filepath.Join(b.dir, "block"+strconv.Itoa(k)+".ffconcat")
		if err := os.WriteFile(list, []byte(b.plan.blockList(k)), 0o600); err != nil {
			return fmt.Errorf("writing the segment list: %w", err)
		}
		args := []string{"-hide_banner", "-nostdin", "-loglevel", "error",
			"-f", "concat", "-safe", "0", "-i", "file:" + filepath.ToSlash(list),
			"-map", "0:v:0", "-c", "copy", "-f", "nut", "-y", "file:" + filepath.Join(b.dir, blockName(k))}
		return ffmpeg.Command{Bin: b.bin, Args: func(ffmpeg.Inputs) []string { return args }}.Run(ctx)
	})
}
