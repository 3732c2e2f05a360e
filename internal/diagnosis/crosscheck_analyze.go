package diagnosis

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
	"github.com/instantly-status/instantly-status-mcp/schedule"
)

// CrossCheck is one thing a deep diagnosis consulted, or could not.
type CrossCheck struct {
	Check string `json:"check"`
	OK    bool   `json:"ok"`
	Note  string `json:"note"`
}

// BlockingAccount is a sender that cannot send, and why.
type BlockingAccount struct {
	Email   string `json:"email"`
	Problem string `json:"problem"`
	Detail  string `json:"detail,omitempty"`
}

// Leads is the lead arithmetic of campaigns/analytics.
type Leads struct {
	Total           int64 `json:"total"`
	NotYetContacted int64 `json:"not_yet_contacted"`
	Completed       int64 `json:"completed"`
	Bounced         int64 `json:"bounced"`
	Unsubscribed    int64 `json:"unsubscribed"`
}

// SubsequenceState is a subsequence of the campaign and its own status.
type SubsequenceState struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

// maxBlockingShown caps blocking_accounts; the rest is counted.
const maxBlockingShown = 50

// parentOf is the campaign a subsequence's sending status names.
func parentOf(st *instantly.SendingStatus) string {
	if st == nil || st.Diagnostics == nil {
		return ""
	}
	id, err := instantly.ParseID(st.Diagnostics.CampaignID)
	if err != nil {
		return ""
	}
	return id
}

// accountInError: a connection, soft-bounce or sending error.
func accountInError(a *instantly.Account) bool {
	return a.Status != nil && *a.Status < 0
}

// accountProblem says in words why an account cannot send; "" when nothing
// in its record says so.
func accountProblem(a *instantly.Account) (problem, detail string) {
	var parts []string
	if t := a.StatusMessage.Text(); t != "" {
		parts = append(parts, t)
	}
	if a.AutofixFailed != nil && *a.AutofixFailed && accountInError(a) {
		parts = append(parts, "automatic reconnection failed")
	}
	detail = strings.Join(parts, "; ")
	if a.Status != nil {
		switch *a.Status {
		case -1:
			problem = "connection error"
		case -2:
			problem = "soft bounce error"
		case -3:
			problem = "sending error"
		case 2:
			problem = "paused"
		case 3:
			problem = "under maintenance (Instantly resumes it shortly)"
		}
	}
	switch a.WarmupStatus {
	case -3:
		problem = joinProblem(problem, "permanently suspended (warmup status -3)")
	case -1:
		problem = joinProblem(problem, "banned (warmup status -1)")
	}
	if a.SetupPending {
		problem = joinProblem(problem, "setup pending")
	}
	return problem, detail
}

func joinProblem(a, b string) string {
	if a == "" {
		return b
	}
	return a + ", " + b
}

// baseFacts are the facts the sending status alone gives.
func baseFacts(kind string, d *instantly.Diagnostics) catalog.Facts {
	f := catalog.Facts{Kind: kind}
	if d == nil {
		return f
	}
	if acc := d.AccountsSummary; acc != nil {
		f.TotalConnected, f.Available = acc.TotalConnected, acc.Available
		if acc.Unavailable != nil {
			f.Disconnected = acc.Unavailable.Disconnected
		}
	}
	if fu := d.FollowUpsWaiting; fu != nil {
		f.FollowUpsWaiting = fu.Count
	}
	if ls := d.LeadsStatus; ls != nil {
		f.DelayNotMetSkips = ls.DelayNotMetSkips
	}
	return f
}

// deep collects what crossCheck concludes.
type deep struct {
	a        *Analysis
	g        *gather
	code     string
	facts    catalog.Facts
	causes   []string // concrete causes, most telling first
	evidence []string
	steps    []string // concrete steps, before the catalog's
	resume   string   // "resumes Mon 09:00 …" or ""
}

func (x *deep) cause(format string, args ...any) {
	x.causes = append(x.causes, fmt.Sprintf(format, args...))
}
func (x *deep) fact(format string, args ...any) {
	x.evidence = append(x.evidence, fmt.Sprintf(format, args...))
}
func (x *deep) step(format string, args ...any) {
	x.steps = append(x.steps, fmt.Sprintf(format, args...))
}

// crossCheck reads what the gather found into the analysis: the concrete
// cause, when it resumes, the blocking senders, the lead arithmetic, the
// steps that fit the facts, and what could not be checked.
func crossCheck(res *StatusResult, g *gather, st *instantly.SendingStatus) {
	a := &res.Analysis
	x := &deep{a: a, g: g, code: a.Status}
	var d *instantly.Diagnostics
	if st != nil {
		d = st.Diagnostics
	}
	x.facts = baseFacts(a.Kind, d)

	if c := g.campaign; c != nil {
		b := false
		b = len(c.EmailTagList) > 0
		x.facts.UsesTags = &b
		what := "campaign"
		if g.kind == "subsequence" {
			what = "parent campaign"
		}
		g.note("campaign", true, "read the %s's settings: %d %s, %d sending %s listed, %d account %s",
			what, len(c.CampaignSchedule.Schedules), plural(float64(len(c.CampaignSchedule.Schedules)), "schedule", "schedules"),
			len(c.EmailList), plural(float64(len(c.EmailList)), "account", "accounts"),
			len(c.EmailTagList), plural(float64(len(c.EmailTagList)), "tag", "tags"))
	}

	x.scheduleChecks(d)
	if needsSenders(x.code) {
		x.senderChecks(d)
	}
	x.leadChecks(d)
	x.codeChecks(d)

	a.Causes = x.causes
	a.CrossChecks = g.checks
	sort.SliceStable(a.CrossChecks, func(i, j int) bool { return a.CrossChecks[i].Check < a.CrossChecks[j].Check })
	a.Findings = append(x.evidence, a.Findings...)
	a.blocks = append(make([]string, len(x.evidence)), a.blocks...)
	if e, ok := catalog.Lookup(a.Status); ok {
		a.Steps = append(x.steps, e.StepsFor(x.facts)...)
	} else {
		a.Steps = append(x.steps, a.Steps...)
	}
	if a.Steps == nil {
		a.Steps = []string{}
	}
	switch {
	case len(x.causes) > 0 && x.resume != "":
		a.Answer = x.causes[0] + "; " + x.resume
	case len(x.causes) > 0:
		a.Answer = x.causes[0]
	case x.resume != "":
		a.Answer = x.resume
	}
	if x.code == instantly.StatusCampaignRunningSubsequences && x.facts.SubsequencesSending != nil && *x.facts.SubsequencesSending == 0 {
		a.Severity = catalog.SeverityActionRequired
	}
	a.Headline = headline(*a)
}

// theSchedule is the schedule that governs the diagnosed object: a
// subsequence's own, else the campaign's.
func (x *deep) theSchedule() (*instantly.CampaignSchedule, string) {
	g := x.g
	if g.kind == "subsequence" {
		for i := range g.subs {
			if strings.EqualFold(g.subs[i].ID, g.id) {
				return &g.subs[i].SubsequenceSchedule, "subsequence"
			}
		}
	}
	if g.campaign != nil {
		return &g.campaign.CampaignSchedule, "campaign"
	}
	return nil, ""
}

// scheduleChecks: when it resumes by itself, or why it will not.
func (x *deep) scheduleChecks(d *instantly.Diagnostics) {
	cs, whose := x.theSchedule()
	if cs == nil {
		return
	}
	g, now := x.g, x.g.now
	zone, zoneName, multi := schedule.CampaignZone(*cs)
	if zone == nil {
		zone, zoneName = time.UTC, "UTC"
	}
	from := now
	var why string
	switch x.code {
	case instantly.StatusOutOfSchedule:
		why = "next schedule window"
	case instantly.StatusDailyLimitMet:
		from, why = schedule.NextMidnight(now, zone), "campaign limit resets at midnight "+zoneName+", then the next window"
	case instantly.StatusNewLeadLimitMet:
		from, why = schedule.NextMidnight(now, zone), "new-lead limit resets the next day (assumed midnight "+zoneName+", like the campaign limit; not documented), then the next window"
	case instantly.StatusAccountDailyLimitMet:
		from, why = schedule.NextMidnight(now, time.UTC), "account limits reset at midnight UTC, then the next window"
	case instantly.StatusFollowUpDelayNotMet:
		why = "earliest follow-up due, then the next window"
		if d != nil && d.FollowUpsWaiting != nil && d.FollowUpsWaiting.EarliestWaitTimeSeconds != nil {
			base := now
			if t, ok := parseTime(d.LastUpdated); ok {
				base = t
			}
			if due := base.Add(time.Duration(*d.FollowUpsWaiting.EarliestWaitTimeSeconds * float64(time.Second))); due.After(now) {
				from = due
			}
		}
	}
	r := schedule.Next(*cs, from)
	for _, p := range r.Problems {
		x.fact("%s schedule: %s", whose, p)
	}
	t := true
	if r.EndDatePassed {
		x.facts.EndDatePassed = &t
		x.cause("the %s's end date (%s) has passed: it will not send again until the end date is moved or cleared", whose, r.EndDate)
		x.step(`Move the end date in the "Schedule" tab past today, or clear it.`)
		g.note("schedule", true, "read the %s's schedule: end date %s reached", whose, r.EndDate)
	} else if r.Next == nil {
		x.facts.NoWindow = &t
		if len(r.Problems) > 0 {
			x.cause("the %s's schedule can never open: %s", whose, r.Problems[0])
			x.step(`Fix the "Schedule" tab: %s.`, r.Problems[0])
		}
		g.note("schedule", false, "read the %s's schedule: no window found in the next week", whose)
	} else {
		w := r.Next
		if why != "" {
			x.a.NextSendAt = w.Start.UTC().Format(time.RFC3339)
			x.a.NextSendTimezone = w.Timezone
			x.resume = "resumes " + whenText(w.Start, w.Timezone, now)
			if x.code == instantly.StatusNewLeadLimitMet {
				// Follow-ups may still go out meanwhile; new leads wait.
				x.resume = "new leads resume " + whenText(w.Start, w.Timezone, now)
			}
			x.fact("next send: %s (%s, schedule %q)", whenText(w.Start, w.Timezone, now), why, w.Schedule)
		}
		if w.Start.After(now) {
			g.note("schedule", true, "read the %s's schedule: next window %s", whose, whenText(w.Start, w.Timezone, now))
		} else {
			g.note("schedule", true, "read the %s's schedule: a window is open now, until %s", whose, whenText(w.End, w.Timezone, now))
		}
		if x.code == instantly.StatusOutOfSchedule && !w.Start.After(now) {
			x.fact("by the schedule as it reads now, a window is open; Instantly's status is from %s, so the schedule may have changed since", ago(d.LastUpdated, now))
		}
		if d != nil && d.ScheduleStatus != nil && d.ScheduleStatus.InSchedule != nil && *d.ScheduleStatus.InSchedule &&
			x.code != instantly.StatusOutOfSchedule && schedule.Next(*cs, now).Next != nil && schedule.Next(*cs, now).Next.Start.After(now) {
			x.fact("Instantly says it is in schedule, but the schedule as it reads now has no window open (schedule changed since %s?)", ago(d.LastUpdated, now))
		}
	}
	if why != "" || r.EndDatePassed {
		x.a.Assumptions = append(x.a.Assumptions, r.Assumptions...)
		if multi && (x.code == instantly.StatusDailyLimitMet || x.code == instantly.StatusNewLeadLimitMet) {
			x.a.Assumptions = append(x.a.Assumptions, schedule.AssumeFirstZone)
		}
	}
}

// whenText is "Mon 09:00 America/Detroit (14:00 UTC), in 14 h 20 min".
func whenText(t time.Time, tz string, now time.Time) string {
	loc, err := schedule.Location(tz)
	if err != nil {
		loc, tz = time.UTC, "UTC"
	}
	l, u := t.In(loc), t.UTC()
	utc := u.Format("15:04") + " UTC"
	if u.Weekday() != l.Weekday() {
		utc = u.Format("Mon 15:04") + " UTC"
	}
	s := fmt.Sprintf("%s %s (%s)", l.Format("Mon 15:04"), tz, utc)
	if d := t.Sub(now); d > time.Minute {
		s += ", in " + humanDuration(d.Truncate(time.Minute))
	} else {
		s += ", now"
	}
	return s
}

// senderChecks names the senders that cannot send.
func (x *deep) senderChecks(d *instantly.Diagnostics) {
	g := x.g
	c := g.campaign
	if c == nil {
		return
	}
	if len(c.EmailList) == 0 && len(c.EmailTagList) == 0 {
		x.cause("no sending account is attached: the campaign's email_list and email_tag_list are both empty")
		g.note("senders", true, "the campaign names no sending account and no account tag")
		return
	}
	if !g.accountsOK {
		return
	}
	ss := g.senders()
	tagResolved := g.accountsAll || g.tagsDone
	nTagged := 0
	for _, s := range ss {
		if s.tagged {
			nTagged++
		}
	}
	tagNames, deleted := "", []string(nil)
	if len(c.EmailTagList) > 0 {
		tagNames, deleted = x.tagNames()
	}
	for _, t := range deleted {
		x.cause("the campaign's account tag %s does not exist in the workspace any more (custom-tags does not return it): it was deleted", t)
	}
	if len(c.EmailTagList) > 0 && nTagged == 0 && tagResolved {
		x.cause("the campaign's account %s %s %s no account", plural(float64(len(c.EmailTagList)), "tag", "tags"),
			tagNames, plural(float64(len(c.EmailTagList)), "matches", "match"))
		x.step(`Add accounts to the tag in "Email Accounts" (or attach accounts directly under "Options"): the tag matches no account.`)
	}
	sent := map[string]float64{}
	today := g.now.UTC().Format("2006-01-02")
	bounced := map[string]float64{}
	for _, r := range g.daily {
		e := strings.ToLower(r.EmailAccount)
		if r.Date == today {
			sent[e] += r.Sent
		}
		bounced[e] += r.Bounced
	}

	var blocking []BlockingAccount
	errorsN, notFound, found := 0, 0, 0
	var gapCandidates []sender
	for _, s := range ss {
		if s.acc == nil {
			if g.accountsAll || g.gone[s.email] {
				notFound++ // known to be missing, not merely unread
			}
			continue
		}
		found++
		problem, detail := accountProblem(s.acc)
		if accountInError(s.acc) {
			errorsN++
		}
		if problem == "" && x.code == instantly.StatusAccountDailyLimitMet {
			problem, detail = limitProblem(s.acc, sent, g.dailyOK)
			if problem == "" {
				gapCandidates = append(gapCandidates, s)
			}
		}
		if problem != "" {
			blocking = append(blocking, BlockingAccount{Email: s.acc.Email, Problem: problem, Detail: detail})
		}
	}
	// The accounts waiting for their gap are not marked in the account
	// record: name the ones with the longest gap, as many as Instantly counts.
	if x.code == instantly.StatusAccountDailyLimitMet && d != nil && d.AccountsSummary != nil && d.AccountsSummary.Unavailable != nil &&
		d.AccountsSummary.Unavailable.GlobalGapNotMet != nil && *d.AccountsSummary.Unavailable.GlobalGapNotMet > 0 {
		sort.SliceStable(gapCandidates, func(i, j int) bool { return gap(gapCandidates[i].acc) > gap(gapCandidates[j].acc) })
		n := min(int(*d.AccountsSummary.Unavailable.GlobalGapNotMet), len(gapCandidates))
		for _, s := range gapCandidates[:n] {
			blocking = append(blocking, BlockingAccount{Email: s.acc.Email, Problem: "waiting for its minimum gap between emails",
				Detail: fmt.Sprintf("sending_gap %s min, the longest of the senders not at a limit", num(gap(s.acc)))})
		}
	}
	x.facts.AccountErrors = &errorsN
	defer func() {
		// After the blocking senders' own cause: which other campaigns
		// spend their quota.
		if x.code == instantly.StatusAccountDailyLimitMet {
			x.sharedQuota(blocking)
		}
	}()

	checked := fmt.Sprintf("%d of %d senders found", found, len(ss))
	if nTagged > 0 {
		checked += fmt.Sprintf(" (%d through account tags)", nTagged)
	}
	if !g.accountsAll && !g.tagsDone && len(c.EmailTagList) > 0 {
		checked += fmt.Sprintf("; the tags may carry more accounts than the %d read", g.accountsSeen)
	}
	if notFound > 0 {
		x.cause("%d listed sending %s not found in the workspace (deleted or renamed?)", notFound, plural(float64(notFound), "account is", "accounts are"))
	}
	if unread := len(ss) - found - notFound; unread > 0 {
		checked += fmt.Sprintf("; %d not read (budget or page limit)", unread)
	}
	g.note("senders", true, "%s", checked)

	if len(blocking) > 0 {
		sort.SliceStable(blocking, func(i, j int) bool { return problemRank(blocking[i].Problem) < problemRank(blocking[j].Problem) })
		x.a.BlockingAccounts = blocking
		if len(blocking) > maxBlockingShown {
			x.a.BlockingAccounts = blocking[:maxBlockingShown]
			x.fact("%d more senders cannot send (not listed)", len(blocking)-maxBlockingShown)
		}
		x.cause("%s", blockingSummary(blocking))
		n := 0
		for _, b := range blocking {
			if !isErrorProblem(b.Problem) {
				continue
			}
			if n == 3 {
				x.step("And %d more senders with errors: see blocking_accounts.", countErrors(blocking)-3)
				break
			}
			n++
			what := b.Problem
			if b.Detail != "" {
				what += ": " + b.Detail
			}
			if strings.Contains(b.Problem, "suspended") || strings.Contains(b.Problem, "banned") {
				x.step(`Replace %s in the campaign's "Options" with a healthy account (%s).`, b.Email, what)
			} else {
				x.step(`Reconnect or fix %s (%s) in "Email Accounts"; then mark it fixed so Instantly retries it.`, b.Email, what)
			}
		}
	} else if x.code == instantly.StatusAllAccountsUnhealthy || x.code == instantly.StatusCampaignAccountsUnhealthy {
		x.fact("no sender's account record shows an error now: the accounts may have recovered since Instantly's last check")
	}
	if g.vitals != nil {
		for _, v := range g.vitals.FailureList {
			if f := v.Failing(); len(f) > 0 {
				x.cause("sending domain %s fails %s (Instantly's vitals test)", v.Domain, strings.Join(f, ", "))
				x.step("Fix the DNS of %s: %s %s (Instantly's vitals test).", v.Domain, strings.Join(f, ", "), plural(float64(len(f)), "fails", "fail"))
			}
		}
		if len(g.vitals.FailureList) == 0 {
			g.note("vitals", true, "the senders' domains pass MX, SPF, DKIM and DMARC")
		} else {
			g.note("vitals", true, "%d sending %s failing DNS checks", len(g.vitals.FailureList), plural(float64(len(g.vitals.FailureList)), "domain", "domains"))
		}
	}
	if x.code == instantly.StatusCampaignBounceProtect && len(bounced) > 0 {
		type eb struct {
			e string
			n float64
		}
		var top []eb
		for e, n := range bounced {
			if n > 0 {
				top = append(top, eb{e, n})
			}
		}
		sort.Slice(top, func(i, j int) bool { return top[i].n > top[j].n || top[i].n == top[j].n && top[i].e < top[j].e })
		var parts []string
		for _, t := range top[:min(3, len(top))] {
			parts = append(parts, fmt.Sprintf("%s (%s)", t.e, num(t.n)))
		}
		if len(parts) > 0 {
			x.fact("senders with the most bounces in the last 7 days: %s", strings.Join(parts, ", "))
		}
	}
}

func gap(a *instantly.Account) float64 {
	if a.SendingGap == nil {
		return 0
	}
	return *a.SendingGap
}

// limitProblem: at its daily limit, or held by slow ramp, from today's count.
func limitProblem(a *instantly.Account, sent map[string]float64, haveCounts bool) (string, string) {
	if !haveCounts || a.DailyLimit == nil {
		return "", ""
	}
	n := sent[strings.ToLower(a.Email)]
	if n >= *a.DailyLimit && *a.DailyLimit > 0 {
		return "at its daily limit", fmt.Sprintf("%s of %s sent today, UTC day", num(n), num(*a.DailyLimit))
	}
	if a.EnableSlowRamp != nil && *a.EnableSlowRamp && n > 0 {
		inc := "on"
		if a.Warmup != nil && a.Warmup.Increment != nil {
			inc = "increment " + string(*a.Warmup.Increment) + " per day"
		}
		return "held by slow ramp", fmt.Sprintf("%s sent today, below its daily limit %s: Campaign Slow Ramp (%s) caps it for now", num(n), num(*a.DailyLimit), inc)
	}
	return "", ""
}

func isErrorProblem(p string) bool {
	return strings.Contains(p, "error") || strings.Contains(p, "suspended") || strings.Contains(p, "banned")
}

func countErrors(b []BlockingAccount) int {
	n := 0
	for _, x := range b {
		if isErrorProblem(x.Problem) {
			n++
		}
	}
	return n
}

func problemRank(p string) int {
	switch {
	case isErrorProblem(p):
		return 0
	case strings.Contains(p, "daily limit"):
		return 1
	case strings.Contains(p, "slow ramp"):
		return 2
	}
	return 3
}

// blockingSummary is "2 senders cannot send: 1 connection error, 1 sending error".
func blockingSummary(b []BlockingAccount) string {
	counts := map[string]int{}
	var order []string
	for _, x := range b {
		p, _, _ := strings.Cut(x.Problem, ",")
		if counts[p] == 0 {
			order = append(order, p)
		}
		counts[p]++
	}
	parts := make([]string, len(order))
	for i, p := range order {
		if counts[p] > 1 {
			p = strings.ReplaceAll(p, "its ", "their ")
			if strings.HasSuffix(p, "error") {
				p += "s"
			}
		}
		parts[i] = fmt.Sprintf("%d %s", counts[order[i]], p)
	}
	first := b[0].Email
	s := fmt.Sprintf("%d %s cannot send: %s", len(b), plural(float64(len(b)), "sender", "senders"), strings.Join(parts, ", "))
	if len(b) == 1 {
		s = fmt.Sprintf("%s cannot send: %s", first, b[0].Problem)
		if b[0].Detail != "" {
			s += " (" + b[0].Detail + ")"
		}
	}
	return s
}

// leadChecks: the lead arithmetic.
func (x *deep) leadChecks(d *instantly.Diagnostics) {
	g := x.g
	if !g.anOK || g.kind != "campaign" {
		return
	}
	an := g.analytic
	if an == nil {
		g.note("leads", false, "Instantly returned no analytics row for this campaign")
		return
	}
	l := &Leads{Total: int64(an.LeadsCount), NotYetContacted: max(0, int64(an.LeadsCount-an.ContactedCount)),
		Completed: int64(an.CompletedCount), Bounced: int64(an.BouncedCount), Unsubscribed: int64(an.UnsubscribedCount)}
	x.a.Leads = l
	g.note("leads", true, "read the lead counts: %s leads, %s not yet contacted", num(float64(l.Total)), num(float64(l.NotYetContacted)))
	finished := fmt.Sprintf("%s completed, %s bounced, %s unsubscribed", num(float64(l.Completed)), num(float64(l.Bounced)), num(float64(l.Unsubscribed)))
	var fu float64
	var wait *float64
	if d != nil && d.FollowUpsWaiting != nil && d.FollowUpsWaiting.Count != nil {
		fu = *d.FollowUpsWaiting.Count
		wait = d.FollowUpsWaiting.EarliestWaitTimeSeconds
	}
	switch x.code {
	case instantly.StatusWaitingForLeads:
		if l.Total > 0 && l.NotYetContacted == 0 {
			c := fmt.Sprintf("all %s leads were contacted (%s): add leads", num(float64(l.Total)), finished)
			if fu > 0 && wait != nil && *wait > 0 {
				c += fmt.Sprintf(" or wait %s for %s follow-ups", humanDuration(time.Duration(*wait)*time.Second), num(fu))
			}
			x.cause("%s", c)
		} else if l.Total == 0 {
			x.cause("the campaign has no leads: add leads")
		} else {
			x.cause("%s leads are not yet contacted but none is ready: check they are not blocked (block list, risky or invalid addresses) or held by the new-lead limit", num(float64(l.NotYetContacted)))
		}
	case instantly.StatusCampaignCompleted:
		if l.NotYetContacted == 0 {
			x.cause("all %s leads finished the sequence (%s)", num(float64(l.Total)), finished)
		}
	case instantly.StatusNewLeadLimitMet:
		if l.NotYetContacted > 0 {
			x.fact("%s leads not yet contacted wait for the next day's new-lead quota", num(float64(l.NotYetContacted)))
		}
	case instantly.StatusCampaignBounceProtect:
		if an.EmailsSentCount > 0 {
			x.cause("%s of %s emails bounced (%.1f%%); Instantly does not document the bounce-protect threshold",
				num(an.BouncedCount), num(an.EmailsSentCount), 100*an.BouncedCount/an.EmailsSentCount)
		}
	}
}

// codeChecks: what only some codes need.
func (x *deep) codeChecks(d *instantly.Diagnostics) {
	g := x.g
	c := g.campaign
	switch x.code {
	case instantly.StatusCampaignDraft:
		if c == nil {
			return
		}
		var blockers []string
		if len(c.Sequences) == 0 || len(c.Sequences[0].Steps) == 0 {
			blockers = append(blockers, "the sequence has no email")
			x.step(`Write at least one email in the "Sequences" tab.`)
		} else {
			for i, s := range c.Sequences[0].Steps {
				if len(s.Variants) == 0 || !slices.ContainsFunc(s.Variants, func(v instantly.Variant) bool { return v.VDisabled == nil || !*v.VDisabled }) {
					blockers = append(blockers, fmt.Sprintf("step %d has every variant disabled", i+1))
					x.step(`Enable at least one variant of step %d in the "Sequences" tab.`, i+1)
				}
			}
		}
		if len(c.EmailList) == 0 && len(c.EmailTagList) == 0 {
			blockers = append(blockers, "no sending account is attached")
		}
		if x.a.Leads != nil && x.a.Leads.Total == 0 {
			blockers = append(blockers, "it has no leads")
			x.step(`Add leads ("Leads" tab) before launching.`)
		}
		if len(blockers) > 0 {
			x.cause("never launched, and a launch would not send: %s", strings.Join(blockers, "; "))
		} else {
			x.cause("never launched; nothing found that would block a launch")
		}
	case instantly.StatusCampaignPaused:
		if g.kind == "subsequence" {
			for _, s := range g.subs {
				if strings.EqualFold(s.ID, g.id) {
					x.fact("the subsequence's own status: %s", CampaignStatusName(s.Status))
				}
			}
			if c != nil && c.Status == instantly.CampaignStatusPaused {
				x.cause("its parent campaign is paused too: resume the campaign first")
			}
		} else if c != nil {
			x.pausedChecks()
			switch {
			case c.Status == instantly.CampaignStatusPaused && g.pausedBy != "":
				x.cause("the campaign was %s", g.pausedBy)
			case c.Status == instantly.CampaignStatusPaused && g.auditOK:
				x.cause("the campaign is paused (status 2), last edited %s (timestamp_updated); the audit log names no pause of it since %s", ago(c.TimestampUpdated, g.now), g.auditFrom)
			case c.Status == instantly.CampaignStatusPaused:
				x.cause("the campaign is paused (status 2), last edited %s (timestamp_updated): likely when it was paused; who paused it is in the audit log, which could not be read", ago(c.TimestampUpdated, g.now))
			default:
				x.fact("the campaign's own status is %s now: it may have been resumed since Instantly's check", CampaignStatusName(c.Status))
			}
		}
	case instantly.StatusWaitingForESPMatch:
		if c == nil {
			return
		}
		var rules []string
		for _, r := range c.ProviderRoutingRules {
			rules = append(rules, fmt.Sprintf("%s %s leads from %s senders", strings.ReplaceAll(r.Action, "_", " "), strings.Join(r.RecipientESP, "/"), strings.Join(r.SenderESP, "/")))
		}
		if len(rules) > 0 {
			x.fact("routing rules: %s", strings.Join(rules, "; "))
		}
		have := map[string]int{}
		for _, s := range g.senders() {
			if s.acc != nil {
				have[providerName(s.acc.ProviderCode)]++
			}
		}
		if len(have) > 0 {
			var hv []string
			for _, k := range slices.Sorted(mapsKeys(have)) {
				hv = append(hv, fmt.Sprintf("%d %s", have[k], k))
			}
			x.fact("the campaign's senders: %s", strings.Join(hv, ", "))
			var missing []string
			for _, r := range c.ProviderRoutingRules {
				if r.Action != "send" {
					continue
				}
				for _, e := range r.SenderESP {
					if n := espProvider(e); n != "" && have[n] == 0 && !slices.Contains(missing, n) {
						missing = append(missing, n)
					}
				}
			}
			if len(missing) > 0 {
				x.cause("the routing rules need %s senders, and the campaign has none", strings.Join(missing, " and "))
				x.step(`Add %s sending accounts to the campaign, or add a routing rule that lets the existing senders reach those leads.`, strings.Join(missing, " and "))
			}
		}
	case instantly.StatusDomainLimitReached:
		if c == nil {
			return
		}
		n := ""
		if d != nil && d.DomainLimiter != nil && d.DomainLimiter.DomainsAtLimit != nil {
			n = num(*d.DomainLimiter.DomainsAtLimit) + " company domains"
		}
		if o := c.LimitEmailsPerCompanyOverride; o != nil && o.Mode == "custom" && o.DailyLimit != nil {
			scope := "per campaign"
			if o.Scope != nil {
				scope = strings.ReplaceAll(*o.Scope, "_", " ")
			}
			x.cause("%s at this campaign's own per-company limit: %s emails per company per day (%s); Instantly does not expose which domains", orSome(n), num(*o.DailyLimit), scope)
		} else {
			x.cause("%s at the workspace-wide per-company limit (the campaign does not override it; which domains is not exposed)", orSome(n))
		}
	case instantly.StatusCampaignRunningSubsequences:
		if !g.subsOK {
			return
		}
		sending := 0
		for _, s := range g.subs {
			state := SubsequenceState{ID: s.ID, Name: s.Name, Status: "not checked"}
			if st, ok := g.subStat[s.ID]; ok {
				state.Status = statusCode(st.Diagnostics, st.Summary)
				if state.Status == "" {
					state.Status = "no data yet"
				}
				if state.Status == instantly.StatusHealthy {
					sending++
				}
			}
			x.a.Subsequences = append(x.a.Subsequences, state)
		}
		if len(g.subs) == 0 {
			x.cause("the main sequence is done and the campaign has no subsequence: nothing is left to send")
			zero := 0
			x.facts.SubsequencesSending = &zero
		} else if len(g.subStat) == len(g.subs) {
			x.facts.SubsequencesSending = &sending
			var parts []string
			for _, s := range x.a.Subsequences {
				parts = append(parts, fmt.Sprintf("%q is %s", s.Name, s.Status))
			}
			x.cause("main sequence done; %s", strings.Join(parts, ", "))
		}
	case instantly.StatusHealthy:
		if d != nil && d.CampaignDailyLimit != nil && d.CampaignDailyLimit.Sent != nil && d.CampaignDailyLimit.Limit != nil &&
			d.AccountsSummary != nil && d.AccountsSummary.Available != nil && d.AccountsSummary.TotalConnected != nil {
			x.cause("%s of %s sent today from %s of %s accounts", num(*d.CampaignDailyLimit.Sent), num(*d.CampaignDailyLimit.Limit),
				num(*d.AccountsSummary.Available), num(*d.AccountsSummary.TotalConnected))
		}
		if c != nil && c.EmailGap != nil {
			w := ""
			if c.RandomWaitMax != nil && *c.RandomWaitMax > 0 {
				w = fmt.Sprintf(" plus a random wait of up to %s min", num(*c.RandomWaitMax))
			}
			x.fact("paced by design: %s min between emails%s (email_gap)", num(*c.EmailGap), w)
		}
	}
}

func orSome(s string) string {
	if s == "" {
		return "company domains"
	}
	return s
}

func mapsKeys(m map[string]int) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func providerName(code float64) string {
	switch code {
	case 2:
		return "Google"
	case 3:
		return "Microsoft"
	case 4:
		return "AWS"
	case 8, 11:
		return "AirMail"
	}
	return "custom SMTP"
}

// espProvider maps a routing rule's ESP name to providerName's.
func espProvider(esp string) string {
	switch esp {
	case "google":
		return "Google"
	case "outlook":
		return "Microsoft"
	}
	return ""
}
