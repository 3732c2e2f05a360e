package demo

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

func TestAuth(t *testing.T) {
	id := DemoCampaigns[0].ID
	h := NewHandler(DemoWorkspace(testNow))
	wantError(t, do(t, h, http.MethodGet, statusPath(id, false), ""), 401, "Missing Authorization header")
	if w := do(t, h, http.MethodGet, statusPath(id, false), "anything"); w.Code != 200 {
		t.Errorf("any key: %d", w.Code)
	}
	for _, header := range []string{"Bearer ", "Bearer", "Basic dXNlcjpwYXNz", "sk-live-123"} {
		r := httptest.NewRequest(http.MethodGet, statusPath(id, false), nil)
		r.Header.Set("Authorization", header)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		wantError(t, w, 401, "Invalid API key")
	}
	r := httptest.NewRequest(http.MethodGet, statusPath(id, false), nil)
	r.Header.Set("Authorization", "bearer lower-case-scheme")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Errorf("lower-case bearer: %d", w.Code)
	}
}

func TestNotFoundAndBadRequest(t *testing.T) {
	h := NewHandler(DemoWorkspace(testNow))
	unknown := "019a0000-0000-7000-8000-0000000000ff"
	wantError(t, get(t, h, statusPath(unknown, false)), 404, "Campaign not found")
	wantError(t, get(t, h, "/api/v2/campaigns/"+unknown), 404, "Campaign not found")
	wantError(t, get(t, h, subsequencePath(unknown, true)), 404, "Subsequence not found")
	wantError(t, get(t, h, "/api/v2/nope"), 404, "Route GET:/api/v2/nope not found")
	wantError(t, get(t, h, "/"), 404, "")
	wantError(t, do(t, h, http.MethodPost, statusPath(DemoCampaigns[0].ID, false), testKey), 404,
		"Route POST:"+statusPath(DemoCampaigns[0].ID, false)+" not found")

	for _, target := range []string{
		statusPath("not-a-uuid", false),
		statusPath("019a0000-0000-7000-8000-00000000000g", false),
		subsequencePath("123", false),
		"/api/v2/campaigns/abc",
		"/api/v2/campaigns//sending-status",
	} {
		w := get(t, h, target)
		wantError(t, w, 400, `params/id must match format "uuid"`)
	}
	for target, msg := range map[string]string{
		statusPath(DemoCampaigns[0].ID, false) + "?with_ai_summary=yes": "querystring/with_ai_summary must be boolean",
		"/api/v2/campaigns?limit=0":                                     "querystring/limit must be >= 1",
		"/api/v2/campaigns?limit=101":                                   "querystring/limit must be <= 100",
		"/api/v2/campaigns?limit=":                                      "querystring/limit must be >= 1",
		"/api/v2/campaigns?limit=ten":                                   "querystring/limit must be integer",
		"/api/v2/campaigns?limit=7.5":                                   "querystring/limit must be integer",
		"/api/v2/campaigns?status=7":                                    "querystring/status must be equal to one of the allowed values",
		"/api/v2/campaigns?status=active":                               "querystring/status must be number",
		"/api/v2/campaigns?exclude_status=5":                            "querystring/exclude_status must be equal to one of the allowed values",
	} {
		wantError(t, get(t, h, target), 400, msg)
	}
	// Ids are case-insensitive, as UUIDs are.
	if w := get(t, h, statusPath(strings.ToUpper(DemoCampaigns[0].ID), false)); w.Code != 200 {
		t.Errorf("upper-case id: %d", w.Code)
	}
	// HEAD answers like GET, without a body on the wire.
	if w := do(t, h, http.MethodHead, statusPath(DemoCampaigns[0].ID, false), testKey); w.Code != 200 {
		t.Errorf("HEAD: %d", w.Code)
	}
}

func TestAISummaryOnlyWhenAsked(t *testing.T) {
	h := NewHandler(DemoWorkspace(testNow))
	id := DemoID(instantly.StatusDailyLimitMet)
	for query, want := range map[string]bool{"": false, "?with_ai_summary=false": false, "?with_ai_summary=": false, "?with_ai_summary=true": true, "?other=1&with_ai_summary=true": true} {
		w := get(t, h, "/api/v2/campaigns/"+id+"/sending-status"+query)
		if got := strings.Contains(w.Body.String(), `"ai_summary"`); got != want || !json.Valid(w.Body.Bytes()) {
			t.Errorf("%q: ai_summary present %v; %s", query, got, w.Body)
		}
	}
}

func TestWorkspaceChanges(t *testing.T) {
	ws := NewWorkspace()
	h := NewHandler(ws)
	id := "0190f3a2-5b6c-7d8e-9f01-23456789abcd"
	wantError(t, get(t, h, statusPath(id, false)), 404, "Campaign not found")

	// A sending status alone: served, not listed.
	raw := []byte(`{"summary": {"ai_summary": "x", "status": "healthy"}, "diagnostics": {"campaign_id": "` + id + `", "status": "healthy", "new_field": [1, 2]}, "extra": null}`)
	ws.SetSendingStatus(id, raw)
	if w := get(t, h, statusPath(id, true)); w.Body.String() != string(raw) {
		t.Errorf("not byte for byte: %s", w.Body)
	}
	if w := get(t, h, statusPath(id, false)); w.Body.String() != `{"summary": { "status": "healthy"}, "diagnostics": {"campaign_id": "`+id+`", "status": "healthy", "new_field": [1, 2]}, "extra": null}` {
		t.Errorf("ai_summary not removed cleanly: %s", w.Body)
	}
	if ws.Len() != 0 {
		t.Error("status-only campaign listed")
	}
	wantError(t, get(t, h, "/api/v2/campaigns/"+id), 404, "Campaign not found")

	// Then the campaign: listed, status kept.
	ws.AddCampaignWithFields(instantly.Campaign{ID: id, Name: "Added", Status: 2}, map[string]any{"pl_value": 100}, raw)
	w := get(t, h, "/api/v2/campaigns/"+id)
	var c map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &c); err != nil || c["name"] != "Added" || c["pl_value"] != 100.0 {
		t.Errorf("campaign %s: %v", w.Body, err)
	}
	if ids := walk(t, h, url.Values{"status": {"2"}}); len(ids) != 1 || ids[0] != id {
		t.Errorf("list %v", ids)
	}
	// Invalid JSON is served as is; nil means no data.
	ws.SetSendingStatus(id, []byte(`{"diagnostics":`))
	if w := get(t, h, statusPath(id, false)); w.Body.String() != `{"diagnostics":` {
		t.Errorf("malformed body changed: %s", w.Body)
	}
	ws.SetSendingStatus(id, nil)
	if w := get(t, h, statusPath(id, true)); w.Body.String() != `{"diagnostics":null,"summary":null}` {
		t.Errorf("nil status: %s", w.Body)
	}
	ws.AddSubsequence(Subsequence{ID: "0190F3A2-0000-7000-8000-000000000001", ParentCampaignID: id, Name: "S"}, []byte(`{"a":1}`))
	if w := get(t, h, subsequencePath("0190f3a2-0000-7000-8000-000000000001", false)); w.Body.String() != `{"a":1}` {
		t.Errorf("subsequence: %s", w.Body)
	}
	if !ws.Remove(id) || ws.Len() != 0 || ws.Remove(id) {
		t.Error("Remove")
	}
	wantError(t, get(t, h, statusPath(id, false)), 404, "Campaign not found")
}

// TestOddRequests feeds odd requests straight to ServeHTTP: each gets an
// answer with a status a client knows and, when there is a body, JSON.
func TestOddRequests(t *testing.T) {
	h := NewHandler(DemoWorkspace(testNow))
	paths := []string{
		"", "/", "//", "/api", "/api/v2", "/api/v2/", "/api/v2/campaigns/", "/api/v2/campaigns//",
		"/api/v2/campaigns/%zz/sending-status", "/api/v2/campaigns/%2F/sending-status",
		"/api/v2/campaigns/../../etc/passwd", "/api/v2/subsequences", "/api/v2/subsequences/x",
		"/api/v2/campaigns/" + strings.Repeat("a", 10000), "/api/v2/campaigns/\x00/sending-status",
		"/api/v2/campaigns/019a0000-0000-7000-8000-000000000001/sending-status/extra",
	}
	queries := []string{"", "limit=1e400", "limit=-0", "limit=NaN", "limit=Inf", "status=NaN", "status=1&status=2",
		"starting_after=%zz", "search=%", "with_ai_summary=true&with_ai_summary=false", ";;;&&==", "limit=99999999999999999999"}
	serve := func(m, p, q string) {
		t.Helper()
		r := &http.Request{Method: m, URL: &url.URL{Path: p, RawQuery: q}, Header: http.Header{"Authorization": {"Bearer k"}}}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r.WithContext(t.Context()))
		if w.Code < 200 || w.Code > 599 || (w.Body.Len() > 0 && !json.Valid(w.Body.Bytes())) {
			t.Errorf("%s %.60q ?%s: %d %.200s", m, p, q, w.Code, w.Body)
		}
	}
	for _, p := range paths {
		for _, q := range queries {
			serve(http.MethodGet, p, q)
		}
		for _, m := range []string{"HEAD", "POST", "", "BREW"} {
			serve(m, p, "")
		}
	}
	r := &http.Request{Method: "GET"} // no URL, no header
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r.WithContext(t.Context()))
	if w.Code < 400 || w.Code > 499 {
		t.Errorf("request without URL: %d", w.Code)
	}
}

// TestAccountTagsFollowCustomTags lists accounts with include_tags=true,
// then adds and relabels a custom tag: the next list carries the new label,
// and each answer is the one a workspace built with that tag from the start
// gives, byte for byte.
func TestAccountTagsFollowCustomTags(t *testing.T) {
	const tagID = "019a3b7e-0000-7000-8000-0000000000t1"
	account := []byte(`{"email":"a@x.example","status":1,"timestamp_created":"2026-01-01T00:00:00.000Z"}`)
	list := "/api/v2/accounts?include_tags=true&limit=100"
	build := func(labels ...string) *Workspace {
		ws := NewWorkspace()
		ws.AddAccount(account, tagID)
		for _, l := range labels {
			ws.AddCustomTag(instantly.CustomTag{ID: tagID, Label: l})
		}
		return ws
	}
	ws := build()
	h := NewHandler(ws)
	first := get(t, h, list).Body.String()
	if !strings.Contains(first, `"label":"tag 019a3b7e"`) || first != get(t, h, list).Body.String() {
		t.Fatalf("untagged workspace: %s", first)
	}
	for _, label := range []string{"Warm-up pool", "Holiday pause"} {
		ws.AddCustomTag(instantly.CustomTag{ID: tagID, Label: label})
		got := get(t, h, list).Body.String()
		want := get(t, NewHandler(build(label)), list).Body.String()
		if got != want || !strings.Contains(got, `"label":"`+label+`"`) {
			t.Errorf("after the tag became %q:\n got %s\nwant %s", label, got, want)
		}
	}
}
