// Package human writes durations and sizes the way people read them, the
// same in the window and on the command line. It imports nothing of
// Stillcast.
package human

import (
	"fmt"
	"time"
)

// Clock writes d as 0:04, 12:34 or 1:02:03, rounded to the second.
func Clock(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// Bytes writes n in decimal units, as file managers show sizes: 999
// bytes, 1.2 kB, 5.6 MB.
func Bytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v, suffix := float64(n)/unit, "kB"
	for _, s := range []string{"MB", "GB", "TB"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, s
	}
	return fmt.Sprintf("%.1f %s", v, suffix)
}
