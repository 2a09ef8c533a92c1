//go:build linux

package rtmptest

import "syscall"

// sysProcAttr makes Linux kill nginx if the test process dies without
// the chance to stop it.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
