package encoder

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

// albumAudio is the joined audio of an album video, encoded once into the
// work folder while everything else is done: it is the longest step of a
// batch, and needs nothing but the songs.
type albumAudio struct {
	path string
	done chan struct{}
	err  error // set before done is closed
}

// startAlbumAudio starts encoding the joined songs of the album video, if
// the batch has one of several songs that can all be read.
func (b *songBatch) startAlbumAudio(ctx context.Context) {
	if !(b.s.Album || !b.s.Each) || len(b.songs) < 2 {
		return
	}
	tracks := b.albumTracks()
	if tracks == nil {
		return
	}
	a := &albumAudio{path: filepath.Join(b.dir, "album.m4a"), done: make(chan struct{})}
	b.album = a
	plan := planAudio(tracks, totalLength(tracks), false, Containers()[0], b.s.FPS)
	total := totalLength(tracks)
	rate := tracks[0].SampleRate
	chunks := planAACChunks(total, rate, runtime.NumCPU())
	go func() {
		defer close(a.done)
		if len(chunks) == 1 {
			a.err = ffmpeg.Command{
				Bin:  b.bin,
				Args: func(ffmpeg.Inputs) []string { return joinedAACArgs(plan, chunks[0], rate, "mp4", a.path, b.lim) },
				Progress: func(p ffmpeg.Progress) {
					b.audioProgress(float64(p.OutTime) / float64(total))
				},
			}.Run(ctx)
			return
		}
		adts := filepath.Join(b.dir, "album.adts")
		a.err = encodeAACChunks(ctx, b.bin, b.dir, plan, chunks, rate, adts, b.lim, func(d time.Duration) {
			b.audioProgress(float64(d) / float64(total))
		})
		if a.err == nil {
			a.err = ffmpeg.Command{Bin: b.bin, Args: func(ffmpeg.Inputs) []string { return adtsToMP4Args(adts, a.path, rate) }}.Run(ctx)
		}
		os.Remove(adts)
	}()
}

// albumAudioFor is the audio of the album video: the joined songs,
// encoded already, copied, and cut to the video's length.
func (b *songBatch) albumAudioFor(ctx context.Context, length time.Duration) (*audioPlan, error) {
	select {
	case <-b.album.done:
	case <-ctx.Done():
		return nil, ErrCancelled
	}
	if b.album.err != nil {
		return nil, b.album.err
	}
	return &audioPlan{Files: []string{b.album.path}, Copy: true, Length: length}, nil
}

// albumTracks are the songs of the album video, or nil when one of them
// cannot be read.
func (b *songBatch) albumTracks() []AudioInfo {
	tracks := make([]AudioInfo, len(b.songs))
	for i, sg := range b.songs {
		if sg.Err != nil {
			return nil
		}
		tracks[i] = sg.Info
	}
	return tracks
}
