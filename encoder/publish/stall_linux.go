//go:build linux

package publish

import (
	"net"

	"golang.org/x/sys/unix"
)

// tcpProgress reads the kernel's TCP_INFO for a connection: how many bytes
// the server has acknowledged, and whether any of what was written still
// waits (sent but not acknowledged, or not yet sent). A server that stops
// reading (a stall, a half-open connection) lets the acknowledged count
// stand while data waits; writes alone would not show it until the
// socket's buffer is full. ok is false when TCP_INFO cannot be read.
func tcpProgress(tcp *net.TCPConn) (acked uint64, waiting, ok bool) {
	if tcp == nil {
		return 0, false, false
	}
	raw, err := tcp.SyscallConn()
	if err != nil {
		return 0, false, false
	}
	var info *unix.TCPInfo
	cerr := raw.Control(func(fd uintptr) {
		info, err = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
	})
	if cerr != nil || err != nil {
		return 0, false, false
	}
	return info.Bytes_acked, info.Unacked > 0 || info.Notsent_bytes > 0, true
}
