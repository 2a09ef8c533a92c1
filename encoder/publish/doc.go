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
// It imports nothing of Stillcast.
package publish
