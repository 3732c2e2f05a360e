package demo

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

func demoCampaignIDs(keep func(DemoEntry) bool) []string {
	var ids []string
	for _, e := range DemoCampaigns {
		if e.Kind == KindCampaign && (keep == nil || keep(e)) {
			ids = append(ids, e.ID)
		}
	}
	return ids
}

func TestListPagination(t *testing.T) {
	h := NewHandler(DemoWorkspace(testNow))
	all := demoCampaignIDs(nil)
	for _, limit := range []string{"1", "7", "10", "100"} {
		if got := walk(t, h, url.Values{"limit": {limit}}); !slices.Equal(got, all) {
			t.Errorf("limit %s walked %v", limit, got)
		}
	}
	// Default limit 10; next_starting_after absent on the last page.
	var p listPage
	_ = json.Unmarshal(get(t, h, "/api/v2/campaigns").Body.Bytes(), &p)
	if len(p.Items) != 10 || p.Next == nil {
		t.Errorf("default page: %d items", len(p.Items))
	}
	w := get(t, h, "/api/v2/campaigns?limit=100")
	if strings.Contains(w.Body.String(), "next_starting_after") {
		t.Error("next_starting_after on the last page")
	}
	// A full last page has no cursor either.
	w = get(t, h, "/api/v2/campaigns?limit=2&starting_after="+all[len(all)-3])
	p = listPage{}
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || len(p.Items) != 2 || p.Next != nil {
		t.Errorf("exactly full last page: %s", w.Body)
	}
	// An id that is not a campaign is a position, like a real cursor.
	got := walk(t, h, url.Values{"limit": {"3"}, "starting_after": {"019b0000-0000-7000-8000-000000000000"}})
	if want := slices.DeleteFunc(slices.Clone(all), func(id string) bool { return id < "019b" }); !slices.Equal(got, want) {
		t.Errorf("after a foreign cursor: %v", got)
	}
	var page instantly.CampaignPage
	if err := json.Unmarshal(get(t, h, "/api/v2/campaigns?limit=7").Body.Bytes(), &page); err != nil || page.NextStartingAfter != all[6] {
		t.Errorf("CampaignPage: %v %q", err, page.NextStartingAfter)
	}
}

func TestListFilters(t *testing.T) {
	h := NewHandler(DemoWorkspace(testNow))
	byName := func(sub string) []string {
		return demoCampaignIDs(func(e DemoEntry) bool { return strings.Contains(strings.ToLower(e.Name), strings.ToLower(sub)) })
	}
	for _, search := range []string{"black friday", "SAASTR", "–", "q1", "zzz-nothing"} {
		got := walk(t, h, url.Values{"search": {search}, "limit": {"2"}})
		if want := byName(search); !slices.Equal(got, want) {
			t.Errorf("search %q: %v, want %v", search, got, want)
		}
	}
	if len(walk(t, h, url.Values{"search": {"black friday"}})) != 1 {
		t.Error("search black friday")
	}
	total := 0
	for _, status := range []instantly.CampaignStatus{-99, -2, -1, 0, 1, 2, 3, 4} {
		q := url.Values{"status": {strconv.Itoa(int(status))}, "limit": {"5"}}
		got := walk(t, h, q)
		want := demoCampaignIDs(func(e DemoEntry) bool { return campaignStatusFor(e.Code) == status })
		if !slices.Equal(got, want) || len(got) == 0 {
			t.Errorf("status %v: %v, want %v", status, got, want)
		}
		total += len(got)
		excl := walk(t, h, url.Values{"exclude_status": q["status"], "limit": {"100"}})
		if len(excl)+len(got) != len(demoCampaignIDs(nil)) {
			t.Errorf("exclude_status %v: %d", status, len(excl))
		}
	}
	if total != len(demoCampaignIDs(nil)) {
		t.Errorf("statuses cover %d campaigns", total)
	}
	got := walk(t, h, url.Values{"status": {"1"}, "search": {"saas"}})
	for _, id := range got {
		c, _ := h.Workspace().Campaign(id)
		if c.Status != 1 || !strings.Contains(strings.ToLower(c.Name), "saas") {
			t.Errorf("combined filter returned %q", c.Name)
		}
	}
}
