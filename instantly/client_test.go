package instantly

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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

// TestWithBaseURLTexts: each refused base URL gets its own message; an
// accepted one keeps its path without the trailing slash.
func TestWithBaseURLTexts(t *testing.T) {
	for raw, want := range map[string]string{
		"http://[::1":                     "instantly: base URL is not a URL",
		"ftp://api.instantly.ai":          "instantly: base URL must start with http:// or https://",
		"api.instantly.ai":                "instantly: base URL must start with http:// or https://",
		"https://":                        "instantly: base URL has no host",
		"http:opaque/path":                "instantly: base URL has no host",
		"https://user:pass@x.example":     "instantly: base URL must not contain credentials",
		"https://x.example/?a=1":          "instantly: base URL must not have a query or fragment",
		"https://x.example/?":             "instantly: base URL must not have a query or fragment",
		"https://x.example/#top":          "instantly: base URL must not have a query or fragment",
		" http://x.example:8080/proxy/ ":  "http://x.example:8080/proxy",
		"https://x.example":               "https://x.example",
		"HTTPS://X.example/v2//":          "https://X.example/v2",
		"http://127.0.0.1:1/api/v2/extra": "http://127.0.0.1:1/api/v2/extra",
	} {
		c, err := NewClient("k-0123456789abcdef", WithBaseURL(raw))
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = c.BaseURL()
		}
		if got != want {
			t.Errorf("WithBaseURL(%q): %q, want %q", raw, got, want)
		}
	}
}

// TestClientDefaults: the documented defaults, by value.
func TestClientDefaults(t *testing.T) {
	c, err := NewClient("k-0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	got := []any{c.timeout, c.maxAttempts, c.backoffBase, c.backoffMax, c.maxRetryAfter, c.maxBodyBytes}
	want := []any{30 * time.Second, 3, 250 * time.Millisecond, 2 * time.Second, 5 * time.Second, int64(4 * 1024 * 1024)}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("default %d: %v, want %v", i, got[i], want[i])
		}
	}
}

// TestCampaignStatusNumbers: Instantly's status numbers (API docs:
// -1 accounts unhealthy, -2 bounce protect, -99 account suspended).
func TestCampaignStatusNumbers(t *testing.T) {
	want := map[string]int{"draft": 0, "active": 1, "paused": 2, "completed": 3, "running_subsequences": 4,
		"accounts_unhealthy": -1, "bounce_protect": -2, "account_suspended": -99}
	if len(CampaignStatusNames) != len(want) {
		t.Errorf("%d names, want %d", len(CampaignStatusNames), len(want))
	}
	for name, n := range want {
		if got, ok := CampaignStatusNames[name]; !ok || int(got) != n {
			t.Errorf("%s: %d (known %v), want %d", name, got, ok, n)
		}
	}
}

// TestSetQuery: pairs with an empty value are not sent; a name without
// a value (an odd count) is ignored rather than read past the end.
func TestSetQuery(t *testing.T) {
	q := setQuery(url.Values{"keep": {"1"}}, "limit", "5", "search", "", "status", "1", "dangling")
	if got, want := q.Encode(), "keep=1&limit=5&status=1"; got != want {
		t.Errorf("query %q, want %q", got, want)
	}
	if got := setQuery(url.Values{}).Encode(); got != "" {
		t.Errorf("no pairs: %q", got)
	}
}

// TestContextAPIKey: an empty key leaves the context as it was; a key
// set is read back; an empty value under the key counts as none.
func TestContextAPIKey(t *testing.T) {
	bg := context.Background()
	if ctx := ContextWithAPIKey(bg, ""); ctx != bg {
		t.Error("an empty key changed the context")
	}
	if k, ok := APIKeyFromContext(ContextWithAPIKey(bg, "k-1")); k != "k-1" || !ok {
		t.Errorf("key set: %q, %v; want k-1, true", k, ok)
	}
	if k, ok := APIKeyFromContext(bg); k != "" || ok {
		t.Errorf("no key: %q, %v; want \"\", false", k, ok)
	}
	if k, ok := APIKeyFromContext(context.WithValue(bg, apiKeyCtxKey{}, "")); k != "" || ok {
		t.Errorf("empty key: %q, %v; want \"\", false", k, ok)
	}
}

// TestLimiterAndWrapperOptions: WithLimiter and WithTransportWrapper refuse nil with
// their own message; the wrapper gets the transport in use (the package's
// default, or net/http's when a given client has none) and wraps a copy of
// the given client, not the client itself.
func TestLimiterAndWrapperOptions(t *testing.T) {
	for _, tc := range []struct {
		opt  Option
		want string
	}{
		{WithLimiter(nil), "instantly: nil limiter (use WithoutRateLimit)"},
		{WithTransportWrapper(nil), "instantly: nil transport wrapper"},
	} {
		if _, err := NewClient("k-0123456789abcdef", tc.opt); err == nil || err.Error() != tc.want {
			t.Errorf("err %v, want %q", err, tc.want)
		}
	}
	l := NewLimiter(1, 1)
	if c, err := NewClient("k-0123456789abcdef", WithLimiter(l)); err != nil || c.limiters != l {
		t.Errorf("WithLimiter: err %v, limiter kept %v", err, err == nil && c.limiters == l)
	}

	var got http.RoundTripper
	wrap := func(rt http.RoundTripper) http.RoundTripper { got = rt; return wrappedTransport{rt} }
	c, err := NewClient("k-0123456789abcdef", WithTransportWrapper(wrap))
	if err != nil {
		t.Fatal(err)
	}
	if got != defaultTransport {
		t.Errorf("default client: wrapper got %T %p, want the package's default transport", got, got)
	}
	if w, ok := c.httpClient.Transport.(wrappedTransport); !ok || w.next != defaultTransport {
		t.Errorf("client transport %T, want the wrapper around the default", c.httpClient.Transport)
	}
	given := &http.Client{Timeout: time.Minute}
	c, err = NewClient("k-0123456789abcdef", WithHTTPClient(given), WithTransportWrapper(wrap))
	if err != nil {
		t.Fatal(err)
	}
	if got != http.DefaultTransport {
		t.Errorf("client without a transport: wrapper got %T %p, want http.DefaultTransport", got, got)
	}
	if given.Transport != nil || c.httpClient == given || c.httpClient.Timeout != time.Minute {
		t.Errorf("the given client was changed (transport %v) or not copied (same %v, timeout %s)",
			given.Transport, c.httpClient == given, c.httpClient.Timeout)
	}
}

type wrappedTransport struct{ next http.RoundTripper }

func (s wrappedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return s.next.RoundTrip(r)
}

// Every option's edge: the smallest accepted value is accepted, the one
// below it refused with its own message.
func TestOptionBounds(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opt     Option
		wantErr string // "" accepted
	}{
		{"timeout 1ns", WithTimeout(time.Nanosecond), ""},
		{"timeout 0", WithTimeout(0), "timeout must be positive"},
		{"attempts 1", WithMaxAttempts(1), ""},
		{"attempts 0", WithMaxAttempts(0), "max attempts must be at least 1"},
		{"backoff 0,0", WithBackoff(0, 0), ""},
		{"backoff 1s,1s", WithBackoff(time.Second, time.Second), ""},
		{"backoff -1ns,1s", WithBackoff(-time.Nanosecond, time.Second), "backoff needs 0 <= base <= max"},
		{"backoff 1s,999ms", WithBackoff(time.Second, 999*time.Millisecond), "backoff needs 0 <= base <= max"},
		{"retry-after 0", WithMaxRetryAfter(0), ""},
		{"retry-after -1ns", WithMaxRetryAfter(-time.Nanosecond), "max Retry-After must not be negative"},
		{"body 1", WithMaxBodyBytes(1), ""},
		{"body 0", WithMaxBodyBytes(0), "max body bytes must be positive"},
		{"rates 1,1", WithRateLimits(1, 1), ""},
		{"rates 0,1", WithRateLimits(0, 1), "rate limits must be positive"},
		{"rates 1,0", WithRateLimits(1, 0), "rate limits must be positive"},
	} {
		_, err := NewClient(testKey, tc.opt)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: err %v, want %q", tc.name, err, tc.wantErr)
		}
	}
}

// CheckSearch: at most MaxSearchLen characters (runes, after trimming), no
// control character anywhere, the first included.
func TestCheckSearchBounds(t *testing.T) {
	for _, tc := range []struct {
		in, want, wantErr string
	}{
		{strings.Repeat("é", 100), strings.Repeat("é", 100), ""},
		{"  " + strings.Repeat("a", 100) + "  ", strings.Repeat("a", 100), ""},
		{strings.Repeat("a", 101), "", "at most 100 characters of a campaign name, got 101"},
		{"\x01Black Friday", "", "control characters are not allowed"},
		{"Black\x7fFriday", "", "control characters are not allowed"},
		{"Black Friday", "Black Friday", ""},
		{"", "", ""},
	} {
		got, err := CheckSearch(tc.in)
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("CheckSearch(%q) err %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("CheckSearch(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// The headers of every request, exactly: a POST (with its JSON body) says
// Content-Type application/json, a GET has no body and no Content-Type.
func TestRequestHeadersExact(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{
		"POST /api/v2/accounts/test/vitals": reply(200, `{"status":"success"}`),
		routeCampaignStatus:                 reply(200, healthyBody),
	})
	c := srv.client(t)
	if _, err := c.TestAccountVitals(context.Background(), []string{"ops@acme.example"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetCampaignSendingStatus(context.Background(), testID, nil); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	for i, want := range []struct{ method, contentType string }{{http.MethodPost, "application/json"}, {http.MethodGet, ""}} {
		h := reqs[i].Header
		if reqs[i].Method != want.method || h.Get("Content-Type") != want.contentType {
			t.Errorf("request %d: %s with Content-Type %q, want %s with %q", i, reqs[i].Method, h.Get("Content-Type"), want.method, want.contentType)
		}
		if h.Get("Authorization") != "Bearer "+testKey || h.Get("Accept") != "application/json" {
			t.Errorf("request %d: Authorization/Accept %q %q", i, h.Get("Authorization"), h.Get("Accept"))
		}
	}
}

// The shared transport keeps idle connections for the concurrency the
// server runs, and drops them after 90 s.
func TestDefaultTransportSettings(t *testing.T) {
	if defaultTransport.MaxIdleConns != 256 || defaultTransport.MaxIdleConnsPerHost != 64 || defaultTransport.IdleConnTimeout != 90*time.Second {
		t.Errorf("defaultTransport: MaxIdleConns %d, per host %d, idle timeout %s; want 256, 64, 1m30s",
			defaultTransport.MaxIdleConns, defaultTransport.MaxIdleConnsPerHost, defaultTransport.IdleConnTimeout)
	}
}

// The list calls' limit: 0 sends no limit parameter (the API's default);
// 1..100 sends it; -1 and 101 are refused before any request. The
// subsequences' list always names its parent campaign.
func TestListLimitParameters(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaigns: reply(200, `{"items":[]}`),
		"GET /api/v2/accounts": reply(200, `{"items":[]}`), "GET /api/v2/subsequences": reply(200, `{"items":[]}`)})
	c, ctx := srv.client(t), context.Background()
	for name, call := range map[string]struct {
		query string
		list  func(limit int) error
	}{
		"ListCampaigns": {"", func(n int) error { _, err := c.ListCampaigns(ctx, &ListCampaignsOptions{Limit: n}); return err }},
		"ListAccounts":  {"", func(n int) error { _, err := c.ListAccounts(ctx, &ListAccountsOptions{Limit: n}); return err }},
		"ListSubsequences": {"parent_campaign=" + testID, func(n int) error {
			_, err := c.ListSubsequences(ctx, testID, n, "")
			return err
		}},
	} {
		for _, limit := range []int{0, 1, 100, -1, 101} {
			before := srv.count()
			err := call.list(limit)
			if limit < 0 || limit > 100 {
				if err == nil || !strings.Contains(err.Error(), "between 1 and 100") || srv.count() != before {
					t.Errorf("%s, limit %d: err %v, %d requests", name, limit, err, srv.count()-before)
				}
				continue
			}
			want := call.query
			if limit > 0 {
				want = strings.TrimSuffix(fmt.Sprintf("limit=%d&%s", limit, call.query), "&")
			}
			if reqs := srv.requests(); err != nil || reqs[len(reqs)-1].RawQuery != want {
				t.Errorf("%s, limit %d: err %v, query %q, want %q", name, limit, err, reqs[len(reqs)-1].RawQuery, want)
			}
		}
	}
}
