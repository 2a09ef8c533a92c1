//go:build linux

package ffmpeg

import "syscall"

// groupAttr also asks Linux to kill ffmpeg if Stillcast itself dies
// without the chance to clean up.
func groupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
