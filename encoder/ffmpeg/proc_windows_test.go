//go:build windows

package ffmpeg

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// helperEnv makes this test binary play a part in TestJobObjectKillsChild.
const helperEnv = "STILLCAST_TEST_JOB_HELPER"

// TestJobObjectKillsChild starts a parent that starts a child with
// startInGroup, as Stillcast starts ffmpeg, then kills the parent the
// hard way (TerminateProcess, as the Task Manager does): the Job Object
// must take the child with it within 2 s.
func TestJobObjectKillsChild(t *testing.T) {
	parent := exec.Command(os.Args[0], "-test.run=^TestJobHelper$")
	parent.Env = append(os.Environ(), helperEnv+"=parent")
	out, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	defer parent.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	pid, perr := strconv.Atoi(line[:max(len(line)-1, 0)])
	if err != nil || perr != nil {
		t.Fatalf("the parent did not say its child's pid: %q, %v", line, err)
	}
	child, err := os.FindProcess(pid) // on Windows: a handle, so Wait works on a grandchild
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	parent.Wait()
	ended := make(chan struct{})
	go func() {
		child.Wait()
		close(ended)
	}()
	select {
	case <-ended:
	case <-time.After(2 * time.Second):
		child.Kill()
		t.Fatal("the child outlived its killed parent by 2 s: the Job Object did not end it")
	}
}

// TestJobHelper is the parent and the child of TestJobObjectKillsChild,
// and nothing when run as a test.
func TestJobHelper(t *testing.T) {
	switch os.Getenv(helperEnv) {
	case "parent":
		child := exec.Command(os.Args[0], "-test.run=^TestJobHelper$")
		child.Env = append(os.Environ(), helperEnv+"=child")
		if _, err := startInGroup(child); err != nil {
			t.Fatal(err)
		}
		os.Stdout.WriteString(strconv.Itoa(child.Process.Pid) + "\n")
		time.Sleep(time.Minute) // until killed
	case "child":
		time.Sleep(time.Minute)
	}
}
