package diagnosis

import (
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

func f64p(v float64) *float64 { return &v }

// leadsDeep runs leadChecks for one code over one analytics row and
// follow-up counts, and returns the causes and the evidence.
func leadsDeep(code string, an instantly.CampaignAnalytics, d *instantly.Diagnostics) (causes, evidence []string) {
	g := &gather{kind: "campaign", anOK: true, analytic: &an, now: time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)}
	x := &deep{a: &Analysis{}, g: g, code: code}
	x.leadChecks(d)
	return x.causes, x.evidence
}

func TestLeadChecksValues(t *testing.T) {
	fw := func(count, wait float64) *instantly.Diagnostics {
		return &instantly.Diagnostics{FollowUpsWaiting: &instantly.FollowUpsWaiting{Count: f64p(count), EarliestWaitTimeSeconds: f64p(wait)}}
	}
	done := instantly.CampaignAnalytics{LeadsCount: 4, ContactedCount: 4, CompletedCount: 2, BouncedCount: 1, UnsubscribedCount: 1}
	cases := []struct {
		name     string
		code     string
		an       instantly.CampaignAnalytics
		d        *instantly.Diagnostics
		causes   []string
		evidence []string
	}{
		// 614:14 Total > 0 at its edge, 620:21 Total == 0.
		{"no leads", instantly.StatusWaitingForLeads, instantly.CampaignAnalytics{}, nil,
			[]string{"the campaign has no leads: add leads"}, nil},
		{"none ready", instantly.StatusWaitingForLeads, instantly.CampaignAnalytics{LeadsCount: 5}, nil,
			[]string{"5 leads are not yet contacted but none is ready: check they are not blocked (block list, risky or invalid addresses) or held by the new-lead limit"}, nil},
		// 608:7, 616:10, 616:38, 617:89: the follow-up wait, exactly.
		{"all contacted, follow-ups due in 90 s", instantly.StatusWaitingForLeads, done, fw(3, 5400),
			[]string{"all 4 leads were contacted (2 completed, 1 bounced, 1 unsubscribed): add leads or wait 1 h 30 min for 3 follow-ups"}, nil},
		{"no follow-ups waiting", instantly.StatusWaitingForLeads, done, fw(0, 5400),
			[]string{"all 4 leads were contacted (2 completed, 1 bounced, 1 unsubscribed): add leads"}, nil},
		{"follow-ups with no wait", instantly.StatusWaitingForLeads, done, fw(3, 0),
			[]string{"all 4 leads were contacted (2 completed, 1 bounced, 1 unsubscribed): add leads"}, nil},
		// 630:24 NotYetContacted > 0 at its edge.
		{"new-lead limit, none left", instantly.StatusNewLeadLimitMet, done, nil, nil, nil},
		{"new-lead limit, one left", instantly.StatusNewLeadLimitMet, instantly.CampaignAnalytics{LeadsCount: 4, ContactedCount: 3}, nil,
			nil, []string{"1 leads not yet contacted wait for the next day's new-lead quota"}},
		// 634:25 EmailsSentCount > 0 at its edge.
		{"bounce protect, nothing sent", instantly.StatusCampaignBounceProtect, instantly.CampaignAnalytics{BouncedCount: 0}, nil, nil, nil},
		{"bounce protect", instantly.StatusCampaignBounceProtect, instantly.CampaignAnalytics{EmailsSentCount: 200, BouncedCount: 9}, nil,
			[]string{"9 of 200 emails bounced (4.5%); Instantly does not document the bounce-protect threshold"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, e := leadsDeep(tc.code, tc.an, tc.d)
			if strings.Join(c, "\n") != strings.Join(tc.causes, "\n") {
				t.Errorf("causes:\n got %q\nwant %q", c, tc.causes)
			}
			if strings.Join(e, "\n") != strings.Join(tc.evidence, "\n") {
				t.Errorf("evidence:\n got %q\nwant %q", e, tc.evidence)
			}
		})
	}
}

func TestWhenTextNowEdge(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	// 326:24: exactly one minute ahead still reads "now".
	if got, want := whenText(now.Add(time.Minute), "UTC", now), "Wed 15:01 UTC (15:01 UTC), now"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := whenText(now.Add(time.Minute+time.Second), "UTC", now), "Wed 15:01 UTC (15:01 UTC), in 1 min"; got != want {
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
		// 519:41: a daily limit of 0 is no limit reached.
		{"zero limit", instantly.Account{Email: "a@x.io", DailyLimit: f64p(0)}, 0, "", ""},
		{"at limit", instantly.Account{Email: "A@x.io", DailyLimit: f64p(30)}, 30, "at its daily limit", "30 of 30 sent today, UTC day"},
		// 522:55: slow ramp with nothing sent today holds nothing.
		{"slow ramp, none sent", instantly.Account{Email: "a@x.io", DailyLimit: f64p(30), EnableSlowRamp: &on}, 0, "", ""},
		{"slow ramp, one sent", instantly.Account{Email: "a@x.io", DailyLimit: f64p(30), EnableSlowRamp: &on}, 1, "held by slow ramp",
			"1 sent today, below its daily limit 30: Campaign Slow Ramp (on) caps it for now"},
	}
	for _, tc := range cases {
		p, d := limitProblem(&tc.acc, map[string]float64{"a@x.io": tc.sent}, true)
		if p != tc.problem || d != tc.det {
			t.Errorf("%s: got %q, %q; want %q, %q", tc.name, p, d, tc.problem, tc.det)
		}
	}
}

func TestCountErrorsValues(t *testing.T) {
	// 540:5: each error-like problem counts one.
	b := []BlockingAccount{{Problem: "connection error"}, {Problem: "at its daily limit"}, {Problem: "suspended"}, {Problem: "banned"}}
	if got := countErrors(b); got != 3 {
		t.Errorf("countErrors = %d, want 3", got)
	}
}
