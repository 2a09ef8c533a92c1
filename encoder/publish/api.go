package publish

// The contract, written before the implementation, which keeps these
// names and meanings.

import (
	"crypto/tls"
	"errors"
	"time"
)

// Kind tells a video access unit from an audio frame.
type Kind int

const (
	Video Kind = iota // an H.264 access unit
	Audio             // one AAC frame (1024 samples), raw, without an ADTS header
)

// Packet is one access unit of the stream. Timestamps run on from the
// start of the stream, continuous across everything the caller splices
// together; each connection shifts them so that it starts near zero.
type Packet struct {
	Kind Kind
	PTS  time.Duration
	DTS  time.Duration // video only; equal to PTS without B-frames
	Key  bool          // video: an IDR access unit, where a connection may start
	// Data is the access unit's NAL units without start codes (video), or
	// one raw AAC frame as a single element (audio).
	Data [][]byte
	// Codecs, when set, changes the stream's codec configuration from
	// this packet on (a segment encoded with other parameters): every
	// connection sends new sequence headers before it. The first packet
	// need not carry it: Run's codecs apply from the start.
	Codecs *Codecs
}

// Codecs is what a connection sends before any media: the H.264
// parameter sets and the AAC AudioSpecificConfig.
type Codecs struct {
	SPS, PPS    []byte
	AudioConfig []byte // AudioSpecificConfig, e.g. 0x11 0x90 for AAC-LC 48 kHz stereo
}

// Target is one destination.
type Target struct {
	// URL is the server URL as the user gave it: rtmp:// or rtmps://,
	// with the application path, and maybe userinfo and a query string
	// (rtmp://user:pass@host/app?token=x). The key is not in it.
	URL string
	// Key is the stream key, published as the stream name; may be empty.
	Key string
	// Name is the destination as people may see it: URL with the key,
	// userinfo and query values hidden (see Redact).
	Name string
	// TLS verifies rtmps:// servers: nil means the system roots. Never
	// InsecureSkipVerify.
	TLS *tls.Config
}

// Options tune a Publisher; the zero value is what a 24/7 stream wants.
type Options struct {
	// Retries ends a destination after this many failed connections in a
	// row (network errors); 0 means never: network errors never end a
	// destination by themselves.
	Retries int
	// RejectLimit ends a destination after this many refusals in a row by
	// the server (connect _error, publish onStatus level error); 0 means 3.
	RejectLimit int
	// Stall is how long a connection may go without the server taking any
	// of what was sent (TCP acknowledgements, or a write that blocks)
	// before it is dropped and made again; 0 means 10 s.
	Stall time.Duration
	// Status is called on every change of a destination's state, and
	// about once a second with its figures while it is on air. It must
	// not block for long: it is called from the destinations' goroutines,
	// one call at a time.
	Status func(Status)
}

// State is where one destination stands.
type State int

const (
	Connecting   State = iota // dialling, handshake, connect, publish
	OnAir                     // publishing: media is reaching the server
	Reconnecting              // waiting NextTry before the next attempt
	Failed                    // given up: rejected key or retries used up
	Stopped                   // the stream was stopped
)

// Status is one destination's state and figures.
type Status struct {
	Dest       int    // index into the targets
	Name       string // Target.Name
	State      State
	Attempt    int           // connection attempt, from 1
	NextTry    time.Duration // Reconnecting: the wait before the next attempt
	Uptime     time.Duration // OnAir: how long this connection has been on air
	Bitrate    int           // OnAir: bits per second over the last few seconds, from this connection's own byte count
	Sent       int64         // bytes this destination has sent, over all its connections
	Reconnects int           // reconnects of this destination so far
	Err        error         // Reconnecting, Failed: why, worded for a person, secrets hidden
}

// ErrRejected says a server refused the stream: a connect _error or a
// publish onStatus with level "error" (NetStream.Publish.BadName, an auth
// failure), RejectLimit times in a row.
var ErrRejected = errors.New("the server rejected the stream key")

// The rest of the contract is implemented: New, Run and EverOnAir in
// publish.go, Address and Redactor in address.go, TLSConfig in tls.go.
