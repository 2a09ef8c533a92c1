//go:build linux

package ffmpeg

import "syscall"

// groupAttr also asks Linux to kill ffmpeg if Stillcast itself dies
// without the chance to clean up (SIGKILL, a crash, the OOM killer).
//
// Pdeathsig fires when the OS thread that forked the child exits, not
// the process (go.dev/issue/27505). That is right here because:
//   - Too early cannot happen as long as no goroutine exits while locked
//     to its thread: the Go runtime ends an OS thread only then, and any
//     thread, the forking one included, may later carry a goroutine that
//     calls runtime.LockOSThread. Stillcast's locks are the main goroutine
//     (Fyne's GLFW driver and systray lock it in init; it lives as long as
//     the process) and ui's native dialogs, which unlock again. Idle
//     threads are parked, never ended.
//   - Too late cannot happen: when the process dies every thread exits
//     with it, the forking one too, and the kernel signals at once.
//   - A death between fork and the child's prctl is caught by the
//     syscall package, which compares getppid with the parent it forked
//     from and exits the child when they differ.
//
// ui/cli's TestSIGKILLDuringLiveEndsFFmpeg checks it: after SIGKILL a
// stream's ffmpeg, which reads no pipe of Stillcast's on the fast path
// and would stream on, is gone within 2 s.
func groupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
