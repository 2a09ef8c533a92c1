package publish

// TEMPORARY: a minimal stand-in for the real Publisher, so the engine can
// be written and tried while the real one is built on branch publish. It
// is deleted when that branch is merged.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bluenviron/gortmplib"
	"github.com/bluenviron/gortmplib/pkg/codecs"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
)

type Publisher struct {
	targets []Target
	opts    Options
	onAir   atomic.Bool
}

func New(targets []Target, opts Options) *Publisher { return &Publisher{targets: targets, opts: opts} }

func (p *Publisher) EverOnAir() bool { return p.onAir.Load() }

func (p *Publisher) Run(ctx context.Context, cs Codecs, packets <-chan Packet) error {
	queues := make([]chan Packet, len(p.targets))
	var wg sync.WaitGroup
	errs := make([]error, len(p.targets))
	for i := range p.targets {
		queues[i] = make(chan Packet, 4096)
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = p.dest(ctx, i, cs, queues[i]) }()
	}
	defer func() {
		for _, q := range queues {
			close(q)
		}
		wg.Wait()
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case pkt, ok := <-packets:
			if !ok {
				return nil
			}
			for _, q := range queues {
				select {
				case q <- pkt:
				default:
				}
			}
		}
	}
}

func (p *Publisher) dest(ctx context.Context, i int, cs Codecs, q <-chan Packet) error {
	t := p.targets[i]
	status := func(st Status) {
		st.Dest, st.Name = i, t.Name
		if p.opts.Status != nil {
			p.opts.Status(st)
		}
	}
	status(Status{State: Connecting, Attempt: 1})
	u, err := Address(t.URL, t.Key)
	if err != nil {
		return err
	}
	c := &gortmplib.Client{URL: u, Publish: true, TLSConfig: t.TLS}
	if err := c.Initialize(ctx); err != nil {
		status(Status{State: Failed, Err: err})
		for range q {
		}
		return err
	}
	defer c.Close()
	var conf mpeg4audio.AudioSpecificConfig
	if err := conf.Unmarshal(cs.AudioConfig); err != nil {
		return err
	}
	vt := &gortmplib.Track{Codec: &codecs.H264{SPS: cs.SPS, PPS: cs.PPS}}
	at := &gortmplib.Track{Codec: &codecs.MPEG4Audio{Config: &conf}}
	w := &gortmplib.Writer{Conn: c, Tracks: []*gortmplib.Track{vt, at}}
	if err := w.Initialize(); err != nil {
		return err
	}
	go func() {
		for {
			if _, err := c.Read(); err != nil {
				return
			}
		}
	}()
	started := false
	var base = int64(-1)
	for pkt := range q {
		if !started {
			if pkt.Kind != Video || !pkt.Key {
				continue
			}
			started = true
			base = int64(pkt.DTS)
			p.onAir.Store(true)
			status(Status{State: OnAir, Attempt: 1})
		}
		var err error
		if pkt.Kind == Video {
			err = w.WriteH264(vt, pkt.PTS-timeDur(base), pkt.DTS-timeDur(base), pkt.Data)
		} else if pkt.PTS >= timeDur(base) {
			err = w.WriteMPEG4Audio(at, pkt.PTS-timeDur(base), pkt.Data[0])
		}
		if err != nil {
			status(Status{State: Failed, Err: err})
			for range q {
			}
			return err
		}
	}
	status(Status{State: Stopped})
	return nil
}

func Address(server, key string) (*url.URL, error) {
	u, err := url.Parse(server)
	if err != nil {
		return nil, err
	}
	u.Fragment = key
	return u, nil
}

func Redactor(targets []Target) func(string) string {
	var pairs []string
	for _, t := range targets {
		if t.Key != "" {
			pairs = append(pairs, t.Key, "[stream key]")
		}
	}
	if len(pairs) == 0 {
		return func(s string) string { return s }
	}
	return strings.NewReplacer(pairs...).Replace
}

func TLSConfig(caFile string) (*tls.Config, error) {
	if caFile == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("no certificates")
	}
	return &tls.Config{RootCAs: pool}, nil
}

var _ = fmt.Sprint

func timeDur(n int64) time.Duration { return time.Duration(n) }
