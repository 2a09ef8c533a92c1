//go:build linux

package rtmptest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// pause stops nginx's processes with SIGSTOP: the one whose pid is in the
// pid file, which must be the one started, and then its children. The
// parent is stopped first, so that it cannot start a child meanwhile.
func (d *daemon) pause() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cmd == nil {
		return errors.New("it is not running")
	}
	b, err := os.ReadFile(filepath.Join(d.dir, "nginx.pid"))
	if err != nil {
		return err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid != d.cmd.Process.Pid {
		return fmt.Errorf("the pid file says %q, the process started is %d", b, d.cmd.Process.Pid)
	}
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		return fmt.Errorf("SIGSTOP %d: %w", pid, err)
	}
	d.paused = append(d.paused, pid)
	for _, child := range childrenOf(pid) {
		if err := syscall.Kill(child, syscall.SIGSTOP); err != nil && !errors.Is(err, syscall.ESRCH) {
			return fmt.Errorf("SIGSTOP %d, a child of %d: %w", child, pid, err)
		}
		d.paused = append(d.paused, child)
	}
	return nil
}

// resume continues what pause stopped with SIGCONT.
func (d *daemon) resume() error {
	d.mu.Lock()
	paused := d.paused
	d.paused = nil
	d.mu.Unlock()
	var errs []error
	for _, pid := range paused {
		if err := syscall.Kill(pid, syscall.SIGCONT); err != nil && !errors.Is(err, syscall.ESRCH) {
			errs = append(errs, fmt.Errorf("SIGCONT %d: %w", pid, err))
		}
	}
	return errors.Join(errs...)
}

// childrenOf lists the processes whose parent is pid, from /proc.
func childrenOf(pid int) []int {
	ents, _ := os.ReadDir("/proc")
	var kids []int
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if _, ppid, err := procStat(p); err == nil && ppid == pid {
			kids = append(kids, p)
		}
	}
	return kids
}

// procStat reads the state ('R', 'S', 'T' when stopped...) and the parent
// of process pid from /proc/PID/stat.
func procStat(pid int) (state byte, ppid int, err error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, 0, err
	}
	// "pid (comm) state ppid ...": comm may hold spaces and parentheses.
	fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(fields) < 2 || len(fields[0]) != 1 {
		return 0, 0, fmt.Errorf("/proc/%d/stat: unexpected %q", pid, b)
	}
	ppid, err = strconv.Atoi(fields[1])
	return fields[0][0], ppid, err
}
