package diagnosis

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

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
		problem = accountStatusWords[*a.Status]
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

// accountStatusWords are the documented account statuses that keep it
// from sending.
var accountStatusWords = map[float64]string{
	-1: "connection error",
	-2: "soft bounce error",
	-3: "sending error",
	2:  "paused",
	3:  "under maintenance (Instantly resumes it shortly)",
}

func joinProblem(a, b string) string {
	if a == "" {
		return b
	}
	return a + ", " + b
}

// errorClass reads the account's error into the reply table's class.
func errorClass(a *instantly.Account) catalog.ErrorClass {
	m := a.StatusMessage
	if m == nil {
		return catalog.ErrorUnknown
	}
	code := 0
	if m.ResponseCode != nil {
		code = int(*m.ResponseCode)
	}
	return catalog.ClassifyReply(code, m.Response, m.EMessage, m.Code)
}

// gapSender is a sender that waits only for its gap between emails.
type gapSender struct {
	email string
	gap   float64   // minutes
	ready time.Time // when the gap is over at the latest
}

// senderChecks names the senders that cannot send, and why.
func (x *deep) senderChecks() {
	g := x.g
	c := g.campaign
	if c == nil {
		return
	}
	if len(c.EmailList) == 0 && len(c.EmailTagList) == 0 {
		zero := 0
		x.facts.Attached = &zero
		x.cause("no sending account is attached: the campaign lists no account and no account tag")
		g.note("senders", true, "the campaign names no sending account and no account tag")
		return
	}
	if g.pool.first == nil {
		return
	}
	ss := g.senders()
	attached := len(ss)
	x.facts.Attached = &attached
	x.tagChecks(ss)
	blocking, found, notFound := x.blockingSenders(ss)
	x.noteSenders(ss, found, notFound)
	x.reportBlocking(blocking)
	x.vitalsChecks(ss)
	if x.code == instantly.StatusAccountDailyLimitMet {
		x.sharedQuota(blocking)
	}
	if x.code == instantly.StatusCampaignBounceProtect {
		x.bounceSenders()
	}
}

// tagChecks: the campaign's account tags, deleted or matching no account.
func (x *deep) tagChecks(ss []sender) {
	g, c := x.g, x.g.campaign
	if len(c.EmailTagList) == 0 {
		return
	}
	nTagged := 0
	for _, s := range ss {
		if s.tagged {
			nTagged++
		}
	}
	tagNames, deleted := x.tagNames()
	for _, t := range deleted {
		x.cause("the campaign's account tag %s does not exist in the workspace any more: it was deleted", t)
	}
	if nTagged == 0 && (g.pool.all || g.pool.tagsDone) {
		x.cause("the campaign's account %s %s %s no account", plural(float64(len(c.EmailTagList)), "tag", "tags"),
			tagNames, plural(float64(len(c.EmailTagList)), "matches", "match"))
		x.step("senders", `Add accounts to the tag in "Email Accounts", or attach accounts directly under the campaign's "Options".`)
		x.step("tags", "")
	}
}

// blockingSenders are the senders that cannot send, worst first; found
// counts the senders read, notFound those known to be missing.
func (x *deep) blockingSenders(ss []sender) (blocking []BlockingAccount, found, notFound int) {
	g := x.g
	sent := g.sentToday()
	errorsN := 0
	var gapCandidates []sender
	for _, s := range ss {
		if s.acc == nil {
			if g.pool.all || g.pool.gone[s.email] {
				notFound++ // known to be missing, not merely unread
			}
			continue
		}
		found++
		problem, detail := accountProblem(s.acc)
		class := ""
		if accountInError(s.acc) {
			errorsN++
			class = string(errorClass(s.acc))
		}
		if problem == "" && x.code == instantly.StatusAccountDailyLimitMet {
			problem, detail = limitProblem(s.acc, sent, g.daily != nil)
			if problem == "" {
				gapCandidates = append(gapCandidates, s)
			}
		}
		if problem != "" {
			blocking = append(blocking, BlockingAccount{Email: s.acc.Email, Problem: problem, Detail: detail, ErrorClass: class})
		}
	}
	x.facts.AccountErrors = &errorsN
	blocking = append(blocking, x.gapWaiters(gapCandidates)...)
	sort.SliceStable(blocking, func(i, j int) bool { return problemRank(blocking[i].Problem) < problemRank(blocking[j].Problem) })
	return blocking, found, notFound
}

// gapWaiters: the accounts waiting for their gap are not marked in the
// account record: name the ones with the longest gap, as many as Instantly
// counts. The first of them can send again at the latest one gap after
// Instantly's check.
func (x *deep) gapWaiters(candidates []sender) []BlockingAccount {
	d := x.d
	if x.code != instantly.StatusAccountDailyLimitMet || d == nil || d.AccountsSummary == nil || d.AccountsSummary.Unavailable == nil ||
		d.AccountsSummary.Unavailable.GlobalGapNotMet == nil || *d.AccountsSummary.Unavailable.GlobalGapNotMet <= 0 {
		return nil
	}
	sort.SliceStable(candidates, func(i, j int) bool { return gap(candidates[i].acc) > gap(candidates[j].acc) })
	n := min(int(*d.AccountsSummary.Unavailable.GlobalGapNotMet), len(candidates))
	var out []BlockingAccount
	checked, ok := parseTime(d.LastUpdated)
	if !ok {
		checked = x.g.now
	}
	for _, s := range candidates[:n] {
		out = append(out, BlockingAccount{Email: s.acc.Email, Problem: "waiting for its minimum gap between emails",
			Detail: fmt.Sprintf("%s min between emails, the longest of the senders not at a limit", num(gap(s.acc)))})
		ready := checked.Add(time.Duration(gap(s.acc) * float64(time.Minute)))
		if ready.Before(x.g.now) {
			ready = x.g.now
		}
		if x.gapWait == nil || ready.Before(x.gapWait.ready) {
			x.gapWait = &gapSender{email: s.acc.Email, gap: gap(s.acc), ready: ready}
		}
	}
	return out
}

// noteSenders says how much of the sender set was read.
func (x *deep) noteSenders(ss []sender, found, notFound int) {
	g, c := x.g, x.g.campaign
	nTagged := 0
	for _, s := range ss {
		if s.tagged {
			nTagged++
		}
	}
	checked := fmt.Sprintf("%d of %d senders found", found, len(ss))
	if nTagged > 0 {
		checked += fmt.Sprintf(" (%d through account tags)", nTagged)
	}
	if !g.pool.all && !g.pool.tagsDone && len(c.EmailTagList) > 0 {
		checked += fmt.Sprintf("; the tags may carry more accounts than the %d read", g.pool.seen)
	}
	if notFound > 0 {
		x.cause("%d listed sending %s not found in the workspace (deleted or renamed?)", notFound, plural(float64(notFound), "account is", "accounts are"))
	}
	if unread := len(ss) - found - notFound; unread > 0 {
		checked += fmt.Sprintf("; %d not read (budget or page limit)", unread)
	}
	g.note("senders", true, "%s", checked)
}

// sentToday is each sender's count of today (UTC) from the daily analytics.
func (g *gather) sentToday() map[string]float64 {
	sent := map[string]float64{}
	today := g.now.UTC().Format("2006-01-02")
	for _, r := range g.dailyRows() {
		if r.Date == today {
			sent[strings.ToLower(r.EmailAccount)] += r.Sent
		}
	}
	return sent
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
			inc = "+" + string(*a.Warmup.Increment) + " per day"
		}
		return "held by slow ramp", fmt.Sprintf("%s sent today of %s: Campaign Slow Ramp (%s) caps it for now", num(n), num(*a.DailyLimit), inc)
	}
	return "", ""
}

func isErrorProblem(p string) bool {
	return strings.Contains(p, "error") || strings.Contains(p, "suspended") || strings.Contains(p, "banned")
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
