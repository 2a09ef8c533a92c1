package playout

import (
	"context"
	"time"

	"github.com/stillcast/stillcast/encoder/publish"
)

// Audio is the stream's sound, one AAC frame at a time.
type Audio interface {
	// Next returns the next AAC frame, the track it belongs to (-1 for
	// silence), and whether it is that track's first frame. It must not
	// block for long: when nothing is ready it returns silence, so the
	// stream never stalls. The frame may be reused by the next call.
	Next() (frame []byte, track int, first bool)
}

// Player sends a looping picture and a stream of AAC frames as packets,
// paced by the wall clock, with timestamps that run on from zero for as
// long as it plays.
type Player struct {
	// Video is asked at every keyframe which segment to play; a new one
	// goes on air there, from its first frame.
	Video func() *Segment
	// Audio gives the sound; SampleRate is its rate (frames are 1024
	// samples).
	Audio      Audio
	SampleRate int
	// AudioConfig is the AAC AudioSpecificConfig, sent again with new
	// video parameters.
	AudioConfig []byte
	// OnTrack is told when the first frame of a track is sent, with its
	// timestamp; OnSegment when a new segment goes on air. Both optional.
	OnTrack   func(track int, at time.Duration)
	OnSegment func(*Segment)
	// Now and Sleep are the clock; nil means the real one.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// aacFrameSamples is the length of an AAC-LC frame.
const aacFrameSamples = 1024

// batch is how far ahead of its time a packet may be sent: packets due
// within it go out together, so the player wakes up about 4 times a
// second, not for every one of the 77 packets a second of 30 fps video
// and AAC. Waking is most of what a copied stream costs (measured: a
// 100 ms batch costs about twice a 500 ms one); the publisher writes
// what gathered every 500 ms too, and servers buffer far more.
const batch = 500 * time.Millisecond

// Run plays until ctx ends; it returns ctx's error.
func (p *Player) Run(ctx context.Context, out chan<- publish.Packet) error {
	now, sleep := p.Now, p.Sleep
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = sleepCtx
	}
	seg := p.Video()
	if p.OnSegment != nil {
		p.OnSegment(seg)
	}
	var (
		start        = now()
		vi           int           // the next access unit of seg
		vt           time.Duration // its timestamp
		audioFrames  int64         // frames sent
		codecsChange *publish.Codecs
	)
	audioAt := func(n int64) time.Duration {
		return time.Duration(n * aacFrameSamples * int64(time.Second) / int64(p.SampleRate))
	}
	for {
		at := audioAt(audioFrames)
		next := min(vt, at)
		if wait := start.Add(next).Sub(now()); wait > batch {
			if err := sleep(ctx, wait-batch/2); err != nil {
				return err
			}
			continue
		}
		var pkt publish.Packet
		if vt <= at {
			if seg.Key[vi] {
				if want := p.Video(); want != seg {
					if !sameParameters(want, seg) {
						codecsChange = &publish.Codecs{SPS: want.SPS, PPS: want.PPS, AudioConfig: p.AudioConfig}
					}
					seg, vi = want, 0
					if p.OnSegment != nil {
						p.OnSegment(seg)
					}
				}
			}
			pkt = publish.Packet{Kind: publish.Video, PTS: vt, DTS: vt, Key: seg.Key[vi], Data: seg.AUs[vi], Codecs: codecsChange}
			codecsChange = nil
			vt += seg.Frame
			vi = (vi + 1) % len(seg.AUs)
		} else {
			frame, track, first := p.Audio.Next()
			pkt = publish.Packet{Kind: publish.Audio, PTS: at, DTS: at, Data: [][]byte{append([]byte(nil), frame...)}}
			audioFrames++
			if first && p.OnTrack != nil {
				p.OnTrack(track, at)
			}
		}
		select {
		case out <- pkt:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
