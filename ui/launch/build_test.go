//go:build linux

package launch

import (
	"bytes"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildStillcast builds the stillcast command into dir for goos/goarch,
// headless or with the window, and returns its path.
func buildStillcast(t *testing.T, dir, goos, goarch string, headless bool) string {
	t.Helper()
	bin := filepath.Join(dir, fmt.Sprintf("stillcast-%s-%s", goos, goarch))
	args := []string{"build", "-o", bin}
	env := append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch)
	if headless {
		// -trimpath as make dist builds it, so each shares the other's cache.
		args = append(args, "-tags", "headless", "-trimpath")
		env = append(env, "CGO_ENABLED=0")
	}
	cmd := exec.Command("go", append(args, "github.com/stillcast/stillcast")...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s/%s (headless %v): %v\n%s", goos, goarch, headless, err, out)
	}
	return bin
}

func TestHeadlessBuildIsStaticAndHasNoWindow(t *testing.T) {
	bin := buildStillcast(t, t.TempDir(), "linux", runtimeArch(t), true)
	out, _ := exec.Command("ldd", bin).CombinedOutput() // ldd fails on a static binary
	if !strings.Contains(string(out), "not a dynamic executable") {
		t.Errorf("ldd %s: %s, want not a dynamic executable", bin, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 || f.Section(".interp") != nil {
		t.Errorf("the headless binary links %v dynamically", libs)
	}
	deps, err := exec.Command("go", "list", "-deps", "-tags", "headless", "github.com/stillcast/stillcast").Output()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(deps, []byte("fyne.io/")) {
		t.Error("the headless build imports Fyne")
	}
	for _, args := range [][]string{nil, {"photo.png"}} {
		cmd := exec.Command(bin, args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.Run()
		if code := cmd.ProcessState.ExitCode(); code != 2 {
			t.Errorf("stillcast %v: exit %d, want 2", args, code)
		}
		if msg := stderr.String(); !strings.HasPrefix(msg, "stillcast: this build has no window; use render or live.\n") ||
			!strings.Contains(msg, "stillcast render [flags]") || stdout.Len() > 0 {
			t.Errorf("stillcast %v: stdout %q, stderr %q", args, stdout.String(), msg)
		}
	}
}

func runtimeArch(t *testing.T) string {
	out, err := exec.Command("go", "env", "GOARCH").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// The headless build is what runs on a Raspberry Pi, a Mac without the
// app bundle, or a Windows server: it must cross-compile with no C
// toolchain. Each binary is checked for its format and machine.
func TestHeadlessBuildCrossCompiles(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		goos, goarch string
		machine      func(path string) (string, error)
		want         string
	}{
		{"linux", "arm64", elfMachine, elf.EM_AARCH64.String()},
		{"windows", "amd64", peMachine, fmt.Sprint(pe.IMAGE_FILE_MACHINE_AMD64)},
		{"darwin", "arm64", machoCPU, macho.CpuArm64.String()},
		{"darwin", "amd64", machoCPU, macho.CpuAmd64.String()},
	} {
		bin := buildStillcast(t, dir, c.goos, c.goarch, true)
		if got, err := c.machine(bin); err != nil || got != c.want {
			t.Errorf("%s/%s: machine %q (%v), want %q", c.goos, c.goarch, got, err, c.want)
		}
	}
}

func elfMachine(path string) (string, error) {
	f, err := elf.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return f.Machine.String(), nil
}

func peMachine(path string) (string, error) {
	f, err := pe.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return fmt.Sprint(f.Machine), nil
}

func machoCPU(path string) (string, error) {
	f, err := macho.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return f.Cpu.String(), nil
}
