package e2etest

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/servertest"
)

// rawHTTP sends one request to the binary and returns status and body.
func rawHTTP(t *testing.T, srv *servertest.Server, method, path, host string, hdr map[string]string, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.Base+path, strings.NewReader(body))
	if host != "" {
		req.Host = host
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := srv.HC.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The binary with /metrics on: a DNS-rebinding Host is refused on /metrics
// as on /mcp, with the same JSON-RPC error; a forged session too gets
// JSON-RPC, and a foreign Origin's 403 names MCP_ALLOWED_ORIGINS.
func TestHTTPPolicyThroughTheBinary(t *testing.T) {
	srv := servertest.StartHTTP(t, map[string]string{"INSTANTLY_DEMO": "true", "MCP_METRICS": "true", "LOG_LEVEL": "warn"})
	jsonHdr := map[string]string{"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
	for _, path := range []string{"/metrics", "/mcp", "/healthz"} {
		code, body := rawHTTP(t, srv, http.MethodGet, path, "evil.example", nil, "")
		if code != http.StatusForbidden || !strings.Contains(body, `"jsonrpc":"2.0"`) || !strings.Contains(body, "invalid Host header") {
			t.Errorf("Host evil.example on %s: %d %s", path, code, body)
		}
	}
	if code, body := rawHTTP(t, srv, http.MethodGet, "/metrics", "", nil, ""); code != http.StatusOK || !strings.Contains(body, "mcp_tool_calls_in_flight") {
		t.Errorf("/metrics from loopback: %d", code)
	}
	hdr := map[string]string{"Mcp-Session-Id": "mcp-session-forged"}
	for k, v := range jsonHdr {
		hdr[k] = v
	}
	code, body := rawHTTP(t, srv, http.MethodPost, "/mcp", "", hdr, `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`)
	if code != http.StatusNotFound || !strings.Contains(body, `"jsonrpc":"2.0"`) {
		t.Errorf("forged session: %d %s", code, body)
	}
	hdr = map[string]string{"Origin": "https://evil.example"}
	for k, v := range jsonHdr {
		hdr[k] = v
	}
	code, body = rawHTTP(t, srv, http.MethodPost, "/mcp", "", hdr, `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`)
	if code != http.StatusForbidden || !strings.Contains(body, "MCP_ALLOWED_ORIGINS") {
		t.Errorf("foreign Origin: %d %s", code, body)
	}
}

// Without MCP_AUTH_TOKEN, a gateway's Bearer JWT is refused with 401 naming
// X-Instantly-Api-Key, and never reaches Instantly.
func TestJWTBearerNeverReachesInstantly(t *testing.T) {
	fake := instantlytest.NewServer(instantlytest.DemoWorkspace(time.Now()))
	defer fake.Close()
	srv := servertest.StartHTTP(t, map[string]string{"INSTANTLY_BASE_URL": fake.URL, "LOG_LEVEL": "warn"})
	const jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZUBleGFtcGxlLmNvbSIsImV4cCI6MTl9.c2lnbmF0dXJlLWJ5dGVzLXh5eg"
	hdr := map[string]string{"Content-Type": "application/json", "Accept": "application/json, text/event-stream", "Authorization": "Bearer " + jwt}
	code, body := rawHTTP(t, srv, http.MethodPost, "/mcp", "", hdr, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"gw","version":"1"}}}`)
	if code != http.StatusUnauthorized || !strings.Contains(body, "X-Instantly-Api-Key") {
		t.Fatalf("Bearer JWT: %d %s", code, body)
	}
	for _, r := range fake.Handler.Requests() {
		if r.APIKey == jwt {
			t.Fatal("the JWT reached Instantly")
		}
	}
}

// Redis down at LOG_LEVEL=debug: go-redis's "failed to dial", repeated at
// every probe (4 a second), is logged once while the state lasts.
func TestRedisDownLogsOnceAtDebug(t *testing.T) {
	srv := servertest.StartHTTP(t, map[string]string{"INSTANTLY_DEMO": "false", "LOG_LEVEL": "debug",
		"REDIS_URL": "redis://127.0.0.1:1/0", "REDIS_KEY_SECRET": "replicas-share-this-secret-0123456789"})
	srv.Log.WaitFor(regexp.MustCompile(`rate budget unavailable`), 5*time.Second)
	time.Sleep(2 * time.Second) // eight probes
	if n := strings.Count(srv.Log.String(), "failed to dial"); n > 1 {
		t.Errorf("%d 'failed to dial' lines in 2 s, want at most 1:\n%s", n, srv.Log.String())
	}
}
