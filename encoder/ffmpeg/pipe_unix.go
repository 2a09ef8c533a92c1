//go:build unix

package ffmpeg

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// unixFIFO lives in its own 0700 temporary folder: two jobs never share a
// name, and no other user can open it.
type unixFIFO struct {
	dir, path string
}

func newFramePipe() (framePipe, error) {
	dir, err := os.MkdirTemp("", "stillcast-")
	if err != nil {
		return nil, fmt.Errorf("making a folder for the frame pipe: %w", err)
	}
	path := filepath.Join(dir, "frames.yuv")
	if err := unix.Mkfifo(path, 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("making the frame pipe: %w", err)
	}
	return &unixFIFO{dir: dir, path: path}, nil
}

func (f *unixFIFO) Path() string { return f.path }

func (f *unixFIFO) Open(stop <-chan struct{}) (io.WriteCloser, error) {
	// A blocking open would hang forever if ffmpeg died before opening its
	// end, so poll: a non-blocking open for writing fails with ENXIO until
	// a reader is there.
	for {
		fd, err := unix.Open(f.path, unix.O_WRONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		if err == nil {
			growPipe(fd)
			// A non-blocking descriptor makes a pollable *os.File: Close
			// from another goroutine wakes a blocked Write.
			return os.NewFile(uintptr(fd), f.path), nil
		}
		if !errors.Is(err, unix.ENXIO) && !errors.Is(err, unix.EINTR) {
			return nil, fmt.Errorf("opening the frame pipe: %w", err)
		}
		select {
		case <-stop:
			return nil, errPipeAbandoned
		case <-time.After(2 * time.Millisecond):
		}
	}
}

func (f *unixFIFO) Remove() error { return os.RemoveAll(f.dir) }

// readerGone: on Unix a pipe whose reader has gone says EPIPE, which
// IsBrokenPipe knows already.
func readerGone(error) bool { return false }
