package rtmptest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// daemon is one nginx in the foreground (daemon off), run from a
// configuration in its folder, which is also its prefix: nginx.conf,
// error.log, nginx.pid and nginx.out are there. The RTMP server is one,
// the TLS terminator of StartTLS another.
type daemon struct {
	bin string
	dir string

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd has been reaped
	paused []int         // stopped by Pause, to continue
}

// errPortTaken says that nginx could not bind its port: something else
// holds it.
var errPortTaken = errors.New("the port is taken (Address already in use)")

// pickPort returns a port of 127.0.0.1 that nothing listened on a moment
// ago, for nginx to bind.
func pickPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// onFreePort calls start with free ports until one is not taken meanwhile.
// A port is free when it is picked, but nginx binds it only later:
// another process may take it in between. start notices (nginx fails
// to bind, and says so in its log) and then it is tried again with
// another port. It never mistakes the other process's listener for
// nginx: it waits for nginx's own word that it has bound the port.
func onFreePort(start func(port int) error) (port int, err error) {
	for try := 0; try < 10; try++ {
		if port, err = pickPort(); err != nil {
			return 0, err
		}
		if err = start(port); err == nil || !errors.Is(err, errPortTaken) {
			return port, err
		}
	}
	return 0, err
}

// configHead is the start of the configuration, with module loaded: one
// process in the foreground, and every file nginx writes in its folder.
// There is no http block: nothing needs one, so nginx creates no temp
// folders.
func (d *daemon) configHead(module string) string {
	return fmt.Sprintf(`load_module %s;
daemon off;
master_process off;
error_log %s info;
pid %s;
lock_file %s;
events {
	worker_connections 128;
}
`, module, filepath.Join(d.dir, "error.log"), filepath.Join(d.dir, "nginx.pid"), filepath.Join(d.dir, "nginx.lock"))
}

// pid is the nginx process, or 0 when it is stopped.
func (d *daemon) pid() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cmd == nil {
		return 0
	}
	return d.cmd.Process.Pid
}

func (d *daemon) errorLog() string {
	b, _ := os.ReadFile(filepath.Join(d.dir, "error.log"))
	return string(b)
}

// start writes conf, runs nginx and waits until it has bound addr and
// addr accepts connections. It returns errPortTaken when nginx cannot
// bind the port.
//
// A connection alone does not prove that nginx listens: whoever took the
// port would accept it too. nginx writes its pid file only after it has
// bound every listening socket, and exits instead when a bind fails, so
// the pid file is the proof. A failed bind shows in the error log at
// once; nginx would go on trying for 2.5 s before it gives up.
func (d *daemon) start(conf, addr string) error {
	confPath := filepath.Join(d.dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		return err
	}
	pidFile := filepath.Join(d.dir, "nginx.pid")
	if err := os.Remove(pidFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err // a stale one, from before a Stop, would prove nothing
	}
	logFrom := len(d.errorLog()) // what this run logs comes after
	out := filepath.Join(d.dir, "nginx.out")
	f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	// -e: the error log before the configuration is read, which would
	// otherwise be the build's default.
	cmd := exec.Command(d.bin, "-p", d.dir+"/", "-c", confPath, "-e", filepath.Join(d.dir, "error.log"))
	cmd.Dir = d.dir
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	d.mu.Lock()
	d.cmd, d.exited = cmd, exited
	d.mu.Unlock()
	return d.waitListening(addr, pidFile, out, logFrom)
}

// waitListening waits for the proof that the nginx just started listens
// on addr (see start), or for its failure.
func (d *daemon) waitListening(addr, pidFile, out string, logFrom int) error {
	d.mu.Lock()
	cmd, exited := d.cmd, d.exited
	d.mu.Unlock()
	bindFailed := fmt.Sprintf("bind() to %s failed", addr)
	bound := func() bool {
		log := d.errorLog()
		return !strings.Contains(log[min(logFrom, len(log)):], bindFailed)
	}
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-exited:
			d.mu.Lock()
			d.cmd = nil
			d.mu.Unlock()
			if !bound() {
				return fmt.Errorf("nginx on %s: %w", addr, errPortTaken)
			}
			b, _ := os.ReadFile(out)
			return fmt.Errorf("nginx exited at once: %s%s", b, d.errorLog())
		default:
		}
		if !bound() {
			d.stop()
			return fmt.Errorf("nginx on %s: %w", addr, errPortTaken)
		}
		err := errors.New("no pid file yet")
		if b, rerr := os.ReadFile(pidFile); rerr == nil && strings.TrimSpace(string(b)) == strconv.Itoa(cmd.Process.Pid) {
			var c net.Conn
			if c, err = net.DialTimeout("tcp", addr, time.Second); err == nil {
				c.Close()
				return nil
			}
		}
		if time.Now().After(deadline) {
			d.stop()
			return fmt.Errorf("nginx did not accept connections on %s within %s: %v\n%s", addr, startTimeout, err, d.errorLog())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop kills nginx with SIGKILL, which also ends a paused one, and waits
// until it is gone. Stopping a stopped nginx does nothing.
func (d *daemon) stop() error {
	d.mu.Lock()
	cmd, exited := d.cmd, d.exited
	d.cmd, d.paused = nil, nil
	d.mu.Unlock()
	if cmd == nil {
		return nil
	}
	_ = cmd.Process.Kill()
	select {
	case <-exited:
		return nil
	case <-time.After(30 * time.Second):
		return fmt.Errorf("nginx %d did not die within 30 s of SIGKILL", cmd.Process.Pid)
	}
}
