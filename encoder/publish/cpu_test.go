//go:build linux

package publish

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/rtmptest"
)

// cpuSpan is how long BenchmarkRunCPU measures.
const cpuSpan = 30 * time.Second

// BenchmarkRunCPU measures what Run costs this process: a 1080p30 still
// stream at 2.5 Mbit/s with AAC, to one nginx-rtmp, for 30 s, from
// /proc/self/stat (utime+stime, in clock ticks of 10 ms) and getrusage.
// The test's feeder (paced in batches, see pace) is measured alone first,
// for 30 s: Run's share is the difference. A figure, not an assertion:
//
//	go test -run '^$' -bench RunCPU -benchtime 1x ./encoder/publish/
func BenchmarkRunCPU(b *testing.B) {
	m := makeMedia(b, "1920x1080", "2500k", 10)
	s := rtmptest.Start(b, rtmptest.Options{})
	for range b.N {
		ctx, cancel := context.WithCancel(context.Background())
		packets := make(chan Packet, 16)
		go m.feed(ctx, packets)
		go func() {
			for range packets {
			}
		}()
		time.Sleep(3 * time.Second)
		feeder := measureCPU(b)
		cancel()

		r := start(b, m, []Target{target(s, "live", "cpu")}, Options{})
		r.log.wait(b, 0, time.Time{}, 15*time.Second, func(s Status) bool { return s.State == OnAir && s.Uptime >= 3*time.Second })
		both := measureCPU(b)
		st, _ := r.log.last(0)
		if err := r.end(b); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(both.rusage, "%core")
		b.ReportMetric(both.rusage-feeder.rusage, "%core(Run)")
		b.Logf("feeder alone: %s", feeder)
		b.Logf("feeder and Run at %d kbit/s: %s", st.Bitrate/1000, both)
		b.Logf("Run's share: %.3f %% of a core (getrusage), %.3f %% (/proc/self/stat)",
			both.rusage-feeder.rusage, both.stat-feeder.stat)
	}
}

// cpuUse is this process's CPU time over cpuSpan, in % of a core.
type cpuUse struct {
	stat, rusage float64
	user, sys    int64 // ticks
}

func (u cpuUse) String() string {
	return fmt.Sprintf("%.3f %% of a core by /proc/self/stat (%d+%d ticks of user+system time in %s), %.3f %% by getrusage",
		u.stat, u.user, u.sys, cpuSpan, u.rusage)
}

func measureCPU(t testing.TB) cpuUse {
	user0, sys0 := procTicks(t)
	ru0, t0 := rusage(t), time.Now()
	time.Sleep(cpuSpan)
	user, sys := procTicks(t)
	ru, wall := rusage(t)-ru0, time.Since(t0)
	const hz = 100 // USER_HZ on Linux
	u := cpuUse{user: user - user0, sys: sys - sys0, rusage: ru.Seconds() / wall.Seconds() * 100}
	u.stat = float64(u.user+u.sys) / hz / wall.Seconds() * 100
	return u
}

// procTicks is this process's utime and stime from /proc/self/stat.
func procTicks(t testing.TB) (user, sys int64) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		t.Skip("no /proc/self/stat here")
	}
	// Fields after the command name, which is in parentheses: utime and
	// stime are fields 14 and 15 of the line, 12 and 13 after ")".
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return u, s
}

// rusage is this process's user and system time, to the microsecond.
func rusage(t testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Skip(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
