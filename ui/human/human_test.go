package human

import (
	"testing"
	"time"
)

func TestClock(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0:00", 4 * time.Second: "0:04", 59600 * time.Millisecond: "1:00", 90 * time.Second: "1:30",
		754 * time.Second: "12:34", 3723 * time.Second: "1:02:03",
	} {
		if got := Clock(d); got != want {
			t.Errorf("Clock(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 bytes", 999: "999 bytes", 1_234: "1.2 kB", 5_600_000: "5.6 MB", 7_100_000_000: "7.1 GB", 3_000_000_000_000: "3.0 TB",
	} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}
