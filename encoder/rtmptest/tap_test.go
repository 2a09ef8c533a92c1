//go:build linux

package rtmptest

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// tap is a TCP relay on 127.0.0.1 between one client and a server that
// notes when each side wrote and how the server's side ended, so a test
// can tell what a server sent, if anything, after the client's last word,
// and whether it closed (EOF) or reset the connection.
type tap struct {
	Addr string

	mu        sync.Mutex
	lastFromC time.Time // when the client last sent something
	fromS     []time.Time
	sEnd      error // how reading the server ended
	done      chan struct{}
}

// startTap relays the first connection to its address on to server.
func startTap(t *testing.T, server string) *tap {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tap{Addr: l.Addr().String(), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		defer l.Close()
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		s, err := net.Dial("tcp", server)
		if err != nil {
			return
		}
		defer s.Close()
		go p.copy(s, c, func() { p.lastFromC = time.Now() })
		p.sEnd = p.copy(c, s, func() { p.fromS = append(p.fromS, time.Now()) })
	}()
	t.Cleanup(func() { l.Close(); <-p.done })
	return p
}

// copy relays src to dst, calling note under the lock after each read,
// and returns the error that ended reading src.
func (p *tap) copy(dst, src net.Conn, note func()) error {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			note()
			p.mu.Unlock()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				if cw, ok := dst.(*net.TCPConn); ok {
					cw.CloseWrite()
				}
			}
			return err
		}
	}
}

// ending waits for the relay to end and says how many times the server
// wrote after the client's last write, and how the server's side ended.
func (p *tap) ending(limit time.Duration) (writesAfter int, end error, ok bool) {
	select {
	case <-p.done:
	case <-time.After(limit):
		return 0, nil, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, at := range p.fromS {
		if at.After(p.lastFromC) {
			writesAfter++
		}
	}
	return writesAfter, p.sEnd, true
}
