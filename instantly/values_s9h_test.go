package instantly

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// Value tests of session 16's mutation pass (issue 9): exact texts and
// numbers where the older tests only checked that something failed.

// TestWithBaseURLTextsS9h: each refused base URL gets its own message; an
// accepted one keeps its path without the trailing slash.
func TestWithBaseURLTextsS9h(t *testing.T) {
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

// TestClientDefaultsS9h: the documented defaults, by value.
func TestClientDefaultsS9h(t *testing.T) {
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

// TestCampaignStatusNumbersS9h: Instantly's status numbers (API docs:
// -1 accounts unhealthy, -2 bounce protect, -99 account suspended).
func TestCampaignStatusNumbersS9h(t *testing.T) {
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

// TestSetQueryS9h: pairs with an empty value are not sent; a name without
// a value (an odd count) is ignored rather than read past the end.
func TestSetQueryS9h(t *testing.T) {
	q := setQuery(url.Values{"keep": {"1"}}, "limit", "5", "search", "", "status", "1", "dangling")
	if got, want := q.Encode(), "keep=1&limit=5&status=1"; got != want {
		t.Errorf("query %q, want %q", got, want)
	}
	if got := setQuery(url.Values{}).Encode(); got != "" {
		t.Errorf("no pairs: %q", got)
	}
}

// TestContextAPIKeyS9h: an empty key leaves the context as it was; a key
// set is read back; an empty value under the key counts as none.
func TestContextAPIKeyS9h(t *testing.T) {
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

// TestLimiterConstantsS9h: the in-process budget's windows by value (95 in
// any 1.1 s, 5,700 in any 60.1 s), and an idle key's budget is kept ten
// minutes.
func TestLimiterConstantsS9h(t *testing.T) {
	r := newLimiterRegistry(DefaultRequestsPerSecond, DefaultRequestsPerMinute)
	if want := [2]window{{95, int64(1100 * time.Millisecond)}, {5700, int64(60100 * time.Millisecond)}}; r.windows != want {
		t.Errorf("windows %v, want %v", r.windows, want)
	}
	if limiterIdleTTL != 10*time.Minute {
		t.Errorf("idle TTL %s, want 10m", limiterIdleTTL)
	}
}

// TestOptionValuesS9h: WithLimiter and WithTransportWrapper refuse nil with
// their own message; the wrapper gets the transport in use (the package's
// default, or net/http's when a given client has none) and wraps a copy of
// the given client, not the client itself.
func TestOptionValuesS9h(t *testing.T) {
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
	wrap := func(rt http.RoundTripper) http.RoundTripper { got = rt; return s9hRoundTripper{rt} }
	c, err := NewClient("k-0123456789abcdef", WithTransportWrapper(wrap))
	if err != nil {
		t.Fatal(err)
	}
	if got != defaultTransport {
		t.Errorf("default client: wrapper got %T %p, want the package's default transport", got, got)
	}
	if w, ok := c.httpClient.Transport.(s9hRoundTripper); !ok || w.next != defaultTransport {
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

type s9hRoundTripper struct{ next http.RoundTripper }

func (s s9hRoundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	return s.next.RoundTrip(r)
}
