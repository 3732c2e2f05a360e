package diagnosis_test

// The cross-check scheduler (crosscheck.go) as exact values: what each
// stage asks Instantly for, how the budget is shared, and the notes it
// writes, as exact requests and texts.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

// requestPaths is the path of each request h received, in arrival order
// (sending-status calls included).
func requestPaths(h *instantlytest.Handler) []string {
	var out []string
	for _, r := range h.Requests() {
		out = append(out, r.Path)
	}
	return out
}

// sortedRequestPaths is the sorted paths of h's requests: the checks of one stage go
// out in parallel, in no fixed order.
func sortedRequestPaths(h *instantlytest.Handler) []string {
	p := requestPaths(h)
	slices.Sort(p)
	return p
}

// crossCheckLines renders cross-checks one per line, "check ok note".
func crossCheckLines(cs []diagnosis.CrossCheck) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%s %t %s\n", c.Check, c.OK, c.Note)
	}
	return b.String()
}

// holdStatusTransport holds a campaign's sending-status request until n other
// requests have arrived: the checks those n belong to have reserved their
// budget before the stages that wait for the status reserve theirs, however
// the goroutines are scheduled (a loaded machine ran them late).
type holdStatusTransport struct {
	next  http.RoundTripper
	n     int
	mu    sync.Mutex
	seen  int
	ready chan struct{}
}

func (g *holdStatusTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasPrefix(r.URL.Path, "/api/v2/campaigns/") && strings.HasSuffix(r.URL.Path, "/sending-status") {
		select {
		case <-g.ready:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
		return g.next.RoundTrip(r)
	}
	g.mu.Lock()
	if g.seen++; g.seen == g.n {
		close(g.ready)
	}
	g.mu.Unlock()
	return g.next.RoundTrip(r)
}

// heldStatusClient is a client of h whose campaign status waits for n other
// requests (see holdStatusTransport).
func heldStatusClient(t *testing.T, h *instantlytest.Handler, n int) *instantly.Client {
	t.Helper()
	c, err := instantly.NewClient(instantlytest.DemoAPIKey, instantly.WithBaseURL("http://demo.invalid"),
		instantly.WithHTTPClient(&http.Client{Transport: &holdStatusTransport{next: instantlytest.NewTransport(h), n: n, ready: make(chan struct{})}}),
		instantly.WithRateLimits(1000, 60000))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// crossCheckWithBudget reads e's sending status, then runs
// CrossCheckStatusWith with budget; the handler holds only the
// cross-checks' requests.
func crossCheckWithBudget(t *testing.T, ws *instantlytest.Workspace, e instantlytest.DemoEntry, budget int) (diagnosis.StatusResult, *instantlytest.Handler) {
	t.Helper()
	c, h := demoClient(t, ws)
	st, err := c.GetCampaignSendingStatus(context.Background(), e.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.Reset()
	res := diagnosis.BuildStatusResult(e.Kind, e.ID, st, fixedNow)
	diagnosis.CrossCheckStatusWith(context.Background(), c, &res, st, budget, fixedNow, diagnosis.Settings{}, nil)
	return res, h
}

// CrossCheckStatusWith: a budget <= 0 is the default; a positive one is
// kept, and what did not fit is said.
func TestCrossCheckStatusWithBudget(t *testing.T) {
	ws := instantlytest.DemoWorkspace(fixedNow)
	e := entryOf(instantly.StatusWaitingForLeads)
	want := "campaign true read the campaign's settings: 1 schedule, 4 sending accounts listed, 0 account tags\n" +
		"leads true read the lead counts: 1,200 leads, 0 not yet contacted\n"
	for _, budget := range []int{0, -1, 2} {
		res, h := crossCheckWithBudget(t, ws, e, budget)
		got := crossCheckLines(res.Analysis.CrossChecks)
		if !strings.HasPrefix(got, want) {
			t.Errorf("budget %d: checks\n%s", budget, got)
		}
		if p := sortedRequestPaths(h); !slices.Equal(p, []string{"/api/v2/campaigns/" + e.ID, "/api/v2/campaigns/analytics"}) {
			t.Errorf("budget %d: requests %q", budget, p)
		}
	}
	res, h := crossCheckWithBudget(t, ws, e, 1)
	if n := len(h.Requests()); n != 1 {
		t.Fatalf("budget 1: %d requests", n)
	}
	var spent []string
	for _, c := range res.Analysis.CrossChecks {
		if strings.Contains(c.Note, "budget") {
			spent = append(spent, c.Check+" "+c.Note)
		}
	}
	if len(spent) != 1 || (spent[0] != "campaign not checked: the diagnosis's request budget is spent (campaign settings)" &&
		spent[0] != "leads not checked: the diagnosis's request budget is spent (lead counts)") {
		t.Fatalf("budget 1: %q", spent)
	}
}

// sortedRequests is path?query of each request h received, sorted (the checks
// of one stage go out in parallel, in no fixed order), with id as {id}.
func sortedRequests(h *instantlytest.Handler, id string) []string {
	var out []string
	for _, r := range h.Requests() {
		p := r.Path
		if r.RawQuery != "" {
			p += "?" + r.RawQuery
		}
		out = append(out, strings.ReplaceAll(p, id, "{id}"))
	}
	slices.Sort(out)
	return out
}

// firstRoundRequests is what every deep diagnosis of a campaign asks: the
// status, the campaign, its lead counts and the first accounts page.
var firstRoundRequests = []string{
	"/api/v2/accounts?include_tags=true&limit=100",
	"/api/v2/campaigns/analytics?id={id}",
	"/api/v2/campaigns/{id}",
	"/api/v2/campaigns/{id}/sending-status",
}

// demoRequests is what one deep diagnosis of a demo entry asks Instantly (beyond
// firstRoundRequests for a campaign), how many facts the cache then holds, and
// the cross-check notes saying a fact was reused.
type demoRequests struct {
	facts  int
	extra  []string
	reused []string
}

// checkDemoRequests diagnoses each demo entry of want (default budget, a fresh
// fact cache) and compares the requests, the cached facts and the reuse
// notes. mode "hint": the campaign list was read into the cache first;
// "again": the same diagnosis ran a minute earlier.
func checkDemoRequests(t *testing.T, mode string, want map[string]demoRequests) {
	t.Helper()
	ws := instantlytest.DemoWorkspace(fixedNow)
	n := 0
	for _, e := range instantlytest.DemoCampaigns {
		code := e.Code
		if code == "" {
			code = "no-data"
		}
		name := fmt.Sprintf("%s %s %s", e.Kind, code, e.ID[len(e.ID)-4:])
		w, ok := want[name]
		if !ok {
			if e.Kind == "campaign" || mode == "" {
				t.Errorf("%s: no expectation", name)
			}
			continue
		}
		n++
		c, h := demoClient(t, ws)
		cache := diagnosis.NewFactCache()
		now := fixedNow
		switch mode {
		case "hint":
			page, err := c.ListCampaigns(context.Background(), &instantly.ListCampaignsOptions{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			cache.RememberCampaigns(c.KeyHash(), page.Items, fixedNow)
		case "again":
			if _, err := diagnosis.Diagnose(context.Background(), c, e.Kind, e.ID, diagnosis.DiagnoseOptions{CrossCheck: true, Cache: cache}, now); err != nil {
				t.Fatal(err)
			}
			now = now.Add(time.Minute)
		}
		h.Reset()
		res, err := diagnosis.Diagnose(context.Background(), c, e.Kind, e.ID, diagnosis.DiagnoseOptions{CrossCheck: true, Cache: cache}, now)
		if err != nil {
			t.Fatal(err)
		}
		wantReq := slices.Clone(w.extra)
		if e.Kind == "campaign" {
			wantReq = append(wantReq, firstRoundRequests...)
		}
		slices.Sort(wantReq)
		if got := sortedRequests(h, e.ID); !slices.Equal(got, wantReq) {
			t.Errorf("%s: requests\n%s\nwant\n%s", name, strings.Join(got, "\n"), strings.Join(wantReq, "\n"))
		}
		if cache.Len() != w.facts {
			t.Errorf("%s: %d facts cached, want %d", name, cache.Len(), w.facts)
		}
		var reused []string
		for _, c := range res.Analysis.CrossChecks {
			if strings.Contains(c.Note, "earlier diagnosis") {
				reused = append(reused, fmt.Sprintf("%s %t %s", c.Check, c.OK, c.Note))
			}
		}
		if !slices.Equal(reused, w.reused) {
			t.Errorf("%s: reuse notes %q, want %q", name, reused, w.reused)
		}
	}
	if n != len(want) {
		t.Errorf("%d of %d expectations used", n, len(want))
	}
}

// Every demo entry's deep diagnosis asks exactly these requests and leaves
// exactly this many facts in the cache: the campaign's hint and its code,
// the vitals of each domain tested, the subsequence list, the audit log's
// pauses, the tags' names, the campaigns of each sender asked, but no
// empty list of looked-up senders.
func TestRequestsOfEachDemoDiagnosis(t *testing.T) {
	checkDemoRequests(t, "", map[string]demoRequests{
		"campaign account_daily_limit_met 0001": {4, []string{
			"/api/v2/account-campaign-mappings/alex@northpeakhq.example?limit=100",
			"/api/v2/account-campaign-mappings/jordan@northpeakhq.example?limit=100",
			"/api/v2/accounts/analytics/daily?emails=alex%40northpeakhq.example&emails=jordan%40northpeakhq.example&emails=sam%40northpeakhq.example&emails=taylor%40northpeakhq.example&emails=morgan%40northpeakhq.example&emails=casey%40northpeakhq.example&emails=riley%40northpeakhq.example&emails=jamie%40northpeakhq.example&emails=drew%40northpeakhq.example&emails=avery%40northpeakhq.example&end_date=2026-11-25&start_date=2026-11-25",
			"/api/v2/accounts?include_tags=true&limit=100&tag_ids=019a3b7e-52c1-7d04-9e6a-8f1d2c3b4a50",
		}, nil},
		"campaign healthy 74fb":                 {2, nil, nil},
		"campaign follow_up_delay_not_met 30e7": {2, nil, nil},
		"campaign out_of_schedule 07fc":         {2, nil, nil},
		"campaign daily_limit_met b17e":         {2, nil, nil},
		"campaign new_lead_limit_met 0674":      {2, nil, nil},
		"campaign waiting_for_leads 954e":       {2, nil, nil},
		"campaign domain_limit_reached 3f0f":    {2, nil, nil},
		"campaign waiting_for_esp_match 87bf":   {2, nil, nil},
		"campaign campaign_paused 0b1e": {3, []string{
			"/api/v2/audit-logs?activity_type=5&limit=1000&start_date=2026-11-21",
		}, nil},
		"campaign campaign_draft 3139": {3, []string{
			"/api/v2/accounts/reese2@northpeakhq.example",
		}, nil},
		"campaign campaign_completed ceec": {2, nil, nil},
		"campaign campaign_running_subsequences b170": {3, []string{
			"/api/v2/subsequences/019d34c1-6504-70a6-8528-0c39da18458b/sending-status",
			"/api/v2/subsequences?limit=100&parent_campaign={id}",
		}, nil},
		"campaign campaign_bounce_protect 26e6": {2, []string{
			"/api/v2/accounts/analytics/daily?emails=jordan2%40northpeak-growth.example&emails=sam2%40northpeak-growth.example&emails=taylor2%40northpeak-growth.example&emails=morgan2%40northpeak-growth.example&emails=casey2%40northpeak-growth.example&emails=riley2%40northpeak-growth.example&end_date=2026-11-25&start_date=2026-11-19",
		}, nil},
		"campaign campaign_accounts_unhealthy 1696": {4, []string{
			"/api/v2/accounts/test/vitals",
			"/api/v2/accounts?include_tags=true&limit=100&tag_ids=019a3b7e-7d3a-7e12-9c40-5a8b2e1d6f44",
		}, nil},
		"campaign all_accounts_unhealthy 1766": {3, []string{
			"/api/v2/accounts/test/vitals",
		}, nil},
		"campaign campaign_account_suspended 074a": {3, []string{
			"/api/v2/accounts/test/vitals",
		}, nil},
		"campaign no_accounts_available 78ec": {3, []string{
			"/api/v2/accounts?include_tags=true&limit=100&tag_ids=019a3b7e-8e57-7c83-b1d5-6f2a9c4e8b55",
			"/api/v2/custom-tags?limit=100&tag_ids=019a3b7e-8e57-7c83-b1d5-6f2a9c4e8b55",
		}, nil},
		"campaign healthy 1654":            {2, nil, nil},
		"campaign healthy db04":            {2, nil, nil},
		"campaign no-data 83c5":            {1, nil, nil},
		"campaign warmup_in_progress e21c": {2, nil, nil},
		"subsequence healthy 458b": {2, []string{
			"/api/v2/campaigns/019c016d-3b04-7431-a68a-53952c89b170",
			"/api/v2/subsequences/{id}/sending-status",
			"/api/v2/subsequences?limit=100&parent_campaign=019c016d-3b04-7431-a68a-53952c89b170",
		}, nil},
		"subsequence follow_up_delay_not_met 16ca": {2, []string{
			"/api/v2/campaigns/019a6d64-37ed-7247-b88f-20dcba6074fb",
			"/api/v2/subsequences/{id}/sending-status",
			"/api/v2/subsequences?limit=100&parent_campaign=019a6d64-37ed-7247-b88f-20dcba6074fb",
		}, nil},
		"subsequence waiting_for_leads 2504": {2, []string{
			"/api/v2/campaigns/019a8f3f-dc6d-7940-a3b5-1247195a30e7",
			"/api/v2/subsequences/{id}/sending-status",
			"/api/v2/subsequences?limit=100&parent_campaign=019a8f3f-dc6d-7940-a3b5-1247195a30e7",
		}, nil},
		"subsequence campaign_paused 7214": {2, []string{
			"/api/v2/campaigns/019b8f6b-460f-795d-b6f3-79a358fa0b1e",
			"/api/v2/subsequences/{id}/sending-status",
			"/api/v2/subsequences?limit=100&parent_campaign=019b8f6b-460f-795d-b6f3-79a358fa0b1e",
		}, nil},
	})
}

// After a list (RememberCampaigns), the hinted checks go out early and are
// not asked a second time: the same requests as without the hint, except
// the audit log's 30 days for a campaign listed as paused.
func TestRequestsWithAListHint(t *testing.T) {
	checkDemoRequests(t, "hint", map[string]demoRequests{
		"campaign account_daily_limit_met 0001": {25, []string{
			"/api/v2/account-campaign-mappings/alex@northpeakhq.example?limit=100",
			"/api/v2/account-campaign-mappings/jordan@northpeakhq.example?limit=100",
			"/api/v2/accounts/analytics/daily?emails=alex%40northpeakhq.example&emails=jordan%40northpeakhq.example&emails=sam%40northpeakhq.example&emails=taylor%40northpeakhq.example&emails=morgan%40northpeakhq.example&emails=casey%40northpeakhq.example&emails=riley%40northpeakhq.example&emails=jamie%40northpeakhq.example&emails=drew%40northpeakhq.example&emails=avery%40northpeakhq.example&end_date=2026-11-25&start_date=2026-11-25",
			"/api/v2/accounts?include_tags=true&limit=100&tag_ids=019a3b7e-52c1-7d04-9e6a-8f1d2c3b4a50",
		}, nil},
		"campaign healthy 74fb":                 {23, nil, nil},
		"campaign follow_up_delay_not_met 30e7": {23, nil, nil},
		"campaign out_of_schedule 07fc":         {23, nil, nil},
		"campaign daily_limit_met b17e":         {23, nil, nil},
		"campaign new_lead_limit_met 0674":      {23, nil, nil},
		"campaign waiting_for_leads 954e":       {23, nil, nil},
		"campaign domain_limit_reached 3f0f":    {23, nil, nil},
		"campaign waiting_for_esp_match 87bf":   {23, nil, nil},
		"campaign campaign_paused 0b1e": {24, []string{
			"/api/v2/audit-logs?activity_type=5&limit=1000&start_date=2026-10-26",
		}, nil},
		"campaign campaign_draft 3139": {24, []string{
			"/api/v2/accounts/reese2@northpeakhq.example",
		}, nil},
		"campaign campaign_completed ceec": {23, nil, nil},
		"campaign campaign_running_subsequences b170": {24, []string{
			"/api/v2/subsequences/019d34c1-6504-70a6-8528-0c39da18458b/sending-status",
			"/api/v2/subsequences?limit=100&parent_campaign={id}",
		}, nil},
		"campaign campaign_bounce_protect 26e6": {23, []string{
			"/api/v2/accounts/analytics/daily?emails=jordan2%40northpeak-growth.example&emails=sam2%40northpeak-growth.example&emails=taylor2%40northpeak-growth.example&emails=morgan2%40northpeak-growth.example&emails=casey2%40northpeak-growth.example&emails=riley2%40northpeak-growth.example&end_date=2026-11-25&start_date=2026-11-19",
		}, nil},
		"campaign campaign_accounts_unhealthy 1696": {25, []string{
			"/api/v2/accounts/test/vitals",
			"/api/v2/accounts?include_tags=true&limit=100&tag_ids=019a3b7e-7d3a-7e12-9c40-5a8b2e1d6f44",
		}, nil},
		"campaign all_accounts_unhealthy 1766": {24, []string{
			"/api/v2/accounts/test/vitals",
		}, nil},
		"campaign campaign_account_suspended 074a": {24, []string{
			"/api/v2/accounts/test/vitals",
		}, nil},
		"campaign no_accounts_available 78ec": {24, []string{
			"/api/v2/accounts?include_tags=true&limit=100&tag_ids=019a3b7e-8e57-7c83-b1d5-6f2a9c4e8b55",
			"/api/v2/custom-tags?limit=100&tag_ids=019a3b7e-8e57-7c83-b1d5-6f2a9c4e8b55",
		}, nil},
		"campaign healthy 1654":            {23, nil, nil},
		"campaign healthy db04":            {23, nil, nil},
		"campaign no-data 83c5":            {22, nil, nil},
		"campaign warmup_in_progress e21c": {23, nil, nil},
	})
}

// The same diagnosis a minute later: the slow facts come from the cache
// (each reuse said once, with the right number of domains), the senders
// looked up one by one last time are asked early.
func TestRequestsOfARepeatedDiagnosis(t *testing.T) {
	checkDemoRequests(t, "again", map[string]demoRequests{
		"campaign account_daily_limit_met 0001": {4, []string{
			"/api/v2/accounts/analytics/daily?emails=alex%40northpeakhq.example&emails=jordan%40northpeakhq.example&emails=sam%40northpeakhq.example&emails=taylor%40northpeakhq.example&emails=morgan%40northpeakhq.example&emails=casey%40northpeakhq.example&emails=riley%40northpeakhq.example&emails=jamie%40northpeakhq.example&emails=drew%40northpeakhq.example&emails=avery%40northpeakhq.example&end_date=2026-11-25&start_date=2026-11-25",
			"/api/v2/accounts?include_tags=true&limit=100&tag_ids=019a3b7e-52c1-7d04-9e6a-8f1d2c3b4a50",
		}, []string{"shared_quota true the campaigns of alex@northpeakhq.example: read 1 min ago by an earlier diagnosis (reused for up to 2 min)", "shared_quota true the campaigns of jordan@northpeakhq.example: read 1 min ago by an earlier diagnosis (reused for up to 2 min)"}},
		"campaign healthy 74fb":                 {2, nil, nil},
		"campaign follow_up_delay_not_met 30e7": {2, nil, nil},
		"campaign out_of_schedule 07fc":         {2, nil, nil},
		"campaign daily_limit_met b17e":         {2, nil, nil},
		"campaign new_lead_limit_met 0674":      {2, nil, nil},
		"campaign waiting_for_leads 954e":       {2, nil, nil},
		"campaign domain_limit_reached 3f0f":    {2, nil, nil},
		"campaign waiting_for_esp_match 87bf":   {2, nil, nil},
		"campaign campaign_paused 0b1e":         {3, nil, []string{"paused_by true the audit log's campaign pauses: read 1 min ago by an earlier diagnosis (reused for up to 2 min)"}},
		"campaign campaign_draft 3139": {3, []string{
			"/api/v2/accounts/reese2@northpeakhq.example",
		}, nil},
		"campaign campaign_completed ceec": {2, nil, nil},
		"campaign campaign_running_subsequences b170": {3, []string{
			"/api/v2/subsequences/019d34c1-6504-70a6-8528-0c39da18458b/sending-status",
		}, []string{"subsequences true the campaign's subsequence list: read 1 min ago by an earlier diagnosis (reused for up to 2 min)"}},
		"campaign campaign_bounce_protect 26e6": {2, []string{
			"/api/v2/accounts/analytics/daily?emails=jordan2%40northpeak-growth.example&emails=sam2%40northpeak-growth.example&emails=taylor2%40northpeak-growth.example&emails=morgan2%40northpeak-growth.example&emails=casey2%40northpeak-growth.example&emails=riley2%40northpeak-growth.example&end_date=2026-11-25&start_date=2026-11-19",
		}, nil},
		"campaign campaign_accounts_unhealthy 1696": {4, []string{
			"/api/v2/accounts?include_tags=true&limit=100&tag_ids=019a3b7e-7d3a-7e12-9c40-5a8b2e1d6f44",
		}, []string{"vitals true DNS checks of 2 sending domains: read 1 min ago by an earlier diagnosis (reused for up to 10 min)"}},
		"campaign all_accounts_unhealthy 1766":     {3, nil, []string{"vitals true DNS checks of 1 sending domain: read 1 min ago by an earlier diagnosis (reused for up to 10 min)"}},
		"campaign campaign_account_suspended 074a": {3, nil, []string{"vitals true DNS checks of 1 sending domain: read 1 min ago by an earlier diagnosis (reused for up to 10 min)"}},
		"campaign no_accounts_available 78ec": {3, []string{
			"/api/v2/accounts?include_tags=true&limit=100&tag_ids=019a3b7e-8e57-7c83-b1d5-6f2a9c4e8b55",
		}, []string{"tags true the names of 1 account tag: read 1 min ago by an earlier diagnosis (reused for up to 10 min)"}},
		"campaign healthy 1654":            {2, nil, nil},
		"campaign healthy db04":            {2, nil, nil},
		"campaign no-data 83c5":            {1, nil, nil},
		"campaign warmup_in_progress e21c": {2, nil, nil},
	})
}

// account_daily_limit_met: the other campaigns of the capped senders take
// what the budget leaves after one request for each other check of the
// sender stage (the tagged accounts' page, the daily counts), reserved
// before those start. With the daily counts asked early (the code of a
// diagnosis a minute before), they are not reserved again.
func TestSharedQuotaTakesWhatTheBudgetLeaves(t *testing.T) {
	ws := instantlytest.DemoWorkspace(fixedNow)
	e := entryOf(instantly.StatusAccountDailyLimitMet)
	const (
		tagPage  = "/api/v2/accounts?include_tags=true&limit=100&tag_ids=019a3b7e-52c1-7d04-9e6a-8f1d2c3b4a50"
		daily    = "/api/v2/accounts/analytics/daily?emails=alex%40northpeakhq.example&emails=jordan%40northpeakhq.example&emails=sam%40northpeakhq.example&emails=taylor%40northpeakhq.example&emails=morgan%40northpeakhq.example&emails=casey%40northpeakhq.example&emails=riley%40northpeakhq.example&emails=jamie%40northpeakhq.example&emails=drew%40northpeakhq.example&emails=avery%40northpeakhq.example&end_date=2026-11-25&start_date=2026-11-25"
		alex     = "/api/v2/account-campaign-mappings/alex@northpeakhq.example?limit=100"
		jordan   = "/api/v2/account-campaign-mappings/jordan@northpeakhq.example?limit=100"
		spentTag = "senders: not checked: the diagnosis's request budget is spent (more tagged accounts)"
		spentDay = "sent_today: not checked: the diagnosis's request budget is spent (per-account counts)"
	)
	for _, tc := range []struct {
		again  bool // a budget-6 diagnosis of the same campaign a minute before
		budget int
		extra  []string
		failed []string
	}{
		{false, 4, nil, []string{spentTag, spentDay}},
		{false, 6, []string{tagPage, daily}, nil},
		{false, 7, []string{tagPage, daily, alex}, nil},
		{false, 8, []string{tagPage, daily, alex, jordan}, nil},
		{false, 9, []string{tagPage, daily, alex, jordan}, nil},
		// The code's hint asks the daily counts and the tag's page early
		// (2 requests); the tag's page is still reserved for, though its
		// accounts are in by then.
		{true, 6, []string{tagPage, daily}, nil},
		{true, 7, []string{tagPage, daily}, nil},
		{true, 8, []string{tagPage, daily, alex}, nil},
		{true, 9, []string{tagPage, daily, alex, jordan}, nil},
	} {
		c, h := demoClient(t, ws)
		cache := diagnosis.NewFactCache()
		now := fixedNow
		if tc.again {
			if _, err := diagnosis.Diagnose(context.Background(), c, e.Kind, e.ID, diagnosis.DiagnoseOptions{CrossCheck: true, Cache: cache, Budget: 6}, now); err != nil {
				t.Fatal(err)
			}
			now = now.Add(time.Minute)
			h.Reset()
		}
		// The first round (3 requests; and the 2 the code's hint asks
		// early) reserves its budget before the sender stage does.
		held := heldStatusClient(t, h, map[bool]int{false: 3, true: 5}[tc.again])
		res, err := diagnosis.Diagnose(context.Background(), held, e.Kind, e.ID, diagnosis.DiagnoseOptions{CrossCheck: true, Cache: cache, Budget: tc.budget}, now)
		if err != nil {
			t.Fatal(err)
		}
		want := append(slices.Clone(tc.extra), firstRoundRequests...)
		if tc.budget == 4 { // the sender stage's checks find no budget left
			want = firstRoundRequests
		}
		want = slices.Sorted(slices.Values(want))
		if got := sortedRequests(h, e.ID); !slices.Equal(got, want) {
			t.Errorf("again %t, budget %d: requests\n%s\nwant\n%s", tc.again, tc.budget, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		var failed []string
		for _, c := range res.Analysis.CrossChecks {
			if !c.OK {
				failed = append(failed, c.Check+": "+c.Note)
			}
		}
		slices.Sort(failed) // the stage's checks run in parallel
		if !slices.Equal(failed, tc.failed) {
			t.Errorf("again %t, budget %d: failed checks %q, want %q", tc.again, tc.budget, failed, tc.failed)
		}
	}
}

// dailyWindows is the start_date..end_date of each daily-counts request
// h received, sorted.
func dailyWindows(t *testing.T, h *instantlytest.Handler) []string {
	t.Helper()
	var out []string
	for _, r := range h.Requests() {
		if r.Path != "/api/v2/accounts/analytics/daily" {
			continue
		}
		q, err := url.ParseQuery(r.RawQuery)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, q.Get("start_date")+".."+q.Get("end_date"))
	}
	slices.Sort(out)
	return out
}

// setStatusCode gives the campaign id the sending status of the demo entry
// of code (its campaign id replaced).
func setStatusCode(t *testing.T, ws *instantlytest.Workspace, id, code string) {
	t.Helper()
	from := entryOf(code).ID
	raw, ok := ws.SendingStatus(from)
	if !ok {
		t.Fatalf("no status for %s", from)
	}
	ws.SetSendingStatus(id, bytes.ReplaceAll(raw, []byte(from), []byte(id)))
}

// Daily counts asked early serve the code they were asked for, and bounce
// protect's seven days serve account_daily_limit_met too (they hold
// today's); today's counts alone do not serve bounce protect.
func TestEarlyDailyCountsServeTheirCode(t *testing.T) {
	// Listed in bounce protect (seven days asked early), now at its daily limit.
	ws := instantlytest.DemoWorkspace(fixedNow)
	bp := entryOf(instantly.StatusCampaignBounceProtect)
	setStatusCode(t, ws, bp.ID, instantly.StatusAccountDailyLimitMet)
	c, h := demoClient(t, ws)
	cache := diagnosis.NewFactCache()
	page, err := c.ListCampaigns(context.Background(), &instantly.ListCampaignsOptions{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	cache.RememberCampaigns(c.KeyHash(), page.Items, fixedNow)
	h.Reset()
	res, err := diagnosis.Diagnose(context.Background(), c, bp.Kind, bp.ID, diagnosis.DiagnoseOptions{CrossCheck: true, Cache: cache}, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if res.Analysis.Status != instantly.StatusAccountDailyLimitMet {
		t.Fatalf("status %q", res.Analysis.Status)
	}
	if got := dailyWindows(t, h); !slices.Equal(got, []string{"2026-11-19..2026-11-25"}) {
		t.Errorf("listed in bounce protect, at its daily limit: daily requests %q", got)
	}

	// At its daily limit a minute ago (today's counts asked early), now in
	// bounce protect: the seven days are asked.
	ws = instantlytest.DemoWorkspace(fixedNow)
	dl := entryOf(instantly.StatusAccountDailyLimitMet)
	c, h = demoClient(t, ws)
	cache = diagnosis.NewFactCache()
	if _, err := diagnosis.Diagnose(context.Background(), c, dl.Kind, dl.ID, diagnosis.DiagnoseOptions{CrossCheck: true, Cache: cache}, fixedNow); err != nil {
		t.Fatal(err)
	}
	setStatusCode(t, ws, dl.ID, instantly.StatusCampaignBounceProtect)
	h.Reset()
	res, err = diagnosis.Diagnose(context.Background(), c, dl.Kind, dl.ID, diagnosis.DiagnoseOptions{CrossCheck: true, Cache: cache}, fixedNow.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if res.Analysis.Status != instantly.StatusCampaignBounceProtect {
		t.Fatalf("status %q", res.Analysis.Status)
	}
	if got := dailyWindows(t, h); !slices.Equal(got, []string{"2026-11-19..2026-11-25", "2026-11-25..2026-11-25"}) {
		t.Errorf("at its daily limit before, now in bounce protect: daily requests %q", got)
	}
}

// failingTransport answers the requests whose path (and, when set, query) match
// with an Instantly error body of status, and passes the others on.
type failingTransport struct {
	next   http.RoundTripper
	path   string
	query  string // a substring of the raw query; "" matches any
	status int
}

func (f *failingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path != f.path || !strings.Contains(r.URL.RawQuery, f.query) {
		return f.next.RoundTrip(r)
	}
	body := fmt.Sprintf(`{"statusCode":%d,"error":%q,"message":"refused by the test"}`, f.status, http.StatusText(f.status))
	return &http.Response{StatusCode: f.status, Status: fmt.Sprintf("%d %s", f.status, http.StatusText(f.status)),
		Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}, Body: io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)), Request: r, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}, nil
}

// bulkWorkspace is 150 accounts s0000..s0149@bulk.example (page 1 of
// the list holds the first 100), every second one in error, and an
// all_accounts_unhealthy campaign listing listed.
func bulkWorkspace(id string, listed []string) *instantlytest.Workspace {
	ws := instantlytest.NewWorkspace()
	ws.AddCampaign(instantly.Campaign{ID: id, Name: "Bulk", Status: -1}, fmt.Appendf(nil,
		`{"diagnostics":{"campaign_id":%q,"last_updated":"2026-11-25T14:58:00.000Z","status":"all_accounts_unhealthy",
		"issue_tracking":{"current_status_code":"all_accounts_unhealthy","issue_first_seen_at":"2026-11-25T10:00:00.000Z","consecutive_loops_with_issue":4,"last_healthy_send_at":null},
		"accounts_summary":{"total_connected":2,"available":0,"unavailable":{"daily_limit_hit":0,"slow_ramp_limit_hit":0,"disconnected":1,"global_gap_not_met":0}}},
		"summary":{"status":"all_accounts_unhealthy","status_message":"m"}}`, id))
	list, _ := json.Marshal(listed)
	ws.SetCampaignDetails(id, fmt.Appendf(nil, `{"id":%q,"name":"Bulk","status":-1,"email_list":%s,
		"campaign_schedule":{"schedules":[{"name":"S","timing":{"from":"09:00","to":"17:00"},"days":{"3":true},"timezone":"America/Chicago"}]},
		"timestamp_created":"2026-10-01T00:00:00.000Z","timestamp_updated":"2026-11-01T00:00:00.000Z"}`, id, list))
	for i := range 150 {
		ws.AddAccount(fmt.Appendf(nil, `{"email":"s%04d@bulk.example","status":%d,"status_message":{"response":"535 auth failed"},
			"warmup_status":1,"provider_code":2,"setup_pending":false,"timestamp_created":"2026-01-01T00:00:00.000Z"}`, i, []int{1, -1}[i%2]))
	}
	return ws
}

// Listed senders beyond the first accounts page: up to 4 are looked up one
// by one, 5 or more are found by reading the next pages; a refused lookup
// or page is a note naming the scope.
func TestMissingListedSenders(t *testing.T) {
	const id = "019e0000-0000-7000-8000-0000000000e5"
	const page2 = "/api/v2/accounts?include_tags=true&limit=100&starting_after="
	emails := func(from, n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("s%04d@bulk.example", from+i))
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		listed   []string
		fail     *failingTransport
		extra    []string // beyond the first round and the vitals test
		blocking []string
		failed   []string
	}{
		{"4 beyond page 1", emails(100, 4), nil, []string{
			"/api/v2/accounts/s0100@bulk.example", "/api/v2/accounts/s0101@bulk.example",
			"/api/v2/accounts/s0102@bulk.example", "/api/v2/accounts/s0103@bulk.example",
		}, []string{"s0101@bulk.example", "s0103@bulk.example"}, nil},
		{"5 beyond page 1", emails(100, 5), nil, []string{page2}, []string{"s0101@bulk.example", "s0103@bulk.example"}, nil},
		{"2 on page 1, 5 beyond", append(emails(98, 2), emails(100, 5)...), nil, []string{page2},
			[]string{"s0099@bulk.example", "s0101@bulk.example", "s0103@bulk.example"}, nil},
		{"a lookup refused", emails(100, 2), &failingTransport{path: "/api/v2/accounts/s0101@bulk.example", status: 403},
			[]string{"/api/v2/accounts/s0100@bulk.example", "/api/v2/accounts/s0101@bulk.example"}, nil,
			[]string{"senders not checked: this API key may not read sending account s0101@bulk.example (HTTP 403); a key with the scope accounts:read (or all:read) would let this diagnosis say more"}},
		{"the next page refused", emails(100, 5), &failingTransport{path: "/api/v2/accounts", query: "starting_after", status: 403},
			[]string{page2}, nil,
			[]string{"senders not checked: this API key may not read the sending accounts (HTTP 403); a key with the scope accounts:read (or all:read) would let this diagnosis say more"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := instantlytest.NewHandler(bulkWorkspace(id, tc.listed))
			var rt http.RoundTripper = instantlytest.NewTransport(h)
			if tc.fail != nil {
				tc.fail.next = rt
				rt = tc.fail
			}
			c, err := instantly.NewClient(instantlytest.DemoAPIKey, instantly.WithBaseURL("http://demo.invalid"),
				instantly.WithHTTPClient(&http.Client{Transport: rt}), instantly.WithRateLimits(1000, 60000))
			if err != nil {
				t.Fatal(err)
			}
			res, err := diagnosis.Diagnose(context.Background(), c, "campaign", id, diagnosis.DiagnoseOptions{CrossCheck: true, Budget: 12}, fixedNow)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range sortedRequests(h, id) {
				if i := strings.Index(p, "starting_after="); i >= 0 {
					p = p[:i+len("starting_after=")] // the cursor is the fake's
				}
				got = append(got, p)
			}
			want := slices.Sorted(slices.Values(append(append(slices.Clone(tc.extra), firstRoundRequests...), "/api/v2/accounts/test/vitals")))
			if tc.fail != nil && tc.fail.query != "" {
				// the refused page never reached the fake
				want = slices.DeleteFunc(want, func(p string) bool { return p == page2 })
			}
			if tc.fail != nil && tc.fail.query == "" {
				want = slices.DeleteFunc(want, func(p string) bool { return p == tc.fail.path })
			}
			if !slices.Equal(got, want) {
				t.Errorf("requests\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			var blocking []string
			for _, b := range res.Analysis.BlockingAccounts {
				blocking = append(blocking, b.Email)
			}
			if !slices.Equal(blocking, tc.blocking) {
				t.Errorf("blocking %q, want %q", blocking, tc.blocking)
			}
			var failed []string
			for _, c := range res.Analysis.CrossChecks {
				if !c.OK && c.Check != "leads" { // the fake has no lead counts for it
					failed = append(failed, c.Check+" "+c.Note)
				}
			}
			if !slices.Equal(failed, tc.failed) {
				t.Errorf("failed checks %q, want %q", failed, tc.failed)
			}
		})
	}
}

// addSubsequences lists n more subsequences (…45a1, …45a2, …) under the
// demo's campaign in campaign_running_subsequences, each with the status
// of its subsequence …458b, and returns the parent's id.
func addSubsequences(t *testing.T, ws *instantlytest.Workspace, n int) string {
	t.Helper()
	parent := entryOf(instantly.StatusCampaignRunningSubsequences).ID
	const first = "019d34c1-6504-70a6-8528-0c39da18458b"
	raw, ok := ws.SendingStatus(first)
	if !ok {
		t.Fatal("no status for the demo subsequence")
	}
	for i := range n {
		id := fmt.Sprintf("019d34c1-6504-70a6-8528-0c39da1845a%d", i+1)
		ws.AddSubsequence(instantlytest.Subsequence{ID: id, ParentCampaignID: parent, Name: "More " + id[len(id)-1:]},
			bytes.ReplaceAll(raw, []byte(first), []byte(id)))
		ws.SetSubsequenceDetails(id, parent, fmt.Appendf(nil, `{"id":%q,"name":"More %s","parent_campaign":%q,"status":1}`, id, id[len(id)-1:], parent))
	}
	return parent
}

// campaign_running_subsequences: the statuses of at most 3 subsequences are
// read, the rest are counted in a note; one Instantly does not find, or
// one the budget has no room for, is a note of its own.
func TestSubsequenceStatuses(t *testing.T) {
	const (
		list   = "/api/v2/subsequences?limit=100&parent_campaign={id}"
		status = "/api/v2/subsequences/019d34c1-6504-70a6-8528-0c39da18458b/sending-status"
	)
	st := func(n int) string {
		return fmt.Sprintf("/api/v2/subsequences/019d34c1-6504-70a6-8528-0c39da1845a%d/sending-status", n)
	}
	for _, tc := range []struct {
		name   string
		more   int    // subsequences beyond the demo's one
		fail   string // a subsequence whose status answers 404
		budget int
		extra  []string
		failed []string
	}{
		{"3 in all", 2, "", 0, []string{list, status, st(1), st(2)}, nil},
		{"4 in all", 3, "", 0, []string{list, status, st(1), st(2)},
			[]string{"subsequences 1 more subsequence not checked (at most 3 per diagnosis)"}},
		{"6 in all", 5, "", 0, []string{list, status, st(1), st(2)},
			[]string{"subsequences 3 more subsequences not checked (at most 3 per diagnosis)"}},
		{"one not found", 2, "019d34c1-6504-70a6-8528-0c39da1845a1", 0, []string{list, status, st(2)},
			[]string{"subsequences not checked: Instantly answered HTTP 404 (not found) for the sending status of subsequence 019d34c1-6504-70a6-8528-0c39da1845a1"}},
		// 5 for the checks: the first round's 3, the list, one status.
		{"budget for one", 2, "", 6, []string{list, status},
			[]string{"subsequences not checked: the diagnosis's request budget is spent (subsequence 019d34c1-6504-70a6-8528-0c39da1845a1)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws := instantlytest.DemoWorkspace(fixedNow)
			id := addSubsequences(t, ws, tc.more)
			c, h := demoClient(t, ws)
			if tc.fail != "" {
				h.SetFault(tc.fail, instantlytest.Fault{Status: http.StatusNotFound})
			}
			if tc.budget > 0 { // the first round reserves its 3 requests before the subsequences do
				c = heldStatusClient(t, h, 3)
			}
			res, err := diagnosis.Diagnose(context.Background(), c, "campaign", id, diagnosis.DiagnoseOptions{CrossCheck: true, Budget: tc.budget}, fixedNow)
			if err != nil {
				t.Fatal(err)
			}
			got := sortedRequests(h, id)
			if tc.fail != "" { // the fault answered it: the fake recorded it too
				got = slices.DeleteFunc(got, func(p string) bool { return strings.Contains(p, tc.fail) })
			}
			want := slices.Sorted(slices.Values(append(slices.Clone(tc.extra), firstRoundRequests...)))
			if !slices.Equal(got, want) {
				t.Errorf("requests\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			var failed []string
			for _, c := range res.Analysis.CrossChecks {
				if !c.OK {
					failed = append(failed, c.Check+" "+c.Note)
				}
			}
			if !slices.Equal(failed, tc.failed) {
				t.Errorf("failed checks %q, want %q", failed, tc.failed)
			}
		})
	}
}

// editDetails rewrites the fields of the campaign id's details (GET
// /api/v2/campaigns/{id} as the fake serves it) with set.
func editDetails(t *testing.T, ws *instantlytest.Workspace, id string, set map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://demo.invalid/api/v2/campaigns/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+instantlytest.DemoAPIKey)
	resp, err := (&http.Client{Transport: instantlytest.NewTransport(instantlytest.NewHandler(ws))}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var obj map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&obj); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("details of %s: %d %v", id, resp.StatusCode, err)
	}
	maps.Copy(obj, set)
	raw, _ := json.Marshal(obj)
	ws.SetCampaignDetails(id, raw)
}

// A list's hint names a tag the campaign no longer has (changed since the
// list): the tag's accounts read early are not read again, and no page
// without a tag filter goes out for the tag-less campaign.
func TestStaleTagHint(t *testing.T) {
	ws := instantlytest.DemoWorkspace(fixedNow)
	e := entryOf(instantly.StatusCampaignAccountsUnhealthy)
	c, h := demoClient(t, ws)
	cache := diagnosis.NewFactCache()
	page, err := c.ListCampaigns(context.Background(), &instantly.ListCampaignsOptions{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	cache.RememberCampaigns(c.KeyHash(), page.Items, fixedNow)
	editDetails(t, ws, e.ID, map[string]any{"email_tag_list": []string{}})
	h.Reset()
	if _, err := diagnosis.Diagnose(context.Background(), c, e.Kind, e.ID, diagnosis.DiagnoseOptions{CrossCheck: true, Cache: cache}, fixedNow); err != nil {
		t.Fatal(err)
	}
	want := slices.Sorted(slices.Values(append([]string{
		"/api/v2/accounts/test/vitals",
		"/api/v2/accounts?include_tags=true&limit=100&tag_ids=019a3b7e-7d3a-7e12-9c40-5a8b2e1d6f44",
	}, firstRoundRequests...)))
	if got := sortedRequests(h, e.ID); !slices.Equal(got, want) {
		t.Errorf("requests\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A campaign listed in bounce protect with its senders (their seven days of
// daily counts asked early), whose details now name only a tag: the
// counts of the senders it no longer lists are not its findings, and are
// not asked again.
func TestStaleDailyHint(t *testing.T) {
	ws := instantlytest.DemoWorkspace(fixedNow)
	e := entryOf(instantly.StatusCampaignBounceProtect)
	const tag = "019e0000-0000-7000-8000-0000000000f6"
	c, h := demoClient(t, ws)
	cache := diagnosis.NewFactCache()
	page, err := c.ListCampaigns(context.Background(), &instantly.ListCampaignsOptions{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	cache.RememberCampaigns(c.KeyHash(), page.Items, fixedNow)
	editDetails(t, ws, e.ID, map[string]any{"email_list": []string{}, "email_tag_list": []string{tag}})
	h.Reset()
	res, err := diagnosis.Diagnose(context.Background(), c, e.Kind, e.ID, diagnosis.DiagnoseOptions{CrossCheck: true, Cache: cache}, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Sorted(slices.Values(append([]string{
		"/api/v2/accounts/analytics/daily?emails=jordan2%40northpeak-growth.example&emails=sam2%40northpeak-growth.example&emails=taylor2%40northpeak-growth.example&emails=morgan2%40northpeak-growth.example&emails=casey2%40northpeak-growth.example&emails=riley2%40northpeak-growth.example&end_date=2026-11-25&start_date=2026-11-19",
		"/api/v2/accounts?include_tags=true&limit=100&tag_ids=" + tag,
		"/api/v2/custom-tags?limit=100&tag_ids=" + tag,
	}, firstRoundRequests...)))
	if got := sortedRequests(h, e.ID); !slices.Equal(got, want) {
		t.Errorf("requests\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantFindings := []string{"all 6 sending accounts available", "71 of 180 sent today", "inside its sending schedule now",
		"issue first seen 7 h ago (84 checks in a row)", "last healthy send 7 h 1 min ago"}
	if !slices.Equal(res.Analysis.Findings, wantFindings) {
		t.Errorf("findings %q, want %q", res.Analysis.Findings, wantFindings)
	}
}
