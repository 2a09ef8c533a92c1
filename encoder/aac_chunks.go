package encoder

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
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
// of at least shortest (minChunk but in tests), at frame boundaries. It
// is a pure function.
func planAACChunks(total time.Duration, rate, n int, shortest time.Duration) []aacChunk {
	n = max(1, min(n, int(total/shortest)))
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

// joinedAACArgs makes the audio of p (joined, faded, padded, looped as it
// says) at rate, and encodes chunk c of it as AAC into a file of format
// ("adts", "mp4") at out, with the tags of the file tags ("" for none).
func joinedAACArgs(p *audioPlan, c aacChunk, rate int, format, out, tags string, lim limits) []string {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error"}
	args = append(args, progressArgs(progressInterval, lim)...)
	args = append(args, p.inputArgs()...)
	if tags != "" {
		args = append(args, "-i", "file:"+tags, "-map_metadata", strconv.Itoa(len(p.Files))) // the song's title and artist
	}
	chain := p.chain(0) + ",aresample=" + strconv.Itoa(rate)
	// Cut to the video's length, as -t cuts a single run: a loop or
	// padding never ends, and a fade-out leaves silence to cut.
	chain += ",atrim=end_sample=" + strconv.FormatInt(samplesIn(p.Length, rate), 10)
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

// samplesIn is how many samples at rate d holds, to the nearest.
func samplesIn(d time.Duration, rate int) int64 {
	return int64(math.Round(d.Seconds() * float64(rate)))
}

// encodeAACChunks encodes the audio of p in chunks, in parallel, and
// joins them into one ADTS file at out. progress gets the length of
// audio encoded so far. It returns the number of frames joined.
func encodeAACChunks(ctx context.Context, bin, dir string, p *audioPlan, chunks []aacChunk, rate int, out string, lim limits, progress func(time.Duration)) (int64, error) {
	done := make([]time.Duration, len(chunks))
	var mu sync.Mutex
	parts := make([]string, len(chunks))
	for i := range chunks {
		parts[i] = filepath.Join(dir, "aac"+strconv.Itoa(i)+".adts")
	}
	defer func() {
		for _, part := range parts {
			os.Remove(part) // gone already when joined
		}
	}()
	err := eachInParallel(ctx, len(chunks), func(ctx context.Context, i int) error {
		c := chunks[i]
		return ffmpeg.Command{
			Bin:  bin,
			Args: func(ffmpeg.Inputs) []string { return joinedAACArgs(p, c, rate, "adts", parts[i], "", lim) },
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
		return 0, err
	}
	return joinADTS(out, parts, chunks)
}

// joinADTS writes the frames each chunk keeps, in order, into out, and
// counts them.
func joinADTS(out string, parts []string, chunks []aacChunk) (int64, error) {
	f, err := os.Create(out)
	if err != nil {
		return 0, fmt.Errorf("writing the joined audio: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var frames int64
	for i, part := range parts {
		n, err := copyKeptFrames(w, part, chunks[i])
		if err != nil {
			f.Close()
			return 0, fmt.Errorf("joining the audio: %w", err)
		}
		frames += n
		os.Remove(part)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, fmt.Errorf("writing the joined audio: %w", err)
	}
	return frames, f.Close()
}

// copyKeptFrames copies the frames of the ADTS file part that chunk c
// keeps into w, and counts them.
func copyKeptFrames(w io.Writer, part string, c aacChunk) (int64, error) {
	in, err := os.Open(part)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	r := playout.NewADTSReader(in)
	var kept int64
	for j := int64(0); ; j++ {
		frame, err := r.NextFrame()
		if errors.Is(err, io.EOF) {
			return kept, nil
		}
		if err != nil {
			return kept, err
		}
		if c.keeps(j) {
			if _, err := w.Write(frame); err != nil {
				return kept, err
			}
			kept++
		}
	}
}

// joinedAAC is where the joined ADTS frames go into an MP4 file.
type joinedAAC struct {
	In, Out string
	Rate    int
	Frames  int64  // in In, the encoder's priming frame first
	Samples int64  // of audio they hold, to trim the last frame to; 0 for whole frames
	Tags    string // the file whose tags the MP4 takes; "" for none
}

// adtsToMP4Args puts the joined ADTS into an MP4 file by stream copy,
// starting it one frame early: the first frame is the encoder's priming,
// which the MP4's edit list then skips, as ffmpeg does for AAC it
// encodes into MP4 itself. With setts (ffmpeg 4.4 on) the last frame's
// duration is cut to the samples it really holds, so the file is as long
// as a single run makes it; before, it ends on a whole frame (under 24
// ms more).
func adtsToMP4Args(j joinedAAC, lim limits) []string {
	priming := strconv.FormatFloat(float64(aacFrameSamples)/float64(j.Rate), 'f', 9, 64)
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error",
		"-itsoffset", "-" + priming, "-f", "aac", "-i", "file:" + j.In}
	if j.Tags != "" {
		args = append(args, "-i", "file:"+j.Tags, "-map_metadata", "1") // the song's title and artist
	}
	args = append(args, "-map", "0:a:0", "-c:a", "copy")
	if last := j.Samples - (j.Frames-2)*aacFrameSamples; j.Samples > 0 && !lim.NoSetts && last > 0 && last < aacFrameSamples {
		args = append(args, "-bsf:a", fmt.Sprintf("setts=duration=if(eq(N\\,%d)\\,DURATION*%d/%d\\,DURATION)", j.Frames-1, last, aacFrameSamples))
	}
	return append(args, "-f", "mp4", "-y", "file:"+j.Out)
}

// aacPlan is an AAC encode of an audioPlan, in chunks.
type aacPlan struct {
	Chunks  []aacChunk
	Rate    int
	Samples int64  // the audio holds, to trim the last frame to
	Tags    string // the file whose tags the audio takes; "" for none
}

// planAAC plans the AAC encode of p, which holds samples at rate, on n
// cores.
func planAAC(p *audioPlan, samples int64, rate, n int, tags string) aacPlan {
	length := time.Duration(samples) * time.Second / time.Duration(rate)
	return aacPlan{Chunks: planAACChunks(length, rate, n, minChunk), Rate: rate, Samples: samples, Tags: tags}
}

// encodeAAC encodes the audio of p to AAC into an MP4 file at out, in
// the chunks planned, in parallel when there are several. dir holds the
// chunks while they are joined. progress gets the length of audio
// encoded so far.
func encodeAAC(ctx context.Context, bin, dir string, p *audioPlan, e aacPlan, out string, lim limits, progress func(time.Duration)) error {
	chunks, rate, tags := e.Chunks, e.Rate, e.Tags
	if len(chunks) == 1 {
		args := joinedAACArgs(p, chunks[0], rate, "mp4", out, tags, lim)
		return ffmpeg.Command{
			Bin:      bin,
			Args:     func(ffmpeg.Inputs) []string { return args },
			Progress: func(pr ffmpeg.Progress) { progress(pr.OutTime) },
		}.Run(ctx)
	}
	adts := filepath.Join(dir, "audio.adts")
	defer os.Remove(adts)
	frames, err := encodeAACChunks(ctx, bin, dir, p, chunks, rate, adts, lim, progress)
	if err != nil {
		return err
	}
	j := joinedAAC{In: adts, Out: out, Rate: rate, Frames: frames, Samples: e.Samples, Tags: tags}
	return ffmpeg.Command{Bin: bin, Args: func(ffmpeg.Inputs) []string { return adtsToMP4Args(j, lim) }}.Run(ctx)
}
