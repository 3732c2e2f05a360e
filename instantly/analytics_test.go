package instantly

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// The analytics row of the asked campaign is the one with its id; a lone row
// without an id is taken as it (the filter was applied); a lone row of
// another campaign, or none, is no analytics.
func TestCampaignAnalyticsRowChoice(t *testing.T) {
	const other = "019e0000-0000-7000-8000-0000000000ff"
	for _, tc := range []struct {
		name, body string
		wantLeads  float64 // -1: no analytics (nil)
	}{
		{"own id among others", `[{"campaign_id":"` + other + `","leads_count":1},{"campaign_id":"` + testID + `","leads_count":7}]`, 7},
		{"lone row without id", `[{"leads_count":5}]`, 5},
		{"lone row of another campaign", `[{"campaign_id":"` + other + `","leads_count":3}]`, -1},
		{"two rows without id", `[{"leads_count":1},{"leads_count":2}]`, -1},
		{"no rows", `[]`, -1},
	} {
		srv := newAPIServer(t, map[string]http.HandlerFunc{"GET /api/v2/campaigns/analytics": reply(200, tc.body)})
		an, err := srv.client(t).GetCampaignAnalytics(context.Background(), testID)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		switch {
		case tc.wantLeads < 0 && an != nil:
			t.Errorf("%s: got analytics %+v, want none", tc.name, *an)
		case tc.wantLeads >= 0 && (an == nil || an.LeadsCount != tc.wantLeads):
			t.Errorf("%s: got %+v, want leads_count %v", tc.name, an, tc.wantLeads)
		}
	}
}

// Daily analytics takes 1 to 200 accounts; 0 or 201 are refused before any
// request, 1 and 200 are sent, every one named in the query.
func TestAccountDailyAnalyticsEmailCount(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{"GET /api/v2/accounts/analytics/daily": reply(200, `[]`)})
	c := srv.client(t)
	emails := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("a%d@acme.example", i)
		}
		return out
	}
	for _, tc := range []struct {
		n       int
		wantErr string
	}{{0, "needs 1 to 200 accounts, got 0"}, {1, ""}, {200, ""}, {201, "needs 1 to 200 accounts, got 201"}} {
		before := srv.count()
		_, err := c.GetAccountDailyAnalytics(context.Background(), emails(tc.n), "", "")
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || srv.count() != before {
				t.Errorf("%d accounts: err %v, %d requests; want %q and none", tc.n, err, srv.count()-before, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%d accounts: %v", tc.n, err)
		}
		reqs := srv.requests()
		if got := strings.Count(reqs[len(reqs)-1].RawQuery, "emails="); got != tc.n {
			t.Errorf("%d accounts: query names %d", tc.n, got)
		}
	}
}
