//go:build windows

package ffmpeg

import "os/exec"

// On Windows ffmpeg has no process group to signal; a cancelled job is
// thrown away anyway, so ending the process is enough.
func startInGroup(cmd *exec.Cmd) error   { return cmd.Start() }
func interruptGroup(cmd *exec.Cmd) error { return cmd.Process.Kill() }
func killGroup(cmd *exec.Cmd) error      { return cmd.Process.Kill() }
