package encoder

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/stillcast/stillcast/encoder/album"
	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

// videoResult is how one video of a batch ended.
type videoResult struct {
	Skipped bool
	Err     error
	Size    int64
}

// skipExisting reports the videos of Each whose files are there already
// (without Force) as skipped, and the ones that failed in planning as
// failed, and returns the indices of the videos left to make.
func (b *songBatch) skipExisting() []int {
	var todo []int
	for i, v := range b.plan.Videos {
		_, err := os.Lstat(v.Output)
		if path := b.tracklistPath(v); err != nil && path != "" {
			_, err = os.Lstat(path) // a video whose tracklist is there is made already
		}
		switch {
		case v.Err != nil:
			b.tracker.Load().done(i, videoResult{Err: v.Err})
		case b.s.Each && err == nil && !b.s.Force:
			b.tracker.Load().done(i, videoResult{Skipped: true})
		default:
			todo = append(todo, i)
		}
	}
	return todo
}

// makeVideos makes the videos todo, up to one per core at a time: each is
// a stream copy, and the album's audio encode takes a core of its own.
// The album, the longest, starts first.
func (b *songBatch) makeVideos(ctx context.Context, todo []int) []videoResult {
	var g errgroup.Group
	g.SetLimit(runtime.NumCPU())
	order := make([]int, 0, len(todo))
	for _, i := range todo {
		if b.plan.Videos[i].Album {
			order = append([]int{i}, order...)
		} else {
			order = append(order, i)
		}
	}
	for _, i := range order {
		g.Go(func() error {
			if ctx.Err() != nil {
				return nil
			}
			b.tracker.Load().started(i)
			r := b.makeVideo(ctx, i)
			if ctx.Err() == nil {
				b.tracker.Load().done(i, r)
			}
			return nil
		})
	}
	g.Wait()
	return b.tracker.Load().results()
}

// makeVideo makes video i into a temporary file beside its output and
// then moves it there.
func (b *songBatch) makeVideo(ctx context.Context, i int) videoResult {
	v := b.plan.Videos[i]
	tmp, err := reserveTemp(v.Output)
	if err != nil {
		return videoResult{Err: err}
	}
	defer os.Remove(tmp) // gone already after a successful commit
	asm, err := b.assembly(ctx, i, tmp)
	if err != nil {
		return videoResult{Err: err}
	}
	var last ffmpeg.Progress
	err = ffmpeg.Command{
		Bin:  b.bin,
		Args: func(ffmpeg.Inputs) []string { return assembleArgs(asm) },
		Progress: func(p ffmpeg.Progress) {
			last = p
			b.tracker.Load().copied(i, p.Frame)
		},
	}.Run(ctx)
	switch {
	case err != nil:
		return videoResult{Err: err}
	case !last.End || last.Frame < v.Frames:
		return videoResult{Err: fmt.Errorf("ffmpeg made %d of %d frames", last.Frame, v.Frames)}
	}
	size, err := commitOutput(tmp, v.Output, b.s.Force)
	if err == nil && v.Album {
		b.mu.Lock()
		b.tracklist = album.Tracklist(b.chapters)
		b.mu.Unlock()
		if path := b.tracklistPath(v); path != "" {
			err = saveTracklist(b.tracklist, path, b.s.Force)
		}
	}
	return videoResult{Size: size, Err: err}
}

// tracklistPath is where the album video v's tracklist goes: beside it,
// or where the settings say; "" for none.
func (b *songBatch) tracklistPath(v songVideo) string {
	switch {
	case !v.Album:
		return ""
	case b.s.Each && b.s.Tracklist == "":
		return strings.TrimSuffix(v.Output, filepath.Ext(v.Output)) + ".tracklist.txt"
	}
	return TracklistPath(b.s)
}

// assembly is the copy step of video i: its segment list, written into
// the work folder, its songs' audio and its cover art.
func (b *songBatch) assembly(ctx context.Context, i int, tmp string) (assemblePlan, error) {
	v := b.plan.Videos[i]
	list := filepath.Join(b.dir, "list"+strconv.Itoa(i)+".ffconcat")
	if err := os.WriteFile(list, []byte(b.plan.segmentList(v)), 0o600); err != nil {
		return assemblePlan{}, fmt.Errorf("writing the segment list: %w", err)
	}
	tracks := make([]AudioInfo, len(v.Songs))
	for k, si := range v.Songs {
		tracks[k] = b.songs[si].Info
	}
	length := time.Duration(v.Frames) * time.Second / time.Duration(b.plan.FPS)
	c := b.plan.Container
	m := mux{Audio: planAudio(tracks, length, false, c, b.plan.FPS)}
	if v.Album && b.album != nil {
		a, err := b.albumAudioFor(ctx, length)
		if err != nil {
			return assemblePlan{}, err
		}
		m.Audio = a
	}
	if v.Album {
		chs := planChapters(tracks, length)
		b.mu.Lock()
		b.chapters = chs
		b.mu.Unlock()
		if takesChapters(c) && len(chs) > 0 {
			path, cleanup, err := writeChapters(chs)
			b.mu.Lock()
			b.cleanup = append(b.cleanup, cleanup)
			b.mu.Unlock()
			if err != nil {
				return assemblePlan{}, err
			}
			m.Chapters = path
		}
	}
	if takesCover(c) {
		cover, err := b.cover(v.Runs[0].Picture)
		if err != nil {
			return assemblePlan{}, err
		}
		m.Cover, m.CoverStyle = cover, c.cover
	}
	return assemblePlan{List: list, Frames: v.Frames, FPS: b.plan.FPS, Container: c, Output: tmp, Mux: m, Limits: b.lim}, nil
}

// cover is the cover art JPEG of picture k, without its title card,
// written the first time a video asks for it.
func (b *songBatch) cover(k int) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if c, ok := b.covers[k]; ok {
		return c, nil
	}
	c, cleanup, err := writeCover(b.pics[k].Path, b.s.Background)
	b.cleanup = append(b.cleanup, cleanup)
	if err != nil {
		return "", err
	}
	b.covers[k] = c
	return c, nil
}

// judge turns the videos' results into the batch's: nil when none failed;
// for one video its own error; else a *BatchError.
func (b *songBatch) judge(results []videoResult) error {
	if !b.s.Each {
		return results[0].Err
	}
	e := &BatchError{Total: len(results)}
	for i, r := range results {
		switch {
		case r.Err != nil:
			e.Failed = append(e.Failed, VideoDone{Output: b.plan.Videos[i].Output, Err: r.Err})
		case r.Skipped:
			e.Skipped++
		default:
			e.Made++
		}
	}
	if len(e.Failed) == 0 {
		return nil
	}
	return e
}
