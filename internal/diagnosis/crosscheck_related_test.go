package diagnosis_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

// The related checks name who paused the campaign, the other campaigns
// sharing the capped senders' quota, and the tags by label; each asks
// Instantly only for the code it explains.
func TestRelatedChecks(t *testing.T) {
	ws := instantlytest.DemoWorkspace(fixedNow)
	asked := func(h *instantlytest.Handler, prefix string) int {
		n := 0
		for _, r := range h.Requests() {
			if strings.HasPrefix(r.Path, prefix) {
				n++
			}
		}
		return n
	}

	c, h := demoClient(t, ws)
	a := diagnose(t, c, entryOf(instantly.StatusCampaignPaused), true, 0).Analysis
	if !strings.Contains(a.Answer, "paused by Dana Whitfield in the app") || asked(h, "/api/v2/audit-logs") != 1 {
		t.Fatalf("paused: %q, %d audit-log requests", a.Answer, asked(h, "/api/v2/audit-logs"))
	}
	var q string
	for _, r := range h.Requests() {
		if r.Path == "/api/v2/audit-logs" {
			q = r.RawQuery
		}
	}
	// A day before the issue was first seen (3 days before fixedNow).
	if !strings.Contains(q, "activity_type=5") || !strings.Contains(q, "start_date=2026-11-21") || !strings.Contains(q, "limit=1000") {
		t.Fatalf("audit-log query %q", q)
	}

	c, h = demoClient(t, ws)
	a = diagnose(t, c, entryOf(instantly.StatusAccountDailyLimitMet), true, 0).Analysis
	if !slices.ContainsFunc(a.Causes, func(s string) bool { return strings.Contains(s, `also send for "Q1 Agency Outreach"`) }) ||
		!slices.ContainsFunc(a.Steps, func(s string) bool { return strings.Contains(s, "senders of its own") }) {
		t.Fatalf("account_daily_limit_met: causes %q steps %q", a.Causes, a.Steps)
	}
	if n := asked(h, "/api/v2/account-campaign-mappings/"); n != 2 {
		t.Fatalf("%d mapping requests, want 2", n)
	}
	if n := len(h.Requests()); n > diagnosis.DefaultCrossCheckBudget {
		t.Fatalf("%d requests", n)
	}

	c, h = demoClient(t, ws)
	a = diagnose(t, c, entryOf(instantly.StatusNoAccountsAvailable), true, 0).Analysis
	if !strings.Contains(a.Answer, `"Acme Corp – client inboxes"`) || asked(h, "/api/v2/custom-tags") != 1 {
		t.Fatalf("no_accounts_available: %q", a.Answer)
	}

	// The other codes do not ask.
	for _, code := range []string{instantly.StatusHealthy, instantly.StatusOutOfSchedule, instantly.StatusCampaignAccountsUnhealthy} {
		c, h = demoClient(t, ws)
		diagnose(t, c, entryOf(code), true, 0)
		for _, p := range []string{"/api/v2/audit-logs", "/api/v2/account-campaign-mappings/", "/api/v2/custom-tags"} {
			if asked(h, p) > 0 {
				t.Errorf("%s asked %s", code, p)
			}
		}
	}
}

// A key without the scope of a related endpoint gets its diagnosis and a
// note naming the scope.
func TestRelatedScopeNotes(t *testing.T) {
	cases := []struct{ code, resource, scope string }{
		{instantly.StatusCampaignPaused, "audit_logs", "audit_logs:read"},
		{instantly.StatusAccountDailyLimitMet, "account_campaign_mappings", "account_campaign_mappings:read"},
		{instantly.StatusNoAccountsAvailable, "custom_tags", "custom_tags:read"},
	}
	for _, tc := range cases {
		for _, status := range []int{401, 403} {
			c, _ := demoClient(t, instantlytest.DemoWorkspace(fixedNow), instantlytest.WithScopeError(status, tc.resource))
			res := diagnose(t, c, entryOf(tc.code), true, 0)
			a := res.Analysis
			if a.Status != tc.code || a.Answer == "" {
				t.Fatalf("%s %d: %+v", tc.code, status, a)
			}
			if !slices.ContainsFunc(a.CrossChecks, func(c diagnosis.CrossCheck) bool {
				return !c.OK && strings.Contains(c.Note, tc.scope) && strings.Contains(c.Note, fmt.Sprintf("HTTP %d", status))
			}) {
				t.Fatalf("%s %d: no note names %s: %+v", tc.code, status, tc.scope, a.CrossChecks)
			}
		}
	}
	// Without the audit log the paused answer still says what it knows.
	c, _ := demoClient(t, instantlytest.DemoWorkspace(fixedNow), instantlytest.WithScopeError(403, "audit_logs"))
	a := diagnose(t, c, entryOf(instantly.StatusCampaignPaused), true, 0).Analysis
	if !strings.Contains(a.Answer, "it is paused, last edited 3 d ago") || !strings.Contains(a.Answer, "could not be read") {
		t.Fatalf("paused without audit_logs: %q", a.Answer)
	}
}

// A pause made through the API names the key; no record at all says that
// automatic pauses may not be logged; a deleted tag is a cause of its own.
func TestRelatedEdgeCases(t *testing.T) {
	id := instantlytest.DemoID(instantly.StatusCampaignPaused)
	ws := instantlytest.DemoWorkspace(fixedNow)
	ws.AddAuditLog(fmt.Appendf(nil, `{"id":"019f0000-0000-7000-8000-00000000a009","timestamp":"2026-11-24T10:00:00.000Z","organization_id":"019a0000-0000-7000-8000-0000000000aa","activity_type":5,"ip_address":"203.0.113.9","from_api":true,"api_key_id":"019f0000-0000-7000-8000-0000000000e9","campaign_id":%q,"user_name":null}`, id))
	c, _ := demoClient(t, ws)
	a := diagnose(t, c, entryOf(instantly.StatusCampaignPaused), true, 0).Analysis
	if !strings.Contains(a.Answer, "paused by the API key 019f0000-0000-7000-8000-0000000000e9 on Tue 24 Nov 10:00 UTC") {
		t.Fatalf("API pause: %q", a.Answer)
	}

	// Hand-made campaigns: paused with no record in the audit log, and one
	// whose tag was deleted.
	const hid = "019e0000-0000-7000-8000-0000000000b1"
	status := func(code string) []byte {
		return fmt.Appendf(nil, `{"diagnostics":{"campaign_id":%q,"last_updated":"2026-11-25T14:58:00.000Z","status":%q,
			"issue_tracking":{"current_status_code":%q,"issue_first_seen_at":"2026-11-25T10:00:00.000Z","consecutive_loops_with_issue":4,"last_healthy_send_at":null}},
			"summary":{"status":%q,"status_message":"m"}}`, hid, code, code, code)
	}
	for _, tc := range []struct{ code, details, want string }{
		{instantly.StatusCampaignPaused, `"status":2,"email_list":["alex@northpeakhq.example"],"email_tag_list":[]`,
			"the audit log names no pause of it since 2026-11-24"},
		{instantly.StatusNoAccountsAvailable, `"status":1,"email_list":[],"email_tag_list":["019a3b7e-0000-7000-8000-00000000dead"]`,
			"account tag 019a3b7e-0000-7000-8000-00000000dead does not exist in the workspace any more"},
	} {
		ws := instantlytest.NewWorkspace()
		ws.AddCampaign(instantly.Campaign{ID: hid, Name: "Hand-made", Status: 1}, status(tc.code))
		ws.SetCampaignDetails(hid, fmt.Appendf(nil, `{"id":%q,"name":"Hand-made",%s,"campaign_schedule":{"schedules":[]},"timestamp_created":"2026-10-01T00:00:00.000Z","timestamp_updated":"2026-11-25T09:58:00.000Z"}`, hid, tc.details))
		c, _ := demoClient(t, ws)
		a := diagnose(t, c, instantlytest.DemoEntry{ID: hid, Kind: "campaign", Code: tc.code}, true, 0).Analysis
		if !strings.Contains(strings.Join(a.Causes, "\n"), tc.want) {
			t.Errorf("%s: causes %q lack %q", tc.code, a.Causes, tc.want)
		}
		if tc.code == instantly.StatusCampaignPaused && !slices.ContainsFunc(a.Findings, func(s string) bool { return strings.Contains(s, "not documented") }) {
			t.Errorf("paused without a record: the docs' silence on automatic pauses is not said: %q", a.Findings)
		}
	}
}
