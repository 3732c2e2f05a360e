package e2etest

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/internal/servertest"
)

func getMetrics(t *testing.T, s *servertest.Server, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.Base+"/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.HC.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(b)
}

// TestMetrics: with MCP_METRICS=true, /metrics has the tool calls, the
// upstream requests, the limiter's waits and the calls in flight; without
// it, there is no /metrics.
func TestMetrics(t *testing.T) {
	up := servertest.NewUpstream(t)
	defer up.Close()
	env := map[string]string{"INSTANTLY_API_KEY": servertest.Key("metrics"), "INSTANTLY_BASE_URL": up.URL}

	off := servertest.StartHTTP(t, env)
	if code, _ := getMetrics(t, off, ""); code == http.StatusOK {
		t.Error("/metrics served without MCP_METRICS")
	}
	off.Stop(t)

	env["MCP_METRICS"] = "true"
	srv := servertest.StartHTTP(t, env)
	defer srv.Stop(t)
	c := servertest.NewSession(t, srv)
	servertest.ExpectHealthy(t, c.Call(t, servertest.Headline))
	c.Call(t, "019a0000-0000-7000-8000-0000000fffff") // not in the workspace: 404, a tool error
	code, body := getMetrics(t, srv, "")
	if code != http.StatusOK {
		t.Fatalf("/metrics: HTTP %d %s", code, body)
	}
	for _, want := range []string{
		`mcp_tool_calls_total{outcome="ok",tool="get_campaign_sending_status"} 1`,
		`mcp_tool_calls_total{outcome="tool_error",tool="get_campaign_sending_status"} 1`,
		`instantly_requests_total{endpoint="/api/v2/campaigns/{id}/sending-status",status="200"} 1`,
		`instantly_requests_total{endpoint="/api/v2/campaigns/{id}/sending-status",status="404"} 1`,
		`instantly_rate_limited_total 0`,
		// The limiter's waits: one per request that went out, the status
		// calls and the cross-checks of the deep diagnosis, whose
		// number depends on the code; checked below.
		`instantly_limiter_wait_seconds_count `,
		`mcp_tool_calls_in_flight 0`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	var waits int64
	for _, line := range strings.Split(body, "\n") {
		if n, ok := strings.CutPrefix(line, "instantly_limiter_wait_seconds_count "); ok {
			waits, _ = strconv.ParseInt(strings.TrimSpace(n), 10, 64)
		}
	}
	if waits < 2 {
		t.Errorf("instantly_limiter_wait_seconds_count %d, want at least one per status call (2)", waits)
	}
	if strings.Contains(body, servertest.Key("metrics")) {
		t.Error("API key in /metrics")
	}
}

// TestMetricsNeedTheToken: behind MCP_AUTH_TOKEN, /metrics needs it too;
// /healthz does not.
func TestMetricsNeedTheToken(t *testing.T) {
	srv := servertest.StartHTTP(t, map[string]string{"INSTANTLY_DEMO": "true", "MCP_METRICS": "true", "MCP_AUTH_TOKEN": "metrics-token-0123456789abcdef0123456"})
	defer srv.Stop(t)
	if code, _ := getMetrics(t, srv, ""); code != http.StatusUnauthorized {
		t.Errorf("/metrics without the token: HTTP %d, want 401", code)
	}
	if code, body := getMetrics(t, srv, "metrics-token-0123456789abcdef0123456"); code != http.StatusOK || !strings.Contains(body, "mcp_tool_calls_in_flight") {
		t.Errorf("/metrics with the token: HTTP %d %.200s", code, body)
	}
}
