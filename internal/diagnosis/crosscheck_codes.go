package diagnosis

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// codeChecks are the checks only some codes need, one function per code.
var codeChecks = map[string]func(*deep){
	instantly.StatusCampaignDraft:               draftChecks,
	instantly.StatusCampaignPaused:              pauseChecks,
	instantly.StatusWaitingForESPMatch:          espChecks,
	instantly.StatusDomainLimitReached:          domainChecks,
	instantly.StatusCampaignRunningSubsequences: subsequenceChecks,
	instantly.StatusHealthy:                     healthyChecks,
	instantly.StatusDailyLimitMet:               dailyLimitChecks,
	instantly.StatusCampaignAccountSuspended:    suspendedChecks,
	instantly.StatusWaitingForLeads:             subsequenceLeadChecks,
}

// subsequenceLeadChecks: leads enter a subsequence on its trigger; none
// waiting in it is not a list to refill.
func subsequenceLeadChecks(x *deep) {
	if x.g.kind != "subsequence" {
		return
	}
	x.cause("no lead is waiting in it: leads enter a subsequence when they meet its trigger, not by being added")
	x.resume = "it sends again when one does"
	x.step("leads", "If leads should have entered it by now, check the subsequence's trigger in the app.")
}

// draftChecks: what would keep a launch from sending.
func draftChecks(x *deep) {
	c := x.g.campaign
	if c == nil {
		return
	}
	var blockers []string
	switch {
	case len(c.Sequences) == 0 || len(c.Sequences[0].Steps) == 0:
		blockers = append(blockers, "the sequence has no email")
		x.step("sequence", `Write at least one email in the "Sequences" tab.`)
	default:
		for i, s := range c.Sequences[0].Steps {
			if slices.ContainsFunc(s.Variants, func(v instantly.Variant) bool { return v.VDisabled == nil || !*v.VDisabled }) {
				continue
			}
			if i == 0 {
				blockers = append(blockers, "step 1 has every variant disabled")
			} else {
				x.fact("Step %d has every variant disabled; what Instantly does with such a step is not documented.", i+1)
			}
			x.step("sequence", `Enable a variant of step %d in the "Sequences" tab, or delete the step.`, i+1)
		}
	}
	if len(c.EmailList) == 0 && len(c.EmailTagList) == 0 {
		blockers = append(blockers, "no sending account is attached")
	}
	if x.a.Leads != nil && x.a.Leads.Total == 0 {
		blockers = append(blockers, "it has no leads")
	}
	if len(blockers) > 0 {
		x.cause("it was never launched, and a launch would send nothing: %s", strings.Join(blockers, "; "))
	} else {
		x.cause("it was never launched; nothing found that would keep a launch from sending")
	}
}

// pauseChecks: who paused a campaign; for a subsequence, its parent.
func pauseChecks(x *deep) {
	g, c := x.g, x.g.campaign
	if g.kind == "subsequence" {
		if s := g.ownSubsequence(); s != nil {
			x.fact("The subsequence's own status: %s.", CampaignStatusName(s.Status))
		}
		if c != nil && c.Status == instantly.CampaignStatusPaused {
			x.cause("its parent campaign is paused too")
		}
		return
	}
	if c == nil {
		return
	}
	x.pausedChecks()
	switch {
	case c.Status == instantly.CampaignStatusPaused && g.pausedBy != "":
		x.cause("it was %s", g.pausedBy)
		if who := g.pausedByName(); who != "" {
			x.step("why", "Ask %s why before resuming: a pause is often deliberate.", who)
		}
	case c.Status == instantly.CampaignStatusPaused && g.pauses != nil:
		x.cause("it is paused, last edited %s; the audit log names no pause of it since %s", ago(c.TimestampUpdated, g.now), g.auditFrom)
	case c.Status == instantly.CampaignStatusPaused:
		x.cause("it is paused, last edited %s (likely when it was paused); who paused it is in the audit log, which could not be read", ago(c.TimestampUpdated, g.now))
	default:
		x.fact("The campaign's own status is %s now: it may have been resumed since Instantly's check.", CampaignStatusName(c.Status))
	}
	if l := x.a.Leads; l != nil && l.NotYetContacted > 0 {
		x.fact("%s of %s leads not yet contacted.", num(float64(l.NotYetContacted)), num(float64(l.Total)))
	}
}

// espChecks: which providers the routing rules need, and which the
// senders cover.
func espChecks(x *deep) {
	c := x.g.campaign
	if c == nil {
		return
	}
	var rules []string
	for _, r := range c.ProviderRoutingRules {
		rules = append(rules, fmt.Sprintf("%s %s leads from %s senders", strings.ReplaceAll(r.Action, "_", " "), strings.Join(r.RecipientESP, "/"), strings.Join(r.SenderESP, "/")))
	}
	if len(rules) > 0 {
		x.fact("Its routing rules: %s.", strings.Join(rules, "; "))
	}
	have := map[string]int{}
	for _, s := range x.g.senders() {
		if s.acc != nil {
			have[providerName(s.acc.ProviderCode)]++
		}
	}
	if len(have) == 0 {
		return
	}
	var hv []string
	for _, k := range slices.Sorted(maps.Keys(have)) {
		hv = append(hv, fmt.Sprintf("%d %s", have[k], k))
	}
	x.fact("Its senders: %s.", strings.Join(hv, ", "))
	var missing []string
	for _, r := range c.ProviderRoutingRules {
		for _, e := range r.SenderESP {
			if n := espProvider(e); r.Action == "send" && n != "" && have[n] == 0 && !slices.Contains(missing, n) {
				missing = append(missing, n)
			}
		}
	}
	if len(missing) > 0 {
		x.cause("its routing rules need %s senders, and it has none", strings.Join(missing, " and "))
		x.step("senders", `Add %s sending accounts to the campaign under "Options".`, strings.Join(missing, " and "))
	}
}

// domainChecks: which per-company limit holds the leads.
func domainChecks(x *deep) {
	c, d := x.g.campaign, x.d
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
		x.cause("%s reached this campaign's own per-company limit today, %s emails per company (%s); which domains, Instantly does not say", orSome(n), num(*o.DailyLimit), scope)
	} else {
		x.cause("%s reached the workspace's per-company limit today (the campaign does not override it); which domains, Instantly does not say", orSome(n))
	}
	x.resume = "they can be emailed again the next day"
}

// subsequenceChecks: the main sequence is done; what its subsequences do.
func subsequenceChecks(x *deep) {
	g := x.g
	if g.subs == nil {
		return
	}
	sending := 0
	for _, s := range g.subs.items {
		state := SubsequenceState{ID: s.ID, Name: s.Name, Status: "not checked"}
		if st, ok := g.subs.status[s.ID]; ok {
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
	switch {
	case len(g.subs.items) == 0:
		x.cause("the main sequence is done and the campaign has no subsequence: nothing is left to send")
		zero := 0
		x.facts.SubsequencesSending = &zero
	case len(g.subs.status) == len(g.subs.items):
		x.facts.SubsequencesSending = &sending
		var parts []string
		for _, s := range x.a.Subsequences {
			parts = append(parts, fmt.Sprintf("%q is %s", s.Name, subsequenceWords(s.Status)))
		}
		x.cause("the main sequence is done; %s", strings.Join(parts, ", "))
	}
}

func subsequenceWords(code string) string {
	if code == instantly.StatusHealthy {
		return "sending"
	}
	return code
}

// healthyChecks: the numbers of a campaign that sends, and its pacing.
func healthyChecks(x *deep) {
	d, c := x.d, x.g.campaign
	if d != nil && d.CampaignDailyLimit != nil && d.CampaignDailyLimit.Sent != nil && d.CampaignDailyLimit.Limit != nil &&
		d.AccountsSummary != nil && d.AccountsSummary.Available != nil && d.AccountsSummary.TotalConnected != nil {
		x.cause("it is sending: %s of %s sent today, from %s of %s senders", num(*d.CampaignDailyLimit.Sent), num(*d.CampaignDailyLimit.Limit),
			num(*d.AccountsSummary.Available), num(*d.AccountsSummary.TotalConnected))
	}
	if c != nil && c.EmailGap != nil {
		w := ""
		if c.RandomWaitMax != nil && *c.RandomWaitMax > 0 {
			w = fmt.Sprintf(" plus a random wait of up to %s min", num(*c.RandomWaitMax))
		}
		x.fact("Paced by design: %s min between emails%s.", num(*c.EmailGap), w)
	}
}

// dailyLimitChecks: whether its senders have room for a higher campaign
// limit, at the usual 30 a day each.
func dailyLimitChecks(x *deep) {
	d := x.d
	if d == nil || d.CampaignDailyLimit == nil || d.CampaignDailyLimit.Limit == nil || d.AccountsSummary == nil ||
		d.AccountsSummary.Available == nil || d.AccountsSummary.TotalConnected == nil {
		return
	}
	limit, avail := *d.CampaignDailyLimit.Limit, *d.AccountsSummary.Available
	x.cause("it sent its daily limit of %s emails today", num(limit))
	if avail <= 0 || avail != *d.AccountsSummary.TotalConnected {
		return // some senders cannot send: the catalog's steps say what to do first
	}
	ceiling := 30 * avail
	if limit < ceiling {
		x.step("raise", `To send more per day, raise "Daily Limit" under the campaign's "Options": its %s senders can take about %s a day at the usual 30 each.`,
			num(avail), num(ceiling))
	} else {
		x.step("raise", `To send more per day, add sending accounts first: its %s senders are at the usual 30 a day each already.`, num(avail))
	}
}

// suspendedChecks: whose suspension "Account suspended" is, is not
// documented; say what the senders show.
func suspendedChecks(x *deep) {
	for _, b := range x.a.BlockingAccounts {
		if b.ErrorClass != "" || strings.Contains(b.Problem, "suspended") || strings.Contains(b.Problem, "banned") {
			if len(x.causes) > 0 {
				x.causes[0] = `Instantly marks it "Account suspended" without documenting whose suspension that is; ` + x.causes[0]
			}
			return
		}
	}
	if x.facts.AccountErrors != nil {
		x.cause(`no sender of it shows a suspension or an error; whose suspension "Account suspended" means is not documented`)
		x.step("support", "Ask Instantly support what is suspended, with the campaign's id.")
	}
}

// leadChecks: the lead arithmetic, and what it means for the code.
func (x *deep) leadChecks() {
	g := x.g
	if g.leads == nil || g.kind != "campaign" {
		return
	}
	an := g.leads.row
	if an == nil {
		g.note("leads", false, "Instantly returned no analytics row for this campaign")
		return
	}
	l := &Leads{Total: int64(an.LeadsCount), NotYetContacted: max(0, int64(an.LeadsCount-an.ContactedCount)),
		Completed: int64(an.CompletedCount), Bounced: int64(an.BouncedCount), Unsubscribed: int64(an.UnsubscribedCount)}
	x.a.Leads = l
	x.facts.Leads, x.facts.NotContacted = &l.Total, &l.NotYetContacted
	g.note("leads", true, "read the lead counts: %s leads, %s not yet contacted", num(float64(l.Total)), num(float64(l.NotYetContacted)))
	if check := leadChecksByCode[x.code]; check != nil {
		check(x, l, an)
	} else if l.NotYetContacted > 0 && x.code != instantly.StatusCampaignPaused {
		x.fact("%s of %s leads not yet contacted.", num(float64(l.NotYetContacted)), num(float64(l.Total)))
	}
}

// leadChecksByCode are what the lead counts mean, for the codes whose
// cause is in them.
var leadChecksByCode = map[string]func(*deep, *Leads, *instantly.CampaignAnalytics){
	instantly.StatusWaitingForLeads:             waitingLeads,
	instantly.StatusCampaignCompleted:           completedLeads,
	instantly.StatusNewLeadLimitMet:             newLeadLimitLeads,
	instantly.StatusCampaignBounceProtect:       bounceLeads,
	instantly.StatusFollowUpDelayNotMet:         followUpLeads,
	instantly.StatusCampaignRunningSubsequences: func(*deep, *Leads, *instantly.CampaignAnalytics) {},
	instantly.StatusCampaignDraft:               func(*deep, *Leads, *instantly.CampaignAnalytics) {},
}

func finishedWords(l *Leads) string {
	return fmt.Sprintf("%s completed, %s bounced, %s unsubscribed", num(float64(l.Completed)), num(float64(l.Bounced)), num(float64(l.Unsubscribed)))
}

func waitingLeads(x *deep, l *Leads, _ *instantly.CampaignAnalytics) {
	switch {
	case l.Total > 0 && l.NotYetContacted == 0:
		c := fmt.Sprintf("all %s leads were contacted (%s)", num(float64(l.Total)), finishedWords(l))
		if d := x.d; d != nil && d.FollowUpsWaiting != nil && d.FollowUpsWaiting.Count != nil && *d.FollowUpsWaiting.Count > 0 &&
			d.FollowUpsWaiting.EarliestWaitTimeSeconds != nil && *d.FollowUpsWaiting.EarliestWaitTimeSeconds > 0 {
			x.resume = fmt.Sprintf("%s follow-ups are due in %s; new leads are needed to send more", num(*d.FollowUpsWaiting.Count),
				humanDuration(time.Duration(*d.FollowUpsWaiting.EarliestWaitTimeSeconds)*time.Second))
		} else {
			x.resume = "it needs new leads to send again"
		}
		x.cause("%s", c)
	case l.Total == 0:
		x.cause("the campaign has no leads")
	default:
		x.cause("%s leads are not yet contacted but none is ready: check they are not blocked (block list, risky or invalid addresses) or held by the new-lead limit", num(float64(l.NotYetContacted)))
	}
}

func completedLeads(x *deep, l *Leads, _ *instantly.CampaignAnalytics) {
	if l.NotYetContacted == 0 {
		x.cause("all %s leads finished the sequence (%s)", num(float64(l.Total)), finishedWords(l))
		x.resume = "it has nothing left to send"
	}
}

func newLeadLimitLeads(x *deep, l *Leads, _ *instantly.CampaignAnalytics) {
	if d := x.d; d != nil && d.NewLeadLimit != nil && d.NewLeadLimit.Limit != nil {
		x.cause("it contacted its %s new leads for today", num(*d.NewLeadLimit.Limit))
	}
	if l.NotYetContacted > 0 {
		x.fact("%s of %s leads not yet contacted wait for the next day's new-lead quota.", num(float64(l.NotYetContacted)), num(float64(l.Total)))
	}
}

// bounceLeads: the bounce rate is bounced leads over contacted leads
// (bounced_count counts leads, not emails).
func bounceLeads(x *deep, l *Leads, an *instantly.CampaignAnalytics) {
	if an.ContactedCount > 0 {
		x.cause("Instantly paused it for bounces: %s of its %s contacted leads bounced (%.1f%%); Instantly does not document the threshold",
			num(an.BouncedCount), num(an.ContactedCount), 100*an.BouncedCount/an.ContactedCount)
	}
}

// followUpLeads: leads never contacted while no lead is ready is an
// anomaly of its own; follow-ups' delays do not hold new leads back.
func followUpLeads(x *deep, l *Leads, _ *instantly.CampaignAnalytics) {
	d := x.d
	if l.NotYetContacted == 0 || d == nil || d.LeadsStatus == nil || d.LeadsStatus.NoLeadsReady == nil || !*d.LeadsStatus.NoLeadsReady {
		return
	}
	x.fact("%s of %s leads were never contacted, yet no lead is ready: Instantly does not say why (the block list, risky or invalid addresses, or the new-lead limit can hold leads back).",
		num(float64(l.NotYetContacted)), num(float64(l.Total)))
	x.step("leads", `Open the campaign's "Leads" tab, filtered to "Not yet contacted", to see what holds those %s leads back.`, num(float64(l.NotYetContacted)))
}

func orSome(s string) string {
	if s == "" {
		return "company domains"
	}
	return s
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
