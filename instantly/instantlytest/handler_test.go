package instantlytest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestAPIKeys(t *testing.T) {
	id := DemoCampaigns[0].ID
	h := NewHandler(DemoWorkspace(testNow), WithAPIKeys("good-1", "good-2"))
	if w := do(t, h, http.MethodGet, statusPath(id, false), "good-2"); w.Code != 200 {
		t.Errorf("allowed key: %d", w.Code)
	}
	wantError(t, do(t, h, http.MethodGet, statusPath(id, false), "sk-secret-bad"), 401, "Invalid API key")
	wantError(t, do(t, h, http.MethodGet, statusPath(id, false), ""), 401, "Missing Authorization header")

	h = NewHandler(DemoWorkspace(testNow), WithAPIKeys("good"), WithEchoKeyIn401())
	wantError(t, do(t, h, http.MethodGet, statusPath(id, false), "sk-secret-bad"), 401, "Invalid API key: sk-secret-bad")
	reqs := h.Requests()
	if len(reqs) != 1 || reqs[0].APIKey != "sk-secret-bad" || reqs[0].Status != 401 {
		t.Errorf("recorded %+v", reqs)
	}
}

func TestScopeError(t *testing.T) {
	h := NewHandler(DemoWorkspace(testNow), WithScopeError(http.StatusForbidden, "accounts"))
	wantError(t, get(t, h, "/api/v2/accounts?limit=1"), 403, "API key does not have the required scope: accounts:read")
	if w := get(t, h, "/api/v2/campaigns/analytics?id="+DemoCampaigns[0].ID); w.Code != 200 {
		t.Errorf("analytics without a scope error: %d %s", w.Code, w.Body)
	}
	if w := get(t, h, statusPath(DemoCampaigns[0].ID, false)); w.Code != 200 {
		t.Errorf("sending status: %d", w.Code)
	}
}

// TestOddRequests feeds odd requests to a Handler with every control on:
// each gets an answer with a status a client knows and, when there is a
// body, JSON; and each is counted.
func TestOddRequests(t *testing.T) {
	h := NewHandler(DemoWorkspace(testNow), WithRateLimit(1000, 0), WithScopeError(401, "accounts"), WithAPIKeys("k"), WithEchoKeyIn401())
	paths := []string{"", "/", "/api/v2/campaigns/", "/api/v2/campaigns/%zz/sending-status", "/api/v2/accounts/%zz",
		"/api/v2/campaigns/019a0000-0000-7000-8000-000000000001/sending-status/extra"}
	n := 0
	for _, p := range paths {
		for _, m := range []string{"GET", "HEAD", "POST", "", "BREW"} {
			for _, auth := range []string{"Bearer k", "Bearer other", "Basic x", ""} {
				r := &http.Request{Method: m, URL: &url.URL{Path: p, RawQuery: "limit=NaN"}, Header: http.Header{}}
				if auth != "" {
					r.Header.Set("Authorization", auth)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r.WithContext(t.Context()))
				n++
				if w.Code < 200 || w.Code > 599 || (w.Body.Len() > 0 && !json.Valid(w.Body.Bytes())) {
					t.Errorf("%s %.60q %q: %d %.200s", m, p, auth, w.Code, w.Body)
				}
			}
		}
	}
	r := &http.Request{Method: "GET"} // no URL, no header
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r.WithContext(t.Context()))
	if w.Code < 400 || w.Code > 499 {
		t.Errorf("request without URL: %d", w.Code)
	}
	if s := h.Stats(); s.Requests != n+1 {
		t.Errorf("%d requests counted, want %d", s.Requests, n+1)
	}
}
