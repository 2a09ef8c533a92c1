package publish

import "syscall"

// connRefused is how Windows says a connection was refused
// (WSAECONNREFUSED), which syscall.ECONNREFUSED does not match there.
var connRefused error = syscall.Errno(10061)
