package tools_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

// largeN is the size of the generated workspace: several pages of 100.
const largeN = 350

func campaignsOf(t *testing.T, res map[string]any) []map[string]any {
	t.Helper()
	raw, ok := res["campaigns"].([]any)
	if !ok {
		t.Fatalf("no campaigns array in %v", res)
	}
	out := make([]map[string]any, len(raw))
	for i, r := range raw {
		out[i] = r.(map[string]any)
	}
	return out
}

func TestListCampaignsSearchByName(t *testing.T) {
	e := newLargeEnv(t, largeN)
	want := e.ws.Campaigns()[41] // "Campaign 0042 – ..."
	res := e.call(t, "list_campaigns", map[string]any{"search": "campaign 0042"})
	if res.IsError {
		t.Fatal(text(res))
	}
	s := structured(t, res)
	got := campaignsOf(t, s)
	if len(got) != 1 {
		t.Fatalf("search found %d campaigns, want 1: %v", len(got), got)
	}
	c := got[0]
	if c["id"] != want.ID || c["name"] != want.Name || c["status"] != diagnosis.CampaignStatusName(want.Status) {
		t.Fatalf("got %v, want %s %q %v", c, want.ID, want.Name, want.Status)
	}
	if c["daily_limit"] != *want.DailyLimit || c["timestamp_created"] != want.TimestampCreated || c["timestamp_updated"] != want.TimestampUpdated {
		t.Fatalf("daily limit or timestamps wrong: %v", c)
	}
	if len(c) != 6 {
		t.Errorf("not lean: %d fields in %v", len(c), c)
	}
	if s["next_starting_after"] != nil {
		t.Errorf("next_starting_after = %v on the only page", s["next_starting_after"])
	}
	txt := text(res)
	for _, w := range []string{want.Name, want.ID, "daily limit", `name containing "campaign 0042"`} {
		if !strings.Contains(txt, w) {
			t.Errorf("text lacks %q:\n%s", w, txt)
		}
	}
	if strings.Contains(txt, "starting_after") {
		t.Errorf("text offers a next page on the last one:\n%s", txt)
	}
}

// The status filter goes to Instantly as its number; every page holds only
// campaigns of that status, and all of them are found.
func TestListCampaignsStatusFilter(t *testing.T) {
	e := newLargeEnv(t, largeN)
	for name, num := range instantly.CampaignStatusNames {
		t.Run(name, func(t *testing.T) {
			want := 0
			for _, c := range e.ws.Campaigns() {
				if c.Status == num {
					want++
				}
			}
			got := 0
			cursor := ""
			for page := 0; ; page++ {
				args := map[string]any{"status": name, "limit": 100}
				if cursor != "" {
					args["starting_after"] = cursor
				}
				res := e.call(t, "list_campaigns", args)
				if res.IsError {
					t.Fatal(text(res))
				}
				s := structured(t, res)
				for _, c := range campaignsOf(t, s) {
					if c["status"] != name {
						t.Fatalf("status filter %s returned %v", name, c)
					}
					got++
				}
				next, _ := s["next_starting_after"].(string)
				if next == "" {
					break
				}
				cursor = next
				if page > 10 {
					t.Fatal("pagination does not end")
				}
			}
			if got != want {
				t.Fatalf("status %s: %d campaigns listed, the workspace has %d", name, got, want)
			}
		})
	}
	var sawNumber bool
	for _, r := range e.fake.Handler.Requests() {
		if strings.Contains(r.RawQuery, "status=-99") {
			sawNumber = true
		}
	}
	if !sawNumber {
		t.Error("account_suspended was not sent to Instantly as status=-99")
	}
}

// Following next_starting_after visits every campaign once, in list order.
func TestListCampaignsPagination(t *testing.T) {
	e := newLargeEnv(t, largeN)
	var ids []string
	cursor := ""
	pages := 0
	for {
		args := map[string]any{"limit": 100}
		if cursor != "" {
			args["starting_after"] = cursor
		}
		res := e.call(t, "list_campaigns", args)
		if res.IsError {
			t.Fatal(text(res))
		}
		pages++
		s := structured(t, res)
		for _, c := range campaignsOf(t, s) {
			ids = append(ids, c["id"].(string))
		}
		next, _ := s["next_starting_after"].(string)
		if next == "" {
			break
		}
		if !strings.Contains(text(res), fmt.Sprintf("starting_after = %q", next)) {
			t.Fatalf("text does not give the cursor:\n%s", text(res))
		}
		cursor = next
	}
	all := e.ws.Campaigns()
	if pages != 4 || len(ids) != len(all) {
		t.Fatalf("%d pages, %d campaigns; want 4 pages, %d campaigns", pages, len(ids), len(all))
	}
	for i, c := range all {
		if ids[i] != c.ID {
			t.Fatalf("campaign %d is %s, want %s", i, ids[i], c.ID)
		}
	}
}

func TestListCampaignsDefaults(t *testing.T) {
	e := newLargeEnv(t, largeN)
	res := e.call(t, "list_campaigns", map[string]any{})
	if res.IsError {
		t.Fatal(text(res))
	}
	s := structured(t, res)
	if n := len(campaignsOf(t, s)); n != 20 {
		t.Fatalf("default page has %d campaigns, want 20", n)
	}
	if s["next_starting_after"] == nil {
		t.Fatal("no cursor on the first of many pages")
	}
	reqs := e.fake.Handler.Requests()
	if len(reqs) != 1 || reqs[0].RawQuery != "limit=20" {
		t.Fatalf("upstream saw %+v", reqs)
	}
	// The demo workspace: every name is found by a piece of it.
	d := newEnv(t)
	for _, c := range instantlytest.DemoCampaigns {
		if c.Kind != instantlytest.KindCampaign {
			continue
		}
		piece := strings.Fields(c.Name)[0]
		res := d.call(t, "list_campaigns", map[string]any{"search": piece, "limit": 100})
		if res.IsError || !strings.Contains(text(res), c.ID) {
			t.Fatalf("search %q does not find %s:\n%s", piece, c.Name, text(res))
		}
	}
}

func TestListCampaignsBadArguments(t *testing.T) {
	cases := []struct {
		name string
		args map[string]any
		want []string
	}{
		{"limit zero", map[string]any{"limit": 0}, []string{`"limit"`, "1 to 100", "got 0"}},
		{"limit too big", map[string]any{"limit": 101}, []string{`"limit"`, "1 to 100"}},
		{"limit fraction", map[string]any{"limit": 2.5}, []string{`"limit"`, "whole number"}},
		{"limit string", map[string]any{"limit": "ten"}, []string{`"limit"`, "not a string"}},
		{"status unknown", map[string]any{"status": "running"}, []string{`"status"`, `"running"`, "active", "paused", "account_suspended"}},
		{"status number", map[string]any{"status": 1}, []string{`"status"`, "must be a string", "a number"}},
		{"search not a string", map[string]any{"search": []any{"a"}}, []string{`"search"`, "an array"}},
		{"search too long", map[string]any{"search": strings.Repeat("x", 101)}, []string{`"search"`, "at most 100"}},
		{"search control chars", map[string]any{"search": "a\x00b"}, []string{`"search"`, "control characters"}},
		{"cursor not a string", map[string]any{"starting_after": 3}, []string{`"starting_after"`, "a number"}},
		{"cursor too long", map[string]any{"starting_after": strings.Repeat("x", 300)}, []string{`"starting_after"`, "not a cursor"}},
	}
	e := newLargeEnv(t, 10)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := e.call(t, "list_campaigns", c.args)
			if !res.IsError {
				t.Fatalf("want isError, got:\n%s", text(res))
			}
			for _, w := range c.want {
				if !strings.Contains(text(res), w) {
					t.Errorf("message lacks %q:\n%s", w, text(res))
				}
			}
		})
	}
	if n := len(e.fake.Handler.Requests()); n != 0 {
		t.Fatalf("%d bad requests reached Instantly", n)
	}
	// Forgiving spellings of a valid status are fine.
	res := e.call(t, "list_campaigns", map[string]any{"status": " Running Subsequences "})
	if res.IsError {
		t.Fatal(text(res))
	}
}

func TestListCampaignsUpstreamErrors(t *testing.T) {
	e := newLargeEnv(t, 10)
	e.fake.Handler.SetFault("", instantlytest.Fault{Status: 401})
	res := e.call(t, "list_campaigns", map[string]any{})
	if !res.IsError || !strings.Contains(text(res), "401") || !strings.Contains(text(res), "INSTANTLY_API_KEY") {
		t.Fatalf("want a 401 tool error, got:\n%s", text(res))
	}
	assertNoKey(t, res, testKey)
}
