package tools_test

import (
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

// Through the MCP server: list_campaigns's result is the hint of the
// diagnosis that follows (the audit log is asked before the status is in,
// hence for the last 30 days rather than from the day before the issue),
// and the next diagnosis reuses what the first read.
func TestServerSharesFactsBetweenTools(t *testing.T) {
	e := newEnv(t)
	id := instantlytest.DemoID(instantly.StatusCampaignPaused)
	audit := func() []string {
		var qs []string
		for _, r := range e.fake.Handler.Requests() {
			if r.Path == "/api/v2/audit-logs" {
				qs = append(qs, r.RawQuery)
			}
		}
		return qs
	}
	if res := e.call(t, "list_campaigns", map[string]any{"status": "paused"}); res.IsError {
		t.Fatal(text(res))
	}
	res := e.call(t, "get_campaign_sending_status", map[string]any{"id": id})
	if res.IsError || !strings.Contains(text(res), "paused by Dana Whitfield") {
		t.Fatalf("%s", text(res))
	}
	if qs := audit(); len(qs) != 1 || !strings.Contains(qs[0], "start_date=2026-10-26") {
		t.Fatalf("audit-log requests %q: want one, asked on the list's hint (30 days back)", qs)
	}
	res = e.call(t, "get_campaign_sending_status", map[string]any{"id": id})
	if res.IsError || !strings.Contains(text(res), "paused by Dana Whitfield") {
		t.Fatalf("%s", text(res))
	}
	if qs := audit(); len(qs) != 1 {
		t.Fatalf("audit-log requests %q: the second diagnosis did not reuse the first's", qs)
	}
}
