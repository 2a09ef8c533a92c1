//go:build windows

package ffmpeg

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"

	"github.com/Microsoft/go-winio"
)

// windowsPipe is a named pipe with a random name, readable by the current
// user only (go-winio's default security descriptor).
type windowsPipe struct {
	path string
	ln   net.Listener
}

func newFramePipe() (framePipe, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	path := `\\.\pipe\stillcast-` + hex.EncodeToString(b[:])
	ln, err := winio.ListenPipe(path, &winio.PipeConfig{OutputBufferSize: 1 << 20})
	if err != nil {
		return nil, fmt.Errorf("making the frame pipe: %w", err)
	}
	return &windowsPipe{path: path, ln: ln}, nil
}

func (p *windowsPipe) Path() string { return p.path }

func (p *windowsPipe) Open(stop <-chan struct{}) (io.WriteCloser, error) {
	type result struct {
		c   net.Conn
		err error
	}
	got := make(chan result, 1)
	go func() {
		c, err := p.ln.Accept()
		got <- result{c, err}
	}()
	select {
	case r := <-got:
		if r.err != nil {
			return nil, fmt.Errorf("opening the frame pipe: %w", r.err)
		}
		return r.c, nil
	case <-stop:
		p.ln.Close() // wakes Accept
		if r := <-got; r.c != nil {
			r.c.Close()
		}
		return nil, errPipeAbandoned
	}
}

func (p *windowsPipe) Remove() error { return p.ln.Close() }
