package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/human"
)

// batchProgress shows a batch's progress: the overall count, the video
// being made, and the fraction of the whole.
func (r *reporter) batchProgress(p encoder.BatchProgress) {
	line := fmt.Sprintf("%3.0f%%  %d/%d videos  %s  ETA %s", 100*p.Fraction, p.Done, p.Total, oneLine(p.Current), human.Clock(p.ETA))
	if r.kind == progressPlain {
		if time.Since(r.lastLine) < plainEvery {
			return
		}
		r.lastLine = time.Now()
		fmt.Fprintln(r.stderr, line)
		return
	}
	const width = 30
	done := int(p.Fraction * width)
	fmt.Fprintf(r.stderr, "\r%s%s %s ", strings.Repeat("█", done), strings.Repeat("░", width-done), line)
	r.drawn = true
}

// videoDone says how one video of a batch ended, on a line of its own.
func (r *reporter) videoDone(v encoder.VideoDone) {
	if r.drawn {
		fmt.Fprintln(r.stderr)
		r.drawn = false
	}
	name := filepath.Base(v.Output)
	switch {
	case v.Err != nil:
		fmt.Fprintf(r.stderr, "[%d/%d] %s: failed: %s\n", v.Index, v.Total, name, oneLine(v.Err.Error()))
	case v.Skipped:
		fmt.Fprintf(r.stderr, "[%d/%d] %s: skipped, it exists already (use --force to replace it)\n", v.Index, v.Total, name)
	default:
		fmt.Fprintf(r.stderr, "[%d/%d] %s (%s, %s)\n", v.Index, v.Total, name, human.Bytes(v.Size), human.Clock(v.Duration))
	}
}

// batchFinished sums a batch up on stdout when every video was made or
// skipped; failures are summed up by the error that follows.
func (r *reporter) batchFinished(f encoder.Finished) {
	if f.Err != nil {
		return
	}
	wrote := r.stdout
	if r.tracklistOut {
		wrote = r.stderr
		fmt.Fprint(r.stdout, f.Tracklist)
	}
	fmt.Fprintf(wrote, "Made the videos in %s in %s\n", f.Output, f.Elapsed.Round(100*time.Millisecond))
}

// jsonBatchLine is the --progress json line of a batch's progress
// (state "batch") or of one of its videos (state "video").
type jsonBatchLine struct {
	State      string  `json:"state"`
	Done       int     `json:"done,omitempty"`
	Index      int     `json:"index,omitempty"`
	Total      int     `json:"total"`
	Current    string  `json:"current,omitempty"`
	Fraction   float64 `json:"fraction,omitempty"`
	ETASeconds float64 `json:"eta_s,omitempty"`
	Output     string  `json:"output,omitempty"`
	Result     string  `json:"result,omitempty"` // made, skipped, failed
	Size       int64   `json:"size,omitempty"`
	Error      string  `json:"error,omitempty"`
}

func jsonBatch(ev encoder.Event) any {
	switch ev := ev.(type) {
	case encoder.BatchProgress:
		return jsonBatchLine{State: "batch", Done: ev.Done, Total: ev.Total, Current: ev.Current, Fraction: ev.Fraction, ETASeconds: ev.ETA.Seconds()}
	case encoder.VideoDone:
		j := jsonBatchLine{State: "video", Index: ev.Index, Total: ev.Total, Output: ev.Output, Result: "made", Size: ev.Size}
		switch {
		case ev.Err != nil:
			j.Result, j.Error = "failed", oneLine(ev.Err.Error())
		case ev.Skipped:
			j.Result = "skipped"
		}
		return j
	}
	return nil
}

// batchSummary is the one line that ends a batch with failures.
func batchSummary(err error) (string, bool) {
	var be *encoder.BatchError
	if !errors.As(err, &be) {
		return "", false
	}
	return fmt.Sprintf("%d of %d videos made, %d skipped, %d failed", be.Made, be.Total, be.Skipped, len(be.Failed)), true
}
