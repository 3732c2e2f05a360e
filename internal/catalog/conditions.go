package catalog

import (
	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// Facts are what a diagnosis knows when it picks the steps to show. A nil
// pointer is a fact it does not know; an unknown fact never hides a step (it
// cannot contradict it), a known one hides every step it contradicts.
type Facts struct {
	// Kind is "campaign" or "subsequence".
	Kind string

	// From accounts_summary.
	TotalConnected, Available, Disconnected, DailyLimitHit *float64
	// From follow_ups_waiting and leads_status.
	FollowUpsWaiting, DelayNotMetSkips *float64
	// SentToday: campaign_daily_limit.sent.
	SentToday *float64

	// From the cross-checks.
	//
	// UsesTags: the campaign's email_tag_list is not empty.
	UsesTags *bool
	// Attached: the sending accounts the campaign names (email_list plus
	// the accounts of its tags, as far as they were read).
	Attached *int
	// AccountErrors: senders found in an error state (connection, soft
	// bounce, sending error); nil when the senders were not checked.
	AccountErrors *int
	// EndDatePassed: the schedule's end date is over.
	EndDatePassed *bool
	// NoWindow: no schedule window can ever open (bad timezone, no day).
	NoWindow *bool
	// SubsequencesSending: how many of a campaign's subsequences report
	// healthy; nil when they were not checked.
	SubsequencesSending *int
	// Leads and NotContacted: the campaign's leads, and those not yet
	// contacted (campaigns/analytics).
	Leads, NotContacted *int64
}

// Cond is a condition on the facts: true when the step fits them.
type Cond func(Facts) bool

// need is what one step of an entry needs of the facts. word is a word of
// the step, checked by a test so that an edit of the catalog that moves
// steps cannot attach a need to the wrong one. topic names what the step
// is about: a concrete step of the diagnosis on the same topic replaces
// it. sub is the step's text for a subsequence ("" drops it there).
type need struct {
	word  string
	topic string
	when  Cond
	sub   string
}

func zero(p *float64) bool        { return p != nil && *p == 0 }
func positive(p *float64) bool    { return p != nil && *p > 0 }
func isTrue(p *bool) bool         { return p != nil && *p }
func isFalse(p *bool) bool        { return p != nil && !*p }
func noneFound(p *int) bool       { return p != nil && *p == 0 }
func some(p *int) bool            { return p != nil && *p > 0 }
func noneLeft(p *int64) bool      { return p != nil && *p == 0 }
func someLeft(p *int64) bool      { return p != nil && *p > 0 }
func always(Facts) bool           { return true }
func notSubsequence(f Facts) bool { return f.Kind != "subsequence" }

// noLeadsLeft: no lead is left to contact (or that is not known).
func noLeadsLeft(f Facts) bool { return !someLeft(f.NotContacted) }

// reconnectFits: an account is disconnected or in error, or it is not
// known that none is.
func reconnectFits(f Facts) bool {
	if f.AccountErrors != nil {
		return *f.AccountErrors > 0
	}
	return !zero(f.Disconnected)
}

const resumeParent = `Resume its parent campaign (its "Resume"); whether the subsequence resumes with it is not documented, so check its status again after.`
const subsequenceLeads = `Leads enter a subsequence when they meet its trigger, not by being added: it sends again when one does.`

// needs are the needs of every catalog step, by code, in the order of the
// entry's steps (a test checks there is one per step).
var needs = map[string][]need{
	instantly.StatusCampaignDraft: {
		{"Add leads", "leads", func(f Facts) bool { return !(f.Leads != nil && *f.Leads > 0) }, ""},
		{"Attach", "senders", func(f Facts) bool { return !some(f.Attached) && !positive(f.TotalConnected) }, ""},
		{"Launch", "launch", always, ""},
	},
	instantly.StatusCampaignPaused: {
		{"who paused", "why", always, ""},
		{"Resume", "resume", notSubsequence, resumeParent},
	},
	instantly.StatusCampaignCompleted: {
		{"meant to be over", "over", always, ""},
		{"add new leads", "leads", notSubsequence, `To send again, add new leads to its parent campaign; leads enter the subsequence by its trigger.`},
		{"clone", "clone", notSubsequence, ""},
	},
	instantly.StatusCampaignBounceProtect: {
		{"Verify", "clean", always, ""},
		{"copy", "copy", always, ""},
		{"Resume", "resume", notSubsequence, `Then resume: bounce protect will not pause it again for 7 days, so resume only once the list is clean.`},
		{"Leave bounce protect on", "keep", always, ""},
	},
	instantly.StatusAllAccountsUnhealthy: {
		{"filter by status", "find", func(f Facts) bool { return f.AccountErrors == nil }, ""},
		{"Reconnect", "fix", reconnectFits, ""},
		{"Resume", "resume", func(f Facts) bool { return notSubsequence(f) && !positive(f.Available) }, ""},
	},
	instantly.StatusCampaignAccountsUnhealthy: {
		{"reconnect", "fix", reconnectFits, ""},
		{"Resume", "resume", notSubsequence, resumeParent},
	},
	instantly.StatusCampaignAccountSuspended: {
		{"suspended or banned", "fix", always, ""},
		{"Instantly support", "support", always, ""},
	},
	instantly.StatusNoAccountsAvailable: {
		{"Attach", "senders", func(f Facts) bool { return !some(f.Attached) }, ""},
		{"account tag", "tags", func(f Facts) bool { return !isFalse(f.UsesTags) }, ""},
		{"Reconnect", "fix", func(f Facts) bool { return positive(f.TotalConnected) && reconnectFits(f) }, ""},
	},
	instantly.StatusWaitingForLeads: {
		{"Add new leads", "leads", func(f Facts) bool { return notSubsequence(f) && noLeadsLeft(f) }, subsequenceLeads},
		{"not blocked", "blocked", func(f Facts) bool { return notSubsequence(f) && !noneLeft(f.NotContacted) }, ""},
		{"step's delay", "delay", func(f Facts) bool { return positive(f.FollowUpsWaiting) || positive(f.DelayNotMetSkips) }, ""},
	},
	instantly.StatusWaitingForESPMatch: {
		{"Add sending accounts", "senders", always, ""},
		{"Provider Matching", "rules", always, ""},
	},
	instantly.StatusOutOfSchedule: {
		{"Nothing to fix", "wait", func(f Facts) bool { return !isTrue(f.EndDatePassed) && !isTrue(f.NoWindow) }, ""},
		{"widen", "schedule", always, ""},
	},
	instantly.StatusDailyLimitMet: {
		{"Nothing to fix", "wait", always, ""},
		{"raise", "raise", func(f Facts) bool { return !positive(f.DailyLimitHit) && !zero(f.Available) }, ""},
		{"own limits", "senders", func(f Facts) bool { return positive(f.DailyLimitHit) }, ""},
	},
	instantly.StatusAccountDailyLimitMet: {
		{"Nothing to fix", "wait", always, ""},
		{"Reconnect", "fix", func(f Facts) bool { return !zero(f.Disconnected) }, ""},
		{"add sending accounts", "more", always, ""},
	},
	instantly.StatusNewLeadLimitMet: {
		{"Nothing to fix", "wait", always, ""},
		{"Max new leads", "raise", always, ""},
	},
	instantly.StatusDomainLimitReached: {
		{"Nothing to fix", "wait", always, ""},
		{"Limit emails per company", "raise", always, ""},
	},
	instantly.StatusFollowUpDelayNotMet: {
		{"Nothing to fix", "wait", always, ""},
		{"add new leads", "leads", func(f Facts) bool { return notSubsequence(f) && noLeadsLeft(f) }, ""},
	},
	instantly.StatusCampaignRunningSubsequences: {
		{"Nothing to fix", "wait", func(f Facts) bool { return !noneFound(f.SubsequencesSending) }, ""},
		{"add new leads", "leads", notSubsequence, ""},
	},
	instantly.StatusHealthy: {
		{"Nothing to fix", "wait", always, ""},
		{"Just launched", "launch", func(f Facts) bool { return !positive(f.SentToday) }, ""},
	},
}

// Step is a step that fits the facts, and its topic.
type Step struct {
	Text  string
	Topic string
}

// StepsFit returns the entry's steps that fit the facts, with their
// topics: a step whose need the facts contradict is dropped, and on a
// subsequence a step that only fits a campaign gives way to its
// subsequence text.
func (e Entry) StepsFit(f Facts) []Step {
	ns := needs[e.Code]
	out := make([]Step, 0, len(e.Steps))
	for i, s := range e.Steps {
		if i >= len(ns) { // a code without needs (Generic): every step fits
			out = append(out, Step{Text: s})
			continue
		}
		n := ns[i]
		if n.topic == "wait" && (isTrue(f.EndDatePassed) || isTrue(f.NoWindow)) {
			continue // it will not clear by itself: its schedule cannot open again
		}
		switch {
		case n.when(f):
			out = append(out, Step{Text: s, Topic: n.topic})
		case f.Kind == "subsequence" && n.sub != "" && n.when(withKind(f, "campaign")):
			out = append(out, Step{Text: n.sub, Topic: n.topic})
		}
	}
	return out
}

func withKind(f Facts, kind string) Facts { f.Kind = kind; return f }

// StepsFor returns the texts of the entry's steps that fit the facts.
func (e Entry) StepsFor(f Facts) []string {
	fit := e.StepsFit(f)
	out := make([]string, len(fit))
	for i, s := range fit {
		out[i] = s.Text
	}
	return out
}
