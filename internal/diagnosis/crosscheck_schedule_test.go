package diagnosis

import (
	"strings"
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

// A sender waiting only for its gap sends within that gap when the
// schedule is open; when the schedule opens only after midnight UTC,
// every sender can send then, and the answer says that instead.
func TestResumeOfAGapSender(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC) // Wed
	cs := func(from, to string) instantly.CampaignSchedule {
		return instantly.CampaignSchedule{Schedules: []instantly.Schedule{{Name: "S", Timing: instantly.ScheduleTiming{From: from, To: to},
			Days: map[string]bool{"0": true, "1": true, "2": true, "3": true, "4": true, "5": true, "6": true}, Timezone: "Etc/GMT+12"}}}
	}
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"open now", "00:00", "23:59", "it can send again within 21 min, when a@x.io's 30-minute gap"},
		{"opens after the reset", "20:00", "22:00", "it sends again Wed 20:00 Etc/GMT+12 (Thu 08:00 UTC), in 17 h: account limits reset at midnight UTC"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := instantly.StatusAccountDailyLimitMet
			g := &gather{kind: "campaign", id: "c", now: now, budget: newBudget(0), pool: newSenderPool(),
				campaign: &instantly.CampaignDetails{CampaignSchedule: cs(tc.from, tc.to)}}
			x := &deep{a: &Analysis{}, g: g, code: code, d: &instantly.Diagnostics{Status: &code},
				gapWait: &gapSender{email: "a@x.io", gap: 30, ready: now.Add(20 * time.Minute)}}
			x.scheduleChecks()
			if !strings.HasPrefix(x.resume, tc.want) {
				t.Errorf("resume %q, want %q", x.resume, tc.want)
			}
		})
	}
}
