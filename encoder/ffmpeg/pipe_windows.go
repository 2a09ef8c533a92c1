//go:build windows

package ffmpeg

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Sizes of the frame pipe.
const (
	// pipeBuffer matches the 1 MiB FIFO asked of Linux: a frame crosses in
	// fewer wake-ups.
	pipeBuffer = 1 << 20
)

// windowsPipe is one instance of a named pipe with a random name, made
// before ffmpeg starts and written to once ffmpeg has connected.
//
// Why CreateNamedPipe and ConnectNamedPipe, and not a listener (go-winio's
// ListenPipe and Accept, as before): a listener keeps a spare instance of
// the pipe waiting for the next client, and ffmpeg, which opens the pipe
// once with CreateFile, can attach to an instance that nobody will ever
// write to, so Accept never returns (seen under Wine; go-winio issues #173
// and #313 report the same on Windows 7). One instance, made before ffmpeg
// starts, leaves a single thing to connect to: CreateFile either gets it or
// fails, on every Windows since NT, 10 and 11 included, and under Wine.
type windowsPipe struct {
	path string
	h    windows.Handle // the server end until Open hands it to an *os.File
}

func newFramePipe() (framePipe, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	path := `\\.\pipe\stillcast-` + hex.EncodeToString(b[:])
	sa, err := currentUserOnly()
	if err != nil {
		return nil, fmt.Errorf("making the frame pipe: %w", err)
	}
	name, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	// Outbound (Stillcast writes, ffmpeg reads), byte mode, blocking, one
	// instance; FIRST_PIPE_INSTANCE fails if another process already owns
	// the name, so no one can stand in for the pipe.
	h, err := windows.CreateNamedPipe(name,
		windows.PIPE_ACCESS_OUTBOUND|windows.FILE_FLAG_FIRST_PIPE_INSTANCE,
		windows.PIPE_TYPE_BYTE|windows.PIPE_WAIT|windows.PIPE_REJECT_REMOTE_CLIENTS,
		1, pipeBuffer, 0, 0, sa)
	if err != nil {
		return nil, fmt.Errorf("making the frame pipe %s: %w", path, err)
	}
	return &windowsPipe{path: path, h: h}, nil
}

// currentUserOnly is a security descriptor that lets the current user,
// and nobody else, open the pipe. The default one would also let the
// administrators and LocalSystem in, and on some systems everyone read
// access: the frames are the user's pictures, and a second reader would
// steal them from ffmpeg. "D:P" is a protected DACL (no inherited
// entries); "(A;;GA;;;SID)" grants the user all access.
func currentUserOnly() (*windows.SecurityAttributes, error) {
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return nil, fmt.Errorf("finding the current user: %w", err)
	}
	sd, err := windows.SecurityDescriptorFromString("D:P(A;;GA;;;" + user.User.Sid.String() + ")")
	if err != nil {
		return nil, fmt.Errorf("making the pipe's security descriptor: %w", err)
	}
	sa := &windows.SecurityAttributes{SecurityDescriptor: sd}
	sa.Length = uint32(unsafe.Sizeof(*sa))
	return sa, nil
}

func (p *windowsPipe) Path() string { return p.path }

// Open waits for ffmpeg to connect. ConnectNamedPipe blocks, so it runs
// in a goroutine; when stop closes first, Open connects to the pipe
// itself, which ends the wait, and gives up.
func (p *windowsPipe) Open(stop <-chan struct{}) (io.WriteCloser, error) {
	got := make(chan error, 1)
	go func() { got <- connect(p.h) }()
	select {
	case err := <-got:
		if err != nil {
			return nil, fmt.Errorf("opening the frame pipe: %w", err)
		}
		f := os.NewFile(uintptr(p.h), p.path)
		p.h = windows.InvalidHandle
		return f, nil
	case <-stop:
		wakeConnect(p.path)
		<-got
		return nil, errPipeAbandoned
	}
}

// connect waits for the client. ERROR_PIPE_CONNECTED means ffmpeg got
// there before the call: connected all the same.
func connect(h windows.Handle) error {
	err := windows.ConnectNamedPipe(h, nil)
	if errors.Is(err, windows.ERROR_PIPE_CONNECTED) {
		return nil
	}
	return err
}

// wakeConnect opens the pipe as a client and closes it again, which ends
// a ConnectNamedPipe waiting for one. If ffmpeg is connected already the
// open fails as busy, and there is no wait to end.
func wakeConnect(path string) {
	name, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return
	}
	h, err := windows.CreateFile(name, windows.GENERIC_READ, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err == nil {
		windows.CloseHandle(h)
	}
}

func (p *windowsPipe) Remove() error {
	if p.h == windows.InvalidHandle {
		return nil // the *os.File that Open returned owns it now
	}
	err := windows.CloseHandle(p.h)
	p.h = windows.InvalidHandle
	return err
}

// readerGone reports whether err is Windows' word for EPIPE: writing to
// a pipe whose reader has gone is ERROR_NO_DATA once ffmpeg has closed its
// end and ERROR_BROKEN_PIPE when its process is gone; ERROR_PIPE_NOT_CONNECTED
// and ERROR_NO_DATA also end a ConnectNamedPipe whose client came and went.
func readerGone(err error) bool {
	return errors.Is(err, windows.ERROR_NO_DATA) || errors.Is(err, windows.ERROR_BROKEN_PIPE) ||
		errors.Is(err, windows.ERROR_PIPE_NOT_CONNECTED)
}
