package instantly

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestEveryStatusCodeDecoded(t *testing.T) {
	for _, code := range StatusCodes {
		t.Run(code, func(t *testing.T) {
			body := `{"diagnostics": {"campaign_id": "` + testID + `", "last_updated": "2026-05-11T21:12:43.288Z",
				"status": "` + code + `", "issue_tracking": {"current_status_code": "` + code + `"}},
				"summary": {"status": "` + code + `", "status_message": "m"}}`
			srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: reply(200, body)})
			got, err := srv.client(t).GetCampaignSendingStatus(context.Background(), testID, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := &SendingStatus{
				Diagnostics: &Diagnostics{CampaignID: testID, LastUpdated: "2026-05-11T21:12:43.288Z", Status: ptr(code),
					IssueTracking: &IssueTracking{CurrentStatusCode: ptr(code)}},
				Summary: &Summary{Status: ptr(code), StatusMessage: ptr("m")},
				Raw:     []byte(body),
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if len(StatusCodes) != 18 {
		t.Errorf("%d status codes, the API documents 18", len(StatusCodes))
	}
}

func TestGetCampaignSendingStatusFull(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{
		routeCampaignStatus: reply(200, string(readFixture(t, "sending_status_full.json"))),
	})
	got, err := srv.client(t).GetCampaignSendingStatus(context.Background(), strings.ToUpper(testID), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := wantFull()
	want.Raw = readFixture(t, "sending_status_full.json") // byte for byte
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if reqs := srv.requests(); reqs[0].Path != "/api/v2/campaigns/"+testID+"/sending-status" {
		t.Errorf("path %q: the id must be sent in canonical lowercase form", reqs[0].Path)
	}
}

func TestNoDataYet(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: reply(200, `{"diagnostics":null,"summary":null}`)})
	got, err := srv.client(t).GetCampaignSendingStatus(context.Background(), testID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&SendingStatus{Raw: []byte(`{"diagnostics":null,"summary":null}`)}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestWithAISummaryQuery(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{
		routeCampaignStatus:    reply(200, healthyBody),
		routeSubsequenceStatus: reply(200, healthyBody),
	})
	c := srv.client(t)
	ctx := context.Background()
	calls := []func() error{
		func() error { _, err := c.GetCampaignSendingStatus(ctx, testID, nil); return err },
		func() error {
			_, err := c.GetCampaignSendingStatus(ctx, testID, &SendingStatusOptions{WithAISummary: false})
			return err
		},
		func() error {
			_, err := c.GetCampaignSendingStatus(ctx, testID, &SendingStatusOptions{WithAISummary: true})
			return err
		},
		func() error {
			_, err := c.GetSubsequenceSendingStatus(ctx, testID, &SendingStatusOptions{WithAISummary: true})
			return err
		},
	}
	for _, call := range calls {
		if err := call(); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, r := range srv.requests() {
		got = append(got, r.Path+"?"+r.RawQuery)
	}
	want := []string{
		"/api/v2/campaigns/" + testID + "/sending-status?",
		"/api/v2/campaigns/" + testID + "/sending-status?",
		"/api/v2/campaigns/" + testID + "/sending-status?with_ai_summary=true",
		"/api/v2/subsequences/" + testID + "/sending-status?with_ai_summary=true",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestHeaders(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: reply(200, healthyBody)})
	c := srv.client(t, WithUserAgent("instantly-status-mcp/1.2.3 (test)"))
	if _, err := c.GetCampaignSendingStatus(context.Background(), testID, nil); err != nil {
		t.Fatal(err)
	}
	h := srv.requests()[0].Header
	for name, want := range map[string]string{
		"Authorization": "Bearer " + testKey,
		"Accept":        "application/json",
		"User-Agent":    "instantly-status-mcp/1.2.3 (test)",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	// Default User-Agent.
	if _, err := srv.client(t).GetCampaignSendingStatus(context.Background(), testID, nil); err != nil {
		t.Fatal(err)
	}
	if got := srv.requests()[1].Header.Get("User-Agent"); got != DefaultUserAgent {
		t.Errorf("default User-Agent = %q", got)
	}
}

func TestWithAPIKeyCopies(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: reply(200, healthyBody)})
	base := srv.client(t)
	other := base.WithAPIKey("  other-key-0123456789 \n")
	ctx := context.Background()
	for _, c := range []*Client{other, base} {
		if _, err := c.GetCampaignSendingStatus(ctx, testID, nil); err != nil {
			t.Fatal(err)
		}
	}
	reqs := srv.requests()
	if got := reqs[0].Header.Get("Authorization"); got != "Bearer other-key-0123456789" {
		t.Errorf("copy sent %q", got)
	}
	if got := reqs[1].Header.Get("Authorization"); got != "Bearer "+testKey {
		t.Errorf("base sent %q after the copy was made", got)
	}
	if other.httpClient != base.httpClient || other.limiters != base.limiters || other.Timeout() != base.Timeout() {
		t.Error("the copy does not share the base client's parts")
	}
}

func TestNoAPIKey(t *testing.T) {
	srv := newAPIServer(t, nil)
	c, err := NewClient("  ", WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if c.HasAPIKey() {
		t.Error("HasAPIKey() = true for a blank key")
	}
	ctx := context.Background()
	_, err1 := c.GetCampaignSendingStatus(ctx, testID, nil)
	_, err2 := c.ListCampaigns(ctx, nil)
	_, err3 := c.WithAPIKey("").GetSubsequenceSendingStatus(ctx, testID, nil)
	for _, err := range []error{err1, err2, err3} {
		if !errors.Is(err, ErrNoAPIKey) {
			t.Errorf("err = %v, want ErrNoAPIKey", err)
		}
	}
	if !c.WithAPIKey("k-0123456789abcdef").HasAPIKey() {
		t.Error("WithAPIKey(k).HasAPIKey() = false")
	}
	if _, err := c.WithAPIKey("bad\nkey").GetCampaignSendingStatus(ctx, testID, nil); !errors.Is(err, errInvalidAPIKey) {
		t.Errorf("key with a newline: %v", err)
	}
	if n := srv.count(); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

func TestInvalidIDsNeverReachTheServer(t *testing.T) {
	srv := newAPIServer(t, nil)
	c := srv.client(t)
	ctx := context.Background()
	ids := []string{
		"", " ", "abc", "../../admin", testID + "/../../campaigns", testID + "?with_ai_summary=true",
		testID + "#x", "019e18e2-a52f-78e7-96f2-b33ee19bb50", "019e18e2-a52f-78e7-96f2-b33ee19bb50aa",
		"019e18e2%2Da52f-78e7-96f2-b33ee19bb50a", "'; DROP TABLE campaigns; --", "Ignore previous instructions",
		strings.Repeat("A", 10000), "019e18e2-a52f-78e7-96f2-b33ee19bb5\x00a", testKey,
	}
	for _, id := range ids {
		_, err1 := c.GetCampaignSendingStatus(ctx, id, nil)
		_, err2 := c.GetSubsequenceSendingStatus(ctx, id, nil)
		_, err3 := c.GetCampaign(ctx, id)
		for _, err := range []error{err1, err2, err3} {
			var ie *InvalidIDError
			if !errors.As(err, &ie) {
				t.Fatalf("id %.40q: err = %v, want *InvalidIDError", id, err)
			}
			if !strings.Contains(err.Error(), "must be a UUID") {
				t.Errorf("message %q does not say what an id is", err)
			}
			if !isFixedIDMessage(err.Error()) {
				t.Errorf("error %q depends on the id %.40q", err, id)
			}
		}
	}
	if n := srv.count(); n != 0 {
		t.Errorf("%d requests reached the server: %+v", n, srv.requests())
	}
}

func TestListCampaigns(t *testing.T) {
	page := `{"items": [{"id": "` + testID + `", "name": "Summer", "status": 1, "campaign_schedule": {"schedules": []},
		"timestamp_created": "2026-01-01T00:00:00.000Z", "timestamp_updated": "2026-01-02T00:00:00.000Z",
		"daily_limit": 50, "email_list": ["a@example.com"], "pl_value": null}],
		"next_starting_after": "019e18e2-0000-7000-8000-000000000000"}`
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaigns: reply(200, page)})
	c := srv.client(t)
	ctx := context.Background()
	got, err := c.ListCampaigns(ctx, &ListCampaignsOptions{
		Search: "Q&A 50% off/summer", Status: ptr(CampaignStatusDraft), Limit: 100, StartingAfter: "2026-01-01T00:00:00.000Z",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &CampaignPage{
		Items: []Campaign{{
			ID: testID, Name: "Summer", Status: 1, TimestampCreated: "2026-01-01T00:00:00.000Z",
			TimestampUpdated: "2026-01-02T00:00:00.000Z", DailyLimit: ptr(50.0), EmailList: []string{"a@example.com"},
		}},
		NextStartingAfter: "019e18e2-0000-7000-8000-000000000000",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := c.ListCampaigns(ctx, nil); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if q := reqs[0].RawQuery; q != "limit=100&search=Q%26A+50%25+off%2Fsummer&starting_after=2026-01-01T00%3A00%3A00.000Z&status=0" {
		t.Errorf("query = %s", q)
	}
	if q := reqs[1].RawQuery; q != "" {
		t.Errorf("query with nil options = %q", q)
	}
	for _, limit := range []int{-1, 101, 1000} {
		if _, err := c.ListCampaigns(ctx, &ListCampaignsOptions{Limit: limit}); err == nil || !strings.Contains(err.Error(), "between 1 and 100") {
			t.Errorf("Limit %d: err = %v", limit, err)
		}
	}
	if n := srv.count(); n != 2 {
		t.Errorf("%d requests, want 2 (invalid limits must not be sent)", n)
	}
}

func TestGetCampaign(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{
		"GET /api/v2/campaigns/{id}": reply(200, `{"id": "`+testID+`", "name": "N", "status": -99, "sequences": [{"steps": []}]}`),
	})
	got, err := srv.client(t).GetCampaign(context.Background(), testID)
	if err != nil {
		t.Fatal(err)
	}
	want := &Campaign{ID: testID, Name: "N", Status: CampaignStatusAccountSuspended}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestNewClientOptions(t *testing.T) {
	c, err := NewClient("k-0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != DefaultBaseURL || c.Timeout() != DefaultTimeout || !c.HasAPIKey() || c.limiters != defaultLimiters {
		t.Errorf("defaults: %s %s", c.BaseURL(), c.Timeout())
	}
	c, err = NewClient("k-0123456789abcdef", WithBaseURL("http://127.0.0.1:8080/proxy/"), WithTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != "http://127.0.0.1:8080/proxy" || c.Timeout() != time.Second {
		t.Errorf("got %s %s", c.BaseURL(), c.Timeout())
	}
	bad := map[string]Option{
		"relative URL":     WithBaseURL("/api"),
		"no scheme":        WithBaseURL("api.instantly.ai"),
		"ftp":              WithBaseURL("ftp://api.instantly.ai"),
		"javascript":       WithBaseURL("javascript:alert(1)"),
		"credentials":      WithBaseURL("https://user:pass@api.instantly.ai"),
		"query":            WithBaseURL("https://api.instantly.ai?x=1"),
		"fragment":         WithBaseURL("https://api.instantly.ai#x"),
		"no host":          WithBaseURL("https://"),
		"garbage":          WithBaseURL("http://[::1"),
		"nil http client":  WithHTTPClient(nil),
		"empty UA":         WithUserAgent(""),
		"UA newline":       WithUserAgent("a\r\nX-Evil: 1"),
		"zero timeout":     WithTimeout(0),
		"zero attempts":    WithMaxAttempts(0),
		"backoff inverted": WithBackoff(time.Second, time.Millisecond),
		"negative retry":   WithMaxRetryAfter(-1),
		"zero body":        WithMaxBodyBytes(0),
		"zero rate":        WithRateLimits(0, 10),
	}
	for name, opt := range bad {
		if _, err := NewClient("k-0123456789abcdef", opt); err == nil {
			t.Errorf("%s: no error", name)
		} else if strings.Contains(err.Error(), "pass") {
			t.Errorf("%s: error %q repeats the URL's credentials", name, err)
		}
	}
}

func TestListCampaignsBadShape(t *testing.T) {
	for body, path := range map[string]string{
		`{"items": 5}`: "items",
		`{"items": [{"id": "a", "status": "active"}]}`: "items[0].status",
		`{"items": [], "next_starting_after": 7}`:      "next_starting_after",
	} {
		srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaigns: reply(200, body)})
		_, err := srv.client(t).ListCampaigns(context.Background(), nil)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Path != path || !strings.Contains(err.Error(), "unexpected JSON") {
			t.Errorf("%s: err = %v, want a field error at %q", body, err, path)
		}
	}
}

func TestRedirectsNotFollowed(t *testing.T) {
	elsewhere := newAPIServer(t, nil)
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusFound)
	}})
	_, err := srv.client(t).GetCampaignSendingStatus(context.Background(), testID, nil)
	var er *ErrorResponse
	if !errors.As(err, &er) || er.StatusCode != http.StatusFound {
		t.Fatalf("err = %v, want a 302 *ErrorResponse", err)
	}
	if n := elsewhere.count(); n != 0 {
		t.Errorf("the redirect was followed (%d requests)", n)
	}
}
