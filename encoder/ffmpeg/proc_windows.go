//go:build windows

package ffmpeg

import (
	"fmt"
	"os/exec"
	"unsafe"

	"golang.org/x/sys/windows"
)

// startInGroup starts ffmpeg in a Job Object that kills it when the job's
// last handle closes. Stillcast holds that handle until ffmpeg has been
// reaped (release closes it), so if Stillcast dies, crashes or is killed
// in the Task Manager, Windows closes the handle and ffmpeg goes too
// instead of streaming on, or writing to an output no one will finish.
//
// ffmpeg is assigned to the job just after CreateProcess returns: a
// Stillcast killed in that moment leaves it running (on Windows a moment
// indeed; Wine returns only once the child has loaded, seconds for
// ffmpeg). Starting it suspended would not help: os/exec keeps the thread
// handle needed to resume it, and a Stillcast killed in between would
// leave ffmpeg suspended forever instead of running to its end.
func startInGroup(cmd *exec.Cmd) (release func(), err error) {
	job, err := killOnCloseJob()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		windows.CloseHandle(job)
		return nil, err
	}
	release = func() { windows.CloseHandle(job) }
	if err := assign(job, cmd.Process.Pid); err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		release()
		return nil, err
	}
	return release, nil
}

// killOnCloseJob makes a Job Object whose processes die when its last
// handle is closed.
func killOnCloseJob() (windows.Handle, error) {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return 0, fmt.Errorf("making a job object for ffmpeg: %w", err)
	}
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(job)
		return 0, fmt.Errorf("setting up the job object for ffmpeg: %w", err)
	}
	return job, nil
}

// assign puts the process pid in job.
func assign(job windows.Handle, pid int) error {
	proc, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(pid))
	if err != nil {
		return fmt.Errorf("opening ffmpeg's process: %w", err)
	}
	defer windows.CloseHandle(proc)
	if err := windows.AssignProcessToJobObject(job, proc); err != nil {
		return fmt.Errorf("putting ffmpeg in a job object: %w", err)
	}
	return nil
}

// On Windows ffmpeg has no process group to signal; a cancelled job is
// thrown away anyway, so ending the process is enough.
func interruptGroup(cmd *exec.Cmd) error { return cmd.Process.Kill() }
func killGroup(cmd *exec.Cmd) error      { return cmd.Process.Kill() }
