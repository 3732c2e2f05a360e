package diagnosis

import "testing"

// The terminal's words for every tool phrase, longest first.
func TestCLIText(t *testing.T) {
	in := "call get_campaign_sending_status with its id | call get_campaign_sending_status | get_campaign_sending_status | " +
		"call get_subsequence_sending_status | get_subsequence_sending_status | call get_sending_overview | get_sending_overview | " +
		"with list_campaigns | list_campaigns | ask for with_ai_summary=true | with_ai_summary=true | with_ai_summary | " +
		"narrow with search | max_campaigns | search"
	want := "run `instantly-status-mcp diagnose <id>` | run `instantly-status-mcp diagnose <id>` | `instantly-status-mcp diagnose` | " +
		"run `instantly-status-mcp diagnose -subsequence <id>` | `instantly-status-mcp diagnose -subsequence` | run `instantly-status-mcp overview` | `instantly-status-mcp overview` | " +
		"with `instantly-status-mcp diagnose \"<campaign name>\"` | `instantly-status-mcp diagnose \"<campaign name>\"` | run with -ai-summary | -ai-summary | -ai-summary | " +
		"narrow with -search | -max | search"
	if got := CLIText(in); got != want {
		t.Errorf("CLIText:\n%s\nwant\n%s", got, want)
	}
}
