// Package publish sends a live stream to RTMP and RTMPS servers itself,
// with github.com/bluenviron/gortmplib: each destination on a connection
// of its own, with its own reconnect backoff, state and figures, so one
// destination dropping never disturbs another.
//
// The caller hands it H.264 access units and AAC frames that are already
// encoded and already paced by the wall clock; publish only connects,
// sends, watches and reconnects. The stream key goes from memory to the
// socket: no process's arguments or environment ever hold it.
//
// # Shape
//
// Run hands every packet to each destination's bounded queue without
// waiting (publish.go). Each destination (dest.go) has one goroutine that
// connects, streams (onair.go) and waits out its backoff, draining its
// queue all the while and keeping the packets since the latest keyframe;
// one whose queue overflows drops its connection (Run closes its socket,
// which ends a blocked write) and rejoins. A connection (conn.go) starts
// with the kept keyframe and what followed it, sent at once, so neither
// the stream's start nor a reconnect waits for the next keyframe; its
// timestamps are shifted by that keyframe's DTS, and audio from before it
// is dropped.
//
// # Reading all the time
//
// gortmplib answers the server's pings (nginx-rtmp pings every minute and
// drops a peer silent for 30 s) and sends acknowledgements inside
// Client.Read, and only there. So every connection has a goroutine that
// reads from it all the time: it also notices a close at once, and an
// onStatus of level error. gortmplib has no lock of its own although that
// reader writes too, so the reader and the media writer share a mutex;
// the reader lets go of it only while it waits for the network (see
// sharedConn).
//
// # Why a connection ended
//
// A refused key (classify.go) is the server's answer: a connect _error or
// a publish onStatus of level error. gortmplib reports both only as text
// ("bad result: …", with the reply printed by %v, which may echo the key:
// every error goes through the Redactor). nginx-rtmp answers a publish
// that its on_publish check refuses (HTTP 403) with no onStatus at all: it
// closes the connection (TestRejectedKey sees exactly that). That close is
// told from a network fault by when it comes: after our publish command
// went out, which means the server had completed the RTMP handshake and
// answered connect and createStream with _result, and before any onStatus
// or media. A network fault in that window of a few milliseconds would be
// miscounted as a refusal; it takes RejectLimit of them in a row to end a
// destination, and any network error or time on air in between starts the
// count again. Network errors (refused, reset, timeout, DNS, TLS) never end
// a destination unless Options.Retries says so.
//
// # Stalls
//
// Every write has a deadline of Options.Stall. On Linux the watchdog also
// reads TCP_INFO once a second (the bytes the server acknowledged, and
// whether anything waits unacknowledged or unsent; under TLS from the TCP
// connection beneath): no acknowledged progress for Stall while data waits
// means a reconnect, even before the socket's buffer is full. Elsewhere
// the write deadline alone notices a stall, once that buffer is full.
// Either way the kernel acknowledges what fits in the server's receive
// buffer even while the server reads nothing: after a minute on air that
// buffer may hold tens of seconds of a low-bitrate stream, and a pause of
// the server shorter than that goes unnoticed (TestFaults's 20 s SIGSTOP
// sometimes does). RTMP's own acknowledgements would not do better: the
// server chooses their window (nginx-rtmp: 5 MB).
//
// # Cost
//
// A destination wakes every flushEvery (500 ms), sends what its queue
// gathered and writes it to the socket at once: a write per packet (each
// AAC frame is an RTMP message) cost ten times as much as the packets
// themselves. On a shared two-core VM, waking a goroutine costs more than
// passing a packet on, so the caller should pace in batches too: every
// half second or so, hand over every packet whose time has come, on a channel
// with room for a batch. BenchmarkRunCPU measures it.
//
// It imports nothing of Stillcast.
package publish
