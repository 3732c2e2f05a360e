package catalog

import (
	"slices"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

func TestRulesPointAtTheirSteps(t *testing.T) {
	if bad := ruleWordsOK(); len(bad) > 0 {
		t.Fatalf("rules whose step moved: %v", bad)
	}
}

func TestStepsForUnknownFactsKeepsAll(t *testing.T) {
	for _, e := range Catalog() {
		if got := e.StepsFor(Facts{Kind: "campaign"}); len(got) != len(e.Steps) {
			t.Errorf("%s: %d of %d steps with nothing known", e.Code, len(got), len(e.Steps))
		}
	}
}

// ruleWordsOK reports the rules whose word is not in their step.
func ruleWordsOK() []string {
	var bad []string
	for code, rs := range rules {
		e, ok := Lookup(code)
		for _, r := range rs {
			if !ok || r.step >= len(e.Steps) || !strings.Contains(e.Steps[r.step], r.word) {
				bad = append(bad, code)
			}
		}
	}
	return bad
}

func fp(v float64) *float64 { return &v }
func ip(v int) *int         { return &v }
func bp(v bool) *bool       { return &v }

// TestStepsForAtThresholds pins which steps StepsFor returns with facts exactly
// at each rule's threshold (0 vs 1, known vs unknown). change maps a step's
// index to drop (the step is left out) or to k, the alternative of the code's
// rule k; every other step is kept as written.
func TestStepsForAtThresholds(t *testing.T) {
	const drop = -1
	cases := []struct {
		name   string
		code   string
		f      Facts
		change map[int]int
	}{
		// zero(): Disconnected exactly 0 drops "reconnect", 1 keeps it.
		{"daily limit, disconnected 0", instantly.StatusAccountDailyLimitMet, Facts{Disconnected: fp(0)}, map[int]int{1: drop}},
		{"daily limit, disconnected 1", instantly.StatusAccountDailyLimitMet, Facts{Disconnected: fp(1)}, nil},
		// positive(): Available 0 keeps step 2, 1 replaces it.
		{"suspended, available 0", instantly.StatusCampaignAccountSuspended, Facts{Available: fp(0)}, nil},
		{"suspended, available 1", instantly.StatusCampaignAccountSuspended, Facts{Available: fp(1)}, map[int]int{2: 0}},
		// noneFound(): 0 healthy subsequences replaces step 0, 1 keeps it.
		{"running subsequences, 0 sending", instantly.StatusCampaignRunningSubsequences, Facts{SubsequencesSending: ip(0)}, map[int]int{0: 0}},
		{"running subsequences, 1 sending", instantly.StatusCampaignRunningSubsequences, Facts{SubsequencesSending: ip(1)}, nil},
		// reconnectFits(): with no disconnected account, account errors 0 vs 1 vs unknown.
		{"all unhealthy, disconnected 0, errors 0", instantly.StatusAllAccountsUnhealthy, Facts{Kind: "campaign", Disconnected: fp(0), AccountErrors: ip(0)}, map[int]int{1: 0}},
		{"all unhealthy, disconnected 0, errors 1", instantly.StatusAllAccountsUnhealthy, Facts{Kind: "campaign", Disconnected: fp(0), AccountErrors: ip(1)}, nil},
		{"all unhealthy, disconnected 0, errors unknown", instantly.StatusAllAccountsUnhealthy, Facts{Kind: "campaign", Disconnected: fp(0)}, map[int]int{1: 0}},
		{"all unhealthy, disconnected 1, errors 0", instantly.StatusAllAccountsUnhealthy, Facts{Kind: "campaign", Disconnected: fp(1), AccountErrors: ip(0)}, nil},
		// positive(Available) drops "Resume" of all_accounts_unhealthy.
		{"all unhealthy, available 0", instantly.StatusAllAccountsUnhealthy, Facts{Kind: "campaign", Available: fp(0)}, nil},
		{"all unhealthy, available 1", instantly.StatusAllAccountsUnhealthy, Facts{Kind: "campaign", Available: fp(1)}, map[int]int{2: drop}},
		{"all unhealthy, subsequence", instantly.StatusAllAccountsUnhealthy, Facts{Kind: "subsequence"}, map[int]int{2: drop}},
		// known(): "Compare" goes only when all three facts are known.
		{"accounts unhealthy, all known", instantly.StatusCampaignAccountsUnhealthy, Facts{Kind: "campaign", Available: fp(1), TotalConnected: fp(2), Disconnected: fp(1), AccountErrors: ip(1)}, map[int]int{0: drop}},
		{"accounts unhealthy, available unknown", instantly.StatusCampaignAccountsUnhealthy, Facts{Kind: "campaign", TotalConnected: fp(2), Disconnected: fp(1), AccountErrors: ip(1)}, nil},
		{"accounts unhealthy, connected unknown", instantly.StatusCampaignAccountsUnhealthy, Facts{Kind: "campaign", Available: fp(1), Disconnected: fp(1), AccountErrors: ip(1)}, nil},
		{"accounts unhealthy, errors unknown", instantly.StatusCampaignAccountsUnhealthy, Facts{Kind: "campaign", Available: fp(1), TotalConnected: fp(2), Disconnected: fp(1)}, nil},
		{"accounts unhealthy, nothing wrong with senders", instantly.StatusCampaignAccountsUnhealthy, Facts{Kind: "campaign", Available: fp(1), TotalConnected: fp(2), Disconnected: fp(0), AccountErrors: ip(0)}, map[int]int{0: drop, 1: 1}},
		{"accounts unhealthy, subsequence", instantly.StatusCampaignAccountsUnhealthy, Facts{Kind: "subsequence"}, map[int]int{2: 2}},
		// no_accounts_available: tags, and reconnect only with connected accounts.
		{"no accounts, no tags", instantly.StatusNoAccountsAvailable, Facts{UsesTags: bp(false)}, map[int]int{1: drop}},
		{"no accounts, tags", instantly.StatusNoAccountsAvailable, Facts{UsesTags: bp(true)}, nil},
		{"no accounts, 0 connected", instantly.StatusNoAccountsAvailable, Facts{TotalConnected: fp(0)}, map[int]int{2: 1}},
		{"no accounts, 1 connected, 1 disconnected", instantly.StatusNoAccountsAvailable, Facts{TotalConnected: fp(1), Disconnected: fp(1)}, nil},
		{"no accounts, 1 connected, 0 disconnected, 0 errors", instantly.StatusNoAccountsAvailable, Facts{TotalConnected: fp(1), Disconnected: fp(0), AccountErrors: ip(0)}, map[int]int{2: 1}},
		// waiting_for_leads: both counts must be 0 to drop step 2.
		{"waiting, both 0", instantly.StatusWaitingForLeads, Facts{FollowUpsWaiting: fp(0), DelayNotMetSkips: fp(0)}, map[int]int{2: drop}},
		{"waiting, skips 1", instantly.StatusWaitingForLeads, Facts{FollowUpsWaiting: fp(0), DelayNotMetSkips: fp(1)}, nil},
		{"waiting, follow-ups 1", instantly.StatusWaitingForLeads, Facts{FollowUpsWaiting: fp(1), DelayNotMetSkips: fp(0)}, nil},
		// out_of_schedule: end date passed or no window replaces "Nothing to fix".
		{"out of schedule, end passed", instantly.StatusOutOfSchedule, Facts{EndDatePassed: bp(true)}, map[int]int{0: 0}},
		{"out of schedule, no window", instantly.StatusOutOfSchedule, Facts{NoWindow: bp(true)}, map[int]int{0: 0}},
		{"out of schedule, will open", instantly.StatusOutOfSchedule, Facts{EndDatePassed: bp(false), NoWindow: bp(false)}, nil},
		// Subsequence variants of paused, completed, bounce protect.
		{"paused, campaign", instantly.StatusCampaignPaused, Facts{Kind: "campaign"}, nil},
		{"paused, subsequence", instantly.StatusCampaignPaused, Facts{Kind: "subsequence"}, map[int]int{1: 0}},
		{"bounce protect, subsequence", instantly.StatusCampaignBounceProtect, Facts{Kind: "subsequence"}, map[int]int{2: 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, ok := Lookup(c.code)
			if !ok {
				t.Fatalf("no entry %s", c.code)
			}
			want := []string{}
			for i, s := range e.Steps {
				k, changed := c.change[i]
				switch {
				case !changed:
					want = append(want, s)
				case k != drop:
					want = append(want, rules[c.code][k].els)
				}
			}
			if got := e.StepsFor(c.f); !slices.Equal(got, want) {
				t.Errorf("StepsFor =\n%q\nwant\n%q", got, want)
			}
		})
	}
}
