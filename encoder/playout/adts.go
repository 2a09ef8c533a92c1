package playout

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// adtsHeader is the length of an ADTS header without CRC.
const adtsHeader = 7

// ADTSReader reads raw AAC frames out of an ADTS stream, one at a time, so
// a track of any length costs one frame of memory.
type ADTSReader struct {
	r   *bufio.Reader
	buf []byte
}

// NewADTSReader reads ADTS from r.
func NewADTSReader(r io.Reader) *ADTSReader {
	return &ADTSReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// ErrNotADTS says the data is not an ADTS stream of AAC frames.
var ErrNotADTS = errors.New("not an ADTS stream")

// Next returns the next raw AAC frame, without its header; the slice is
// reused by the next call. It returns io.EOF at the end, and
// io.ErrUnexpectedEOF for a frame cut short.
func (a *ADTSReader) Next() ([]byte, error) {
	frame, headLen, err := a.next()
	if err != nil {
		return nil, err
	}
	return frame[headLen:], nil
}

// NextFrame returns the next ADTS frame whole, header and all, to be
// written out again as it is; the slice is reused by the next call.
func (a *ADTSReader) NextFrame() ([]byte, error) {
	frame, _, err := a.next()
	return frame, err
}

// next reads the next frame and the length of its header.
func (a *ADTSReader) next() ([]byte, int, error) {
	head, err := a.r.Peek(adtsHeader)
	if err == io.EOF && len(head) == 0 {
		return nil, 0, io.EOF
	}
	if err != nil {
		return nil, 0, io.ErrUnexpectedEOF
	}
	if head[0] != 0xFF || head[1]&0xF6 != 0xF0 {
		return nil, 0, ErrNotADTS
	}
	headLen := adtsHeader
	if head[1]&1 == 0 {
		headLen += 2 // a CRC follows the header
	}
	n := int(head[3]&3)<<11 | int(head[4])<<3 | int(head[5])>>5
	if n < headLen {
		return nil, 0, fmt.Errorf("%w: a frame of %d bytes", ErrNotADTS, n)
	}
	if cap(a.buf) < n {
		a.buf = make([]byte, n)
	}
	a.buf = a.buf[:n]
	if _, err := io.ReadFull(a.r, a.buf); err != nil {
		return nil, 0, io.ErrUnexpectedEOF
	}
	return a.buf, headLen, nil
}
