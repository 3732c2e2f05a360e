package diagnosis_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

// gateTransport holds the lead-count request back until a request for
// waitFor has gone out: a later check that waited for the whole first round
// (lead counts included) would never start, and the diagnosis would lose
// its lead counts to the deadline.
type gateTransport struct {
	next    http.RoundTripper
	waitFor string
	once    sync.Once
	seen    chan struct{}
}

func (g *gateTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasPrefix(r.URL.Path, g.waitFor) {
		g.once.Do(func() { close(g.seen) })
	}
	if r.URL.Path == "/api/v2/campaigns/analytics" {
		select {
		case <-g.seen:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	return g.next.RoundTrip(r)
}

// Each later check starts when its own inputs are in: who paused the
// campaign once the status is; the per-account counts and the other
// campaigns of the senders once the campaign and the first accounts page
// are. None waits for the lead counts.
func TestLaterChecksDoNotWaitForTheWholeFirstRound(t *testing.T) {
	for code, waitFor := range map[string]string{
		instantly.StatusCampaignPaused:       "/api/v2/audit-logs",
		instantly.StatusAccountDailyLimitMet: "/api/v2/accounts/analytics/daily",
	} {
		h := instantlytest.NewHandler(instantlytest.DemoWorkspace(fixedNow))
		gt := &gateTransport{next: instantlytest.NewTransport(h), waitFor: waitFor, seen: make(chan struct{})}
		c, err := instantly.NewClient(instantlytest.DemoAPIKey, instantly.WithBaseURL("http://demo.invalid"),
			instantly.WithHTTPClient(&http.Client{Transport: gt}), instantly.WithRateLimits(1000, 60000))
		if err != nil {
			t.Fatal(err)
		}
		e := entryOf(code)
		res, err := diagnosis.Diagnose(context.Background(), c, e.Kind, e.ID, diagnosis.DiagnoseOptions{CrossCheck: true, CheckTimeout: 5 * time.Second}, fixedNow)
		if err != nil {
			t.Fatal(err)
		}
		if res.Analysis.Leads == nil {
			t.Errorf("%s: %s did not go out before the lead counts came back: %+v", code, waitFor, res.Analysis.CrossChecks)
		}
	}
}

// The slow-changing facts one diagnosis read are reused by the next of the
// same key, which says so; another key reads its own.
func TestFactCacheReusesSlowFacts(t *testing.T) {
	ws := instantlytest.DemoWorkspace(fixedNow)
	cache := diagnosis.NewFactCache()
	for _, tc := range []struct {
		code, path string
		check      string
	}{
		{instantly.StatusAllAccountsUnhealthy, "/api/v2/accounts/test/vitals", "vitals"},
		{instantly.StatusCampaignPaused, "/api/v2/audit-logs", "paused_by"},
		{instantly.StatusNoAccountsAvailable, "/api/v2/custom-tags", "tags"},
		{instantly.StatusAccountDailyLimitMet, "/api/v2/account-campaign-mappings/", "shared_quota"},
		{instantly.StatusCampaignRunningSubsequences, "/api/v2/subsequences", "subsequences"},
	} {
		e := entryOf(tc.code)
		count := func(h *instantlytest.Handler) int {
			n := 0
			for _, r := range h.Requests() {
				if strings.HasPrefix(r.Path, tc.path) && !strings.HasSuffix(r.Path, "/sending-status") {
					n++
				}
			}
			return n
		}
		c, h := demoClient(t, ws)
		first, err := diagnosis.Diagnose(context.Background(), c, e.Kind, e.ID, diagnosis.DiagnoseOptions{CrossCheck: true, Cache: cache}, fixedNow)
		if err != nil || count(h) == 0 {
			t.Fatalf("%s: first diagnosis: %v, %d requests for %s", tc.code, err, count(h), tc.path)
		}
		c, h = demoClient(t, ws)
		second, err := diagnosis.Diagnose(context.Background(), c, e.Kind, e.ID, diagnosis.DiagnoseOptions{CrossCheck: true, Cache: cache}, fixedNow.Add(time.Minute))
		if err != nil || count(h) != 0 {
			t.Fatalf("%s: second diagnosis: %v, %d requests for %s", tc.code, err, count(h), tc.path)
		}
		if !slices.ContainsFunc(second.Analysis.CrossChecks, func(c diagnosis.CrossCheck) bool {
			return c.Check == tc.check && strings.Contains(c.Note, "by an earlier diagnosis")
		}) {
			t.Errorf("%s: the reuse is not said: %+v", tc.code, second.Analysis.CrossChecks)
		}
		if first.Analysis.Answer == "" || len(first.Analysis.Causes) != len(second.Analysis.Causes) {
			t.Errorf("%s: causes differ: %q vs %q", tc.code, first.Analysis.Causes, second.Analysis.Causes)
		}
		// Another key (another workspace) does not see them.
		h2 := instantlytest.NewHandler(ws, instantlytest.WithAPIKeys(instantlytest.DemoAPIKey, "other-key-0123456789"))
		c2, _ := instantly.NewClient("other-key-0123456789", instantly.WithBaseURL("http://demo.invalid"),
			instantly.WithHTTPClient(&http.Client{Transport: instantlytest.NewTransport(h2)}), instantly.WithRateLimits(1000, 60000))
		if _, err := diagnosis.Diagnose(context.Background(), c2, e.Kind, e.ID, diagnosis.DiagnoseOptions{CrossCheck: true, Cache: cache}, fixedNow.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if count(h2) == 0 {
			t.Errorf("%s: another key reused the first key's facts", tc.code)
		}
		// Past the time to live, it asks again.
		c, h = demoClient(t, ws)
		if _, err := diagnosis.Diagnose(context.Background(), c, e.Kind, e.ID, diagnosis.DiagnoseOptions{CrossCheck: true, Cache: cache}, fixedNow.Add(11*time.Minute)); err != nil || count(h) == 0 {
			t.Errorf("%s: 11 min later: %v, %d requests", tc.code, err, count(h))
		}
	}
}

// statusGate holds the sending-status request back until requests for
// each of waitFor went out: only checks started before the status is in
// pass.
type statusGate struct {
	next    http.RoundTripper
	mu      sync.Mutex
	waitFor []string
	seen    chan struct{}
}

func (g *statusGate) RoundTrip(r *http.Request) (*http.Response, error) {
	campaignStatus := strings.HasSuffix(r.URL.Path, "/sending-status") && strings.HasPrefix(r.URL.Path, "/api/v2/campaigns/")
	if !campaignStatus {
		g.mu.Lock()
		n := len(g.waitFor)
		g.waitFor = slices.DeleteFunc(g.waitFor, func(p string) bool {
			return strings.HasPrefix(r.URL.Path, p) && (p != "/api/v2/accounts" || r.URL.Query().Has("tag_ids"))
		})
		if n > 0 && len(g.waitFor) == 0 {
			close(g.seen)
		}
		g.mu.Unlock()
	}
	if campaignStatus {
		select {
		case <-g.seen:
		case <-time.After(5 * time.Second):
			// Not a timing assertion: the checks never started early, and
			// the diagnosis fails below.
			return nil, context.DeadlineExceeded
		}
	}
	return g.next.RoundTrip(r)
}

// A campaign just listed tells the diagnosis which checks to start before
// the status is in: paused -> the audit log, running subsequences -> the
// subsequence list, unhealthy/suspended accounts -> the listed senders'
// domain vitals, bounce protect -> their daily counts. The answer is the
// same as without the hint, within the same budget.
func TestListHintStartsChecksEarly(t *testing.T) {
	ws := instantlytest.DemoWorkspace(fixedNow)
	for code, waitFor := range map[string][]string{
		instantly.StatusCampaignPaused:              {"/api/v2/audit-logs"},
		instantly.StatusCampaignRunningSubsequences: {"/api/v2/subsequences"},
		instantly.StatusCampaignAccountSuspended:    {"/api/v2/accounts/test/vitals"},
		// The accounts of its tags too (tag_ids), which page 1 may not hold.
		instantly.StatusCampaignAccountsUnhealthy: {"/api/v2/accounts/test/vitals", "/api/v2/accounts"},
		instantly.StatusCampaignBounceProtect:     {"/api/v2/accounts/analytics/daily"},
	} {
		e := entryOf(code)
		c0, _ := demoClient(t, ws)
		plain := diagnose(t, c0, e, true, 0).Analysis

		h := instantlytest.NewHandler(ws)
		c, err := instantly.NewClient(instantlytest.DemoAPIKey, instantly.WithBaseURL("http://demo.invalid"),
			instantly.WithHTTPClient(&http.Client{Transport: &statusGate{next: instantlytest.NewTransport(h), waitFor: slices.Clone(waitFor), seen: make(chan struct{})}}),
			instantly.WithRateLimits(1000, 60000))
		if err != nil {
			t.Fatal(err)
		}
		facts := diagnosis.NewFactCache()
		page, err := c.ListCampaigns(context.Background(), &instantly.ListCampaignsOptions{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		facts.RememberCampaigns(c.KeyHash(), page.Items, fixedNow)
		h.Reset()
		res, err := diagnosis.Diagnose(context.Background(), c, e.Kind, e.ID, diagnosis.DiagnoseOptions{CrossCheck: true, Cache: facts}, fixedNow)
		if err != nil {
			t.Fatalf("%s: %s did not start before the status was in: %v", code, waitFor, err)
		}
		if res.Analysis.Answer != plain.Answer || len(res.Analysis.BlockingAccounts) != len(plain.BlockingAccounts) {
			t.Errorf("%s: with the hint %q, without %q", code, res.Analysis.Answer, plain.Answer)
		}
		if n := len(h.Requests()); n > diagnosis.DefaultCrossCheckBudget {
			t.Errorf("%s: %d requests", code, n)
		}
	}
}

// A diagnosis remembers the code it found: the next one of the same
// campaign (within 2 min) starts what that code needs before the status is
// in, even for an active campaign, whose status alone tells nothing.
func TestPreviousCodeStartsChecksEarly(t *testing.T) {
	ws := instantlytest.DemoWorkspace(fixedNow)
	for code, waitFor := range map[string][]string{
		instantly.StatusAccountDailyLimitMet:        {"/api/v2/accounts/analytics/daily", "/api/v2/accounts"},
		instantly.StatusNoAccountsAvailable:         {"/api/v2/accounts"},
		instantly.StatusCampaignRunningSubsequences: {"/api/v2/subsequences/"},
		// The listed sender beyond the first accounts page, by email.
		instantly.StatusCampaignDraft: {"/api/v2/accounts/"},
	} {
		e := entryOf(code)
		facts := diagnosis.NewFactCache()
		c0, _ := demoClient(t, ws)
		first, err := diagnosis.Diagnose(context.Background(), c0, e.Kind, e.ID, diagnosis.DiagnoseOptions{CrossCheck: true, Cache: facts}, fixedNow)
		if err != nil {
			t.Fatal(err)
		}
		h := instantlytest.NewHandler(ws)
		c, err := instantly.NewClient(instantlytest.DemoAPIKey, instantly.WithBaseURL("http://demo.invalid"),
			instantly.WithHTTPClient(&http.Client{Transport: &statusGate{next: instantlytest.NewTransport(h), waitFor: slices.Clone(waitFor), seen: make(chan struct{})}}),
			instantly.WithRateLimits(1000, 60000))
		if err != nil {
			t.Fatal(err)
		}
		res, err := diagnosis.Diagnose(context.Background(), c, e.Kind, e.ID, diagnosis.DiagnoseOptions{CrossCheck: true, Cache: facts}, fixedNow.Add(time.Minute))
		if err != nil {
			t.Fatalf("%s: %q did not start before the status was in: %v", code, waitFor, err)
		}
		if strings.Join(res.Analysis.Causes, "\n") != strings.Join(first.Analysis.Causes, "\n") {
			t.Errorf("%s: causes %q, first time %q", code, res.Analysis.Causes, first.Analysis.Causes)
		}
		if n := len(h.Requests()); n > diagnosis.DefaultCrossCheckBudget {
			t.Errorf("%s: %d requests", code, n)
		}
	}
}
