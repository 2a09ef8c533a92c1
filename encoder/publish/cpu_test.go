//go:build linux

package publish

import (
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
// /proc/self/stat (utime+stime, in clock ticks) and getrusage. The feeder
// goroutine is counted too. A figure, not an assertion:
//
//	go test -run '^$' -bench RunCPU -benchtime 1x ./encoder/publish/
func BenchmarkRunCPU(b *testing.B) {
	m := makeMedia(b, "1920x1080", "2500k", 10)
	s := rtmptest.Start(b, rtmptest.Options{})
	for range b.N {
		r := start(b, m, []Target{target(s, "live", "cpu")}, Options{})
		r.log.wait(b, 0, time.Time{}, 15*time.Second, func(s Status) bool { return s.State == OnAir && s.Uptime >= 3*time.Second })
		ticks0, ru0, t0 := procTicks(b), rusage(b), time.Now()
		time.Sleep(cpuSpan)
		ticks1, ru1, wall := procTicks(b), rusage(b), time.Since(t0)
		st, _ := r.log.last(0)
		if err := r.end(b); err != nil {
			b.Fatal(err)
		}
		const hz = 100 // USER_HZ on Linux
		statPct := float64(ticks1-ticks0) / hz / wall.Seconds() * 100
		rusagePct := (ru1 - ru0).Seconds() / wall.Seconds() * 100
		b.ReportMetric(statPct, "%core(stat)")
		b.ReportMetric(rusagePct, "%core(rusage)")
		b.Logf("%.0f s at %d kbit/s: %.3f %% of a core by /proc/self/stat (%d ticks), %.3f %% by getrusage",
			wall.Seconds(), st.Bitrate/1000, statPct, ticks1-ticks0, rusagePct)
	}
}

// procTicks is this process's utime+stime from /proc/self/stat.
func procTicks(t testing.TB) int64 {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		t.Skip("no /proc/self/stat here")
	}
	// Fields after the command name, which is in parentheses: utime and
	// stime are fields 14 and 15 of the line, 12 and 13 after ")".
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return u + s
}

// rusage is this process's user and system time, to the microsecond.
func rusage(t testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Skip(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
