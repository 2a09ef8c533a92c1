package encoder

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// BatchProgress is a snapshot of a batch of videos (Settings.Each). A
// slow reader may miss some; the next one carries the whole state.
type BatchProgress struct {
	Done    int // videos finished: made, skipped or failed
	Total   int
	Current string // the file name of the video most recently started
	// Fraction is of the whole batch's work, 0–1; ETA 0 until it can be
	// estimated.
	Fraction float64
	Elapsed  time.Duration
	ETA      time.Duration
}

// VideoDone says one video of a batch is made, was skipped, or failed.
// It is never dropped.
type VideoDone struct {
	Output   string
	Index    int // 1 for the first video of the batch
	Total    int
	Skipped  bool // the file was there already and Force is off
	Err      error
	Size     int64
	Duration time.Duration
}

func (BatchProgress) isEvent() {}
func (VideoDone) isEvent()     {}

// BatchError is a batch's result when some of its videos failed: Made of
// Total were made, and Failed lists each failure's file and reason.
type BatchError struct {
	Made, Skipped, Total int
	Failed               []VideoDone
}

func (e *BatchError) Error() string {
	names := make([]string, len(e.Failed))
	for i, f := range e.Failed {
		names[i] = fmt.Sprintf("%s (%v)", filepath.Base(f.Output), f.Err)
	}
	return fmt.Sprintf("%d of %d videos failed: %s", len(e.Failed), e.Total, strings.Join(names, "; "))
}
