package diagnosis

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// num prints a documented "number" the way a person reads a count: 12, not
// 12.000000; a fractional value is printed as is, in its shortest form
// (3600.5).
func num(f float64) string {
	if f == float64(int64(f)) {
		return thousands(strconv.FormatInt(int64(f), 10))
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// thousands groups the digits of an integer by three: 1,700.
func thousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// plural picks the singular or plural noun for n.
func plural(n float64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// humanDuration turns a duration into "45 s", "12 min", "3 h 20 min", "2 d 4 h":
// precise enough for a person deciding whether to wait, short enough for a
// headline.
func humanDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 24*time.Hour:
		return twoUnits(int(d.Hours()), "h", int(d.Minutes())%60, "min")
	default:
		return twoUnits(int(d.Hours())/24, "d", int(d.Hours())%24, "h")
	}
}

// twoUnits is "3 h 20 min", or "3 h" when the smaller unit is 0.
func twoUnits(n int, unit string, m int, small string) string {
	if m == 0 {
		return fmt.Sprintf("%d %s", n, unit)
	}
	return fmt.Sprintf("%d %s %d %s", n, unit, m, small)
}

// parseTime reads Instantly's ISO timestamps (RFC 3339 with or without
// fractional seconds). ok is false for anything else, which callers then show
// verbatim instead of guessing.
func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// ago describes a timestamp relative to now: "26 h ago", or "in 5 min" for a
// timestamp in the future (clock skew), or the raw text when it is not a time.
func ago(ts string, now time.Time) string {
	t, ok := parseTime(ts)
	if !ok {
		return ts
	}
	d := now.Sub(t)
	if d < 0 {
		return "in " + humanDuration(-d)
	}
	if d < time.Minute {
		return "just now"
	}
	return humanDuration(d) + " ago"
}

// Num is num for the adapters' messages.
func Num(f float64) string { return num(f) }
