package ffmpeg

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
	"time"
)

// TestFramePipe: a reader that opens the pipe gets what is written, and
// once it has gone, writing fails with an error IsBrokenPipe knows, which
// is what lets ffmpeg's own message through on every system.
func TestFramePipe(t *testing.T) {
	t.Parallel()
	pipe, err := newFramePipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pipe.Remove()
	type opened struct {
		f   *os.File
		err error
	}
	reader := make(chan opened, 1)
	go func() {
		f, err := os.Open(pipe.Path())
		reader <- opened{f, err}
	}()
	w, err := pipe.Open(make(chan struct{}))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer w.Close()
	r := <-reader
	if r.err != nil {
		t.Fatalf("opening %s for reading: %v", pipe.Path(), r.err)
	}
	frame := bytes.Repeat([]byte{1, 2, 3}, 1000)
	if _, err := w.Write(frame); err != nil {
		t.Fatalf("Write: %v", err)
	}
	got := make([]byte, len(frame))
	if _, err := io.ReadFull(r.f, got); err != nil || !bytes.Equal(got, frame) {
		t.Fatalf("read back %d bytes, %v; want the frame written", len(got), err)
	}
	r.f.Close()
	_, err = w.Write(frame)
	if err == nil || !IsBrokenPipe(err) {
		t.Errorf("writing after the reader left: %v (%#v); want a broken pipe", err, err)
	}
}

// TestFramePipeAbandoned: with no reader, Open gives up as soon as stop
// closes, and the pipe can be removed.
func TestFramePipeAbandoned(t *testing.T) {
	t.Parallel()
	pipe, err := newFramePipe()
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	time.AfterFunc(50*time.Millisecond, func() { close(stop) })
	done := make(chan error, 1)
	go func() {
		w, err := pipe.Open(stop)
		if w != nil {
			w.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, errPipeAbandoned) {
			t.Errorf("Open = %v; want errPipeAbandoned", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Open still waits 10 s after stop closed")
	}
	if err := pipe.Remove(); err != nil {
		t.Errorf("Remove: %v", err)
	}
}
