package tools_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

// fastLimits gives a test client a rate-limit budget of its own, so a test
// with hundreds of calls neither waits nor eats the budget the other tests
// share through the default limiter.
var fastLimits = withClientOptions(instantly.WithRateLimits(5000, 300000))

// newLargeEnv is newEnv over LargeWorkspace(n): hundreds of campaigns across
// pages, every status code.
func newLargeEnv(tb testing.TB, n int, opts ...envOption) *env {
	tb.Helper()
	return startEnv(tb, instantlytest.LargeWorkspace(n, fixedNow, 7), append([]envOption{fastLimits}, opts...)...)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// progressLog collects the progress notifications of one token.
type progressLog struct {
	mu    sync.Mutex
	token string
	got   []map[string]any
	on    func(n int) // called with the count so far
}

func (p *progressLog) handle(n mcp.JSONRPCNotification) {
	if n.Method != string(mcp.MethodNotificationProgress) {
		return
	}
	f := n.Params.AdditionalFields
	if f["progressToken"] != p.token {
		return
	}
	p.mu.Lock()
	p.got = append(p.got, f)
	count := len(p.got)
	p.mu.Unlock()
	if p.on != nil {
		p.on(count)
	}
}

func (p *progressLog) list() []map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.got)
}

// number reads a JSON number that may not have been through JSON: the
// in-process transport hands the server's map over as it is.
func number(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case int:
		return float64(n)
	case int64:
		return float64(n)
	case json.Number:
		f, _ := n.Float64()
		return f
	}
	return -1
}

// callWithProgress calls a tool with a progress token; notifications go to p.
func (e *env) callWithProgress(t *testing.T, ctx context.Context, name string, args map[string]any, p *progressLog) *mcp.CallToolResult {
	t.Helper()
	e.client.OnNotification(p.handle)
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	req.Params.Meta = &mcp.Meta{ProgressToken: p.token}
	res, err := e.client.CallTool(ctx, req)
	if err != nil {
		t.Fatalf("%s: JSON-RPC error instead of a tool result: %v", name, err)
	}
	return res
}

// overviewOf decodes the structured content.
func overviewOf(t *testing.T, res *mcp.CallToolResult) diagnosis.Overview {
	t.Helper()
	if res.IsError {
		t.Fatalf("isError: %s", text(res))
	}
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	var ov diagnosis.Overview
	if err := json.Unmarshal(b, &ov); err != nil {
		t.Fatalf("structured content is not an overview: %v\n%s", err, b)
	}
	return ov
}

// wantSeverity is the severity of a campaign as the fake knows it: its code,
// looked up in the catalog; no data and codes the catalog lacks are unknown.
func wantSeverity(t *testing.T, ws *instantlytest.Workspace, id string) (code, severity string) {
	t.Helper()
	raw, ok := ws.SendingStatus(id)
	if !ok {
		t.Fatalf("no sending status for %s", id)
	}
	var body struct {
		Diagnostics *struct {
			Status string `json:"status"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	if body.Diagnostics == nil || body.Diagnostics.Status == "" {
		return "", string(catalog.SeverityUnknown)
	}
	code = body.Diagnostics.Status
	if e, ok := catalog.Lookup(code); ok {
		return code, string(e.Severity)
	}
	return code, string(catalog.SeverityUnknown)
}

// liveCampaigns are the workspace's campaigns meant to be sending (all but
// drafts and completed ones) in list order: what the overview checks by
// default.
func liveCampaigns(ws *instantlytest.Workspace) []instantly.Campaign {
	var out []instantly.Campaign
	for _, c := range ws.Campaigns() {
		if c.Status != instantly.CampaignStatusDraft && c.Status != instantly.CampaignStatusCompleted {
			out = append(out, c)
		}
	}
	return out
}

// groupOf maps each checked campaign id to its group and entry.
func groupOf(ov diagnosis.Overview) map[string]string {
	m := map[string]string{}
	for group, list := range map[string][]diagnosis.OverviewCampaign{
		"action_required": ov.ActionRequired, "waiting": ov.Waiting, "ok": ov.OK, "unknown": ov.Unknown,
	} {
		for _, c := range list {
			if string(c.Severity) != group {
				panic(fmt.Sprintf("%s has severity %s in group %s", c.ID, c.Severity, group))
			}
			m[c.ID] = group
		}
	}
	return m
}

// checkGroups compares every checked campaign's group with what the fake
// knows about it.
func checkGroups(t *testing.T, e *env, ov diagnosis.Overview, want []instantly.Campaign) {
	t.Helper()
	groups := groupOf(ov)
	if len(groups) != len(want) || ov.Checked != len(want) {
		t.Fatalf("%d campaigns grouped, checked %d, want %d", len(groups), ov.Checked, len(want))
	}
	for _, c := range want {
		code, sev := wantSeverity(t, e.ws, c.ID)
		if groups[c.ID] != sev {
			t.Errorf("%s (%s, code %q) in group %q, want %q", c.Name, c.ID, code, groups[c.ID], sev)
		}
	}
	for _, list := range [][]diagnosis.OverviewCampaign{ov.ActionRequired, ov.Waiting, ov.OK, ov.Unknown} {
		for _, c := range list {
			if c.Name == "" || c.Headline == "" || c.Summary == "" || c.State == "" ||
				c.CampaignStatus == "draft" || c.CampaignStatus == "completed" {
				t.Errorf("incomplete entry %+v", c)
			}
		}
	}
}

// By default the overview checks every campaign meant to be sending exactly
// once, across pages: all but drafts and completed ones, so the campaigns
// Instantly took out of "active" (accounts unhealthy, bounce protect, account
// suspended) and the paused ones are there, grouped apart in the text.
func TestOverviewChecksEveryLiveCampaignOnce(t *testing.T) {
	e := newLargeEnv(t, largeN)
	res := e.call(t, "get_sending_overview", map[string]any{"max_campaigns": 1000})
	ov := overviewOf(t, res)
	live := liveCampaigns(e.ws)
	if len(live) < 150 || len(live) == largeN {
		t.Fatalf("workspace has %d live campaigns of %d: not a useful test", len(live), largeN)
	}
	byStatus := map[instantly.CampaignStatus]int{}
	for _, c := range e.ws.Campaigns() {
		want := 0
		if c.Status != instantly.CampaignStatusDraft && c.Status != instantly.CampaignStatusCompleted {
			want = 1
			byStatus[c.Status]++
		}
		if got := e.fake.Handler.RequestsFor(c.ID); got != want {
			t.Errorf("%s (status %v) requested %d times, want %d", c.Name, c.Status, got, want)
		}
	}
	for _, st := range []instantly.CampaignStatus{instantly.CampaignStatusPaused, instantly.CampaignStatusAccountsUnhealthy,
		instantly.CampaignStatusBounceProtect, instantly.CampaignStatusAccountSuspended} {
		if byStatus[st] == 0 {
			t.Fatalf("no campaign of status %v in the workspace: not a useful test", st)
		}
	}
	checkGroups(t, e, ov, live)
	if ov.Matched != len(live) || !ov.Complete || ov.Capped || len(ov.Failed) != 0 || len(ov.Notes) != 0 || ov.Filter.Status != "live" {
		t.Fatalf("matched %d complete %v capped %v failed %v notes %v filter %+v", ov.Matched, ov.Complete, ov.Capped, ov.Failed, ov.Notes, ov.Filter)
	}
	c := ov.Counts
	if c.ActionRequired == 0 || c.Waiting == 0 || c.OK == 0 || c.Unknown == 0 || c.PausedByPerson == 0 || c.PausedByInstantly == 0 {
		t.Fatalf("a group is empty: %+v", c)
	}
	if c.ActionRequired+c.Waiting+c.OK+c.Unknown != len(live) || c.Failed != 0 || c.NotChecked != 0 {
		t.Fatalf("counts %+v do not add up to %d", c, len(live))
	}
	paused := map[string]int{}
	for _, oc := range ov.ActionRequired {
		paused[oc.PausedBy]++
		wantBy := map[string]string{"paused": "person", "accounts_unhealthy": "instantly", "bounce_protect": "instantly",
			"account_suspended": "instantly"}[oc.CampaignStatus]
		if oc.PausedBy != wantBy {
			t.Errorf("%s (campaign status %s): paused_by %q, want %q", oc.Name, oc.CampaignStatus, oc.PausedBy, wantBy)
		}
	}
	if paused["person"] != c.PausedByPerson || paused["instantly"] != c.PausedByInstantly {
		t.Errorf("paused_by %v, counts %+v", paused, c)
	}
	// Worst first: the oldest issue leads its group.
	for i := 1; i < len(ov.ActionRequired); i++ {
		a, b := ov.ActionRequired[i-1].IssueFirstSeenAt, ov.ActionRequired[i].IssueFirstSeenAt
		if b != "" && (a == "" || a > b) {
			t.Fatalf("action_required not oldest issue first: %q before %q", a, b)
		}
	}
	// The list calls: 100 a page, every status (drafts and completed ones
	// are left out here, as Instantly's filter takes one status).
	var lists int
	for _, r := range e.fake.Handler.Requests() {
		if r.Path == "/api/v2/campaigns" {
			lists++
			if strings.Contains(r.RawQuery, "status=") || !strings.Contains(r.RawQuery, "limit=100") {
				t.Errorf("list call %q", r.RawQuery)
			}
		}
	}
	if lists != (largeN+99)/100 {
		t.Errorf("%d list calls for %d campaigns", lists, largeN)
	}

	txt := text(res)
	first := fmt.Sprintf("**%d not sending (action required)**, of them %d paused by Instantly and %d paused by a person or through the API · "+
		"%d unknown / no data · %d waiting (normal pacing) · %d sending",
		c.ActionRequired, c.PausedByInstantly, c.PausedByPerson, c.Unknown, c.Waiting, c.OK)
	if !strings.HasPrefix(txt, fmt.Sprintf("## Sending overview: checked %d of %d campaigns meant to be sending (all but drafts and completed)\n\n%s\n",
		len(live), len(live), first)) {
		t.Fatalf("text does not start with the counts:\n%s", txt[:min(len(txt), 600)])
	}
	iInstantly := strings.Index(txt, fmt.Sprintf("### Paused by Instantly (%d)\n", c.PausedByInstantly))
	iOther := strings.Index(txt, "### Not sending: action required (")
	iPerson := strings.Index(txt, fmt.Sprintf("### Paused by a person or through the API (%d)\n", c.PausedByPerson))
	if iInstantly < 0 || iOther < iInstantly || iPerson < iOther || strings.Index(txt, "### Waiting") < iPerson {
		t.Errorf("groups out of order: instantly %d, other %d, person %d", iInstantly, iOther, iPerson)
	}
	for _, oc := range ov.ActionRequired {
		line := fmt.Sprintf("- **%s** (`%s`): %s\n", oc.Name, oc.ID, oc.Summary)
		if oc.PausedBy == "instantly" {
			line = fmt.Sprintf("- **%s** (`%s`, %s): %s\n", oc.Name, oc.ID, oc.State, oc.Summary)
		}
		if !strings.Contains(txt, line) {
			t.Errorf("text lacks the line %q", line)
			break
		}
	}
	if !strings.Contains(txt, "… and ") {
		t.Errorf("the sending group is not shortened in the text")
	}
	assertNoKey(t, res, testKey)
}

func TestOverviewStatusAllAndSearch(t *testing.T) {
	e := newLargeEnv(t, largeN)
	res := e.call(t, "get_sending_overview", map[string]any{"status": "all", "search": "SaaS founders"})
	ov := overviewOf(t, res)
	var want []instantly.Campaign
	for _, c := range e.ws.Campaigns() {
		if strings.Contains(c.Name, "SaaS founders") {
			want = append(want, c)
		}
	}
	if len(want) == 0 || ov.Matched != len(want) || ov.Checked != len(want) {
		t.Fatalf("matched %d checked %d, want %d", ov.Matched, ov.Checked, len(want))
	}
	groups := groupOf(ov)
	for _, c := range want {
		if _, sev := wantSeverity(t, e.ws, c.ID); groups[c.ID] != sev {
			t.Errorf("%s in %q, want %q", c.Name, groups[c.ID], sev)
		}
	}
	if ov.Filter.Status != "all" || ov.Filter.Search != "SaaS founders" || ov.Filter.MaxCampaigns != 200 {
		t.Errorf("filter echo %+v", ov.Filter)
	}
	if !strings.Contains(text(res), `campaigns matching "SaaS founders"`) {
		t.Errorf("text:\n%s", text(res))
	}

	none := overviewOf(t, e.call(t, "get_sending_overview", map[string]any{"search": "no such campaign"}))
	if none.Matched != 0 || none.Checked != 0 || !none.Complete {
		t.Fatalf("no match: %+v", none)
	}
}

// More campaigns than max_campaigns: the first ones in list order are
// checked, and the result says how many were left out.
func TestOverviewCap(t *testing.T) {
	e := newLargeEnv(t, largeN)
	active := liveCampaigns(e.ws)
	res := e.call(t, "get_sending_overview", map[string]any{})
	ov := overviewOf(t, res)
	if ov.Checked != diagnosis.DefaultOverviewMax || ov.Matched != len(active) || !ov.Capped || ov.Complete ||
		ov.Counts.NotChecked != len(active)-diagnosis.DefaultOverviewMax {
		t.Fatalf("checked %d matched %d capped %v complete %v counts %+v", ov.Checked, ov.Matched, ov.Capped, ov.Complete, ov.Counts)
	}
	note := fmt.Sprintf("Checked the first 200 of %d matching campaigns; raise max_campaigns (at most 1000) or narrow with search.", len(active))
	if !slices.Contains(ov.Notes, note) || !strings.Contains(text(res), note) {
		t.Fatalf("cap note missing; notes %q\ntext:\n%s", ov.Notes, text(res))
	}
	for i, c := range active {
		want := 0
		if i < diagnosis.DefaultOverviewMax {
			want = 1
		}
		if got := e.fake.Handler.RequestsFor(c.ID); got != want {
			t.Fatalf("active campaign #%d requested %d times, want %d", i, got, want)
		}
	}
	checkGroups(t, e, ov, active[:diagnosis.DefaultOverviewMax])

	e.fake.Handler.Reset()
	ov = overviewOf(t, e.call(t, "get_sending_overview", map[string]any{"max_campaigns": 5000, "status": "all"}))
	if ov.Filter.MaxCampaigns != diagnosis.OverviewHardCap || ov.Checked != largeN || ov.Capped {
		t.Fatalf("max 5000: filter %+v checked %d capped %v", ov.Filter, ov.Checked, ov.Capped)
	}
	if !slices.Contains(ov.Notes, "max_campaigns 5000 lowered to the hard cap of 1000.") {
		t.Fatalf("notes %q", ov.Notes)
	}
}

// A storm of 429s, at the start (the list call) and in the middle (status
// calls): retries with backoff, then a retry pass, and every campaign is in
// the result.
func TestOverviewSurvives429Storm(t *testing.T) {
	t.Parallel()
	e := newLargeEnv(t, largeN)
	active := liveCampaigns(e.ws)
	// At the start: the first list call fails twice in a row; the client's
	// own retries (the only layer that retries a list page) get through.
	e.fake.Handler.SetFault("", instantlytest.Fault{Status: 429, Times: 2})
	// In the middle: once checking is under way, 60 429s in a row.
	var once sync.Once
	p := &progressLog{token: "storm", on: func(int) {
		once.Do(func() { e.fake.Handler.SetFault("", instantlytest.Fault{Status: 429, Times: 60}) })
	}}
	res := e.callWithProgress(t, context.Background(), "get_sending_overview", map[string]any{"max_campaigns": 1000}, p)
	ov := overviewOf(t, res)
	if len(ov.Failed) != 0 || !ov.Complete {
		t.Fatalf("failed %+v, notes %q", ov.Failed, ov.Notes)
	}
	checkGroups(t, e, ov, active)
	st := e.fake.Handler.Stats()
	if st.TooManyRequests != 62 {
		t.Fatalf("%d 429s answered, want the whole storm (62)", st.TooManyRequests)
	}
	for _, c := range active {
		if e.fake.Handler.RequestsFor(c.ID) < 1 {
			t.Fatalf("%s never requested", c.ID)
		}
	}
}

// Campaigns that cannot be checked are listed with why; the rest is a normal
// result, not an error.
func TestOverviewPartialFailures(t *testing.T) {
	e := newLargeEnv(t, largeN, withFakeOptions(), withClientOptions(instantly.WithMaxAttempts(2)))
	active := liveCampaigns(e.ws)
	bad := map[string]string{
		active[3].ID:  "HTTP 500",
		active[40].ID: "404",
		active[77].ID: "cannot read",
	}
	e.fake.Handler.SetFault(active[3].ID, instantlytest.Fault{Status: 500})
	e.fake.Handler.SetFault(active[40].ID, instantlytest.Fault{Status: 404})
	e.fake.Handler.SetFault(active[77].ID, instantlytest.Fault{Status: 200, Body: []byte(`{"diagnostics":`)})
	res := e.call(t, "get_sending_overview", map[string]any{"max_campaigns": 1000})
	ov := overviewOf(t, res)
	if len(ov.Failed) != 3 || ov.Counts.Failed != 3 || ov.Complete {
		t.Fatalf("failed %+v complete %v", ov.Failed, ov.Complete)
	}
	for _, f := range ov.Failed {
		want, ok := bad[f.ID]
		if !ok || !strings.Contains(f.Error, want) || f.Name == "" {
			t.Errorf("failure %+v, want one of %v", f, bad)
		}
	}
	var good []instantly.Campaign
	for _, c := range active {
		if _, ok := bad[c.ID]; !ok {
			good = append(good, c)
		}
	}
	checkGroups(t, e, ov, good)
	// The 404 is final: not retried. The 500 is: client retries, then the
	// retry pass.
	if n := e.fake.Handler.RequestsFor(active[40].ID); n != 1 {
		t.Errorf("404 campaign requested %d times", n)
	}
	if n := e.fake.Handler.RequestsFor(active[3].ID); n != 4 {
		t.Errorf("500 campaign requested %d times, want 2 attempts x 2 passes", n)
	}
	txt := text(res)
	for _, w := range []string{"3 could not be checked", "### Could not check (3)", active[40].Name, "3 campaigns could not be checked"} {
		if !strings.Contains(txt, w) {
			t.Errorf("text lacks %q:\n%s", w, txt)
		}
	}
}

func TestOverviewErrors(t *testing.T) {
	t.Run("every campaign fails", func(t *testing.T) {
		e := newLargeEnv(t, 60)
		for _, c := range liveCampaigns(e.ws) {
			e.fake.Handler.SetFault(c.ID, instantlytest.Fault{Status: 404})
		}
		res := e.call(t, "get_sending_overview", nil)
		if !res.IsError || !strings.Contains(text(res), "Not one of the") || !strings.Contains(text(res), "404") {
			t.Fatalf("want isError, got:\n%s", text(res))
		}
	})
	t.Run("list rejected", func(t *testing.T) {
		e := newLargeEnv(t, 60)
		e.fake.Handler.SetFault("", instantlytest.Fault{Status: 401})
		res := e.call(t, "get_sending_overview", nil)
		if !res.IsError || !strings.Contains(text(res), "401") {
			t.Fatalf("want isError, got:\n%s", text(res))
		}
		assertNoKey(t, res, testKey)
	})
	t.Run("no key", func(t *testing.T) {
		e := newLargeEnv(t, 10, withKey(""))
		res := e.call(t, "get_sending_overview", nil)
		if !res.IsError || !strings.Contains(text(res), "INSTANTLY_API_KEY") {
			t.Fatalf("want isError, got:\n%s", text(res))
		}
	})
	t.Run("bad arguments", func(t *testing.T) {
		e := newLargeEnv(t, 10)
		cases := []struct {
			args map[string]any
			want []string
		}{
			{map[string]any{"status": "bogus"}, []string{`"status"`, `"bogus"`, "live", "active", "all"}},
			{map[string]any{"status": true}, []string{`"status"`, "a boolean"}},
			{map[string]any{"search": 42}, []string{`"search"`, "a number"}},
			{map[string]any{"search": strings.Repeat("y", 200)}, []string{`"search"`, "at most 100"}},
			{map[string]any{"max_campaigns": 0}, []string{`"max_campaigns"`, "1 to 1000"}},
			{map[string]any{"max_campaigns": -3}, []string{`"max_campaigns"`, "1 to 1000"}},
			{map[string]any{"max_campaigns": 1.5}, []string{`"max_campaigns"`, "whole number"}},
			{map[string]any{"max_campaigns": "all"}, []string{`"max_campaigns"`}},
		}
		for _, c := range cases {
			res := e.call(t, "get_sending_overview", c.args)
			if !res.IsError {
				t.Errorf("%v: want isError, got:\n%s", c.args, text(res))
				continue
			}
			for _, w := range c.want {
				if !strings.Contains(text(res), w) {
					t.Errorf("%v: message lacks %q:\n%s", c.args, w, text(res))
				}
			}
		}
		if n := len(e.fake.Handler.Requests()); n != 0 {
			t.Fatalf("%d bad requests reached Instantly", n)
		}
	})
}

// With a scaled-down budget the overview paces itself: the fake, enforcing
// the same limits, never answers 429, and its sliding windows never see more
// than the budget.
func TestOverviewRespectsRateLimits(t *testing.T) {
	const perSecond, perMinute = 40, 2400
	e := newLargeEnv(t, largeN,
		withClientOptions(instantly.WithRateLimits(perSecond, perMinute)),
		withFakeOptions(instantlytest.WithRateLimit(perSecond, perMinute)))
	var want []instantly.Campaign
	for _, c := range e.ws.Campaigns() {
		if strings.Contains(c.Name, "Campaign 00") {
			want = append(want, c)
		}
	}
	stalls := watchStalls()
	start := time.Now()
	ov := overviewOf(t, e.call(t, "get_sending_overview", map[string]any{"search": "Campaign 00", "status": "all"}))
	elapsed := time.Since(start)
	stall := stalls()
	groups := groupOf(ov)
	if len(groups) != len(want) || len(want) != 99 {
		t.Fatalf("%d of %d campaigns checked", len(groups), len(want))
	}
	st := e.fake.Handler.Stats()
	t.Logf("%d requests in %s: peak %d/s, %d/min, %d 429s; longest stall of this process %s",
		st.Requests, elapsed.Round(time.Millisecond), st.PeakPerSecond, st.PeakPerMinute, st.TooManyRequests, stall.Round(time.Millisecond))
	// A process that is not scheduled for a while sends the requests whose
	// turn came meanwhile together when it runs again: no client-side
	// limiter can help that. On a machine that busy, allow for it.
	allow := perSecond
	if stall > 50*time.Millisecond {
		allow += int(stall.Seconds()*perSecond) + 1
		t.Logf("the machine is busy: allowing %d/s", allow)
	} else if st.TooManyRequests != 0 || st.Requests != len(want)+1 {
		t.Fatalf("%d requests (%d answered 429) for %d campaigns and one list page", st.Requests, st.TooManyRequests, len(want))
	}
	if st.PeakPerSecond > allow || st.PeakPerMinute > perMinute {
		t.Fatalf("over the limits: %+v", st)
	}
	// The limiter admits a full window at once, then the next when the
	// first leaves it: n requests take at least n/perSecond - 1 seconds.
	if min := time.Duration((float64(len(want)+1)/perSecond - 1) * float64(time.Second)); elapsed < min {
		t.Fatalf("%d requests in %s: faster than %d/s allows", st.Requests, elapsed, perSecond)
	}
}

// watchStalls measures, until the returned func is called, the longest time
// this process went without being scheduled.
func watchStalls() func() time.Duration {
	done := make(chan struct{})
	result := make(chan time.Duration, 1)
	go func() {
		var worst time.Duration
		for {
			select {
			case <-done:
				result <- worst
				return
			default:
			}
			t0 := time.Now()
			time.Sleep(2 * time.Millisecond)
			worst = max(worst, time.Since(t0)-2*time.Millisecond)
		}
	}()
	return func() time.Duration { close(done); return <-result }
}

// A progress token gets notifications/progress every few campaigns, rising,
// ending at the total.
func TestOverviewProgress(t *testing.T) {
	e := newLargeEnv(t, largeN)
	p := &progressLog{token: "tok-1"}
	ov := overviewOf(t, e.callWithProgress(t, context.Background(), "get_sending_overview", map[string]any{"max_campaigns": 1000}, p))
	var got []map[string]any
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		got = p.list()
		if len(got) > 0 && number(got[len(got)-1]["progress"]) == float64(ov.Checked) {
			break
		}
	}
	if len(got) < 5 {
		t.Fatalf("%d progress notifications for %d campaigns", len(got), ov.Checked)
	}
	last := -1.0
	for _, n := range got {
		prog := number(n["progress"])
		if prog <= last {
			t.Fatalf("progress does not rise: %v", got)
		}
		last = prog
		if tot, ok := n["total"]; ok && number(tot) != float64(ov.Checked) {
			t.Fatalf("total %v, want %d", tot, ov.Checked)
		}
		if msg, _ := n["message"].(string); !strings.HasPrefix(msg, "Checked ") {
			t.Fatalf("message %q", msg)
		}
	}
	if end := got[len(got)-1]; number(end["progress"]) != float64(ov.Checked) || number(end["total"]) != float64(ov.Checked) {
		t.Fatalf("last notification %v, want %d of %d", end, ov.Checked, ov.Checked)
	}

	// Without a token, none.
	q := &progressLog{token: "tok-1"}
	e.client.OnNotification(q.handle)
	e.call(t, "get_sending_overview", map[string]any{"search": "Campaign 00"})
	time.Sleep(50 * time.Millisecond)
	if n := len(q.list()); n != 0 {
		t.Fatalf("%d progress notifications without a token", n)
	}
}

// Cancelling the call stops the overview: no call is started after, the
// result says what was checked.
func TestOverviewCancellation(t *testing.T) {
	t.Parallel()
	// Requests are counted as the client starts them: the fake may still
	// receive one that was sent just before the cancellation.
	var started atomic.Int64
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		started.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})}
	e := newLargeEnv(t, largeN, withFakeOptions(instantlytest.WithLatency(50*time.Millisecond)),
		withClientOptions(instantly.WithHTTPClient(hc)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := &progressLog{token: "cancel-me", on: func(n int) {
		if n == 2 {
			cancel()
		}
	}}
	res := e.callWithProgress(t, ctx, "get_sending_overview", map[string]any{"max_campaigns": 1000, "status": "all"}, p)
	after := started.Load()
	time.Sleep(150 * time.Millisecond)
	if n := started.Load(); n != after {
		t.Fatalf("%d requests started after the call returned", n-after)
	}
	ov := overviewOf(t, res)
	if ov.Checked == 0 || ov.Checked > largeN*2/3 || ov.Complete || len(ov.Failed) != 0 {
		t.Fatalf("checked %d of %d, complete %v, failed %v", ov.Checked, ov.Matched, ov.Complete, ov.Failed)
	}
	if after > largeN*2/3 {
		t.Fatalf("%d requests made: the overview did not stop", after)
	}
	if len(ov.Notes) == 0 || !strings.HasPrefix(ov.Notes[0], "Stopped early (cancelled)") || ov.Counts.NotChecked == 0 {
		t.Fatalf("notes %q counts %+v", ov.Notes, ov.Counts)
	}

	// Cancelled before anything was checked: the error.
	ctx2, cancel2 := context.WithCancel(context.Background())
	e.fake.Handler.SetFault("", instantlytest.Fault{Delay: 2 * time.Second, Times: 1})
	time.AfterFunc(50*time.Millisecond, cancel2)
	res = e.callCtx(t, ctx2, "get_sending_overview", nil)
	if !res.IsError || !strings.Contains(text(res), "cancelled") {
		t.Fatalf("want a cancellation error, got:\n%s", text(res))
	}
}

// A list page that still fails after the client's retries (the only layer
// that retries a page at once) is asked for again in the retry pass, from
// where the listing stopped.
func TestOverviewResumesListing(t *testing.T) {
	t.Parallel()
	var failed atomic.Int32
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/api/v2/campaigns" && r.URL.Query().Get("starting_after") != "" && failed.Add(1) <= 3 {
			return &http.Response{StatusCode: 503, Request: r, Header: http.Header{"Content-Type": {"application/json"}},
				Body: http.NoBody}, nil
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	e := newLargeEnv(t, 250, withClientOptions(instantly.WithHTTPClient(&http.Client{Transport: rt})))
	ov := overviewOf(t, e.call(t, "get_sending_overview", map[string]any{"max_campaigns": 1000, "status": "all"}))
	if n := failed.Load(); n != 5 {
		t.Errorf("%d requests for pages after the first, want 3 (the client's attempts at page 2) + 2 (pages 2 and 3 in the retry pass)", n)
	}
	if ov.Matched != 250 || ov.Checked != 250 || !ov.Complete || len(ov.Failed) != 0 {
		t.Fatalf("matched %d, checked %d, complete %v, failed %+v, notes %q", ov.Matched, ov.Checked, ov.Complete, ov.Failed, ov.Notes)
	}
}
