package encoder

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
	"github.com/stillcast/stillcast/encoder/playout"
)

// Parallel AAC: the album's joined audio is the longest step of a batch,
// and ffmpeg's AAC encoder uses one core. So a long album is cut into
// chunks, one per core, each encoded by an ffmpeg of its own, and their
// AAC frames are joined back into one stream. AAC frames overlap their
// neighbours by half a frame, so each chunk begins encoding well before
// the stretch it keeps, and ends a little after it: the frames kept on
// either side of a join are those the whole encode would have made, to
// within its own rounding.
const (
	// aacPreroll is how many frames a chunk encodes before its own and
	// throws away. The encoder's rate control takes about ten seconds to
	// settle: a chunk started cold measured twice the whole encode's error
	// 2 s in, and the same from 11 s on. With 1000 frames (about 22 s) the
	// error at a join measured the same as anywhere else.
	aacPreroll = 1000
	// aacLookahead is how many frames a chunk encodes after its own, so
	// that its last frames are not encoded as the end of a stream.
	aacLookahead = 8
	// minChunk is the shortest chunk worth an ffmpeg of its own: the
	// preroll's cost is a tenth of it.
	minChunk = 4 * time.Minute
)

// aacChunk is one chunk of a parallel AAC encode, in samples of the
// joined audio: it encodes [Start, End) and keeps the frames of [From,
// To). End and To are -1 for the last chunk: to the end.
type aacChunk struct{ Start, End, From, To int64 }

// planAACChunks cuts audio of length total at rate into at most n chunks
// of at least minChunk, at frame boundaries. It is a pure function.
func planAACChunks(total time.Duration, rate, n int) []aacChunk {
	n = max(1, min(n, int(total/minChunk)))
	samples := int64(total.Seconds() * float64(rate))
	var chunks []aacChunk
	for i := range n {
		c := aacChunk{From: int64(i) * samples / int64(n) / aacFrameSamples * aacFrameSamples, End: -1, To: -1}
		c.Start = max(0, c.From-aacPreroll*aacFrameSamples)
		if i > 0 {
			chunks[i-1].To = c.From
			chunks[i-1].End = c.From + aacLookahead*aacFrameSamples
		}
		chunks = append(chunks, c)
	}
	return chunks
}

// keeps reports whether chunk c keeps its frame j: frame j of an encode
// that starts at sample Start holds samples from Start+(j-1)×1024, frame
// 0 being the encoder's priming, which only the first chunk keeps.
func (c aacChunk) keeps(j int64) bool {
	pts := c.Start + (j-1)*aacFrameSamples
	if c.From == 0 && j == 0 {
		return true
	}
	return pts >= c.From && (c.To < 0 || pts < c.To)
}

// joinedAACArgs joins the songs of p without a gap, as the audio of a file
// render does, at rate, and encodes chunk c of them as AAC into a file of
// format ("adts", "mp4") at out.
func joinedAACArgs(p *audioPlan, c aacChunk, rate int, format, out string, lim limits) []string {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error"}
	args = append(args, progressArgs(progressInterval, lim)...)
	var in strings.Builder
	for i, f := range p.Files {
		args = append(args, "-i", "file:"+f)
		in.WriteString("[" + strconv.Itoa(i) + ":a:0]")
	}
	chain := in.String() + "concat=n=" + strconv.Itoa(len(p.Files)) + ":v=0:a=1,aresample=" + strconv.Itoa(rate)
	if c.Start > 0 || c.End >= 0 {
		chain += ",atrim=start_sample=" + strconv.FormatInt(c.Start, 10)
		if c.End >= 0 {
			chain += ":end_sample=" + strconv.FormatInt(c.End, 10)
		}
		chain += ",asetpts=PTS-STARTPTS"
	}
	return append(args,
		"-filter_complex", chain+"[audio]",
		"-map", "[audio]", "-c:a", "aac", "-b:a", strconv.Itoa(p.Bitrate),
		"-f", format, "-y", "file:"+out)
}

// encodeAACChunks encodes the joined songs of p in chunks, in parallel,
// and joins them into one ADTS file at out. progress gets the seconds
// of audio encoded so far.
func encodeAACChunks(ctx context.Context, bin, dir string, p *audioPlan, chunks []aacChunk, rate int, out string, lim limits, progress func(time.Duration)) error {
	done := make([]time.Duration, len(chunks))
	var mu sync.Mutex
	parts := make([]string, len(chunks))
	for i := range chunks {
		parts[i] = filepath.Join(dir, "aac"+strconv.Itoa(i)+".adts")
	}
	err := eachInParallel(ctx, len(chunks), func(ctx context.Context, i int) error {
		c := chunks[i]
		return ffmpeg.Command{
			Bin:  bin,
			Args: func(ffmpeg.Inputs) []string { return joinedAACArgs(p, c, rate, "adts", parts[i], lim) },
			Progress: func(pr ffmpeg.Progress) {
				mu.Lock()
				defer mu.Unlock()
				done[i] = max(0, pr.OutTime-time.Duration(c.From-c.Start)*time.Second/time.Duration(rate))
				var sum time.Duration
				for _, d := range done {
					sum += d
				}
				progress(sum)
			},
		}.Run(ctx)
	})
	if err != nil {
		return err
	}
	return joinADTS(out, parts, chunks)
}

// joinADTS writes the frames each chunk keeps, in order, into out.
func joinADTS(out string, parts []string, chunks []aacChunk) error {
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("writing the album's audio: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for i, part := range parts {
		if err := copyKeptFrames(w, part, chunks[i]); err != nil {
			f.Close()
			return fmt.Errorf("joining the album's audio: %w", err)
		}
		os.Remove(part)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("writing the album's audio: %w", err)
	}
	return f.Close()
}

// copyKeptFrames copies the frames of the ADTS file part that chunk c
// keeps into w.
func copyKeptFrames(w io.Writer, part string, c aacChunk) error {
	in, err := os.Open(part)
	if err != nil {
		return err
	}
	defer in.Close()
	r := playout.NewADTSReader(in)
	for j := int64(0); ; j++ {
		frame, err := r.NextFrame()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if c.keeps(j) {
			if _, err := w.Write(frame); err != nil {
				return err
			}
		}
	}
}

// adtsToMP4Args puts the joined ADTS at in into an MP4 file at out by
// stream copy, starting it one frame early: the first frame is the
// encoder's priming, which the MP4's edit list then skips, as ffmpeg
// does for AAC it encodes into MP4 itself.
func adtsToMP4Args(in, out string, rate int) []string {
	priming := strconv.FormatFloat(float64(aacFrameSamples)/float64(rate), 'f', 9, 64)
	return []string{"-hide_banner", "-nostdin", "-loglevel", "error",
		"-itsoffset", "-" + priming, "-f", "aac", "-i", "file:" + in,
		"-map", "0:a:0", "-c:a", "copy", "-f", "mp4", "-y", "file:" + out}
}
