//go:build linux

package ffmpeg

import "golang.org/x/sys/unix"

// growPipe asks Linux for a 1 MiB FIFO buffer instead of the 64 KiB
// default, so a frame crosses in fewer wake-ups.
func growPipe(fd int) { _, _ = unix.FcntlInt(uintptr(fd), unix.F_SETPIPE_SZ, 1<<20) }
