package diagnosis

import (
	"testing"
	"time"
)

// Every unit, every boundary, both sides of it: "3 h 1200 min" or "1 d 24 h"
// must be impossible.
func TestHumanDuration(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want string
	}{
		{0, "0 s"},
		{999 * time.Millisecond, "0 s"},
		{time.Second, "1 s"},
		{59*time.Second + 999*time.Millisecond, "59 s"},
		{time.Minute, "1 min"},
		{90 * time.Second, "1 min"},
		{12 * time.Minute, "12 min"},
		{59*time.Minute + 59*time.Second, "59 min"},
		{time.Hour, "1 h"},
		{time.Hour + 59*time.Second, "1 h"},
		{time.Hour + time.Minute, "1 h 1 min"},
		{3*time.Hour + 20*time.Minute, "3 h 20 min"},
		{3*time.Hour + 20*time.Minute + 59*time.Second, "3 h 20 min"},
		{23*time.Hour + 59*time.Minute, "23 h 59 min"},
		{24 * time.Hour, "1 d"},
		{24*time.Hour + 59*time.Minute, "1 d"},
		{25 * time.Hour, "1 d 1 h"},
		{52 * time.Hour, "2 d 4 h"},
		{47*time.Hour + 59*time.Minute, "1 d 23 h"},
		{48 * time.Hour, "2 d"},
		{400 * 24 * time.Hour, "400 d"},
		{-90 * time.Minute, "1 h 30 min"}, // the sign is the caller's ("in", "ago")
		{-30 * time.Second, "30 s"},
	}
	for _, c := range cases {
		if got := humanDuration(c.d); got != c.want {
			t.Errorf("humanDuration(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

func TestAgo(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	cases := []struct{ ts, want string }{
		{"2026-11-30T12:00:00Z", "just now"},
		{"2026-11-30T11:59:01Z", "just now"},
		{"2026-11-30T11:59:00Z", "1 min ago"},
		{"2026-11-30T11:59:00.5Z", "just now"},
		{"2026-11-30T08:40:00.000Z", "3 h 20 min ago"},
		{"2026-11-28T08:00:00+00:00", "2 d 4 h ago"},
		{"2026-11-30T13:00:00+01:00", "just now"}, // same instant, another zone
		{"2026-11-30T12:05:00Z", "in 5 min"},
		{"2026-11-30T12:00:30Z", "in 30 s"},
		{"yesterday", "yesterday"},
		{"", ""},
	}
	for _, c := range cases {
		if got := ago(c.ts, now); got != c.want {
			t.Errorf("ago(%q) = %q, want %q", c.ts, got, c.want)
		}
	}
}

func TestNumAndPlural(t *testing.T) {
	for f, want := range map[float64]string{0: "0", 12: "12", -3: "-3", 1.5: "1.5", 0.25: "0.25", 1e6: "1,000,000", 1700: "1,700", -1234: "-1,234"} {
		if got := num(f); got != want {
			t.Errorf("num(%v) = %q, want %q", f, got, want)
		}
	}
	for n, want := range map[float64]string{0: "campaigns", 1: "campaign", 2: "campaigns", 0.5: "campaigns", -1: "campaigns"} {
		if got := plural(n, "campaign", "campaigns"); got != want {
			t.Errorf("plural(%v) = %q, want %q", n, got, want)
		}
	}
}
