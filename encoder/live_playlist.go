package encoder

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

// A live playlist reaches ffmpeg as one endless stream of raw audio: each
// track is decoded in turn by an ffmpeg of its own into the same pipe, so
// there is no gap between tracks, and the stream's ffmpeg encodes it to
// AAC as it goes. Decoding and encoding audio costs a few per cent of a
// core; the video is still a copied segment.

// Raw audio between the decoders and the stream: 16-bit stereo at 48 kHz,
// what the platforms ask for.
const (
	pcmFormat   = "s16le"
	pcmChannels = 2
	pcmFrame    = pcmChannels * 2 // bytes of one sample on both channels
	// livePlaylistBitrate carries music better than the 128k of silence,
	// and is what Twitch allows at most.
	livePlaylistBitrate = "160k"
)

// playlist is the order of a live stream's tracks, and where it is. It
// outlives connections: after a reconnect the track that was on air goes
// on from where the stream broke off.
type playlist struct {
	tracks  []AudioInfo
	shuffle bool
	intn    func(n int) int // rand.IntN outside tests

	mu     sync.Mutex
	order  []int         // this round's order of track indexes; a new slice each round
	pos    int           // the place in order of the track being read
	offset time.Duration // where to start reading the track at pos
}

// place is a place in a playlist: a round's order, and a track in it.
type place struct {
	order []int
	pos   int
}

func newPlaylist(tracks []AudioInfo, shuffle bool, intn func(int) int) *playlist {
	p := &playlist{tracks: tracks, shuffle: shuffle, intn: intn}
	p.newRound(-1)
	return p
}

// newRound orders the tracks for a round. A shuffled round never starts
// with the track the last one ended with, when there is another.
func (p *playlist) newRound(last int) {
	p.order = make([]int, len(p.tracks))
	for i := range p.order {
		p.order[i] = i
	}
	if p.shuffle {
		for i := len(p.order) - 1; i > 0; i-- {
			j := p.intn(i + 1)
			p.order[i], p.order[j] = p.order[j], p.order[i]
		}
		if len(p.order) > 1 && p.order[0] == last {
			k := 1 + p.intn(len(p.order)-1)
			p.order[0], p.order[k] = p.order[k], p.order[0]
		}
	}
	p.pos = 0
}

// current is the index of the track to read, its place, and how far into
// it to start; the offset is used up by asking.
func (p *playlist) current() (track int, at place, offset time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	offset, p.offset = p.offset, 0
	return p.order[p.pos], place{p.order, p.pos}, offset
}

// resume goes back to a place, offset into its track: where the stream
// broke off. The feed reads ahead of the stream, into later tracks and even
// later rounds, so the place brings its round's order with it.
func (p *playlist) resume(at place, offset time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.order, p.pos, p.offset = at.order, at.pos, max(0, offset)
}

// advance moves on to the next track, starting a new round after the last.
func (p *playlist) advance() {
	p.mu.Lock()
	defer p.mu.Unlock()
	last := p.order[p.pos]
	p.pos, p.offset = p.pos+1, 0
	if p.pos == len(p.order) {
		p.newRound(last)
	}
}

// trackMark says that a track starts at a point of a connection's audio,
// from offset into it.
type trackMark struct {
	at     time.Duration
	track  int
	place  place // in the playlist
	offset time.Duration
}

// playlistFeed plays the playlist into a connection's audio pipe, from
// the track playing, for as long as the connection lasts. mark is told
// where each track starts in this connection's audio. A track that will
// not decode is skipped; when a whole round of them fails, the feed ends
// with an error.
func playlistFeed(bin string, p *playlist, mark func(trackMark)) ffmpeg.Feed {
	return func(ctx context.Context, w io.Writer) error {
		var written int64 // bytes of audio in this connection so far
		failed := 0       // tracks in a row that gave no audio
		for {
			track, at, offset := p.current()
			mark(trackMark{at: pcmDuration(written), track: track, place: at, offset: offset})
			n, err := decodeTrack(ctx, bin, p.tracks[track].Path, offset, w)
			written += n
			if ctx.Err() != nil {
				return nil
			}
			if ffmpeg.IsBrokenPipe(err) {
				return err // the stream's ffmpeg has gone
			}
			if n == 0 {
				failed++
				if failed >= len(p.tracks) {
					return fmt.Errorf("none of the %d tracks could be played; the last said: %w", len(p.tracks), err)
				}
			} else {
				failed = 0
			}
			p.advance()
		}
	}
}

// pcmDuration is how long n bytes of the raw audio play.
func pcmDuration(n int64) time.Duration {
	return time.Duration(n / pcmFrame * int64(time.Second) / aacRate)
}

// decodeTrack decodes the audio file at path from offset into w as raw
// audio and returns how many bytes it wrote. It keeps only whole samples,
// so the next track starts on a sample boundary.
func decodeTrack(ctx context.Context, bin, path string, offset time.Duration, w io.Writer) (int64, error) {
	n, err := ffmpeg.ReadOutput(ctx, bin, decodeArgs(path, offset), func(out io.Reader) (int64, error) {
		return io.Copy(w, &wholeSamples{r: out})
	})
	var fe *ffmpeg.Error
	if errors.As(err, &fe) {
		msg := fe.Error()
		if len(fe.Tail) > 0 {
			msg = fe.Tail[len(fe.Tail)-1]
		}
		return n, fmt.Errorf("%s: %s", filepath.Base(path), msg)
	}
	return n, err
}

// decodeArgs decodes one track, from offset, to the raw audio of the
// stream.
func decodeArgs(path string, offset time.Duration) []string {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error"}
	if offset > 0 {
		args = append(args, "-ss", seconds(offset)) // decoded up to there and dropped: exact
	}
	return append(args,
		"-i", "file:"+path,
		"-map", "0:a:0", "-vn",
		"-f", pcmFormat, "-ar", strconv.Itoa(aacRate), "-ac", strconv.Itoa(pcmChannels),
		"pipe:1",
	)
}

// wholeSamples passes on only whole samples of both channels, holding back
// a partial one until the rest arrives; at the end, a partial one is
// dropped.
type wholeSamples struct {
	r    io.Reader
	held [pcmFrame]byte
	n    int
}

func (s *wholeSamples) Read(p []byte) (int, error) {
	if len(p) < 2*pcmFrame {
		return 0, errors.New("wholeSamples: read buffer too small")
	}
	copy(p, s.held[:s.n])
	got, err := s.r.Read(p[s.n:])
	total := s.n + got
	whole := total - total%pcmFrame
	s.n = copy(s.held[:], p[whole:total])
	return whole, err
}

// pcmInputArgs reads the playlist's raw audio from its pipe at its own
// pace.
func pcmInputArgs(path string) []string {
	return []string{
		"-re",                      // a live stream: as fast as it plays
		"-thread_queue_size", "64", // 1.4 s of packets read ahead, on top of the pipe's 5 s
		"-f", pcmFormat, "-ar", strconv.Itoa(aacRate), "-ac", strconv.Itoa(pcmChannels),
		"-i", "file:" + path,
	}
}

// playlistAudioArgs encodes the playlist's audio for the platforms.
func playlistAudioArgs() []string {
	return []string{"-c:a", "aac", "-b:a", livePlaylistBitrate, "-ar", liveAudioRate, "-ac", "2"}
}
