package encoder

import (
	"context"
	"runtime"
	"time"
)

// startAlbumAudio starts encoding the joined songs of the album video
// into the work folder, if the batch has one of several songs that can
// all be read: it is the longest step of a batch, and needs nothing but
// the songs.
func (b *songBatch) startAlbumAudio(ctx context.Context) {
	if !(b.s.Album || !b.s.Each) || len(b.songs) < 2 {
		return
	}
	tracks := b.albumTracks()
	if tracks == nil {
		return
	}
	total := totalLength(tracks)
	plan := planAudio(tracks, total, false, Containers()[0], b.s.FPS)
	rate := tracks[0].SampleRate
	e := planAAC(plan, samplesIn(total, rate), rate, runtime.NumCPU(), "")
	b.album = startAAC(ctx, b.bin, b.dir, plan, e, b.lim, b.audioProgress)
}

// albumAudioFor is the audio of the album video: the joined songs,
// encoded already, copied, and cut to the video's length.
func (b *songBatch) albumAudioFor(ctx context.Context, length time.Duration) (*audioPlan, error) {
	return b.album.wait(ctx, length, false)
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
