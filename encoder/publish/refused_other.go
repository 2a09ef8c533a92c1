//go:build !windows

package publish

import "syscall"

// connRefused is syscall.ECONNREFUSED; Windows has its own (see
// refused_windows.go).
var connRefused error = syscall.ECONNREFUSED
