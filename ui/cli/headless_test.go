//go:build linux

package cli

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The headless build must do everything the commands do in the default
// build: this runs this package's tests again, in a child test process,
// against the headless binary.
func TestHeadlessBinaryPassesTheseTests(t *testing.T) {
	if os.Getenv(headlessEnv) == "1" {
		t.Skip("this is the headless run")
	}
	args := []string{"-test.count=1"}
	if d, ok := t.Deadline(); ok {
		args = append(args, "-test.timeout="+time.Until(d).Round(time.Second).String())
	}
	if testing.Short() {
		args = append(args, "-test.short")
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), headlessEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("against the headless binary: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "PASS") {
		t.Fatalf("the headless run passed nothing:\n%s", out)
	}
}

// In the headless run, the binary under test is the headless one.
func TestBinaryIsTheHeadlessBuild(t *testing.T) {
	if os.Getenv(headlessEnv) != "1" {
		t.Skip("only in the headless run")
	}
	cmd := exec.Command(stillcastBinary(t))
	out, _ := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != ExitUsage || !strings.Contains(string(out), "this build has no window") {
		t.Fatalf("exit %d: %s", code, out)
	}
}
