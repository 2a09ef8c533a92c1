//go:build unix

package ffmpeg

import (
	"os/exec"
	"syscall"
)

// startInGroup puts ffmpeg in a process group of its own, so a Ctrl-C in
// the terminal reaches Stillcast alone, and Stillcast decides how ffmpeg
// stops: SIGINT to the whole group, SIGKILL if it lingers. A group needs
// nothing released once ffmpeg has been reaped.
func startInGroup(cmd *exec.Cmd) (release func(), err error) {
	cmd.SysProcAttr = groupAttr()
	return func() {}, cmd.Start()
}

func interruptGroup(cmd *exec.Cmd) error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT) }
func killGroup(cmd *exec.Cmd) error      { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
