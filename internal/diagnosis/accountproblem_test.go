package diagnosis

import (
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// accountProblem's words for each account state: status, warmup status and
// setup; "automatic reconnection failed" only for an account in error.
func TestAccountProblemWords(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	yes := true
	msg := &instantly.AccountStatusMessage{Response: "  535  auth   failed "}
	for _, c := range []struct {
		name            string
		a               instantly.Account
		problem, detail string
	}{
		{"active", instantly.Account{Status: f(1)}, "", ""},
		{"no status", instantly.Account{}, "", ""},
		{"connection error, autofix failed", instantly.Account{Status: f(-1), AutofixFailed: &yes, StatusMessage: msg}, "connection error", "535 auth failed; automatic reconnection failed"},
		{"soft bounce", instantly.Account{Status: f(-2)}, "soft bounce error", ""},
		{"sending error", instantly.Account{Status: f(-3), AutofixFailed: &yes}, "sending error", "automatic reconnection failed"},
		{"status 0 is not an error: autofix says nothing", instantly.Account{Status: f(0), AutofixFailed: &yes}, "", ""},
		{"paused, autofix failed is not an error", instantly.Account{Status: f(2), AutofixFailed: &yes}, "paused", ""},
		{"maintenance", instantly.Account{Status: f(3)}, "under maintenance (Instantly resumes it shortly)", ""},
		{"suspended", instantly.Account{Status: f(1), WarmupStatus: -3}, "permanently suspended (warmup status -3)", ""},
		{"banned and in error, setup pending", instantly.Account{Status: f(-1), WarmupStatus: -1, SetupPending: true}, "connection error, banned (warmup status -1), setup pending", ""},
		{"setup pending", instantly.Account{SetupPending: true, WarmupStatus: -2}, "setup pending", ""},
	} {
		p, d := accountProblem(&c.a)
		if p != c.problem || d != c.detail {
			t.Errorf("%s: (%q, %q), want (%q, %q)", c.name, p, d, c.problem, c.detail)
		}
	}
}
