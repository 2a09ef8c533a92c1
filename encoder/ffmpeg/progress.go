package ffmpeg

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// Progress is one block of ffmpeg's -progress output. Fields that
// ffmpeg reported as N/A, or not at all, stay zero.
type Progress struct {
	Frame   int
	FPS     float64
	OutTime time.Duration
	Speed   float64
	Size    int64
	Bitrate float64 // kbit/s, averaged since the start
	Dropped int
	Dup     int
	End     bool // "progress=end": ffmpeg has finished writing
}

// progressParser collects key=value lines into blocks. ffmpeg ends each
// block with a "progress=continue" or "progress=end" line.
type progressParser struct {
	cur Progress
}

// feed takes one line and returns a block when the line completes one.
func (p *progressParser) feed(line string) (Progress, bool) {
	key, val, ok := strings.Cut(strings.TrimSpace(line), "=")
	if !ok {
		return Progress{}, false
	}
	val = strings.TrimSpace(val)
	switch key {
	case "frame":
		if v, err := strconv.Atoi(val); err == nil {
			p.cur.Frame = v
		}
	case "fps":
		if v, err := strconv.ParseFloat(val, 64); err == nil {
			p.cur.FPS = v
		}
	case "out_time_us", "out_time_ms": // both are microseconds, for historic reasons
		if v, err := strconv.ParseInt(val, 10, 64); err == nil && v >= 0 {
			p.cur.OutTime = time.Duration(v) * time.Microsecond
		}
	case "total_size":
		if v, err := strconv.ParseInt(val, 10, 64); err == nil {
			p.cur.Size = v
		}
	case "bitrate":
		if v, err := strconv.ParseFloat(strings.TrimSuffix(val, "kbits/s"), 64); err == nil {
			p.cur.Bitrate = v
		}
	case "drop_frames":
		if v, err := strconv.Atoi(val); err == nil {
			p.cur.Dropped = v
		}
	case "dup_frames":
		if v, err := strconv.Atoi(val); err == nil {
			p.cur.Dup = v
		}
	case "speed":
		if v, err := strconv.ParseFloat(strings.TrimSuffix(val, "x"), 64); err == nil {
			p.cur.Speed = v
		}
	case "progress":
		block := p.cur
		block.End = val == "end"
		p.cur = Progress{}
		return block, true
	}
	return Progress{}, false
}

// lineWriter splits what is written to it into lines and hands each to fn.
// exec.Cmd copies ffmpeg's stdout into it, and Cmd.Wait waits for the copy.
type lineWriter struct {
	buf []byte
	fn  func(string)
}

func (w *lineWriter) Write(b []byte) (int, error) {
	w.buf = append(w.buf, b...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.fn(string(w.buf[:i]))
		w.buf = w.buf[i+1:]
	}
	if len(w.buf) > 64<<10 { // a line this long is not progress; drop it
		w.buf = w.buf[:0]
	}
	return len(b), nil
}

// ParseProgress reads a whole -progress output into its blocks.
func ParseProgress(text string) []Progress {
	var p progressParser
	var blocks []Progress
	for _, line := range strings.Split(text, "\n") {
		if b, ok := p.feed(line); ok {
			blocks = append(blocks, b)
		}
	}
	return blocks
}
