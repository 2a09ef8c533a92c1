//go:build linux

package rtmptest

import (
	"fmt"
	"syscall"
)

// reservePort binds a TCP socket to a port of 127.0.0.1 chosen by the
// kernel and never listens on it. A connection to the port is refused, as
// by a server that is down, and nobody can bind the port while the
// socket is open: the socket has no SO_REUSEADDR, so a bind by anyone,
// nginx's included, conflicts with it, and the kernel never hands the
// port to an outgoing connection either. release closes the socket.
func reservePort() (port int, release func(), err error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, nil, err
	}
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		syscall.Close(fd)
		return 0, nil, err
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		syscall.Close(fd)
		return 0, nil, err
	}
	in4, ok := sa.(*syscall.SockaddrInet4)
	if !ok || in4.Port == 0 {
		syscall.Close(fd)
		return 0, nil, fmt.Errorf("the kernel bound the socket to %v", sa)
	}
	return in4.Port, func() { syscall.Close(fd) }, nil
}
