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
	TotalConnected, Available, Disconnected *float64
	// From follow_ups_waiting and leads_status.
	FollowUpsWaiting, DelayNotMetSkips *float64

	// From the cross-checks.
	//
	// UsesTags: the campaign's email_tag_list is not empty.
	UsesTags *bool
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
}

// Cond is a condition on the facts: true when the step fits them.
type Cond func(Facts) bool

// rule attaches a condition to the step at index step of a code's entry;
// else replaces the step when the condition is false ("" drops it). word is
// a word of the step, checked by a test so an edit of the catalog that moves
// steps cannot silently attach a rule to the wrong one.
type rule struct {
	step int
	word string
	when Cond
	els  string
}

func known(p *float64) bool      { return p != nil }
func zero(p *float64) bool       { return p != nil && *p == 0 }
func positive(p *float64) bool   { return p != nil && *p > 0 }
func isTrue(p *bool) bool        { return p != nil && *p }
func isFalse(p *bool) bool       { return p != nil && !*p }
func isSubsequence(f Facts) bool { return f.Kind == "subsequence" }
func noneFound(p *int) bool      { return p != nil && *p == 0 }
func reconnectFits(f Facts) bool {
	return !zero(f.Disconnected) || (f.AccountErrors != nil && *f.AccountErrors > 0)
}
func notSubsequence(f Facts) bool { return !isSubsequence(f) }

const resumeSubsequence = `Resume the subsequence (its "Resume" in the campaign's "Subsequences" tab, or POST /api/v2/subsequences/{id}/resume); a subsequence sends only while its parent campaign is active.`

// rules are the conditions of the catalog's steps, by code.
var rules = map[string][]rule{
	instantly.StatusCampaignPaused: {
		{1, "Resume", notSubsequence, resumeSubsequence},
	},
	instantly.StatusCampaignCompleted: {
		{1, "Resume", notSubsequence, `To continue, add new leads to the subsequence's parent campaign; leads enter the subsequence by its conditions.`},
	},
	instantly.StatusCampaignBounceProtect: {
		{2, "Resume", notSubsequence, `Resume the subsequence once the list is clean; bounce protect will not pause it again for 7 days.`},
	},
	instantly.StatusAllAccountsUnhealthy: {
		{1, "Reconnect", reconnectFits, `Fix the accounts' errors shown in "Email Accounts" (status, error text), starting with one: a single healthy account lets it send again.`},
		{2, "Resume", func(f Facts) bool { return notSubsequence(f) && !positive(f.Available) }, ""},
	},
	instantly.StatusCampaignAccountsUnhealthy: {
		{0, "Compare", func(f Facts) bool { return !(known(f.Available) && known(f.TotalConnected) && f.AccountErrors != nil) }, ""},
		{1, "reconnect", reconnectFits, `Open "Email Accounts", filter by status, and fix the accounts with errors; remove from the campaign any that cannot be fixed.`},
		{2, "Resume", notSubsequence, resumeSubsequence},
	},
	instantly.StatusCampaignAccountSuspended: {
		{2, "above 0", func(f Facts) bool { return !positive(f.Available) },
			`Check the sending status again once the suspended account is removed: the campaign's status should leave "Account Suspended".`},
	},
	instantly.StatusNoAccountsAvailable: {
		{1, "tag", func(f Facts) bool { return !isFalse(f.UsesTags) }, ""},
		{2, "reconnect", func(f Facts) bool { return !zero(f.TotalConnected) && reconnectFits(f) },
			`If accounts are attached, read accounts_summary.unavailable for why none can send; for accounts at their caps see account_daily_limit_met.`},
	},
	instantly.StatusWaitingForLeads: {
		{2, "delay_not_met_skips", func(f Facts) bool { return !(zero(f.FollowUpsWaiting) && zero(f.DelayNotMetSkips)) }, ""},
	},
	instantly.StatusOutOfSchedule: {
		{0, "Nothing to fix", func(f Facts) bool { return !isTrue(f.EndDatePassed) && !isTrue(f.NoWindow) },
			`It will not resume by itself: the schedule cannot open again (see the cause above). Fix the "Schedule" tab.`},
	},
	instantly.StatusAccountDailyLimitMet: {
		{1, "reconnect", func(f Facts) bool { return !zero(f.Disconnected) }, ""},
	},
	instantly.StatusCampaignRunningSubsequences: {
		{0, "Nothing to fix", func(f Facts) bool { return !noneFound(f.SubsequencesSending) },
			`No subsequence reports healthy: check each subsequence's own status below and fix the one that should be sending.`},
	},
}

// StepsFor returns the entry's steps that fit the facts: a step whose
// condition the facts contradict is dropped or replaced by its alternative.
func (e Entry) StepsFor(f Facts) []string {
	rs := rules[e.Code]
	out := make([]string, 0, len(e.Steps))
	for i, s := range e.Steps {
		keep, alt := true, ""
		for _, r := range rs {
			if r.step == i && !r.when(f) {
				keep, alt = false, r.els
			}
		}
		switch {
		case keep:
			out = append(out, s)
		case alt != "":
			out = append(out, alt)
		}
	}
	return out
}
