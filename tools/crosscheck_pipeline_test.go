package tools_test

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
	"github.com/instantly-status/instantly-status-mcp/tools"
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
		res, err := tools.Diagnose(context.Background(), c, e.Kind, e.ID, tools.DiagnoseOptions{CrossCheck: true, CheckTimeout: 5 * time.Second}, fixedNow)
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
	cache := tools.NewFactCache()
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
		first, err := tools.Diagnose(context.Background(), c, e.Kind, e.ID, tools.DiagnoseOptions{CrossCheck: true, Cache: cache}, fixedNow)
		if err != nil || count(h) == 0 {
			t.Fatalf("%s: first diagnosis: %v, %d requests for %s", tc.code, err, count(h), tc.path)
		}
		c, h = demoClient(t, ws)
		second, err := tools.Diagnose(context.Background(), c, e.Kind, e.ID, tools.DiagnoseOptions{CrossCheck: true, Cache: cache}, fixedNow.Add(time.Minute))
		if err != nil || count(h) != 0 {
			t.Fatalf("%s: second diagnosis: %v, %d requests for %s", tc.code, err, count(h), tc.path)
		}
		if !slices.ContainsFunc(second.Analysis.CrossChecks, func(c tools.CrossCheck) bool {
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
		if _, err := tools.Diagnose(context.Background(), c2, e.Kind, e.ID, tools.DiagnoseOptions{CrossCheck: true, Cache: cache}, fixedNow.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if count(h2) == 0 {
			t.Errorf("%s: another key reused the first key's facts", tc.code)
		}
		// Past the time to live, it asks again.
		c, h = demoClient(t, ws)
		if _, err := tools.Diagnose(context.Background(), c, e.Kind, e.ID, tools.DiagnoseOptions{CrossCheck: true, Cache: cache}, fixedNow.Add(11*time.Minute)); err != nil || count(h) == 0 {
			t.Errorf("%s: 11 min later: %v, %d requests", tc.code, err, count(h))
		}
	}
}
