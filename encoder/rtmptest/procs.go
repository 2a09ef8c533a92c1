package rtmptest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Process is a process seen in /proc.
type Process struct {
	PID     int
	Cmdline []string
}

func (p Process) String() string { return fmt.Sprintf("%d: %s", p.PID, strings.Join(p.Cmdline, " ")) }

// ProcessesMentioning lists the processes, other than this one, whose
// command line contains mark: a port, a temporary folder. Where there is
// no /proc it lists nothing.
func ProcessesMentioning(mark string) []Process {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	self := os.Getpid()
	var out []Process
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !strings.Contains(string(b), mark) {
			continue // gone meanwhile, or not ours
		}
		out = append(out, Process{PID: pid, Cmdline: strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")})
	}
	return out
}

// WaitNoProcessesMentioning polls until no process mentions mark, and
// returns those still there after limit.
func WaitNoProcessesMentioning(mark string, limit time.Duration) []Process {
	deadline := time.Now().Add(limit)
	for {
		left := ProcessesMentioning(mark)
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(50 * time.Millisecond)
	}
}
