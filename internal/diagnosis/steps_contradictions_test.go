package diagnosis

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

// The contradictions a support engineer found between the numbers an
// answer prints and the steps it gives. Each generator below makes states
// of one kind (varying the numbers around it), and textContradiction is
// the oracle: it reads the rendered text and the data, not the step rules.

// fieldPath is an API field path such as accounts_summary.unavailable.
var fieldPath = regexp.MustCompile(`\b[a-z]+_[a-z_]+\.[a-z_]+\b`)

// addLeads is a step that tells to add leads.
var addLeads = regexp.MustCompile(`(?i)\badd (new )?leads\b|\bleads added\b`)

// accountsAbout is the rule of thumb with a number of accounts: "6 accounts about 180".
var accountsAbout = regexp.MustCompile(`(\d+) (?:sending )?(?:accounts|senders)[^.;]*?about (\d+)`)

// caseFacts are the numbers a generated case was made of.
type caseFacts struct {
	notContacted  int  // leads not yet contacted (-1: unknown)
	attached      int  // sending accounts attached (email_list + tags)
	connected     int  // accounts_summary.total_connected
	firstStepSend bool // step 1 of the sequence has an enabled variant
}

// textContradiction says why the answer contradicts its own data; "" when
// nothing does.
func textContradiction(a Analysis, f caseFacts, text string) string {
	steps := strings.Join(a.Steps, "\n")
	var why []string
	if m := fieldPath.FindString(text); m != "" {
		why = append(why, "an API field path in the text: "+m)
	}
	if len(a.Steps) > 4 {
		why = append(why, fmt.Sprintf("%d steps", len(a.Steps)))
	}
	if n := len(addLeads.FindAllString(steps, -1)); n > 1 {
		why = append(why, "two steps add leads")
	}
	if f.notContacted > 0 && a.Status != instantly.StatusCampaignCompleted && addLeads.MatchString(steps) {
		why = append(why, fmt.Sprintf("'add leads' with %d leads not yet contacted", f.notContacted))
	}
	if f.notContacted > 0 && a.Status == instantly.StatusFollowUpDelayNotMet &&
		!strings.Contains(text, num(float64(f.notContacted))+" leads") {
		why = append(why, "the leads never contacted while no lead is ready go unmentioned")
	}
	if (strings.Contains(a.Answer, "will not send again") || strings.Contains(a.Answer, "can never open")) &&
		(strings.Contains(steps, "Nothing to fix") || a.Severity != catalog.SeverityActionRequired) {
		why = append(why, "nothing to fix (or waiting) while it will not send again by itself")
	}
	for _, m := range accountsAbout.FindAllStringSubmatch(steps, -1) {
		if n, _ := strconv.Atoi(m[1]); f.connected >= 0 && n != f.connected {
			why = append(why, fmt.Sprintf("a rule of thumb for %d accounts with %d connected", n, f.connected))
		}
	}
	if f.attached == 0 && strings.Contains(steps, "accounts are attached") {
		why = append(why, "a step for attached accounts with none attached")
	}
	if f.firstStepSend && regexp.MustCompile(`would not send: step [2-9]`).MatchString(text) {
		why = append(why, "a launch said not to send over a later step while step 1 would send")
	}
	return strings.Join(why, "; ")
}

func fp(v float64) *float64 { return &v }
func bp(v bool) *bool       { return &v }

// contradictionCase builds one generated state of code: Instantly's
// diagnostics and what the cross-checks found.
func contradictionCase(r *rand.Rand, code string, now time.Time) (*instantly.Diagnostics, *gather, caseFacts) {
	c := code
	id := "019e0000-0000-7000-8000-0000000000aa"
	d := &instantly.Diagnostics{CampaignID: id, Status: &c, LastUpdated: now.Add(-3 * time.Minute).Format(time.RFC3339),
		ScheduleStatus: &instantly.ScheduleStatus{InSchedule: bp(true)}}
	camp := &instantly.CampaignDetails{Campaign: instantly.Campaign{ID: id, Name: "Gen " + code, Status: 1},
		CampaignSchedule: instantly.CampaignSchedule{Schedules: []instantly.Schedule{{Name: "S",
			Timing: instantly.ScheduleTiming{From: "00:00", To: "23:59"},
			Days:   map[string]bool{"0": true, "1": true, "2": true, "3": true, "4": true, "5": true, "6": true}, Timezone: "America/Chicago"}}}}
	f := caseFacts{notContacted: -1, firstStepSend: true}
	total := 1 + r.IntN(8)
	for i := range total {
		camp.EmailList = append(camp.EmailList, fmt.Sprintf("s%d@gen.example", i))
	}
	leads := 200 + r.IntN(2000)
	contacted := leads
	switch code {
	case instantly.StatusFollowUpDelayNotMet:
		contacted = leads - 1 - r.IntN(leads-1)
		fu := float64(1 + r.IntN(90))
		d.FollowUpsWaiting = &instantly.FollowUpsWaiting{Count: &fu, EarliestWaitTimeSeconds: fp(float64(600 + r.IntN(80000)))}
		d.LeadsStatus = &instantly.LeadsStatus{NoLeadsReady: bp(true), DelayNotMetSkips: &fu}
	case instantly.StatusDailyLimitMet:
		limit := float64(30 * (1 + r.IntN(8)))
		d.CampaignDailyLimit = &instantly.CampaignDailyLimit{Limit: &limit, Sent: &limit, LimitHit: bp(true)}
	case instantly.StatusNoAccountsAvailable:
		camp.EmailList, total = nil, 0
	case instantly.StatusCampaignDraft:
		contacted = 0
		if r.IntN(2) == 0 {
			leads = 0
		}
		step := func(off bool) instantly.SequenceStep {
			return instantly.SequenceStep{Type: "email", Variants: []instantly.Variant{{Subject: "s", VDisabled: &off}}}
		}
		camp.Sequences = []instantly.Sequence{{Steps: []instantly.SequenceStep{step(false), step(true), step(r.IntN(2) == 0)}}}
	case instantly.StatusHealthy:
		limit := float64(30 * total)
		sent := float64(r.IntN(int(limit)))
		d.CampaignDailyLimit = &instantly.CampaignDailyLimit{Limit: &limit, Sent: &sent, LimitHit: bp(false)}
	}
	f.connected, f.attached = total, total
	d.AccountsSummary = &instantly.AccountsSummary{TotalConnected: fp(float64(total)), Available: fp(float64(total)),
		Unavailable: &instantly.UnavailableAccounts{DailyLimitHit: fp(0), SlowRampLimitHit: fp(0), Disconnected: fp(0), GlobalGapNotMet: fp(0)}}
	f.notContacted = leads - contacted

	g := newTestGather(id, now, camp, leads, contacted)
	return d, g, f
}

// newTestGather is a gather that read the campaign, its senders (all
// healthy) and its lead counts.
func newTestGather(id string, now time.Time, camp *instantly.CampaignDetails, leads, contacted int) *gather {
	g := &gather{kind: "campaign", id: id, now: now, budget: newBudget(0), pool: newSenderPool()}
	g.campaign = camp
	g.pool.first, g.pool.all = &instantly.AccountPage{}, true
	for _, e := range camp.EmailList {
		one, lim := 1.0, 30.0
		g.pool.byEmail[e] = &instantly.Account{Email: e, Status: &one, WarmupStatus: 1, DailyLimit: &lim, ProviderCode: 2}
	}
	g.leads = &leadsRead{row: &instantly.CampaignAnalytics{CampaignID: id, CampaignName: camp.Name, LeadsCount: float64(leads), ContactedCount: float64(contacted),
		EmailsSentCount: float64(contacted * 2), CompletedCount: float64(contacted / 2)}}
	return g
}

// Each contradiction of the report, generated around its numbers: no
// answer contradicts its data.
func TestNoAnswerContradictsItsNumbers(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(18, 2026))
	codes := []string{instantly.StatusFollowUpDelayNotMet, instantly.StatusDailyLimitMet, instantly.StatusNoAccountsAvailable,
		instantly.StatusHealthy, instantly.StatusCampaignDraft}
	failed := map[string]string{}
	for _, code := range codes {
		for i := range 200 {
			d, g, f := contradictionCase(r, code, now)
			st := &instantly.SendingStatus{Diagnostics: d}
			res := BuildStatusResult("campaign", g.id, st, now)
			crossCheck(&res, g, st)
			if why := textContradiction(res.Analysis, f, RenderMarkdown(res, now)); why != "" {
				failed[code] = fmt.Sprintf("case %d: %s\nsteps %q", i, why, res.Analysis.Steps)
				break
			}
		}
	}
	for _, code := range codes {
		if why, ok := failed[code]; ok {
			t.Errorf("%s: %s", code, why)
		}
	}
}
