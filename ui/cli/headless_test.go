//go:build linux

package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The headless build must do everything the commands do in the default
// build: this runs this package's tests of the binary again, in a child
// test process, against the headless binary. The tests that call Run in
// this process do not depend on the build, and run once.
func TestHeadlessBinaryPassesTheseTests(t *testing.T) {
	if os.Getenv(headlessEnv) == "1" {
		t.Skip("this is the headless run")
	}
	tests := binaryTests(t)
	t.Logf("again against the headless binary: %s", strings.Join(tests, " "))
	args := []string{"-test.count=1", "-test.run=^(" + strings.Join(tests, "|") + ")$"}
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

// binaryTests names this package's tests that run the stillcast binary:
// those that call stillcastBinary, or a helper of this package that does.
func binaryTests(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset, funcs := token.NewFileSet(), map[string]*ast.FuncDecl{}
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil {
				funcs[fn.Name.Name] = fn
			}
		}
	}
	runsBinary := map[string]bool{"stillcastBinary": true}
	for grew := true; grew; { // until no more helpers are found to reach it
		grew = false
		for name, fn := range funcs {
			if !runsBinary[name] && callsAny(fn, runsBinary) {
				runsBinary[name], grew = true, true
			}
		}
	}
	var tests []string
	for name := range runsBinary {
		if strings.HasPrefix(name, "Test") && name != "TestBinaryIsTheHeadlessBuild" {
			tests = append(tests, name)
		}
	}
	if len(tests) < 5 {
		t.Fatalf("found only %v running the binary", tests)
	}
	return append(tests, "TestBinaryIsTheHeadlessBuild")
}

// callsAny reports whether fn calls a function named in names.
func callsAny(fn *ast.FuncDecl, names map[string]bool) bool {
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && names[id.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}
