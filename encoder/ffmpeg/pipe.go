package ffmpeg

import "io"

// framePipe is the named pipe the raw frames travel through: a FIFO on
// Unix, a named pipe on Windows. Each job makes its own.
type framePipe interface {
	// Path is the name ffmpeg opens to read the frames.
	Path() string
	// Open waits until ffmpeg has opened the pipe for reading and returns
	// the writing end. It gives up with errPipeAbandoned once stop is closed.
	Open(stop <-chan struct{}) (io.WriteCloser, error)
	// Remove deletes the pipe and anything made for it.
	Remove() error
}
