package encoder

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseDuration reads a Go duration ("90s", "1h30m"), plain seconds ("90",
// "2.5") or a clock time ("1:30", "1:30:00", "0:00:02.5").
func ParseDuration(text string) (time.Duration, error) {
	t := strings.TrimSpace(text)
	bad := fmt.Errorf("%q is not a duration: use 90s, 1m30s, 1:30:00 or plain seconds", text)
	if t == "" {
		return 0, bad
	}
	if strings.Contains(t, ":") {
		parts := strings.Split(t, ":")
		if len(parts) > 3 {
			return 0, bad
		}
		var total float64
		for i, p := range parts {
			last := i == len(parts)-1
			v, err := strconv.ParseFloat(p, 64)
			if err != nil || v < 0 || (!last && strings.Contains(p, ".")) || (i > 0 && v >= 60) || p == "" {
				return 0, bad
			}
			total = total*60 + v
		}
		return secondsToDuration(total, bad)
	}
	if v, err := strconv.ParseFloat(t, 64); err == nil {
		return secondsToDuration(v, bad)
	}
	d, err := time.ParseDuration(t)
	if err != nil {
		return 0, bad
	}
	return d, nil
}

func secondsToDuration(v float64, bad error) (time.Duration, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > float64(math.MaxInt64/int64(time.Second)) {
		return 0, bad
	}
	return time.Duration(math.Round(v * float64(time.Second))), nil
}

// ParseColor reads "#RRGGBB", "RRGGBB" or "#RGB".
func ParseColor(text string) (color.RGBA, error) {
	t := strings.TrimPrefix(strings.TrimSpace(text), "#")
	if len(t) == 3 {
		t = string([]byte{t[0], t[0], t[1], t[1], t[2], t[2]})
	}
	v, err := strconv.ParseUint(t, 16, 32)
	if len(t) != 6 || err != nil {
		return color.RGBA{}, fmt.Errorf("%q is not a colour: use #RRGGBB, like #000000 for black", text)
	}
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}, nil
}

// FormatColor writes c as "#rrggbb".
func FormatColor(c color.RGBA) string {
	return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
}
