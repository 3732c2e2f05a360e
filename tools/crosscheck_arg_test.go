package tools_test

import (
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

// Through MCP (output validated against the schema): cross_check false is
// one request and no cross-check fields; the default cross-checks; a bad
// value is a tool error; the deep overview validates too.
func TestCrossCheckArgument(t *testing.T) {
	e := newEnv(t)
	id := instantlytest.DemoID(instantly.StatusCampaignAccountsUnhealthy)
	res := e.call(t, "get_campaign_sending_status", map[string]any{"id": id, "cross_check": false})
	if res.IsError || len(e.fake.Handler.Requests()) != 1 || analysisOf(t, res)["cross_checks"] != nil {
		t.Fatalf("cross_check false: %d requests, %s", len(e.fake.Handler.Requests()), text(res))
	}
	res = e.call(t, "get_campaign_sending_status", map[string]any{"id": id})
	a := analysisOf(t, res)
	if res.IsError || a["blocking_accounts"] == nil || a["answer"] == nil || !strings.HasPrefix(text(res), "## Recruiting – Senior Go engineers: not sending, action required\n\n**") {
		t.Fatalf("default: %s", text(res))
	}
	if res := e.call(t, "get_campaign_sending_status", map[string]any{"id": id, "cross_check": "yes"}); !res.IsError {
		t.Fatal("cross_check \"yes\" accepted")
	}
	res = e.call(t, "get_sending_overview", map[string]any{"status": "all", "deep": true})
	if res.IsError || !strings.Contains(text(res), "Deep: cross-checked") {
		t.Fatalf("deep overview: %s", text(res))
	}
	var pausedSub string
	for _, d := range instantlytest.DemoCampaigns {
		if d.Kind == instantlytest.KindSubsequence && d.Code == instantly.StatusCampaignPaused {
			pausedSub = d.ID
		}
	}
	res = e.call(t, "get_subsequence_sending_status", map[string]any{"id": pausedSub})
	if res.IsError || strings.Contains(text(res), `Press "Resume" on the campaign`) {
		t.Fatalf("subsequence: %s", text(res))
	}
}
