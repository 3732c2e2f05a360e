package diagnosis

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

// contradiction is the property: it returns why a shown step (or the
// headline) contradicts the data, "" when nothing does. It is written
// independently of the step rules (internal/catalog/conditions.go): keywords of the
// steps against the numbers.
func contradiction(a Analysis, d *instantly.Diagnostics, deep *gather) string {
	var disconnected, available, followUps, delaySkips *float64
	issueOpen := false
	if d != nil {
		if acc := d.AccountsSummary; acc != nil {
			available = acc.Available
			if acc.Unavailable != nil {
				disconnected = acc.Unavailable.Disconnected
			}
		}
		if d.FollowUpsWaiting != nil {
			followUps = d.FollowUpsWaiting.Count
		}
		if d.LeadsStatus != nil {
			delaySkips = d.LeadsStatus.DelayNotMetSkips
		}
		issueOpen = d.IssueTracking != nil && d.IssueTracking.IssueFirstSeenAt != nil && *d.IssueTracking.IssueFirstSeenAt != ""
	}
	errorAccounts := false
	for _, b := range a.BlockingAccounts {
		errorAccounts = errorAccounts || strings.Contains(b.Problem, "error")
	}
	isZero := func(p *float64) bool { return p != nil && *p == 0 }
	for _, s := range a.Steps {
		l := strings.ToLower(s)
		switch {
		case strings.Contains(l, "reconnect") && isZero(disconnected) && !errorAccounts:
			return "a reconnect step with 0 disconnected accounts and no sender in error"
		case a.Kind == "subsequence" && resumeCampaign.MatchString(s):
			return "a step to resume the campaign on a subsequence"
		case (strings.Contains(l, "available should be above 0") || strings.Contains(l, "available is above 0")) && available != nil && *available > 0:
			return "a step asking that available be above 0 when it is"
		case strings.Contains(s, "delay_not_met_skips or follow_ups_waiting.count is high") && isZero(followUps) && isZero(delaySkips):
			return "a step about waiting follow-ups when there are none"
		case strings.Contains(s, "If the campaign uses a tag") && deep != nil && deep.campaign != nil && len(deep.campaign.EmailTagList) == 0:
			return "a tag step for a campaign without tags"
		case strings.HasPrefix(s, "Nothing to fix if the window opens soon") && a.NextSendAt == "" && deep != nil && deep.campaign != nil && len(a.Causes) > 0:
			return "'nothing to fix' for a schedule that cannot open"
		case strings.HasPrefix(s, "Nothing to fix: subsequence emails keep going out") && len(a.Subsequences) > 0 && !anyHealthy(a.Subsequences) && allChecked(a.Subsequences):
			return "'subsequences keep sending' while none is healthy"
		}
	}
	if a.Status == instantly.StatusCampaignRunningSubsequences && issueOpen && strings.HasPrefix(a.Headline, "Sending") {
		return "'Sending' headline with an open issue"
	}
	if a.NextSendAt != "" && catalog.Severity(a.Severity) == catalog.SeverityActionRequired {
		return "next_send_at on a status that needs action"
	}
	return ""
}

var resumeCampaign = regexp.MustCompile(`"Resume" on the campaign|Resume campaign|Resume the campaign`)

func anyHealthy(s []SubsequenceState) bool {
	for _, x := range s {
		if x.Status == instantly.StatusHealthy {
			return true
		}
	}
	return false
}

func allChecked(s []SubsequenceState) bool {
	for _, x := range s {
		if x.Status == "not checked" {
			return false
		}
	}
	return true
}

func pf(r *rand.Rand) *float64 {
	if r.IntN(4) == 0 {
		return nil
	}
	v := float64([]int{0, 0, 1, 2, 5, 40}[r.IntN(6)])
	return &v
}

func pb(r *rand.Rand) *bool {
	if r.IntN(4) == 0 {
		return nil
	}
	v := r.IntN(2) == 0
	return &v
}

func randomDiagnostics(r *rand.Rand, code string, now time.Time) *instantly.Diagnostics {
	d := &instantly.Diagnostics{CampaignID: "019e0000-0000-7000-8000-000000000001", Status: &code,
		LastUpdated: now.Add(-3 * time.Minute).Format(time.RFC3339)}
	if r.IntN(3) > 0 {
		it := &instantly.IssueTracking{CurrentStatusCode: &code}
		if r.IntN(2) == 0 {
			s := now.Add(-time.Duration(r.IntN(100)) * time.Hour).Format(time.RFC3339)
			it.IssueFirstSeenAt = &s
		}
		d.IssueTracking = it
	}
	if r.IntN(4) > 0 {
		d.AccountsSummary = &instantly.AccountsSummary{TotalConnected: pf(r), Available: pf(r)}
		if r.IntN(4) > 0 {
			d.AccountsSummary.Unavailable = &instantly.UnavailableAccounts{DailyLimitHit: pf(r), SlowRampLimitHit: pf(r), Disconnected: pf(r), GlobalGapNotMet: pf(r)}
		}
	}
	if r.IntN(3) > 0 {
		d.FollowUpsWaiting = &instantly.FollowUpsWaiting{Count: pf(r), EarliestWaitTimeSeconds: pf(r)}
	}
	if r.IntN(3) > 0 {
		d.LeadsStatus = &instantly.LeadsStatus{NoLeadsReady: pb(r), AccountUnavailableSkips: pf(r), DelayNotMetSkips: pf(r)}
	}
	if r.IntN(3) > 0 {
		d.ScheduleStatus = &instantly.ScheduleStatus{InSchedule: pb(r)}
	}
	if r.IntN(3) > 0 {
		d.CampaignDailyLimit = &instantly.CampaignDailyLimit{Limit: pf(r), Sent: pf(r), LimitHit: pb(r)}
	}
	return d
}

// randomGather is what the cross-checks might have found.
func randomGather(r *rand.Rand, kind, id string, now time.Time) *gather {
	g := &gather{kind: kind, id: id, now: now, budget: newBudget(0), pool: newSenderPool()}
	if r.IntN(5) == 0 {
		return g // nothing could be read
	}
	tz := []string{"America/Chicago", "Australia/Melbourne", "Mars/Olympus", "Etc/GMT+5"}[r.IntN(4)]
	days := map[string]bool{}
	for k := range 7 {
		days[fmt.Sprint(k)] = r.IntN(3) == 0
	}
	cs := instantly.CampaignSchedule{Schedules: []instantly.Schedule{{Name: "S",
		Timing: instantly.ScheduleTiming{From: []string{"09:00", "22:00", "02:30"}[r.IntN(3)], To: []string{"17:00", "02:00", "09:00"}[r.IntN(3)]},
		Days:   days, Timezone: tz}}}
	if r.IntN(3) == 0 {
		e := now.AddDate(0, 0, r.IntN(5)-3).Format("2006-01-02")
		cs.EndDate = &e
	}
	c := &instantly.CampaignDetails{Campaign: instantly.Campaign{ID: "019e0000-0000-7000-8000-000000000001", Status: instantly.CampaignStatus(r.IntN(5))}, CampaignSchedule: cs}
	for i := range r.IntN(4) {
		c.EmailList = append(c.EmailList, fmt.Sprintf("s%d@d%d.example", i, i%2))
	}
	if r.IntN(3) == 0 {
		c.EmailTagList = []string{"019e0000-0000-7000-8000-0000000000c3"}
	}
	if r.IntN(2) == 0 {
		off := r.IntN(2) == 0
		c.Sequences = []instantly.Sequence{{Steps: []instantly.SequenceStep{{Variants: []instantly.Variant{{Subject: "s", VDisabled: &off}}}}}}
	}
	g.campaign = c
	if r.IntN(3) > 0 {
		g.pool.first, g.pool.all = &instantly.AccountPage{}, r.IntN(2) == 0
		for _, e := range c.EmailList {
			if r.IntN(4) == 0 {
				continue
			}
			st := float64([]int{1, 1, -1, -2, -3, 2, 3}[r.IntN(7)])
			a := &instantly.Account{Email: e, Status: &st, WarmupStatus: float64([]int{1, 1, -3, -1}[r.IntN(4)]),
				DailyLimit: pf(r), SendingGap: pf(r), EnableSlowRamp: pb(r), AutofixFailed: pb(r)}
			if st < 0 {
				a.StatusMessage = &instantly.AccountStatusMessage{Response: "535 auth failed"}
			}
			g.pool.byEmail[e] = a
		}
	}
	if r.IntN(2) == 0 {
		lc := float64(r.IntN(3) * 100)
		g.leads = &leadsRead{row: &instantly.CampaignAnalytics{LeadsCount: lc, ContactedCount: lc - float64(r.IntN(2)*50), EmailsSentCount: lc * 2, BouncedCount: float64(r.IntN(20))}}
	}
	if r.IntN(2) == 0 {
		g.subs = &subsequencesRead{status: map[string]*instantly.SendingStatus{}}
		for i := range r.IntN(3) {
			sid := fmt.Sprintf("019e0000-0000-7000-8000-00000000010%d", i)
			g.subs.items = append(g.subs.items, instantly.SubsequenceInfo{ID: sid, Name: "sub", SubsequenceSchedule: cs})
			code := []string{instantly.StatusHealthy, instantly.StatusCampaignPaused, instantly.StatusFollowUpDelayNotMet}[r.IntN(3)]
			g.subs.status[sid] = &instantly.SendingStatus{Diagnostics: &instantly.Diagnostics{Status: &code}}
		}
	}
	if r.IntN(2) == 0 {
		g.daily = &dailyRead{}
		for _, e := range c.EmailList {
			g.daily.rows = append(g.daily.rows, instantly.AccountDailyAnalytics{Date: now.UTC().Format("2006-01-02"), EmailAccount: e, Sent: float64(r.IntN(4) * 10)})
		}
	}
	// The related checks: other campaigns on the senders, the audit log,
	// the tags' names.
	if r.IntN(2) == 0 {
		g.mappings = map[string][]instantly.AccountCampaignMapping{}
		for _, e := range c.EmailList {
			if r.IntN(2) == 0 {
				continue
			}
			ms := []instantly.AccountCampaignMapping{{CampaignID: id, CampaignName: "this"}}
			if r.IntN(2) == 0 {
				st := instantly.CampaignStatus([]int{1, 2}[r.IntN(2)])
				ms = append(ms, instantly.AccountCampaignMapping{CampaignID: "019e0000-0000-7000-8000-0000000000bb", CampaignName: "other", Status: &st})
			}
			g.mappings[e] = ms
		}
	}
	if r.IntN(3) > 0 {
		g.pauses, g.auditFrom = &pausesRead{}, "2026-11-20"
		if r.IntN(2) == 0 {
			u := "Dana"
			g.pauses.items = []instantly.AuditLog{{Timestamp: "2026-11-22T15:00:00.000Z", ActivityType: 5, UserName: &u, CampaignID: &id}}
		}
	}
	if len(c.EmailTagList) > 0 && r.IntN(2) == 0 {
		g.tagLabels = map[string]string{}
		if r.IntN(2) == 0 {
			g.tagLabels[c.EmailTagList[0]] = "Label"
		}
	}
	return g
}

// sharedStep is the step that takes senders out of the campaigns sharing
// their quota.
var sharedStep = regexp.MustCompile(`^To send more per day: give this campaign senders of its own, or take (.+?) out of (.+)\.$`)

// sharedContradiction: the step names a sender that is not at a limit, or
// one no other active campaign uses.
func sharedContradiction(a Analysis, deep *gather) string {
	for _, s := range a.Steps {
		m := sharedStep.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		for _, e := range regexp.MustCompile(`, | and `).Split(m[1], -1) {
			atLimit := false
			for _, b := range a.BlockingAccounts {
				atLimit = atLimit || strings.EqualFold(b.Email, e) && (strings.Contains(b.Problem, "limit") || strings.Contains(b.Problem, "slow ramp"))
			}
			if !atLimit {
				return "a step takes " + e + " out of other campaigns, but it is at no limit"
			}
			shared := false
			for _, mp := range deep.mappings[e] {
				shared = shared || mp.CampaignID != deep.id && (mp.Status == nil || *mp.Status == instantly.CampaignStatusActive)
			}
			if !shared {
				return "a step takes " + e + " out of other campaigns, but no other active campaign uses it"
			}
		}
	}
	return ""
}

// Every code, against generated data, with and without cross-checks: no
// shown step contradicts the data.
func TestNoStepContradictsTheData(t *testing.T) {
	const perCode = 400
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(11, 2026))
	cases, shared := 0, 0
	for _, code := range instantly.StatusCodes {
		for i := range perCode {
			kind := []string{"campaign", "subsequence"}[i%2]
			id := "019e0000-0000-7000-8000-0000000000aa"
			d := randomDiagnostics(r, code, now)
			st := &instantly.SendingStatus{Diagnostics: d}
			res := BuildStatusResult(kind, id, st, now)
			if why := contradiction(res.Analysis, d, nil); why != "" {
				t.Fatalf("%s/%s shallow case %d: %s\nsteps %q\nheadline %q", code, kind, i, why, res.Analysis.Steps, res.Analysis.Headline)
			}
			g := randomGather(r, kind, id, now)
			crossCheck(&res, g, st)
			why := contradiction(res.Analysis, d, g)
			if why == "" {
				why = sharedContradiction(res.Analysis, g)
			}
			if why == "" {
				connected := -1
				if d.AccountsSummary != nil && d.AccountsSummary.TotalConnected != nil {
					connected = int(*d.AccountsSummary.TotalConnected)
				}
				why = textContradiction(res.Analysis, caseFacts{notContacted: -1, attached: -1, connected: connected}, RenderMarkdown(res, now))
			}
			if why != "" {
				t.Fatalf("%s/%s deep case %d: %s\nsteps %q\nheadline %q\nanswer %q", code, kind, i, why, res.Analysis.Steps, res.Analysis.Headline, res.Analysis.Answer)
			}
			cases += 2
			if slices.ContainsFunc(res.Analysis.Steps, sharedStep.MatchString) {
				shared++
			}
		}
	}
	// account_daily_limit_met with senders in good standing, so that their
	// limits, today's counts and other campaigns decide the steps.
	for i := range perCode {
		code := instantly.StatusAccountDailyLimitMet
		id := "019e0000-0000-7000-8000-0000000000aa"
		d := randomDiagnostics(r, code, now)
		st := &instantly.SendingStatus{Diagnostics: d}
		res := BuildStatusResult("campaign", id, st, now)
		g := randomGather(r, "campaign", id, now)
		for _, a := range g.pool.byEmail {
			one := 1.0
			a.Status, a.WarmupStatus = &one, 1
		}
		crossCheck(&res, g, st)
		why := contradiction(res.Analysis, d, g)
		if why == "" {
			why = sharedContradiction(res.Analysis, g)
		}
		if why != "" {
			t.Fatalf("%s senders in good standing, case %d: %s\nsteps %q", code, i, why, res.Analysis.Steps)
		}
		cases++
		if slices.ContainsFunc(res.Analysis.Steps, sharedStep.MatchString) {
			shared++
		}
	}
	t.Logf("%d cases (%d codes x %d generated states x shallow and deep, plus %d account_daily_limit_met states with senders in good standing), no step contradicts its data; %d showed the shared-quota step", cases, len(instantly.StatusCodes), perCode, perCode, shared)
	if shared == 0 {
		t.Error("no generated case shows the shared-quota step: the property does not reach it")
	}
}

// The property catches what the issue reported: with the catalog's fixed
// steps (before steps followed the facts) each of these contradicts its data.
func TestPropertyCatchesTheReportedContradictions(t *testing.T) {
	zero := 0.0
	seen := "2026-11-20T15:00:00Z"
	cases := []struct {
		code, kind string
		d          *instantly.Diagnostics
	}{
		{instantly.StatusAccountDailyLimitMet, "campaign", &instantly.Diagnostics{AccountsSummary: &instantly.AccountsSummary{
			Available: &zero, Unavailable: &instantly.UnavailableAccounts{Disconnected: &zero}}}},
		{instantly.StatusCampaignPaused, "subsequence", &instantly.Diagnostics{}},
		{instantly.StatusCampaignRunningSubsequences, "campaign", &instantly.Diagnostics{IssueTracking: &instantly.IssueTracking{IssueFirstSeenAt: &seen}}},
	}
	for _, c := range cases {
		e, _ := catalog.Lookup(c.code)
		code := c.code
		c.d.Status = &code
		old := Analysis{Kind: c.kind, Status: c.code, Severity: e.Severity, Title: e.Title, Steps: e.Steps}
		old.Headline = "Sending: " + e.Title // the old headline of an ok code
		if contradiction(old, c.d, nil) == "" {
			t.Errorf("%s/%s: the old fixed steps pass the property", c.code, c.kind)
		}
		now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
		if why := contradiction(BuildStatusResult(c.kind, "019e0000-0000-7000-8000-0000000000aa", &instantly.SendingStatus{Diagnostics: c.d}, now).Analysis, c.d, nil); why != "" {
			t.Errorf("%s/%s: %s", c.code, c.kind, why)
		}
	}
}
