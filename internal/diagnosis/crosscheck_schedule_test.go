package diagnosis

import (
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

func f64p(v float64) *float64 { return &v }

func TestWhenTextNowEdge(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	// Exactly one minute ahead still reads "now"; the UTC time is said once.
	if got, want := whenText(now.Add(time.Minute), "UTC", now), "Wed 15:01 UTC, now"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := whenText(now.Add(time.Minute+time.Second), "UTC", now), "Wed 15:01 UTC, in 1 min"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := whenText(now.Add(3*time.Hour), "America/Chicago", now), "Wed 12:00 America/Chicago (18:00 UTC), in 3 h"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLimitProblemEdges(t *testing.T) {
	on := true
	cases := []struct {
		name         string
		acc          instantly.Account
		sent         float64
		problem, det string
	}{
		// A daily limit of 0 is no limit reached.
		{"zero limit", instantly.Account{Email: "a@x.io", DailyLimit: f64p(0)}, 0, "", ""},
		{"at limit", instantly.Account{Email: "A@x.io", DailyLimit: f64p(30)}, 30, "at its daily limit", "30 of 30 sent today, UTC day"},
		// Slow ramp with nothing sent today holds nothing.
		{"slow ramp, none sent", instantly.Account{Email: "a@x.io", DailyLimit: f64p(30), EnableSlowRamp: &on}, 0, "", ""},
		{"slow ramp, one sent", instantly.Account{Email: "a@x.io", DailyLimit: f64p(30), EnableSlowRamp: &on}, 1, "held by slow ramp",
			"1 sent today of 30: Campaign Slow Ramp (on) caps it for now"},
	}
	for _, tc := range cases {
		p, d := limitProblem(&tc.acc, map[string]float64{"a@x.io": tc.sent}, true)
		if p != tc.problem || d != tc.det {
			t.Errorf("%s: got %q, %q; want %q, %q", tc.name, p, d, tc.problem, tc.det)
		}
	}
}
