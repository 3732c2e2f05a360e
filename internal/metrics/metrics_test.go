package metrics

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

func scrape(t *testing.T, h http.Handler, acceptEncoding string) (http.Header, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body := io.Reader(rec.Body)
	if rec.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = zr
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return rec.Header(), string(b)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

type waitFunc func() error

func (f waitFunc) Wait(context.Context, [sha256.Size]byte, string) error { return f() }

// TestSeries: after tool calls, upstream requests and limiter waits, the
// exposition has every series of ours with its value, labels in
// alphabetical order, HELP and TYPE lines, and the Go and process metrics.
func TestSeries(t *testing.T) {
	m := New()
	fallback := true
	m.RedisFallback(func() bool { return fallback })
	mw := m.ToolMiddleware()
	ok := mw(func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText("fine"), nil
	})
	toolErr := mw(func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultError("no"), nil
	})
	protoErr := mw(func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return nil, errors.New("boom")
	})
	req := mcp.CallToolRequest{}
	req.Params.Name = `get_"odd"\tool`
	_, _ = ok(context.Background(), req)
	_, _ = ok(context.Background(), req)
	_, _ = toolErr(context.Background(), req)
	_, _ = protoErr(context.Background(), req)

	status := http.StatusOK
	rt := m.Transport(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if status == 0 {
			return nil, errors.New("no answer")
		}
		return &http.Response{StatusCode: status, Body: http.NoBody}, nil
	}))
	for _, s := range []int{200, 200, 429, 0} {
		status = s
		req, _ := http.NewRequest(http.MethodGet, "https://api.instantly.ai/api/v2/campaigns/0199/sending-status", nil)
		_, _ = rt.RoundTrip(req)
	}
	_ = m.Limiter(waitFunc(func() error { return nil })).Wait(context.Background(), [sha256.Size]byte{}, "status")

	h, body := scrape(t, m.Handler(), "")
	if ct := h.Get("Content-Type"); ct != contentType {
		t.Errorf("Content-Type %q", ct)
	}
	for _, want := range []string{
		`# HELP mcp_tool_calls_total Tool calls by tool and outcome (ok, tool_error: an error result the user can act on, error: a protocol error).`,
		`# TYPE mcp_tool_calls_total counter`,
		`mcp_tool_calls_total{outcome="ok",tool="get_\"odd\"\\tool"} 2`,
		`mcp_tool_calls_total{outcome="tool_error",tool="get_\"odd\"\\tool"} 1`,
		`mcp_tool_calls_total{outcome="error",tool="get_\"odd\"\\tool"} 1`,
		`# TYPE mcp_tool_call_duration_seconds histogram`,
		`mcp_tool_call_duration_seconds_bucket{tool="get_\"odd\"\\tool",le="0.005"} 4`,
		`mcp_tool_call_duration_seconds_count{tool="get_\"odd\"\\tool"} 4`,
		`mcp_tool_calls_in_flight 0`,
		`instantly_requests_total{endpoint="/api/v2/campaigns/{id}/sending-status",status="200"} 2`,
		`instantly_requests_total{endpoint="/api/v2/campaigns/{id}/sending-status",status="429"} 1`,
		`instantly_requests_total{endpoint="/api/v2/campaigns/{id}/sending-status",status="error"} 1`,
		`instantly_rate_limited_total 1`,
		`instantly_limiter_wait_seconds_bucket{le="+Inf"} 1`,
		`instantly_limiter_wait_seconds_count 1`,
		`# HELP instantly_redis_budget_fallback 1 while Redis is unavailable`,
		`instantly_redis_budget_fallback 1`,
		"go_goroutines ",
		"process_resident_memory_bytes ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("lacks %s", want)
		}
	}
	fallback = false
	if _, body := scrape(t, m.Handler(), "gzip, deflate"); !strings.Contains(body, "instantly_redis_budget_fallback 0\n") {
		t.Errorf("the fallback gauge does not follow the budget (gzip):\n%.400s", body)
	}
}

// TestBeforeAnyCall: the series without labels are there from the start, at
// zero; a labelled family appears with its first series.
func TestBeforeAnyCall(t *testing.T) {
	_, body := scrape(t, New().Handler(), "")
	if strings.Contains(body, "mcp_tool_calls_total") || strings.Contains(body, "instantly_requests_total") {
		t.Errorf("labelled families exported before their first series:\n%s", body)
	}
	for _, want := range []string{"mcp_tool_calls_in_flight 0\n", "instantly_rate_limited_total 0\n", "instantly_limiter_wait_seconds_count 0\n", "go_goroutines "} {
		if !strings.Contains(body, want) {
			t.Errorf("lacks %q", want)
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	for h, want := range map[string]bool{"": false, "gzip": true, "deflate, GZIP": true, "gzip;q=0": false, "gzip; q=0.5": true, "br": false} {
		if got := acceptsGzip(h); got != want {
			t.Errorf("acceptsGzip(%q) = %v", h, got)
		}
	}
}

func TestEndpoint(t *testing.T) {
	for path, want := range map[string]string{
		"/api/v2/campaigns":                     "/api/v2/campaigns",
		"/api/v2/campaigns/x":                   "/api/v2/campaigns/{id}",
		"/api/v2/subsequences/x/sending-status": "/api/v2/subsequences/{id}/sending-status",
		"/api/v2/campaigns/x/analytics":         "other",
		"/api/v2/accounts":                      "other",
		"/healthz":                              "other",
	} {
		if got := Endpoint(path); got != want {
			t.Errorf("Endpoint(%q) = %q, want %q", path, got, want)
		}
	}
}
