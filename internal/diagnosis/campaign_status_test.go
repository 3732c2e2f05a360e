package diagnosis

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

func TestCampaignStatusNameValues(t *testing.T) {
	for v, want := range map[instantly.CampaignStatus]string{
		-99: "account_suspended", -2: "bounce_protect", -1: "accounts_unhealthy", 0: "draft", 1: "active",
		2: "paused", 3: "completed", 4: "running_subsequences", 7: "status_7", -5: "status_-5",
	} {
		if got := CampaignStatusName(v); got != want {
			t.Errorf("CampaignStatusName(%d) = %q, want %q", v, got, want)
		}
	}
	const names = "draft active paused completed running_subsequences accounts_unhealthy bounce_protect account_suspended all"
	if got := strings.Join(StatusFilterNames, " "); got != names {
		t.Errorf("StatusFilterNames = %q", got)
	}
}

func TestParseCampaignStatusFilterValues(t *testing.T) {
	for _, c := range []struct {
		in   string
		num  *instantly.CampaignStatus
		name string
	}{
		{"all", nil, "all"},
		{" ALL ", nil, "all"},
		{"Running-Subsequences", new(instantly.CampaignStatusRunningSubsequences), "running_subsequences"},
		{" accounts unhealthy\t", new(instantly.CampaignStatusAccountsUnhealthy), "accounts_unhealthy"},
		{"draft", new(instantly.CampaignStatusDraft), "draft"},
	} {
		num, name, err := ParseCampaignStatusFilter(c.in)
		if err != nil || name != c.name || (num == nil) != (c.num == nil) || (num != nil && *num != *c.num) {
			t.Errorf("ParseCampaignStatusFilter(%q) = %v, %q, %v; want %v, %q", c.in, num, name, err, c.num, c.name)
		}
	}
	num, name, err := ParseCampaignStatusFilter("bogus")
	const want = `unknown campaign status "bogus": use one of draft, active, paused, completed, running_subsequences, ` +
		`accounts_unhealthy, bounce_protect, account_suspended, all`
	if num != nil || name != "" || err == nil || err.Error() != want {
		t.Errorf("bogus: %v, %q, %v", num, name, err)
	}
}

// The whole text of list_campaigns: filters in the heading, each fact only
// when known, the next page's cursor; an empty page with and without search.
func TestRenderCampaignListValues(t *testing.T) {
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

// StatusResult's JSON: Instantly's blocks as sent (null when absent), our
// analysis in place of any of Instantly's, Instantly's other members after.
func TestStatusResultJSONValues(t *testing.T) {
	an := Analysis{Kind: "campaign", ID: "c", Status: "x"}
	aj, err := json.Marshal(an)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		st   *instantly.SendingStatus
		want string
	}{
		{"no answer", nil, `{"diagnostics":null,"summary":null,"analysis":` + string(aj) + `}`},
		{"an answer without its text", &instantly.SendingStatus{}, `{"diagnostics":null,"summary":null,"analysis":` + string(aj) + `}`},
		{"an answer with more members", &instantly.SendingStatus{Raw: []byte(`{"extra":1,"summary":{"s":2},"analysis":"theirs","diagnostics":{"d":1},"z":[]}`)},
			`{"diagnostics":{"d":1},"summary":{"s":2},"analysis":` + string(aj) + `,"extra":1,"z":[]}`},
	} {
		got, err := json.Marshal(StatusResult{Instantly: c.st, Analysis: an})
		if err != nil || string(got) != c.want {
			t.Errorf("%s: %s, %v\nwant %s", c.name, got, err, c.want)
		}
	}
	if got, err := (StatusResult{Instantly: &instantly.SendingStatus{Raw: []byte(`[1]`)}, Analysis: an}).MarshalJSON(); err == nil {
		t.Errorf("an answer that is not an object: %s, want an error", got)
	}
}

// The terminal's words for every tool phrase, longest first.
func TestCLITextValues(t *testing.T) {
	in := "call get_campaign_sending_status with its id | call get_campaign_sending_status | get_campaign_sending_status | " +
		"call get_subsequence_sending_status | get_subsequence_sending_status | call get_sending_overview | get_sending_overview | " +
		"with list_campaigns | list_campaigns | ask for with_ai_summary=true | with_ai_summary=true | with_ai_summary | " +
		"narrow with search | max_campaigns | search"
	want := "run `instantly-status-mcp diagnose <id>` | run `instantly-status-mcp diagnose <id>` | `instantly-status-mcp diagnose` | " +
		"run `instantly-status-mcp diagnose -subsequence <id>` | `instantly-status-mcp diagnose -subsequence` | run `instantly-status-mcp overview` | `instantly-status-mcp overview` | " +
		"with `instantly-status-mcp diagnose \"<campaign name>\"` | `instantly-status-mcp diagnose \"<campaign name>\"` | run with -ai-summary | -ai-summary | -ai-summary | " +
		"narrow with -search | -max | search"
	if got := CLIText(in); got != want {
		t.Errorf("CLIText:\n%s\nwant\n%s", got, want)
	}
}
