package diagnosis_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

// demoClient is a client of an in-process fake serving ws.
func demoClient(t testing.TB, ws *instantlytest.Workspace, opts ...instantlytest.Option) (*instantly.Client, *instantlytest.Handler) {
	t.Helper()
	h := instantlytest.NewHandler(ws, opts...)
	c, err := instantly.NewClient(instantlytest.DemoAPIKey, instantly.WithBaseURL("http://demo.invalid"),
		instantly.WithHTTPClient(&http.Client{Transport: instantlytest.NewTransport(h)}), instantly.WithRateLimits(1000, 60000))
	if err != nil {
		t.Fatal(err)
	}
	return c, h
}

func diagnose(t testing.TB, c *instantly.Client, e instantlytest.DemoEntry, deep bool, budget int) diagnosis.StatusResult {
	t.Helper()
	res, err := diagnosis.Diagnose(context.Background(), c, e.Kind, e.ID, diagnosis.DiagnoseOptions{CrossCheck: deep, Budget: budget}, fixedNow)
	if err != nil {
		t.Fatalf("%s: %v", e.Name, err)
	}
	return res
}

// For every code, the demo's deep diagnosis names the concrete cause the
// deep diagnosis is built to find for it.
func TestDeepDiagnosisNamesTheCause(t *testing.T) {
	want := map[string][]string{
		instantly.StatusAccountDailyLimitMet:        {"7 at their daily limit", "2 held by slow ramp", "can send again within 29 min, when avery@northpeakhq.example's 30-minute gap"},
		instantly.StatusHealthy:                     {"117 of 240 sent today, from 8 of 8 senders"},
		instantly.StatusFollowUpDelayNotMet:         {"sends again Wed 13:56 America/Detroit (18:56 UTC), in 3 h 56 min"},
		instantly.StatusOutOfSchedule:               {"sends again Thu 06:00 Europe/Belgrade (05:00 UTC), in 14 h"},
		instantly.StatusDailyLimitMet:               {"daily limit of 150", "sends again Thu 06:00 America/Chicago (12:00 UTC), in 21 h"},
		instantly.StatusNewLeadLimitMet:             {"new leads resume Fri 00:00 Australia/Melbourne (Thu 13:00 UTC), in 22 h"},
		instantly.StatusWaitingForLeads:             {"all 1,200 leads were contacted", "new leads"},
		instantly.StatusDomainLimitReached:          {"37 company domains", "2 emails per company (across workspace)"},
		instantly.StatusWaitingForESPMatch:          {"need Microsoft senders"},
		instantly.StatusCampaignPaused:              {"paused by Dana Whitfield in the app on Sun 22 Nov 15:00 UTC (3 d ago)"},
		instantly.StatusCampaignDraft:               {"never launched", "no leads"},
		instantly.StatusCampaignCompleted:           {"all 2,400 leads finished the sequence"},
		instantly.StatusCampaignRunningSubsequences: {"main sequence is done", `"SaaStr 2026 – Interested, book a call" is sending`},
		instantly.StatusCampaignBounceProtect:       {"146 of its 930 contacted leads bounced (15.7%)"},
		instantly.StatusCampaignAccountsUnhealthy:   {"2 of its 6 senders cannot send", "lost its login", "provider's daily sending limit"},
		instantly.StatusAllAccountsUnhealthy:        {"none of its 3 senders can send", "slowed down by its provider"},
		instantly.StatusCampaignAccountSuspended:    {"Account suspended", "disabled at its provider"},
		instantly.StatusNoAccountsAvailable:         {`tag "Acme Corp – client inboxes" (019a3b7e-8e57-7c83-b1d5-6f2a9c4e8b55) matches no account`},
	}
	c, _ := demoClient(t, instantlytest.DemoWorkspace(fixedNow))
	for _, code := range instantly.StatusCodes {
		e := entryOf(code)
		a := diagnose(t, c, e, true, 0).Analysis
		for _, w := range want[code] {
			if !strings.Contains(a.Answer, w) {
				t.Errorf("%s: answer %q lacks %q", code, a.Answer, w)
			}
		}
		if len(want[code]) == 0 {
			t.Errorf("%s: no expectation", code)
		}
	}
}

func entryOf(code string) instantlytest.DemoEntry {
	id := instantlytest.DemoID(code)
	for _, e := range instantlytest.DemoCampaigns {
		if e.ID == id {
			return e
		}
	}
	panic("no demo entry for " + code)
}

// The senders the text names, with their SMTP errors, and the timed answer.
func TestDeepDiagnosisDetails(t *testing.T) {
	c, _ := demoClient(t, instantlytest.DemoWorkspace(fixedNow))
	a := diagnose(t, c, entryOf(instantly.StatusCampaignAccountsUnhealthy), true, 0).Analysis
	if len(a.BlockingAccounts) != 2 || !strings.Contains(a.BlockingAccounts[0].Detail, "535-5.7.8 Username and Password not accepted") ||
		!strings.Contains(a.BlockingAccounts[0].Detail, "automatic reconnection failed") {
		t.Fatalf("blocking accounts %+v", a.BlockingAccounts)
	}
	if a.NextSendAt != "" {
		t.Fatalf("next_send_at %q for a code that needs action", a.NextSendAt)
	}
	a = diagnose(t, c, entryOf(instantly.StatusOutOfSchedule), true, 0).Analysis
	if a.NextSendAt != "2026-11-26T05:00:00Z" || a.NextSendTimezone != "Europe/Belgrade" {
		t.Fatalf("next send %q %q", a.NextSendAt, a.NextSendTimezone)
	}
	if !slices.ContainsFunc(a.Assumptions, func(s string) bool { return strings.Contains(s, `"0".."6"`) }) {
		t.Fatalf("the weekday assumption matters here and is not stated: %q", a.Assumptions)
	}
	a = diagnose(t, c, entryOf(instantly.StatusWaitingForLeads), true, 0).Analysis
	if a.Leads == nil || *a.Leads != (diagnosis.Leads{Total: 1200, NotYetContacted: 0, Completed: 1137, Bounced: 21, Unsubscribed: 42}) {
		t.Fatalf("leads %+v", a.Leads)
	}
}

// Budget: never more requests than the budget, each code within the
// default; what was skipped is said.
func TestCrossCheckBudget(t *testing.T) {
	ws := instantlytest.DemoWorkspace(fixedNow)
	for _, e := range instantlytest.DemoCampaigns {
		for _, budget := range []int{1, 2, 3, diagnosis.DefaultCrossCheckBudget} {
			c, h := demoClient(t, ws)
			res := diagnose(t, c, e, true, budget)
			if n := len(h.Requests()); n > budget {
				t.Errorf("%s budget %d: %d requests", e.Name, budget, n)
			}
			if budget == 1 && e.Code != "" && res.Analysis.Status != "" && e.Kind == "campaign" &&
				!slices.ContainsFunc(res.Analysis.CrossChecks, func(c diagnosis.CrossCheck) bool { return strings.Contains(c.Note, "budget") }) {
				t.Errorf("%s budget 1: nothing says the checks were skipped: %+v", e.Name, res.Analysis.CrossChecks)
			}
		}
	}
}

// A key without accounts:read still gets a diagnosis, and a line naming
// the scope that would let it say more.
func TestScopeErrorBecomesANote(t *testing.T) {
	for _, status := range []int{401, 403} {
		c, _ := demoClient(t, instantlytest.DemoWorkspace(fixedNow), instantlytest.WithScopeError(status, "accounts", "analytics"))
		res := diagnose(t, c, entryOf(instantly.StatusAllAccountsUnhealthy), true, 0)
		a := res.Analysis
		if a.Status != instantly.StatusAllAccountsUnhealthy || len(a.BlockingAccounts) != 0 {
			t.Fatalf("%d: %+v", status, a)
		}
		var notes []string
		for _, c := range a.CrossChecks {
			if !c.OK {
				notes = append(notes, c.Note)
			}
		}
		joined := strings.Join(notes, "\n")
		if !strings.Contains(joined, "accounts:read") || !strings.Contains(joined, fmt.Sprintf("HTTP %d", status)) ||
			!strings.Contains(joined, "documents no scope") {
			t.Fatalf("%d: notes %q", status, notes)
		}
		txt := diagnosis.RenderMarkdown(res, fixedNow)
		if !strings.Contains(txt, "could not check") || !strings.Contains(txt, "accounts:read") {
			t.Fatalf("%d: text does not say what could not be checked:\n%s", status, txt)
		}
	}
}

// Hostile settings: each is a cause of its own, never a failure.
func TestHostileSchedulesAndSenders(t *testing.T) {
	const id = "019e0000-0000-7000-8000-0000000000a1"
	status := func(code string) []byte {
		return fmt.Appendf(nil, `{"diagnostics":{"campaign_id":%q,"last_updated":"2026-11-25T14:58:00.000Z","status":%q,
			"issue_tracking":{"current_status_code":%q,"issue_first_seen_at":"2026-11-25T10:00:00.000Z","consecutive_loops_with_issue":4,"last_healthy_send_at":null},
			"schedule_status":{"in_schedule":false}},"summary":{"status":%q,"status_message":"m"}}`, id, code, code, code)
	}
	campaign := func(sched, lists string) []byte {
		return fmt.Appendf(nil, `{"id":%q,"name":"Hostile","status":1,"campaign_schedule":%s,%s"timestamp_created":"2026-10-01T00:00:00.000Z","timestamp_updated":"2026-11-01T00:00:00.000Z"}`, id, sched, lists)
	}
	cases := []struct {
		name, code, sched, lists string
		want                     string
		noNext                   bool
	}{
		{"unknown timezone", instantly.StatusOutOfSchedule,
			`{"schedules":[{"name":"S","timing":{"from":"09:00","to":"17:00"},"days":{"1":true},"timezone":"Mars/Olympus_Mons"}]}`, "",
			"not a zone name", true},
		{"no true day", instantly.StatusOutOfSchedule,
			`{"schedules":[{"name":"S","timing":{"from":"09:00","to":"17:00"},"days":{"1":false,"2":false},"timezone":"America/Chicago"}]}`, "",
			"no day of the week is enabled", true},
		{"to before from", instantly.StatusOutOfSchedule,
			`{"schedules":[{"name":"Night","timing":{"from":"22:00","to":"02:00"},"days":{"0":true,"1":true,"2":true,"3":true,"4":true,"5":true,"6":true},"timezone":"America/Chicago"}]}`, "",
			"sends again Wed 22:00 America/Chicago", false},
		{"end date passed", instantly.StatusOutOfSchedule,
			`{"end_date":"2026-11-20","schedules":[{"name":"S","timing":{"from":"09:00","to":"17:00"},"days":{"3":true},"timezone":"America/Chicago"}]}`, "",
			"end date (2026-11-20) has passed", true},
		{"no senders", instantly.StatusNoAccountsAvailable,
			`{"schedules":[{"name":"S","timing":{"from":"09:00","to":"17:00"},"days":{"3":true},"timezone":"America/Chicago"}]}`,
			`"email_list":[],"email_tag_list":[],`, "no sending account is attached", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ws := instantlytest.NewWorkspace()
			ws.AddCampaign(instantly.Campaign{ID: id, Name: "Hostile", Status: 1}, status(c.code))
			ws.SetCampaignDetails(id, campaign(c.sched, c.lists))
			cl, _ := demoClient(t, ws)
			res := diagnose(t, cl, instantlytest.DemoEntry{ID: id, Kind: "campaign", Code: c.code}, true, 0)
			a := res.Analysis
			if !strings.Contains(a.Answer, c.want) {
				t.Fatalf("answer %q lacks %q (findings %q)", a.Answer, c.want, a.Findings)
			}
			if c.noNext && a.NextSendAt != "" {
				t.Fatalf("next_send_at %q, but it cannot resume by itself", a.NextSendAt)
			}
			for _, s := range a.Steps {
				if strings.HasPrefix(s, "Nothing to fix if the window opens soon") && c.noNext {
					t.Fatalf("step %q contradicts %q", s, a.Answer)
				}
			}
		})
	}
}

// A sender set of 5,000 accounts (one tag): the diagnosis stays within its
// budget and says how far it looked.
func TestFiveThousandSenders(t *testing.T) {
	const id = "019e0000-0000-7000-8000-0000000000b2"
	const tag = "019e0000-0000-7000-8000-0000000000c3"
	ws := instantlytest.NewWorkspace()
	ws.AddCampaign(instantly.Campaign{ID: id, Name: "Big", Status: -1}, fmt.Appendf(nil,
		`{"diagnostics":{"campaign_id":%q,"last_updated":"2026-11-25T14:58:00.000Z","status":"all_accounts_unhealthy",
		"issue_tracking":{"current_status_code":"all_accounts_unhealthy","issue_first_seen_at":"2026-11-25T10:00:00.000Z","consecutive_loops_with_issue":4,"last_healthy_send_at":null},
		"accounts_summary":{"total_connected":5000,"available":0,"unavailable":{"daily_limit_hit":0,"slow_ramp_limit_hit":0,"disconnected":5000,"global_gap_not_met":0}}},
		"summary":{"status":"all_accounts_unhealthy","status_message":"m"}}`, id))
	ws.SetCampaignDetails(id, fmt.Appendf(nil, `{"id":%q,"name":"Big","status":-1,"email_list":[],"email_tag_list":[%q],
		"campaign_schedule":{"schedules":[{"name":"S","timing":{"from":"09:00","to":"17:00"},"days":{"3":true},"timezone":"America/Chicago"}]},
		"timestamp_created":"2026-10-01T00:00:00.000Z","timestamp_updated":"2026-11-01T00:00:00.000Z"}`, id, tag))
	for i := range 5000 {
		ws.AddAccount(fmt.Appendf(nil, `{"email":"s%04d@bulk.example","status":-1,"status_message":{"code":"EAUTH","responseCode":535,"response":"535 auth failed"},
			"warmup_status":1,"provider_code":2,"setup_pending":false,"timestamp_created":"2026-01-01T00:00:00.000Z"}`, i), tag)
	}
	c, h := demoClient(t, ws)
	res := diagnose(t, c, instantlytest.DemoEntry{ID: id, Kind: "campaign"}, true, 0)
	a := res.Analysis
	if n := len(h.Requests()); n > diagnosis.DefaultCrossCheckBudget {
		t.Fatalf("%d requests", n)
	}
	if len(a.BlockingAccounts) != 50 || !strings.Contains(a.Answer, "can send") {
		t.Fatalf("blocking %d, answer %q", len(a.BlockingAccounts), a.Answer)
	}
	if !slices.ContainsFunc(a.CrossChecks, func(c diagnosis.CrossCheck) bool { return strings.Contains(c.Note, "may carry more accounts") }) {
		t.Fatalf("does not say the sender set was only partly read: %+v", a.CrossChecks)
	}
	txt := diagnosis.RenderMarkdown(res, fixedNow)
	if strings.Count(txt, "@bulk.example") > 6 || !strings.Contains(txt, "297 more") {
		t.Fatalf("text lists the senders badly:\n%s", txt)
	}
}

// Golden texts of every demo entry, with and without cross-checks: the
// text as the model reads it (the tool's), then as the person reads it
// (diagnose's), then the analysis (UPDATE_GOLDEN=1 rewrites them).
func TestGoldenTexts(t *testing.T) {
	c, _ := demoClient(t, instantlytest.DemoWorkspace(fixedNow))
	for _, e := range instantlytest.DemoCampaigns {
		for _, deep := range []bool{false, true} {
			res := diagnose(t, c, e, deep, 0)
			got := diagnosis.RenderMarkdown(res, fixedNow)
			got += "\n<!-- cli: the text as diagnose prints it -->\n" + diagnosis.CLIText(got)
			js, _ := json.MarshalIndent(res.Analysis, "", "  ")
			got += "\n<!-- analysis -->\n" + string(js) + "\n"
			code := e.Code
			if code == "" {
				code = "no-data"
			}
			name := fmt.Sprintf("%s-%s-%s", e.Kind, code, e.ID[len(e.ID)-4:])
			if deep {
				name += ".deep"
			}
			path := filepath.Join("testdata", "golden", name+".md")
			if os.Getenv("UPDATE_GOLDEN") == "1" {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (UPDATE_GOLDEN=1 go test ./internal/diagnosis -run TestGoldenTexts writes it)", err)
			}
			if string(want) != got {
				t.Errorf("%s changed; review and run UPDATE_GOLDEN=1 go test ./internal/diagnosis -run TestGoldenTexts\n--- got:\n%s", path, got)
			}
		}
	}
}

// The overview stays one request per campaign unless deep; deep names the
// cause of the campaigns that need action, within the budget.
func TestOverviewDeep(t *testing.T) {
	ws := instantlytest.DemoWorkspace(fixedNow)
	c, h := demoClient(t, ws)
	ov, err := diagnosis.BuildOverview(context.Background(), c, diagnosis.OverviewOptions{Status: "all"}, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	shallow := len(h.Requests())
	if shallow != ov.Checked+1 || ov.CrossChecked != 0 { // one list page + one status per campaign
		t.Fatalf("%d requests for %d campaigns, cross-checked %d", shallow, ov.Checked, ov.CrossChecked)
	}
	c2, h2 := demoClient(t, ws)
	ov, err = diagnosis.BuildOverview(context.Background(), c2, diagnosis.OverviewOptions{Status: "all", Deep: true, DeepMax: 3, Budget: 4}, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if ov.CrossChecked != 3 || len(h2.Requests()) > shallow+3*4 {
		t.Fatalf("cross-checked %d with %d requests", ov.CrossChecked, len(h2.Requests())-shallow)
	}
	answered := 0
	for _, oc := range ov.ActionRequired {
		if oc.Answer != "" {
			answered++
			if !strings.Contains(oc.Headline, oc.Answer) {
				t.Fatalf("headline %q lacks the answer %q", oc.Headline, oc.Answer)
			}
		}
	}
	if answered != 3 || !strings.Contains(diagnosis.RenderOverview(ov), "cross-checked 3 of 10") {
		t.Fatalf("%d answers; notes %q", answered, ov.Notes)
	}
}

// Cross-checks that run out of time (CheckTimeout) become notes; the
// answer from the status call still comes.
func TestCrossCheckTimeoutBecomesANote(t *testing.T) {
	c, _ := demoClient(t, instantlytest.DemoWorkspace(fixedNow))
	e := entryOf(instantly.StatusWaitingForLeads)
	res, err := diagnosis.Diagnose(context.Background(), c, e.Kind, e.ID, diagnosis.DiagnoseOptions{CrossCheck: true, CheckTimeout: time.Nanosecond}, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if res.Analysis.Status != instantly.StatusWaitingForLeads || res.Analysis.Leads != nil {
		t.Fatalf("%+v", res.Analysis)
	}
	if len(res.Analysis.CrossChecks) == 0 {
		t.Fatal("no note that the checks could not be made")
	}
	for _, c := range res.Analysis.CrossChecks {
		if c.OK || !strings.HasPrefix(c.Note, "not checked") {
			t.Fatalf("%+v", res.Analysis.CrossChecks)
		}
	}
}

// A few listed senders beyond the first accounts page are read one by one;
// one Instantly does not know is a cause of its own.
func TestListedSendersLookedUp(t *testing.T) {
	const id = "019e0000-0000-7000-8000-0000000000d4"
	ws := instantlytest.NewWorkspace()
	ws.AddCampaign(instantly.Campaign{ID: id, Name: "Lookup", Status: -1}, fmt.Appendf(nil,
		`{"diagnostics":{"campaign_id":%q,"last_updated":"2026-11-25T14:58:00.000Z","status":"all_accounts_unhealthy",
		"issue_tracking":{"current_status_code":"all_accounts_unhealthy","issue_first_seen_at":"2026-11-25T10:00:00.000Z","consecutive_loops_with_issue":4,"last_healthy_send_at":null},
		"accounts_summary":{"total_connected":2,"available":0,"unavailable":{"daily_limit_hit":0,"slow_ramp_limit_hit":0,"disconnected":1,"global_gap_not_met":0}}},
		"summary":{"status":"all_accounts_unhealthy","status_message":"m"}}`, id))
	ws.SetCampaignDetails(id, fmt.Appendf(nil, `{"id":%q,"name":"Lookup","status":-1,"email_list":["s0149@bulk.example","ghost@bulk.example"],
		"campaign_schedule":{"schedules":[{"name":"S","timing":{"from":"09:00","to":"17:00"},"days":{"3":true},"timezone":"America/Chicago"}]},
		"timestamp_created":"2026-10-01T00:00:00.000Z","timestamp_updated":"2026-11-01T00:00:00.000Z"}`, id))
	for i := range 150 {
		ws.AddAccount(fmt.Appendf(nil, `{"email":"s%04d@bulk.example","status":%d,"status_message":{"response":"535 auth failed"},
			"warmup_status":1,"provider_code":2,"setup_pending":false,"timestamp_created":"2026-01-01T00:00:00.000Z"}`, i, []int{1, -1}[i%2]))
	}
	c, h := demoClient(t, ws)
	a := diagnose(t, c, instantlytest.DemoEntry{ID: id, Kind: "campaign"}, true, 0).Analysis
	if len(a.BlockingAccounts) != 1 || a.BlockingAccounts[0].Email != "s0149@bulk.example" {
		t.Fatalf("blocking %+v", a.BlockingAccounts)
	}
	if !slices.ContainsFunc(a.Causes, func(c string) bool { return strings.Contains(c, "1 listed sending account is not found") }) {
		t.Fatalf("causes %q", a.Causes)
	}
	gets := 0
	for _, r := range h.Requests() {
		if strings.HasPrefix(r.Path, "/api/v2/accounts/") && strings.HasSuffix(r.Path, "@bulk.example") {
			gets++
		}
	}
	if gets != 2 {
		t.Fatalf("%d direct lookups, want 2", gets)
	}
}
