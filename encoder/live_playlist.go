package encoder

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"sync"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

// A live playlist plays its tracks in order, or shuffled, round after
// round. On the fast path each track is transcoded once to AAC (see
// liveTrack) and its frames are copied; on the per-frame path the tracks
// are decoded in turn into one endless stream of raw audio, which the
// stream's ffmpeg encodes as it goes.

// Raw audio between the decoders and the per-frame ffmpeg: 16-bit stereo
// at 48 kHz, what the platforms ask for.
const (
	pcmFormat   = "s16le"
	pcmChannels = 2
	pcmFrame    = pcmChannels * 2 // bytes of one sample on both channels
	// livePlaylistBitrate carries music better than the 128k of silence,
	// and is what Twitch allows at most.
	livePlaylistBitrate = "160k"
)

// playlist is the order of a live stream's tracks, and where it is.
type playlist struct {
	tracks  []AudioInfo
	shuffle bool
	intn    func(n int) int // rand.IntN outside tests

	mu    sync.Mutex
	order []int // this round's order of track indexes
	next  []int // the next round's, decided ahead so it can be prepared
	pos   int   // the place in order of the track playing
}

func newPlaylist(tracks []AudioInfo, shuffle bool, intn func(int) int) *playlist {
	p := &playlist{tracks: tracks, shuffle: shuffle, intn: intn}
	p.order = p.round(-1)
	p.next = p.round(p.order[len(p.order)-1])
	return p
}

// round orders the tracks for a round. A shuffled round never starts with
// the track the last one ended with, when there is another.
func (p *playlist) round(last int) []int {
	order := make([]int, len(p.tracks))
	for i := range order {
		order[i] = i
	}
	if p.shuffle {
		for i := len(order) - 1; i > 0; i-- {
			j := p.intn(i + 1)
			order[i], order[j] = order[j], order[i]
		}
		if len(order) > 1 && order[0] == last {
			k := 1 + p.intn(len(order)-1)
			order[0], order[k] = order[k], order[0]
		}
	}
	return order
}

// current is the index of the track playing.
func (p *playlist) current() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.order[p.pos]
}

// ahead lists the n tracks after the one playing (n at most the length of
// a round), into the next round.
func (p *playlist) ahead(n int) []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	rest := append(slices.Clone(p.order[p.pos+1:]), p.next...)
	return rest[:min(n, len(rest))]
}

// advance moves on to the next track, starting a new round after the last.
func (p *playlist) advance() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pos++
	if p.pos == len(p.order) {
		p.order, p.pos = p.next, 0
		p.next = p.round(p.order[len(p.order)-1])
	}
}

// pcmFeed plays the playlist into the per-frame ffmpeg's audio pipe, for
// as long as it lasts. starts is told the byte offset in the raw audio
// where each track begins. A track that will not decode is skipped; when
// a whole round of them fails, the feed ends with an error.
func pcmFeed(bin string, p *playlist, starts func(track int, at int64)) ffmpeg.Feed {
	return func(ctx context.Context, w io.Writer) error {
		var written int64 // bytes of audio so far
		failed := 0       // tracks in a row that gave no audio
		for {
			track := p.current()
			starts(track, written)
			n, err := decodeTrack(ctx, bin, p.tracks[track].Path, w)
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

// decodeTrack decodes the audio file at path into w as raw audio and
// returns how many bytes it wrote. It keeps only whole samples, so the
// next track starts on a sample boundary.
func decodeTrack(ctx context.Context, bin, path string, w io.Writer) (int64, error) {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error", "-i", "file:" + path,
		"-map", "0:a:0", "-vn", "-f", pcmFormat, "-ar", strconv.Itoa(aacRate), "-ac", strconv.Itoa(pcmChannels), "pipe:1"}
	n, err := ffmpeg.ReadOutput(ctx, bin, args, func(out io.Reader) (int64, error) {
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
