package encoder

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"
	tscodecs "github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts/codecs"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/publish"
)

// The per-frame path (--no-fast-path) encodes every frame as it goes, the
// way other tools stream: ffmpeg writes MPEG-TS to its standard output,
// Stillcast reads the H.264 and AAC out of it and publishes them. ffmpeg
// never learns where the stream goes.

// perFrame starts the per-frame ffmpeg and reads its stream up to the
// first keyframe, whose parameter sets the connections begin with; it
// returns a player of the rest. ffmpeg runs until the player's context
// ends, or until ctx does before the player starts.
func (l *liveStream) perFrame(ctx context.Context) (func(context.Context, chan<- publish.Packet) error, publish.Codecs, error) {
	plan := l.plan.Encode
	r, w := io.Pipe()
	marks := &pcmMarks{}
	cmd := ffmpeg.Command{
		Bin: l.bin,
		Args: func(in ffmpeg.Inputs) []string {
			p := plan
			p.Input, p.Audio = in.Video, in.Audio
			return perFrameArgs(p)
		},
		Video:  ffmpeg.Still(l.frame, 0),
		Stdout: w,
		Redact: l.redact,
	}
	if len(l.tracks) > 0 {
		cmd.Audio = pcmFeed(l.bin, newPlaylist(l.tracks, l.s.Shuffle, rand.IntN), marks.add)
	}
	run, stop := context.WithCancel(ctx)
	ran := make(chan error, 1)
	go func() {
		err := cmd.Run(run)
		w.CloseWithError(io.EOF)
		ran <- err
	}()
	packets := make(chan publish.Packet, 256)
	read := make(chan error, 1)
	go func() {
		read <- l.readTS(run, r, packets, marks)
		r.CloseWithError(io.ErrClosedPipe) // ffmpeg stops on a broken pipe if the reader gave up
		close(packets)
	}()
	ended := func() error {
		stop()
		err, readErr := <-ran, <-read
		switch {
		case ctx.Err() != nil:
			return ErrCancelled
		case err != nil && !errors.Is(err, ErrCancelled):
			return err
		case readErr != nil && !errors.Is(readErr, io.EOF) && !errors.Is(readErr, context.Canceled):
			return fmt.Errorf("reading ffmpeg's stream: %w", readErr)
		}
		return errors.New("ffmpeg ended the stream")
	}
	var early []publish.Packet
	for {
		pkt, ok := <-packets
		if !ok {
			return nil, publish.Codecs{}, ended()
		}
		early = append(early, pkt)
		if pkt.Codecs != nil {
			codecs := *pkt.Codecs
			return func(pctx context.Context, out chan<- publish.Packet) error {
				defer stop()
				for _, p := range early {
					out <- p
				}
				for {
					select {
					case p, ok := <-packets:
						if !ok {
							if err := ended(); pctx.Err() == nil {
								return err
							}
							return pctx.Err()
						}
						out <- p
					case <-pctx.Done():
						ended()
						return pctx.Err()
					}
				}
			}, codecs, nil
		}
	}
}

// readTS reads MPEG-TS from r and sends its access units as packets, with
// timestamps from the first one on.
func (l *liveStream) readTS(ctx context.Context, r io.Reader, out chan<- publish.Packet, marks *pcmMarks) error {
	send := func(p publish.Packet) error {
		select {
		case out <- p:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	ts := &mpegts.Reader{R: r}
	if err := ts.Initialize(); err != nil {
		return err
	}
	var first *int64
	rel := func(t int64) time.Duration {
		if first == nil {
			first = &t
		}
		return time.Duration(t-*first) * time.Second / 90000
	}
	for _, tr := range ts.Tracks() {
		switch tr.Codec.(type) {
		case *tscodecs.H264:
			var sps, pps []byte
			ts.OnDataH264(tr, func(pts, dts int64, au [][]byte) error {
				p := publish.Packet{Kind: publish.Video, PTS: rel(pts), DTS: rel(dts), Key: isIDR(au), Data: au}
				if s, q := parameterSets(au); s != nil && q != nil && (!bytes.Equal(s, sps) || !bytes.Equal(q, pps)) {
					sps, pps = s, q
					p.Codecs = &publish.Codecs{SPS: s, PPS: q, AudioConfig: liveAudioConfig}
				}
				return send(p)
			})
		case *tscodecs.MPEG4Audio:
			ts.OnDataMPEG4Audio(tr, func(pts int64, aus [][]byte) error {
				at := rel(pts)
				for i, au := range aus {
					t := at + aacDuration(i)
					if err := send(publish.Packet{Kind: publish.Audio, PTS: t, DTS: t, Data: [][]byte{au}}); err != nil {
						return err
					}
				}
				if track, ok := marks.reached(at); ok {
					l.onTrack(track, at)
				}
				return nil
			})
		}
	}
	for {
		if err := ts.Read(); err != nil {
			return err
		}
	}
}

// parameterSets returns the SPS and PPS an access unit carries.
func parameterSets(au [][]byte) (sps, pps []byte) {
	for _, n := range au {
		switch {
		case len(n) == 0:
		case n[0]&0x1f == 7:
			sps = n
		case n[0]&0x1f == 8:
			pps = n
		}
	}
	return sps, pps
}

// isIDR tells whether an access unit holds an IDR picture.
func isIDR(au [][]byte) bool {
	for _, n := range au {
		if len(n) > 0 && n[0]&0x1f == 5 {
			return true
		}
	}
	return false
}

// pcmMarks are where tracks begin in the per-frame path's raw audio, to
// announce each when the stream reaches it.
type pcmMarks struct {
	mu    sync.Mutex
	marks []pcmMark
}

type pcmMark struct {
	track int
	at    time.Duration
}

func (m *pcmMarks) add(track int, offset int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.marks = append(m.marks, pcmMark{track, pcmDuration(offset)})
}

// reached returns the latest track that has begun by at, once.
func (m *pcmMarks) reached(at time.Duration) (int, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	track, ok := -1, false
	for len(m.marks) > 0 && m.marks[0].at <= at {
		track, ok = m.marks[0].track, true
		m.marks = m.marks[1:]
	}
	return track, ok
}

// pcmDuration is how long n bytes of the raw audio play.
func pcmDuration(n int64) time.Duration {
	return time.Duration(n / pcmFrame * int64(time.Second) / aacRate)
}
