package diagnosis

import (
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
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

func TestLeadChecks(t *testing.T) {
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

func TestCountErrors(t *testing.T) {
	// 540:5: each error-like problem counts one.
	b := []BlockingAccount{{Problem: "connection error"}, {Problem: "at its daily limit"}, {Problem: "suspended"}, {Problem: "banned"}}
	if got := countErrors(b); got != 3 {
		t.Errorf("countErrors = %d, want 3", got)
	}
}

// sendersDeep runs senderChecks for one code over the listed senders, of
// which accs are the ones found.
func sendersDeep(code string, list []string, accs []instantly.Account, d *instantly.Diagnostics, setup func(g *gather)) *deep {
	g := &gather{kind: "campaign", now: time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC), accountsOK: true,
		campaign: &instantly.CampaignDetails{Campaign: instantly.Campaign{EmailList: list}},
		accounts: map[string]*instantly.Account{}, tagged: map[string]bool{}, gone: map[string]bool{}}
	for i := range accs {
		g.accounts[strings.ToLower(accs[i].Email)] = &accs[i]
	}
	if setup != nil {
		setup(g)
	}
	x := &deep{a: &Analysis{}, g: g, code: code}
	x.senderChecks(d)
	return x
}

func inError(n int) ([]string, []instantly.Account) {
	var list []string
	var accs []instantly.Account
	for i := range n {
		e := "s" + string(rune('a'+i/26)) + string(rune('a'+i%26)) + "@x.io"
		list = append(list, e)
		accs = append(accs, instantly.Account{Email: e, Status: f64p(-1)})
	}
	return list, accs
}

func noteOf(g *gather, check string) string {
	for _, c := range g.checks {
		if c.Check == check {
			return c.Note
		}
	}
	return ""
}

func TestSenderChecksCounts(t *testing.T) {
	// 393:11: the account errors counted; 435:31: the unread arithmetic.
	list := []string{"a@x.io", "b@x.io", "c@x.io"}
	x := sendersDeep(instantly.StatusAllAccountsUnhealthy, list, []instantly.Account{{Email: "a@x.io", Status: f64p(-3)}}, nil,
		func(g *gather) { g.gone["b@x.io"] = true })
	if x.facts.AccountErrors == nil || *x.facts.AccountErrors != 1 {
		t.Errorf("AccountErrors = %v, want 1", x.facts.AccountErrors)
	}
	if got, want := noteOf(x.g, "senders"), "1 of 3 senders found; 1 not read (budget or page limit)"; got != want {
		t.Errorf("senders note %q, want %q", got, want)
	}
	want := []string{"1 listed sending account is not found in the workspace (deleted or renamed?)", "a@x.io cannot send: sending error"}
	if strings.Join(x.causes, "\n") != strings.Join(want, "\n") {
		t.Errorf("causes %q, want %q", x.causes, want)
	}

	// 364:25: no tag listed, so no "tag matches no account" cause.
	x = sendersDeep(instantly.StatusAllAccountsUnhealthy, []string{"a@x.io"}, []instantly.Account{{Email: "a@x.io", Status: f64p(1)}}, nil,
		func(g *gather) { g.accountsAll = true })
	if len(x.causes) != 0 {
		t.Errorf("causes %q, want none", x.causes)
	}
}

func TestSenderChecksBlockingList(t *testing.T) {
	// 443:20: exactly maxBlockingShown are all listed, no "more" fact.
	list, accs := inError(maxBlockingShown)
	x := sendersDeep(instantly.StatusAllAccountsUnhealthy, list, accs, nil, nil)
	if len(x.a.BlockingAccounts) != maxBlockingShown {
		t.Errorf("%d blocking shown, want %d", len(x.a.BlockingAccounts), maxBlockingShown)
	}
	for _, e := range x.evidence {
		if strings.Contains(e, "more senders cannot send") {
			t.Errorf("evidence %q at exactly %d blocking", e, maxBlockingShown)
		}
	}
	// 445:68: two over the cap are counted as two.
	list, accs = inError(maxBlockingShown + 2)
	x = sendersDeep(instantly.StatusAllAccountsUnhealthy, list, accs, nil, nil)
	if len(x.evidence) != 1 || x.evidence[0] != "2 more senders cannot send (not listed)" {
		t.Errorf("evidence %q, want the 2 more", x.evidence)
	}
	// 454:92, 457:5: three steps by name, then the rest counted.
	list, accs = inError(5)
	x = sendersDeep(instantly.StatusAllAccountsUnhealthy, list, accs, nil, nil)
	want := []string{
		`Reconnect or fix saa@x.io (connection error) in "Email Accounts"; then mark it fixed so Instantly retries it.`,
		`Reconnect or fix sab@x.io (connection error) in "Email Accounts"; then mark it fixed so Instantly retries it.`,
		`Reconnect or fix sac@x.io (connection error) in "Email Accounts"; then mark it fixed so Instantly retries it.`,
		"And 2 more senders with errors: see blocking_accounts.",
	}
	if strings.Join(x.steps, "\n") != strings.Join(want, "\n") {
		t.Errorf("steps:\n got %q\nwant %q", x.steps, want)
	}
}

func TestSenderChecksGap(t *testing.T) {
	gapD := func(n float64) *instantly.Diagnostics {
		return &instantly.Diagnostics{AccountsSummary: &instantly.AccountsSummary{Unavailable: &instantly.UnavailableAccounts{GlobalGapNotMet: f64p(n)}}}
	}
	accs := func(g1, g2, g3 float64) []instantly.Account {
		return []instantly.Account{{Email: "a@x.io", SendingGap: f64p(g1)}, {Email: "b@x.io", SendingGap: f64p(g2)}, {Email: "c@x.io", SendingGap: f64p(g3)}}
	}
	list := []string{"a@x.io", "b@x.io", "c@x.io"}
	named := func(x *deep) string {
		var s []string
		for _, b := range x.a.BlockingAccounts {
			s = append(s, b.Email+" "+b.Detail)
		}
		return strings.Join(s, "; ")
	}
	// 409:90: the longest gap is named; on a tie, the first listed.
	x := sendersDeep(instantly.StatusAccountDailyLimitMet, list, accs(5, 12, 7), gapD(1), nil)
	if got, want := named(x), "b@x.io sending_gap 12 min, the longest of the senders not at a limit"; got != want {
		t.Errorf("named %q, want %q", got, want)
	}
	x = sendersDeep(instantly.StatusAccountDailyLimitMet, list, accs(9, 9, 9), gapD(2), nil)
	if got, want := named(x), "a@x.io sending_gap 9 min, the longest of the senders not at a limit; b@x.io sending_gap 9 min, the longest of the senders not at a limit"; got != want {
		t.Errorf("named %q, want %q", got, want)
	}
}

func TestSenderChecksBouncesAndVitals(t *testing.T) {
	today := "2026-11-25"
	list := []string{"a@x.io", "b@x.io", "c@x.io", "d@x.io"}
	var accs []instantly.Account
	for _, e := range list {
		accs = append(accs, instantly.Account{Email: e, Status: f64p(1)})
	}
	// 491:9: a sender with no bounce is not named; 495:104: ties by address.
	x := sendersDeep(instantly.StatusCampaignBounceProtect, list, accs, nil, func(g *gather) {
		g.daily = []instantly.AccountDailyAnalytics{
			{Date: today, EmailAccount: "d@x.io", Bounced: 0},
			{Date: today, EmailAccount: "c@x.io", Bounced: 2},
			{Date: today, EmailAccount: "b@x.io", Bounced: 2},
		}
	})
	if got, want := strings.Join(x.evidence, "\n"), "senders with the most bounces in the last 7 days: b@x.io (2), c@x.io (2)"; got != want {
		t.Errorf("evidence %q, want %q", got, want)
	}
	// 500:17: rows without bounces name nobody.
	x = sendersDeep(instantly.StatusCampaignBounceProtect, list, accs, nil, func(g *gather) {
		g.daily = []instantly.AccountDailyAnalytics{{Date: today, EmailAccount: "a@x.io", Sent: 3}}
	})
	if len(x.evidence) != 0 {
		t.Errorf("evidence %q, want none", x.evidence)
	}
	// 473:32: a domain in the failure list that fails nothing is no cause.
	x = sendersDeep(instantly.StatusAllAccountsUnhealthy, list, accs, nil, func(g *gather) {
		g.vitals = &instantly.AccountVitals{FailureList: []instantly.DomainVitals{
			{Domain: "ok.io", MX: true, SPF: true, DKIM: true, DMARC: true},
			{Domain: "x.io", MX: true, SPF: false, DKIM: true, DMARC: false},
		}}
	})
	if got, want := strings.Join(x.causes, "\n"), "sending domain x.io fails SPF, DMARC (Instantly's vitals test)"; got != want {
		t.Errorf("causes %q, want %q", got, want)
	}
	if got, want := strings.Join(x.steps, "\n"), "Fix the DNS of x.io: SPF, DMARC fail (Instantly's vitals test)."; got != want {
		t.Errorf("steps %q, want %q", got, want)
	}
}

func codeDeep(code string, c *instantly.CampaignDetails, accs []instantly.Account) *deep {
	g := &gather{kind: "campaign", now: time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC), campaign: c,
		accounts: map[string]*instantly.Account{}, tagged: map[string]bool{}, gone: map[string]bool{}}
	for i := range accs {
		g.accounts[strings.ToLower(accs[i].Email)] = &accs[i]
	}
	x := &deep{a: &Analysis{}, g: g, code: code}
	x.codeChecks(nil)
	return x
}

func TestCodeChecks(t *testing.T) {
	oneEmail := []instantly.Sequence{{Steps: []instantly.SequenceStep{{Variants: []instantly.Variant{{Subject: "hi"}}}}}}
	camp := func(list, tags []string) *instantly.CampaignDetails {
		return &instantly.CampaignDetails{Campaign: instantly.Campaign{EmailList: list, EmailTagList: tags}, Sequences: oneEmail}
	}
	google := instantly.Account{Email: "a@x.io", ProviderCode: 2}
	rule := instantly.ProviderRoutingRule{Action: "send", RecipientESP: []string{"google"}, SenderESP: []string{"google"}}
	routed := camp([]string{"a@x.io"}, nil)
	routed.ProviderRoutingRules = []instantly.ProviderRoutingRule{rule}
	paced := camp([]string{"a@x.io"}, nil)
	paced.EmailGap, paced.RandomWaitMax = f64p(5), f64p(0)
	cases := []struct {
		name             string
		code             string
		c                *instantly.CampaignDetails
		accs             []instantly.Account
		causes, evidence string
	}{
		// 662:51 (either ==), 669:20: a draft with senders by tag only, or by list only, is not blocked.
		{"draft, tags only", instantly.StatusCampaignDraft, camp(nil, []string{"t1"}), nil, "never launched; nothing found that would block a launch", ""},
		{"draft, list only", instantly.StatusCampaignDraft, camp([]string{"a@x.io"}, nil), nil, "never launched; nothing found that would block a launch", ""},
		{"draft, no senders", instantly.StatusCampaignDraft, camp(nil, nil), nil, "never launched, and a launch would not send: no sending account is attached", ""},
		// 705:17, 714:16: no rules and no sender found say nothing.
		{"esp, nothing", instantly.StatusWaitingForESPMatch, camp([]string{"a@x.io"}, nil), nil, "", ""},
		// 731:20: the Google senders the rule needs are there.
		{"esp, satisfied", instantly.StatusWaitingForESPMatch, routed, []instantly.Account{google}, "",
			"routing rules: send google leads from google senders\nthe campaign's senders: 1 Google"},
		// 791:50: a random wait of 0 is no random wait.
		{"healthy, paced", instantly.StatusHealthy, paced, nil, "", "paced by design: 5 min between emails (email_gap)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := codeDeep(tc.code, tc.c, tc.accs)
			if got := strings.Join(x.causes, "\n"); got != tc.causes {
				t.Errorf("causes %q, want %q", got, tc.causes)
			}
			if got := strings.Join(x.evidence, "\n"); got != tc.evidence {
				t.Errorf("evidence %q, want %q", got, tc.evidence)
			}
		})
	}
}

func TestSubsequencesSendingCount(t *testing.T) {
	// 766:13: each healthy subsequence counts one.
	healthy, waiting := instantly.StatusHealthy, instantly.StatusWaitingForLeads
	g := &gather{kind: "campaign", now: time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC), subsOK: true,
		subs: []instantly.SubsequenceInfo{{ID: "s1", Name: "One"}, {ID: "s2", Name: "Two"}, {ID: "s3", Name: "Three"}},
		subStat: map[string]*instantly.SendingStatus{
			"s1": {Diagnostics: &instantly.Diagnostics{Status: &healthy}},
			"s2": {Diagnostics: &instantly.Diagnostics{Status: &waiting}},
			"s3": {Diagnostics: &instantly.Diagnostics{Status: &healthy}},
		}}
	x := &deep{a: &Analysis{}, g: g, code: instantly.StatusCampaignRunningSubsequences}
	x.codeChecks(nil)
	if x.facts.SubsequencesSending == nil || *x.facts.SubsequencesSending != 2 {
		t.Errorf("SubsequencesSending = %v, want 2", x.facts.SubsequencesSending)
	}
	want := `main sequence done; "One" is healthy, "Two" is waiting_for_leads, "Three" is healthy`
	if got := strings.Join(x.causes, "\n"); got != want {
		t.Errorf("causes %q, want %q", got, want)
	}
}

func TestScheduleChecksInScheduleDisagreement(t *testing.T) {
	// 301:8, 302:11, 302:76: Instantly says in schedule, the schedule as it
	// reads now opens only later today.
	in := true
	days := map[string]bool{"0": true, "1": true, "2": true, "3": true, "4": true, "5": true, "6": true}
	c := &instantly.CampaignDetails{CampaignSchedule: instantly.CampaignSchedule{Schedules: []instantly.Schedule{
		{Name: "Days", Timing: instantly.ScheduleTiming{From: "11:00", To: "12:00"}, Days: days, Timezone: "America/Detroit"}}}}
	g := &gather{kind: "campaign", now: time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC), campaign: c}
	x := &deep{a: &Analysis{}, g: g, code: instantly.StatusDailyLimitMet}
	x.scheduleChecks(&instantly.Diagnostics{LastUpdated: "2026-11-25T14:30:00Z", ScheduleStatus: &instantly.ScheduleStatus{InSchedule: &in}})
	want := []string{
		`next send: Thu 11:00 America/Detroit (16:00 UTC), in 1 d 1 h (campaign limit resets at midnight America/Detroit, then the next window, schedule "Days")`,
		"Instantly says it is in schedule, but the schedule as it reads now has no window open (schedule changed since 30 min ago?)",
	}
	if strings.Join(x.evidence, "\n") != strings.Join(want, "\n") {
		t.Errorf("evidence:\n got %q\nwant %q", x.evidence, want)
	}
	// Out of schedule: the disagreement is not said.
	x = &deep{a: &Analysis{}, g: g, code: instantly.StatusOutOfSchedule}
	x.scheduleChecks(&instantly.Diagnostics{LastUpdated: "2026-11-25T14:30:00Z", ScheduleStatus: &instantly.ScheduleStatus{InSchedule: &in}})
	for _, e := range x.evidence {
		if strings.HasPrefix(e, "Instantly says it is in schedule") {
			t.Errorf("evidence %q for out_of_schedule", e)
		}
	}
}

func TestCrossCheckSubsequencesNoneSendingAndNoteOrder(t *testing.T) {
	// 207:12: running subsequences with none left to send needs action.
	// 188:86: notes of one check keep the order they were made in.
	g := &gather{kind: "campaign", now: time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC), subsOK: true,
		checks: []CrossCheck{{Check: "senders", OK: true, Note: "first"}, {Check: "audit", OK: true, Note: "a"}, {Check: "senders", OK: true, Note: "second"}}}
	res := &StatusResult{}
	res.Analysis.Status = instantly.StatusCampaignRunningSubsequences
	res.Analysis.Kind = "campaign"
	crossCheck(res, g, nil)
	a := res.Analysis
	if a.Severity != catalog.SeverityActionRequired {
		t.Errorf("severity %q, want %q", a.Severity, catalog.SeverityActionRequired)
	}
	var notes []string
	for _, c := range a.CrossChecks {
		notes = append(notes, c.Check+": "+c.Note)
	}
	want := "audit: a|senders: first|senders: second"
	if got := strings.Join(notes, "|"); got != want {
		t.Errorf("cross checks %q, want %q", got, want)
	}
	if got, want := a.Answer, "the main sequence is done and the campaign has no subsequence: nothing is left to send"; got != want {
		t.Errorf("answer %q, want %q", got, want)
	}
}
