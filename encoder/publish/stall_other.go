//go:build !linux

package publish

import "net"

// tcpProgress has no TCP_INFO to read away from Linux: there the write
// deadline alone (Options.Stall) notices a server that stops reading,
// once the socket's send buffer is full and a write blocks.
func tcpProgress(*net.TCPConn) (acked uint64, waiting, ok bool) { return 0, false, false }
