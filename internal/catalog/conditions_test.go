package catalog

import (
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

func fp(v float64) *float64 { return &v }
func ip(v int) *int         { return &v }
func bp(v bool) *bool       { return &v }
func lp(v int64) *int64     { return &v }

// Every step of every entry declares what it needs, and the need names a
// word of its step (an edit that moves steps cannot attach a need to the
// wrong one).
func TestEveryStepDeclaresItsNeeds(t *testing.T) {
	for _, e := range Catalog() {
		ns := needs[e.Code]
		if len(ns) != len(e.Steps) {
			t.Errorf("%s: %d steps, %d needs", e.Code, len(e.Steps), len(ns))
			continue
		}
		for i, n := range ns {
			if !strings.Contains(e.Steps[i], n.word) || n.topic == "" || n.when == nil {
				t.Errorf("%s step %d: need %q/%q does not fit %q", e.Code, i, n.word, n.topic, e.Steps[i])
			}
		}
	}
	for code := range needs {
		if _, ok := Lookup(code); !ok {
			t.Errorf("needs for unknown code %s", code)
		}
	}
}

// The facts choose the steps: each case shows a step that must be there
// (with) or must not (without), at the threshold of its need.
func TestNeedsAtThresholds(t *testing.T) {
	cases := []struct {
		name          string
		code          string
		f             Facts
		with, without string
	}{
		{"add leads needs no lead left", instantly.StatusFollowUpDelayNotMet, Facts{Kind: "campaign", NotContacted: lp(500)}, "", "add new leads"},
		{"add leads with none left", instantly.StatusFollowUpDelayNotMet, Facts{Kind: "campaign", NotContacted: lp(0)}, "add new leads", ""},
		{"no add leads on a subsequence", instantly.StatusWaitingForLeads, Facts{Kind: "subsequence"}, "trigger", "Add new leads"},
		{"waiting for leads, none left", instantly.StatusWaitingForLeads, Facts{Kind: "campaign", NotContacted: lp(0)}, "Add new leads", "not blocked"},
		{"waiting for leads, some left", instantly.StatusWaitingForLeads, Facts{Kind: "campaign", NotContacted: lp(3)}, "not blocked", "Add new leads"},
		{"waiting, no delays", instantly.StatusWaitingForLeads, Facts{Kind: "campaign", FollowUpsWaiting: fp(0), DelayNotMetSkips: fp(0)}, "", "step's delay"},
		{"waiting, one delay", instantly.StatusWaitingForLeads, Facts{Kind: "campaign", FollowUpsWaiting: fp(0), DelayNotMetSkips: fp(1)}, "step's delay", ""},
		{"reconnect needs a disconnected account", instantly.StatusAccountDailyLimitMet, Facts{Disconnected: fp(0)}, "", "Reconnect"},
		{"reconnect with one", instantly.StatusAccountDailyLimitMet, Facts{Disconnected: fp(1)}, "Reconnect", ""},
		{"no accounts attached: no reconnect", instantly.StatusNoAccountsAvailable, Facts{TotalConnected: fp(0), Attached: ip(0)}, "Attach", "Reconnect"},
		{"no accounts, one connected in error", instantly.StatusNoAccountsAvailable, Facts{TotalConnected: fp(1), AccountErrors: ip(1), Attached: ip(1)}, "Reconnect", "Attach"},
		{"no tags: no tag step", instantly.StatusNoAccountsAvailable, Facts{UsesTags: bp(false)}, "", "still has accounts"},
		{"all unhealthy, errors 0", instantly.StatusAllAccountsUnhealthy, Facts{Kind: "campaign", Disconnected: fp(1), AccountErrors: ip(0)}, "", "Reconnect"},
		{"all unhealthy, errors 1", instantly.StatusAllAccountsUnhealthy, Facts{Kind: "campaign", Disconnected: fp(0), AccountErrors: ip(1)}, "Reconnect", "filter by status"},
		{"all unhealthy, one available: no resume", instantly.StatusAllAccountsUnhealthy, Facts{Kind: "campaign", Available: fp(1)}, "", "Resume"},
		{"daily limit, senders at their limits", instantly.StatusDailyLimitMet, Facts{DailyLimitHit: fp(2), Available: fp(3)}, "own limits", "raise"},
		{"daily limit, senders free", instantly.StatusDailyLimitMet, Facts{DailyLimitHit: fp(0), Available: fp(3)}, "raise", "own limits"},
		{"healthy and sending: no launch step", instantly.StatusHealthy, Facts{SentToday: fp(3)}, "", "Just launched"},
		{"healthy, nothing sent yet", instantly.StatusHealthy, Facts{SentToday: fp(0)}, "Just launched", ""},
		{"draft with leads: no add leads", instantly.StatusCampaignDraft, Facts{Leads: lp(10), Attached: ip(2)}, "Launch", "Add leads"},
		{"suspended, no sender in error", instantly.StatusCampaignAccountSuspended, Facts{AccountErrors: ip(0)}, "Instantly support", ""},
		{"out of schedule, end passed", instantly.StatusOutOfSchedule, Facts{EndDatePassed: bp(true)}, "widen", "Nothing to fix"},
		{"running subsequences, 0 sending", instantly.StatusCampaignRunningSubsequences, Facts{SubsequencesSending: ip(0)}, "", "Nothing to fix"},
		{"paused subsequence resumes its parent", instantly.StatusCampaignPaused, Facts{Kind: "subsequence"}, "parent campaign", `Press "Resume"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, _ := Lookup(c.code)
			got := strings.Join(e.StepsFor(c.f), "\n")
			if c.with != "" && !strings.Contains(got, c.with) {
				t.Errorf("lacks %q:\n%s", c.with, got)
			}
			if c.without != "" && strings.Contains(got, c.without) {
				t.Errorf("has %q:\n%s", c.without, got)
			}
		})
	}
}

// A provider's reply is read into the class whose remedy fits it.
func TestClassifyReply(t *testing.T) {
	cases := []struct {
		code  int
		texts []string
		want  ErrorClass
	}{
		{535, []string{"535-5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials"}, ErrorCredentials},
		{0, []string{"", "Invalid credentials (Failure): the password was changed", "AUTHENTICATIONFAILED"}, ErrorCredentials},
		{550, []string{"550-5.4.5 Daily user sending limit exceeded."}, ErrorQuota},
		{421, []string{"421 4.7.0 Temporary System Problem. Try again later (WS). Too many bounces from this sender"}, ErrorThrottle},
		{554, []string{"554 5.7.1 Message rejected under policy"}, ErrorPolicy},
		{535, []string{"535 5.7.139 Authentication unsuccessful, the user account is disabled (AccountDisabled)"}, ErrorDisabled},
		{535, []string{"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant"}, ErrorCredentials},
		{0, []string{"550 5.7.26 Unauthenticated email from example.com is not accepted"}, ErrorPolicy},
		{0, []string{"ETIMEDOUT"}, ErrorUnknown},
	}
	for _, c := range cases {
		if got := ClassifyReply(c.code, c.texts...); got != c.want {
			t.Errorf("%d %q: %s, want %s", c.code, c.texts, got, c.want)
		}
	}
	// Each class has its own step; the unknown one keeps a generic step.
	seen := map[string]bool{}
	for _, c := range []ErrorClass{ErrorCredentials, ErrorQuota, ErrorThrottle, ErrorPolicy, ErrorDisabled, ErrorUnknown} {
		s := ClassStep(c, "a@x.example")
		if seen[s] || !strings.Contains(s, "a@x.example") {
			t.Errorf("%s: step %q", c, s)
		}
		seen[s] = true
	}
	if strings.Contains(ClassStep(ErrorQuota, "a"), "reconnect it") {
		t.Error("a provider's quota is not fixed by reconnecting")
	}
}
