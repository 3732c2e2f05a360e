package diagnosis

import (
	"fmt"
	"slices"
	"sort"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
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
	// ErrorClass is what its SMTP or IMAP error means (credentials,
	// provider_quota, throttled, policy_block, account_disabled, unknown);
	// empty for a sender held by a limit.
	ErrorClass string `json:"error_class,omitempty"`
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

// maxSteps is the most steps an answer gives: the one that unblocks
// sending first.
const maxSteps = 4

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

// baseFacts are the facts the sending status alone gives.
func baseFacts(kind string, d *instantly.Diagnostics) catalog.Facts {
	f := catalog.Facts{Kind: kind}
	if d == nil {
		return f
	}
	if acc := d.AccountsSummary; acc != nil {
		f.TotalConnected, f.Available = acc.TotalConnected, acc.Available
		if acc.Unavailable != nil {
			f.Disconnected, f.DailyLimitHit = acc.Unavailable.Disconnected, acc.Unavailable.DailyLimitHit
		}
	}
	if fu := d.FollowUpsWaiting; fu != nil {
		f.FollowUpsWaiting = fu.Count
	}
	if ls := d.LeadsStatus; ls != nil {
		f.DelayNotMetSkips = ls.DelayNotMetSkips
	}
	if cdl := d.CampaignDailyLimit; cdl != nil {
		f.SentToday = cdl.Sent
	}
	return f
}

// deep collects what crossCheck concludes.
type deep struct {
	a        *Analysis
	g        *gather
	d        *instantly.Diagnostics
	code     string
	facts    catalog.Facts
	causes   []string // concrete causes, most telling first
	evidence []string // facts for the text, each once
	steps    []catalog.Step
	resume   string // "it sends again Mon 09:00 …" or ""
	// scheduleBlocks: an end date passed or a schedule that cannot open
	// is a cause of its own.
	scheduleBlocks bool
	// gapWait is the sender that can send soonest, waiting only for its
	// gap between emails (account_daily_limit_met).
	gapWait *gapSender
}

func (x *deep) cause(format string, args ...any) {
	x.causes = append(x.causes, fmt.Sprintf(format, args...))
}
func (x *deep) fact(format string, args ...any) {
	x.evidence = append(x.evidence, fmt.Sprintf(format, args...))
}

// step adds a concrete step about topic; a catalog step on the same topic
// then gives way to it.
func (x *deep) step(topic, format string, args ...any) {
	x.steps = append(x.steps, catalog.Step{Text: fmt.Sprintf(format, args...), Topic: topic})
}

// crossCheck reads what the gather found into the analysis: the concrete
// cause, when it resumes, the blocking senders, the lead arithmetic, the
// steps that fit the facts, and what could not be checked.
func crossCheck(res *StatusResult, g *gather, st *instantly.SendingStatus) {
	a := &res.Analysis
	x := &deep{a: a, g: g, code: a.Status}
	if st != nil {
		x.d = st.Diagnostics
	}
	x.facts = baseFacts(a.Kind, x.d)
	x.readCampaign()
	if needsSenders(x.code) {
		x.senderChecks()
	}
	x.leadChecks()
	x.scheduleChecks()
	if check := codeChecks[x.code]; check != nil {
		check(x)
	}
	x.conclude()
}

// readCampaign names the campaign and notes what its settings say.
func (x *deep) readCampaign() {
	g, c := x.g, x.g.campaign
	if c == nil {
		if an := g.analyticsRow(); an != nil && an.CampaignName != "" {
			x.a.CampaignName = an.CampaignName
		}
		return
	}
	x.a.CampaignName = c.Name
	if g.kind == "subsequence" {
		if s := g.ownSubsequence(); s != nil {
			x.a.SubsequenceName = s.Name
		}
	}
	tags := len(c.EmailTagList) > 0
	x.facts.UsesTags = &tags
	what := "campaign"
	if g.kind == "subsequence" {
		what = "parent campaign"
	}
	g.note("campaign", true, "read the %s's settings: %d %s, %d sending %s listed, %d account %s",
		what, len(c.CampaignSchedule.Schedules), plural(float64(len(c.CampaignSchedule.Schedules)), "schedule", "schedules"),
		len(c.EmailList), plural(float64(len(c.EmailList)), "account", "accounts"),
		len(c.EmailTagList), plural(float64(len(c.EmailTagList)), "tag", "tags"))
}

// conclude writes the answer: causes, evidence, steps (concrete first,
// then the catalog's that fit and are not said already), the answer.
func (x *deep) conclude() {
	a, g := x.a, x.g
	a.Causes = x.causes
	a.CrossChecks = g.checks
	sort.SliceStable(a.CrossChecks, func(i, j int) bool { return a.CrossChecks[i].Check < a.CrossChecks[j].Check })
	a.Findings = append(x.evidence, a.Findings...)
	blocks := make([]string, len(x.evidence))
	for i := range blocks {
		blocks[i] = deepBlock
	}
	a.blocks = append(blocks, a.blocks...)
	a.Steps = stepTexts(x.allSteps())
	if x.code == instantly.StatusCampaignRunningSubsequences && x.facts.SubsequencesSending != nil && *x.facts.SubsequencesSending == 0 {
		a.Severity = catalog.SeverityActionRequired
	}
	if x.scheduleBlocks && (a.Severity == catalog.SeverityOK || a.Severity == catalog.SeverityWaiting) {
		// Its schedule cannot open again: nothing clears by itself.
		a.Severity = catalog.SeverityActionRequired
	}
	a.answerCause, a.answerWhen = "", x.resume
	if len(x.causes) > 0 {
		a.answerCause = x.causes[0]
	}
	switch {
	case a.answerCause != "" && x.resume != "":
		a.Answer = a.answerCause + "; " + x.resume
	case a.answerCause != "":
		a.Answer = a.answerCause
	default:
		a.Answer = x.resume
	}
	a.Headline = headline(*a)
}

// allSteps are the concrete steps, then the catalog's that fit the facts
// on a topic not covered yet, at most maxSteps.
func (x *deep) allSteps() []catalog.Step {
	out := x.steps
	covered := map[string]bool{}
	for _, s := range out {
		covered[s.Topic] = true
	}
	var fit []catalog.Step
	if e, ok := catalog.Lookup(x.code); ok {
		fit = e.StepsFit(x.facts)
	} else {
		for _, s := range x.a.Steps {
			fit = append(fit, catalog.Step{Text: s})
		}
	}
	for _, s := range fit {
		if s.Topic == "" || !covered[s.Topic] {
			out = append(out, s)
			covered[s.Topic] = true
		}
	}
	// A concrete step with no text only covers its topic.
	out = slices.DeleteFunc(slices.Clone(out), func(s catalog.Step) bool { return s.Text == "" })
	return out[:min(len(out), maxSteps)]
}

func stepTexts(steps []catalog.Step) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = s.Text
	}
	return out
}

// deepBlock marks the findings the cross-checks wrote (see Analysis.blocks).
const deepBlock = "cross_checks"
