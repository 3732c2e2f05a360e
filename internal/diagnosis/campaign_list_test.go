package diagnosis

import (
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// The whole text of list_campaigns: filters in the heading, each fact only
// when known, the next page's cursor; an empty page with and without search.
func TestRenderCampaignList(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	next := "cur-2"
	limit, half := 30.0, 2.5
	two := CampaignList{Campaigns: []CampaignListItem{
		{ID: "i1", Name: "One\n  two", Status: "active", DailyLimit: &limit, TimestampCreated: "2026-11-28T08:00:00Z", TimestampUpdated: "2026-11-30T11:00:00Z"},
		{ID: "i2", Name: "B", Status: "paused"},
		{ID: "i3", Name: "C", Status: "draft", DailyLimit: &half},
		{ID: "i4", Name: "D", Status: "draft", TimestampUpdated: "soon"},
	}, NextStartingAfter: &next}
	cases := []struct {
		name   string
		res    CampaignList
		opts   instantly.ListCampaignsOptions
		status string
		want   string
	}{
		{"none, all statuses", CampaignList{}, instantly.ListCampaignsOptions{}, "all", "No campaigns.\n"},
		{"none, every filter", CampaignList{}, instantly.ListCampaignsOptions{Search: "q\"x", StartingAfter: "c"}, "active",
			"No campaigns (status active, name containing \"q\\\"x\", after the previous page).\n" +
				"Try a shorter part of the name, or another status.\n"},
		{"none, after a page", CampaignList{}, instantly.ListCampaignsOptions{StartingAfter: "c"}, "all",
			"No campaigns (after the previous page).\n"},
		{"one", CampaignList{Campaigns: []CampaignListItem{{ID: "i", Name: "N", Status: "active"}}}, instantly.ListCampaignsOptions{}, "all",
			"1 campaign:\n\n- **N** (active) id `i`\n"},
		{"four and a next page", two, instantly.ListCampaignsOptions{Search: "o"}, "all",
			"4 campaigns (name containing \"o\"):\n\n" +
				"- **One two** (active) id `i1`: daily limit 30, created 2 d 4 h ago, last changed 1 h ago\n" +
				"- **B** (paused) id `i2`\n" +
				"- **C** (draft) id `i3`: daily limit 2.5\n" +
				"- **D** (draft) id `i4`: last changed soon\n" +
				"\nMore campaigns: call list_campaigns again with the same filters and starting_after = \"cur-2\".\n"},
	}
	for _, c := range cases {
		if got := RenderCampaignList(c.res, &c.opts, c.status, now); got != c.want {
			t.Errorf("%s:\n%q\nwant\n%q", c.name, got, c.want)
		}
	}
}
