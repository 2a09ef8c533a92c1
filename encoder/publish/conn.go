package publish

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bluenviron/gortmplib"
	"github.com/bluenviron/gortmplib/pkg/amf0"
	"github.com/bluenviron/gortmplib/pkg/codecs"
	"github.com/bluenviron/gortmplib/pkg/message"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
)

// connectTimeout bounds dialling, the TLS handshake, RTMP's handshake,
// connect and publish together.
const connectTimeout = 10 * time.Second

// deadlineRefresh is how often the write deadline is moved on: setting it
// for every packet would cost a timer update each time.
const deadlineRefresh = time.Second

// Coalescing: on air, what gortmplib writes is gathered and sent every
// flushEvery by the destination's loop (or once flushSize is gathered).
// Each write to a TCP socket costs a system call, and each audio frame is
// a message of its own: gathering them makes about 2 writes a second
// instead of 200, which was most of what publishing cost, for at most
// 500 ms of delay, nothing beside the seconds ingest servers buffer. The reader's acknowledgements and ping answers go out with them.
const (
	flushEvery = 500 * time.Millisecond
	flushSize  = 64 << 10
)

// sharedConn is the connection gortmplib reads and writes. Once on air,
// one goroutine reads from it while another writes media, and gortmplib
// has no lock of its own, although its reader writes too (it answers
// pings and sends acknowledgements). So both hold mu around every use of
// the client, and the reader lets go of mu while it waits for the
// network, in Read. Before that (shared false) only one goroutine uses it.
type sharedConn struct {
	net.Conn
	mu     *sync.Mutex
	shared atomic.Bool
	// publishSent is set when our publish command has gone out: the
	// server had then completed connect and createStream.
	publishSent atomic.Bool
	// Guarded by mu once shared: what waits to be sent, and the error of
	// the last send, which every later write returns.
	pending  []byte
	flushErr error
}

// publishCommand is how the publish command's name starts in AMF0 (a
// string marker and a length of 7), distinct from FCPublish.
var publishCommand = []byte("\x02\x00\x07publish")

func (c *sharedConn) Read(p []byte) (int, error) {
	if !c.shared.Load() {
		return c.Conn.Read(p)
	}
	c.mu.Unlock()
	defer c.mu.Lock()
	return c.Conn.Read(p)
}

func (c *sharedConn) Write(p []byte) (int, error) {
	if !c.shared.Load() {
		if bytes.Contains(p, publishCommand) {
			c.publishSent.Store(true)
		}
		return c.Conn.Write(p)
	}
	if c.flushErr != nil {
		return 0, c.flushErr
	}
	c.pending = append(c.pending, p...)
	if len(c.pending) >= flushSize {
		return len(p), c.flush()
	}
	return len(p), nil
}

// flush sends what waits; mu is held.
func (c *sharedConn) flush() error {
	if c.flushErr != nil || len(c.pending) == 0 {
		return c.flushErr
	}
	_, err := c.Conn.Write(c.pending)
	c.pending = c.pending[:0]
	c.flushErr = err
	return err
}

// conn is one connection to one destination.
type conn struct {
	client       *gortmplib.Client
	writer       *gortmplib.Writer
	video, audio *gortmplib.Track
	sc           *sharedConn
	tcp          *net.TCPConn // under TLS too: for the stall watchdog
	stall        time.Duration
	codecsGen    int // which of the destination's codecs it sent
	sendBuffer   int // SO_SNDBUF when not 0

	mu          sync.Mutex // see sharedConn
	deadlineSet time.Time  // when the write deadline was last moved on
	closeOnce   sync.Once
	ended       chan error    // the reader's reason, once
	readerDone  chan struct{} // closed when the reader has returned
}

// dial connects to t, publishes and sends the codecs' sequence headers.
func dial(ctx context.Context, t Target, cs Codecs, stall time.Duration, sendBuffer int, redact func(string) string) (*conn, *ending) {
	u, err := Address(t.URL, t.Key)
	if err != nil {
		return nil, &ending{kindRejected, redactErr(redact, nil, err, "%v", err)}
	}
	c := &conn{stall: stall, sendBuffer: sendBuffer, ended: make(chan error, 1), readerDone: make(chan struct{})}
	c.sc = &sharedConn{mu: &c.mu}
	dctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	c.client = &gortmplib.Client{URL: u, Publish: true, DialContext: c.dialPlain}
	if u.Scheme == "rtmps" {
		cfg := t.TLS
		if cfg == nil {
			if cfg, err = TLSConfig(""); err != nil {
				return nil, &ending{kindNetwork, redactErr(redact, nil, err, "%v", err)}
			}
		}
		c.client.DialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			return c.dialTLS(ctx, network, addr, cfg, u.Hostname())
		}
	}
	if err := c.client.Initialize(dctx); err != nil {
		timedOut := ctx.Err() == nil && errors.Is(dctx.Err(), context.DeadlineExceeded)
		if ctx.Err() != nil {
			return nil, &ending{kindStopped, nil}
		}
		e := dialEnding(err, c.sc.publishSent.Load(), timedOut, connectTimeout, redact)
		return nil, &e
	}
	if err := c.setCodecs(cs); err != nil {
		c.client.Close()
		e := ending{kindNetwork, networkErr(err, redact)}
		return nil, &e
	}
	c.mu.Lock()
	c.sc.pending = make([]byte, 0, 2*flushSize)
	c.sc.shared.Store(true)
	go c.read()
	c.mu.Unlock()
	return c, nil
}

func (c *conn) dialTCP(ctx context.Context, network, addr string) (net.Conn, error) {
	nc, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	c.tcp, _ = nc.(*net.TCPConn)
	if c.tcp != nil && c.sendBuffer > 0 {
		_ = c.tcp.SetWriteBuffer(c.sendBuffer)
	}
	return nc, nil
}

func (c *conn) dialPlain(ctx context.Context, network, addr string) (net.Conn, error) {
	nc, err := c.dialTCP(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	c.sc.Conn = nc
	return c.sc, nil
}

func (c *conn) dialTLS(ctx context.Context, network, addr string, cfg *tls.Config, host string) (net.Conn, error) {
	nc, err := c.dialTCP(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	cfg = cfg.Clone()
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	tc := tls.Client(nc, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		nc.Close()
		return nil, err
	}
	c.sc.Conn = tc
	return c.sc, nil
}

// setCodecs sends the stream's metadata and sequence headers: at the
// start, and again when the codecs change mid-stream (gortmplib's Writer
// writes them in Initialize, on the same connection).
func (c *conn) setCodecs(cs Codecs) error {
	video := &gortmplib.Track{Codec: &codecs.H264{SPS: cs.SPS, PPS: cs.PPS}}
	tracks := []*gortmplib.Track{video}
	var audio *gortmplib.Track
	if len(cs.AudioConfig) > 0 {
		var conf mpeg4audio.AudioSpecificConfig
		if err := conf.Unmarshal(cs.AudioConfig); err != nil {
			return fmt.Errorf("the AAC AudioSpecificConfig cannot be read: %w", err)
		}
		audio = &gortmplib.Track{Codec: &codecs.MPEG4Audio{Config: &conf}}
		tracks = append(tracks, audio)
	}
	w := &gortmplib.Writer{Conn: c.client, Tracks: tracks}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refreshDeadline(time.Now())
	if err := w.Initialize(); err != nil {
		return err
	}
	c.writer, c.video, c.audio = w, video, audio
	return nil
}

// read reads whatever the server sends, all the time: gortmplib answers
// its pings and acknowledges what it sent inside Client.Read, and a
// closed connection shows here first. It ends on the first error, or on
// an onStatus of level error.
func (c *conn) read() {
	defer close(c.readerDone)
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		msg, err := c.client.Read()
		if err != nil {
			c.ended <- err
			return
		}
		if cmd, ok := msg.(*message.CommandAMF0); ok && cmd.Name == "onStatus" && statusLevel(cmd) == "error" {
			c.ended <- fmt.Errorf("the server ended the stream (%s)", statusCode.FindString(fmt.Sprint(cmd.Arguments)))
			return
		}
	}
}

// statusLevel is the level of an onStatus command: "status" or "error".
func statusLevel(cmd *message.CommandAMF0) string {
	for _, arg := range cmd.Arguments {
		var entries []amf0.ObjectEntry
		switch o := arg.(type) {
		case amf0.Object:
			entries = o
		case amf0.ECMAArray:
			entries = o
		}
		for _, e := range entries {
			if s, ok := e.Value.(string); ok && e.Key == "level" {
				return s
			}
		}
	}
	return ""
}

// send writes one packet, its timestamps shifted back by base.
func (c *conn) send(p *Packet, base time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refreshDeadline(time.Now())
	if p.Kind == Audio {
		if c.audio == nil {
			return nil // the codecs have no audio
		}
		return c.writer.WriteMPEG4Audio(c.audio, p.PTS-base, p.Data[0])
	}
	return c.writer.WriteH264(c.video, p.PTS-base, p.DTS-base, p.Data)
}

// flush sends what was gathered.
func (c *conn) flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refreshDeadline(time.Now())
	return c.sc.flush()
}

// refreshDeadline moves the write deadline to Stall from now, at most once
// a second; c.mu is held.
func (c *conn) refreshDeadline(now time.Time) {
	if now.Sub(c.deadlineSet) >= deadlineRefresh {
		_ = c.sc.SetWriteDeadline(now.Add(c.stall))
		c.deadlineSet = now
	}
}

// close closes the connection and waits for its reader to return.
func (c *conn) close() {
	c.closeOnce.Do(func() { c.client.Close() })
	<-c.readerDone
}

// abort closes the TCP connection beneath everything, at once and from
// any goroutine: a write blocked on it returns. close still follows.
func (c *conn) abort() {
	if c.tcp != nil {
		_ = c.tcp.Close()
	}
}

// bytesSent is what this connection has written, TLS records not counted.
func (c *conn) bytesSent() uint64 { return c.client.BytesSent() }
