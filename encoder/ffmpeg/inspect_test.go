//go:build unix

package ffmpeg

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// inspectFakes writes shell scripts that answer -version the ways the
// tests need, all before any of them runs (a script written while another
// test forks could not be executed: ETXTBSY). Each logs its arguments, one
// run a line, to NAME.log.
func inspectFakes(t *testing.T) (dir string) {
	t.Helper()
	dir = t.TempDir()
	modern := testdata(t, "version-debian-5.1.txt")
	old := testdata(t, "version-4.0.2.txt")
	scripts := map[string]string{
		"modern": "cat <<'EOF'\n" + modern + "EOF\n",
		// ffmpeg before 4.4 checks every option before it acts on -version.
		"old": `case " $* " in *" -stats_period "*)
	echo "Unrecognized option 'stats_period'." >&2
	echo "Error splitting the argument list: Option not found" >&2
	exit 1 ;;
esac
cat <<'EOF'
` + old + "EOF\n",
		"fails":      "echo 'noise' >&2\necho 'Something specific failed' >&2\nexit 1\n",
		"not-ffmpeg": "echo 'usage: frobnicate [options]'\n",
		// Ignores SIGINT and SIGTERM, and leaves a child that holds stdout.
		"hangs": `trap '' INT TERM
echo $$ >"$0.pids"
sleep 30 &
echo $! >>"$0.pids"
wait
`,
	}
	for name, body := range scripts {
		path := filepath.Join(dir, name)
		script := "#!/bin/sh\necho \"$*\" >>\"$0.log\"\n" + body
		if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runs lists the argument lists a fake was run with.
func runs(t *testing.T, fake string) []string {
	t.Helper()
	b, err := os.ReadFile(fake + ".log")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

func TestInspect(t *testing.T) {
	dir := inspectFakes(t)

	t.Run("modern: one start", func(t *testing.T) {
		fake := filepath.Join(dir, "modern")
		b, err := Inspect(context.Background(), fake)
		if err != nil {
			t.Fatal(err)
		}
		if !b.StatsPeriod || !b.Libx264 || b.Release != (Release{5, 1}) || b.Version != "5.1.9-0+deb12u1" {
			t.Errorf("Inspect = %+v", b)
		}
		if r := runs(t, fake); len(r) != 1 || r[0] != "-hide_banner -stats_period 0.5 -version" {
			t.Errorf("runs %q, want one with the feature test", r)
		}
	})

	t.Run("before 4.4: two starts", func(t *testing.T) {
		fake := filepath.Join(dir, "old")
		b, err := Inspect(context.Background(), fake)
		if err != nil {
			t.Fatal(err)
		}
		if b.StatsPeriod || b.Release != (Release{4, 0}) || b.Version != "4.0.2" {
			t.Errorf("Inspect = %+v", b)
		}
		if r := runs(t, fake); len(r) != 2 || r[1] != "-hide_banner -version" {
			t.Errorf("runs %q, want the feature test, then -version alone", r)
		}
	})

	for _, name := range []string{"fails", "not-ffmpeg"} {
		t.Run(name, func(t *testing.T) {
			fake := filepath.Join(dir, name)
			b, err := Inspect(context.Background(), fake)
			if !errors.Is(err, ErrUninspectable) || !strings.Contains(err.Error(), fake) {
				t.Fatalf("Inspect = %+v, %v; want ErrUninspectable naming the program", b, err)
			}
			if name == "fails" && !strings.Contains(err.Error(), "Something specific failed") {
				t.Errorf("error %q lacks the program's last line", err)
			}
			if r := runs(t, fake); len(r) != 1 {
				t.Errorf("runs %q, want one: a failure that is not the feature test's is not retried", r)
			}
		})
	}

	t.Run("hangs: killed with its child after the timeout", func(t *testing.T) {
		fake := filepath.Join(dir, "hangs")
		began := time.Now()
		_, err := Inspect(context.Background(), fake)
		took := time.Since(began)
		if !errors.Is(err, ErrUninspectable) || !strings.Contains(err.Error(), "no answer within") {
			t.Errorf("Inspect = %v, want ErrUninspectable for no answer", err)
		}
		if took < InspectTimeout || took > InspectTimeout+3*time.Second {
			t.Errorf("Inspect took %v, want about %v", took, InspectTimeout)
		}
		checkGone(t, fake+".pids")
	})

	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := Inspect(ctx, filepath.Join(dir, "modern")); !errors.Is(err, ErrCancelled) {
			t.Errorf("Inspect = %v, want ErrCancelled", err)
		}
	})
}

// checkGone fails unless every process whose id is listed in path has
// ended: gone, or a zombie that a parent other than this test owns.
func checkGone(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range strings.Fields(string(b)) {
		pid, _ := strconv.Atoi(f)
		deadline := time.Now().Add(2 * time.Second)
		for {
			stat, err := os.ReadFile("/proc/" + f + "/stat")
			if err != nil || pid <= 0 || isZombie(string(stat)) {
				break
			}
			if time.Now().After(deadline) {
				t.Errorf("process %d still runs: %s", pid, stat)
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// isZombie reads the state in a /proc/PID/stat line.
func isZombie(stat string) bool {
	end := strings.LastIndexByte(stat, ')')
	return end > 0 && strings.HasPrefix(strings.TrimSpace(stat[end+1:]), "Z")
}
