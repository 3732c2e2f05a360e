package tools_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

// Every demo campaign and subsequence, one per status code, through a real
// MCP client: the structured result carries the code, the severity from the
// catalog, and a text that is distinct and names the code.
func TestEveryStatusThroughTheClient(t *testing.T) {
	e := newEnv(t)
	seenText := map[string]string{}
	codes := map[string]bool{}
	for _, d := range instantlytest.DemoCampaigns {
		t.Run(d.Kind+"/"+d.Code+"/"+d.ID[len(d.ID)-4:], func(t *testing.T) {
			tool := "get_campaign_sending_status"
			if d.Kind == instantlytest.KindSubsequence {
				tool = "get_subsequence_sending_status"
			}
			res := e.call(t, tool, map[string]any{"id": d.ID})
			if res.IsError {
				t.Fatalf("isError for a demo %s: %s", d.Kind, text(res))
			}
			a := analysisOf(t, res)
			if a["status"] != d.Code {
				t.Fatalf("analysis.status = %v, want %q", a["status"], d.Code)
			}
			if a["id"] != d.ID || a["kind"] != d.Kind {
				t.Fatalf("analysis id/kind = %v/%v, want %s/%s", a["id"], a["kind"], d.ID, d.Kind)
			}
			txt := text(res)
			entry, known := catalog.Lookup(d.Code)
			switch {
			case d.Code == "":
				if a["severity"] != "unknown" || !strings.Contains(txt, "no sending data") {
					t.Fatalf("no-data campaign: severity %v, text:\n%s", a["severity"], txt)
				}
				if s := structured(t, res); s["diagnostics"] != nil || s["summary"] != nil {
					t.Fatalf("null diagnostics/summary must stay null: %v", s)
				}
			case known:
				if a["severity"] != string(entry.Severity) {
					t.Fatalf("severity = %v, want %s", a["severity"], entry.Severity)
				}
				// The steps follow the facts (a step the data contradicts is
				// replaced or dropped), so the first step shown is the
				// analysis's, not necessarily the catalog's first.
				// The text gives them in words; the code stays in the
				// structured content. A state that needs nothing says so
				// without a "nothing to fix" step.
				steps, _ := a["remediation_steps"].([]any)
				first := ""
				for _, s := range steps {
					if !strings.HasPrefix(s.(string), "Nothing to fix") {
						first = s.(string)
						break
					}
				}
				if len(steps) == 0 || !strings.Contains(txt, first) || strings.Contains(txt, "`"+d.Code+"`") {
					t.Fatalf("text does not give its first step in words:\n%s", txt)
				}
				if a["known_status"] != true {
					t.Fatal("known_status should be true")
				}
			default:
				if a["severity"] != "unknown" || a["known_status"] != false || !strings.Contains(txt, d.Code) {
					t.Fatalf("unknown code %q: severity %v, text:\n%s", d.Code, a["severity"], txt)
				}
			}
			if d.Kind == instantlytest.KindCampaign {
				if prev, dup := seenText[txt]; dup {
					t.Fatalf("text identical to that of %s", prev)
				}
				seenText[txt] = d.ID
			}
			codes[d.Code] = true
			assertNoKey(t, res, testKey)
		})
	}
	for _, c := range instantly.StatusCodes {
		if !codes[c] {
			t.Errorf("status %s not covered by the demo workspace", c)
		}
	}
}

// The numbers behind a status become findings a person can read.
func TestFindingsFromNumbers(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		code string
		want []string
	}{
		{instantly.StatusAccountDailyLimitMet, []string{"accounts unavailable", "at their daily limit"}},
		{instantly.StatusDailyLimitMet, []string{"sent today (campaign daily limit reached)"}},
		{instantly.StatusFollowUpDelayNotMet, []string{"follow-ups waiting, the next due in"}},
		{instantly.StatusOutOfSchedule, []string{"outside its sending schedule"}},
		{instantly.StatusWaitingForLeads, []string{"no lead is ready"}},
		{instantly.StatusDomainLimitReached, []string{"at the per-company daily limit"}},
		{instantly.StatusWaitingForESPMatch, []string{"provider matching is on and waiting"}},
		{instantly.StatusNewLeadLimitMet, []string{"new leads contacted today (new-lead limit reached"}},
		{instantly.StatusCampaignPaused, []string{"issue first seen", "ago"}},
	}
	for _, c := range cases {
		t.Run(c.code, func(t *testing.T) {
			res := e.call(t, "get_campaign_sending_status", map[string]any{"id": instantlytest.DemoID(c.code)})
			a := analysisOf(t, res)
			findings := fmt.Sprint(a["findings"])
			for _, w := range c.want {
				if !strings.Contains(findings, w) {
					t.Errorf("findings %s\nlack %q", findings, w)
				}
			}
			if h, _ := a["headline"].(string); h == "" {
				t.Error("empty headline")
			}
		})
	}
}

func TestAISummaryOnlyWhenAsked(t *testing.T) {
	e := newEnv(t)
	id := instantlytest.DemoID(instantly.StatusHealthy)

	res := e.call(t, "get_campaign_sending_status", map[string]any{"id": id})
	if strings.Contains(text(res), "AI summary") {
		t.Fatalf("AI summary shown without being asked:\n%s", text(res))
	}
	res = e.call(t, "get_campaign_sending_status", map[string]any{"id": id, "with_ai_summary": true})
	if !strings.Contains(text(res), "AI summary") || analysisOf(t, res)["ai_summary"] == nil {
		t.Fatalf("AI summary missing when asked:\n%s", text(res))
	}
	var withParam, without int
	for _, r := range e.fake.Handler.Requests() {
		if !strings.HasSuffix(r.Path, "/sending-status") {
			continue // the cross-checks never ask for the AI summary
		}
		if strings.Contains(r.RawQuery, "with_ai_summary=true") {
			withParam++
		} else if !strings.Contains(r.RawQuery, "with_ai_summary") {
			without++
		}
	}
	if withParam != 1 || without != 1 {
		t.Fatalf("with_ai_summary sent %d times, omitted %d times; want 1 and 1", withParam, without)
	}
}

// Fields Instantly adds later reach the client unchanged, at every level.
func TestUnknownFieldsKept(t *testing.T) {
	e := newEnv(t)
	id := "019e0000-0000-7000-8000-00000000abcd"
	raw := `{"diagnostics":{"campaign_id":"` + id + `","last_updated":"2026-11-25T14:55:00.000Z","status":"daily_limit_met",
	"issue_tracking":{"current_status_code":"daily_limit_met","issue_first_seen_at":null,"consecutive_loops_with_issue":3,"last_healthy_send_at":null,"new_tracking_field":"x"},
	"campaign_daily_limit":{"limit":100,"sent":100,"limit_hit":true,"resets_at":"2026-11-26T00:00:00Z"},
	"warmup_pool":{"score":97.5,"tags":["a","b"]}},
	"summary":{"status":"daily_limit_met","status_message":"Daily limit reached","confidence":0.93},
	"request_id":"req_123"}`
	e.ws.AddCampaign(instantly.Campaign{ID: id, Name: "Extra fields", Status: 1}, []byte(raw))

	res := e.call(t, "get_campaign_sending_status", map[string]any{"id": id})
	if res.IsError {
		t.Fatal(text(res))
	}
	s := structured(t, res)
	d := s["diagnostics"].(map[string]any)
	if fmt.Sprint(d["warmup_pool"]) != "map[score:97.5 tags:[a b]]" {
		t.Errorf("diagnostics.warmup_pool = %v", d["warmup_pool"])
	}
	if d["campaign_daily_limit"].(map[string]any)["resets_at"] != "2026-11-26T00:00:00Z" {
		t.Errorf("nested unknown field lost: %v", d["campaign_daily_limit"])
	}
	if d["issue_tracking"].(map[string]any)["new_tracking_field"] != "x" {
		t.Errorf("issue_tracking unknown field lost: %v", d["issue_tracking"])
	}
	if s["summary"].(map[string]any)["confidence"] != 0.93 {
		t.Errorf("summary.confidence lost: %v", s["summary"])
	}
	if s["request_id"] != "req_123" {
		t.Errorf("top-level unknown field lost: %v", s)
	}
}

// Every failure a user can act on is an isError result that says what to do,
// and the server keeps serving afterwards.
func TestFailuresAreToolErrors(t *testing.T) {
	id := instantlytest.DemoID(instantly.StatusHealthy)
	cases := []struct {
		name  string
		fault *instantlytest.Fault
		args  map[string]any
		opts  []envOption
		want  []string
		// reaches is whether the request may reach Instantly at all.
		reaches bool
	}{
		{name: "missing id", args: map[string]any{}, want: []string{`"id"`, "UUID"}},
		{name: "id wrong type", args: map[string]any{"id": 42}, want: []string{"must be a string", "a number"}},
		{name: "id not a uuid", args: map[string]any{"id": "Black Friday"}, want: []string{"UUID", "URL"}},
		{name: "path traversal", args: map[string]any{"id": "../../v1/keys"}, want: []string{"UUID"}},
		{name: "uuid with query", args: map[string]any{"id": id + "?x=1"}, want: []string{"UUID"}},
		{name: "ai summary wrong type", args: map[string]any{"id": id, "with_ai_summary": "yes"}, want: []string{"with_ai_summary", "true or false"}},
		{name: "401", fault: &instantlytest.Fault{Status: 401}, reaches: true, want: []string{"401", "INSTANTLY_API_KEY", "campaigns:read"}},
		// A 401 shows none of the upstream text: the status says it all.
		{name: "401 echoing the key", opts: []envOption{withFakeOptions(instantlytest.WithAPIKeys("another-key-entirely"), instantlytest.WithEchoKeyIn401())}, reaches: true, want: []string{"401", "rejected the API key"}},
		{name: "402", fault: &instantlytest.Fault{Status: 402}, reaches: true, want: []string{"402", "paid plan"}},
		{name: "404", args: map[string]any{"id": "019e0000-0000-7000-8000-000000000404"}, reaches: true, want: []string{"404", "no campaign", "workspace"}},
		{name: "429 long retry-after", fault: &instantlytest.Fault{Status: 429, Header: http.Header{"Retry-After": {"120"}}}, reaches: true, want: []string{"rate limiting", "Retry after 120 s"}},
		{name: "429 storm without retry-after", fault: &instantlytest.Fault{Status: 429}, reaches: true, want: []string{"rate limiting", "wait a minute"}},
		{name: "500 persistent", fault: &instantlytest.Fault{Status: 500}, reaches: true, want: []string{"HTTP 500", "Instantly's side"}},
		{name: "HTML 502", fault: &instantlytest.Fault{Status: 502, ContentType: "text/html", Body: []byte("<html><body><h1>502 Bad Gateway</h1></body></html>")}, reaches: true, want: []string{"502", "try again"}},
		{name: "truncated JSON", fault: &instantlytest.Fault{Status: 200, ContentType: "application/json", Body: []byte(`{"diagnostics":{"campaign_id":"x","sta`)}, reaches: true, want: []string{"cannot read", "try again"}},
		{name: "oversized body", fault: &instantlytest.Fault{Status: 200, ContentType: "application/json", BodySize: 64 << 20}, reaches: true, want: []string{"cannot read", "large"}},
		{name: "timeout", fault: &instantlytest.Fault{Delay: 2 * time.Second}, opts: []envOption{withClientOptions(instantly.WithTimeout(200 * time.Millisecond))}, reaches: true, want: []string{"did not answer within 200ms"}},
		{name: "connection reset", fault: &instantlytest.Fault{Hijack: true}, reaches: true, want: []string{"reach Instantly"}},
		{name: "no key", opts: []envOption{withKey("")}, want: []string{"INSTANTLY_API_KEY", "X-Instantly-Api-Key"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, c.opts...)
			if c.fault != nil {
				e.fake.Handler.SetFault("", *c.fault)
			}
			args := c.args
			if args == nil {
				args = map[string]any{"id": id}
			}
			res := e.call(t, "get_campaign_sending_status", args)
			if !res.IsError {
				t.Fatalf("want isError, got:\n%s", text(res))
			}
			msg := text(res)
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
			assertNoKey(t, res, testKey)
			assertNoKey(t, res, "another-key-entirely")
			if !c.reaches && len(e.fake.Handler.Requests()) != 0 {
				t.Fatalf("a bad request reached Instantly: %+v", e.fake.Handler.Requests())
			}
			// The server is still serving.
			e.fake.Handler.ClearFaults()
			if c.name == "no key" || strings.Contains(c.name, "echoing") {
				return
			}
			if ok := e.call(t, "get_campaign_sending_status", map[string]any{"id": id}); ok.IsError {
				t.Fatalf("server did not recover: %s", text(ok))
			}
		})
	}
}

func TestPerRequestKeyWins(t *testing.T) {
	e := newEnv(t, withKey(""))
	ctx := instantly.ContextWithAPIKey(context.Background(), "per-request-key-123456")
	res := e.callCtx(t, ctx, "get_campaign_sending_status", map[string]any{"id": instantlytest.DemoID(instantly.StatusHealthy)})
	if res.IsError {
		t.Fatal(text(res))
	}
	reqs := e.fake.Handler.Requests()
	if len(reqs) == 0 {
		t.Fatal("no upstream request")
	}
	for _, r := range reqs { // the status call and every cross-check
		if r.APIKey != "per-request-key-123456" {
			t.Fatalf("upstream saw %+v", reqs)
		}
	}
	assertNoKey(t, res, "per-request-key-123456")
}

// The one-request answer (cross_check false) names the campaign when a
// list just returned it under the same key; without the list, its id.
func TestPlainAnswerNamesAListedCampaign(t *testing.T) {
	e := newEnv(t)
	id := instantlytest.DemoID(instantly.StatusDailyLimitMet)
	res := e.call(t, "get_campaign_sending_status", map[string]any{"id": id, "cross_check": false})
	if txt := text(res); res.IsError || !strings.HasPrefix(txt, "## Campaign "+id+": waiting, nothing to fix\n") {
		t.Fatalf("before the list:\n%s", txt)
	}
	if res := e.call(t, "list_campaigns", map[string]any{}); res.IsError {
		t.Fatalf("list: %s", text(res))
	}
	res = e.call(t, "get_campaign_sending_status", map[string]any{"id": id, "cross_check": false})
	if txt := text(res); res.IsError || !strings.HasPrefix(txt, "## Partner Program – Shopify agencies: waiting, nothing to fix\n") ||
		analysisOf(t, res)["campaign_name"] != "Partner Program – Shopify agencies" {
		t.Fatalf("after the list:\n%s", txt)
	}
}
