package httpserver

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// assertRPCError checks an HTTP refusal is a JSON-RPC error whose message
// holds want.
func assertRPCError(t *testing.T, what string, r rawResponse, status int, want string) {
	t.Helper()
	var body struct {
		JSONRPC string `json:"jsonrpc"`
		Error   struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if r.status != status || r.header.Get("Content-Type") != "application/json" ||
		json.Unmarshal([]byte(r.body), &body) != nil || body.JSONRPC != "2.0" || !strings.Contains(body.Error.Message, want) {
		t.Errorf("%s: %d %q %s, want %d and a JSON-RPC error with %q", what, r.status, r.header.Get("Content-Type"), r.body, status, want)
	}
}

// A Host that is not loopback, on a loopback listener (DNS rebinding), is
// refused on every route alike, /metrics and /healthz included, with a
// JSON-RPC error; loopback Hosts pass.
func TestHostPolicyOnEveryRoute(t *testing.T) {
	metrics := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("series 1\n")) })
	for _, tr := range []string{TransportHTTP, TransportSSE} {
		_, base := startTest(t, newFixture(), Config{Transport: tr, Metrics: metrics})
		for _, path := range []string{"/mcp", "/sse", "/message?sessionId=x", "/metrics", "/healthz"} {
			for _, method := range []string{"GET", "POST"} {
				r := raw(t, method, base+path, jsonHeaders(map[string]string{"Host": "evil.example"}), strings.NewReader(initBody))
				assertRPCError(t, tr+" "+method+" "+path, r, http.StatusForbidden, "invalid Host header")
			}
		}
		for _, host := range []string{"localhost", "127.0.0.1", "[::1]:9"} {
			if r := raw(t, "GET", base+"/metrics", map[string]string{"Host": host}, nil); r.status != http.StatusOK {
				t.Errorf("%s: Host %s: %d", tr, host, r.status)
			}
		}
	}
}

// The Origin refusal names the setting that lists allowed origins.
func TestOriginRefusalNamesTheSetting(t *testing.T) {
	_, base := startTest(t, newFixture(), Config{AllowedOriginsSetting: "MCP_ALLOWED_ORIGINS"})
	for _, path := range []string{"/mcp", "/healthz"} {
		r := raw(t, "POST", base+path, jsonHeaders(map[string]string{"Origin": "https://evil.example"}), strings.NewReader(initBody))
		assertRPCError(t, path, r, http.StatusForbidden, "MCP_ALLOWED_ORIGINS")
	}
}

// A forged session id on a POST gets the JSON-RPC 404 that GET and DELETE
// get, not mcp-go's plain text.
func TestForgedSessionIsJSONRPC(t *testing.T) {
	_, base := startTest(t, newFixture(), Config{})
	r := raw(t, "POST", base+"/mcp", jsonHeaders(map[string]string{"Mcp-Session-Id": "mcp-session-forged"}),
		strings.NewReader(`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`))
	assertRPCError(t, "forged session", r, http.StatusNotFound, "unknown, expired or terminated session")
}

// Without an access token, a Bearer JWT (an identity token from a gateway)
// is never taken for the Instantly key: 401 saying where the key goes, and
// nothing reaches the tools; an ordinary Bearer key still works.
func TestJWTBearerIsNotForwarded(t *testing.T) {
	f := newFixture()
	_, base := startTest(t, f, Config{})
	const jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZUBleGFtcGxlLmNvbSJ9.c2lnbmF0dXJlLWJ5dGVz"
	r := raw(t, "POST", base+"/mcp", jsonHeaders(map[string]string{"Authorization": "Bearer " + jwt}), strings.NewReader(initBody))
	assertRPCError(t, "JWT bearer", r, http.StatusUnauthorized, HeaderAPIKey)
	if looksLikeJWT("sk_live_0123456789abcdef.x.y") || !looksLikeJWT(jwt) {
		t.Error("looksLikeJWT misjudges")
	}
	s := &Server{}
	if k := s.instantlyKey(http.Header{"Authorization": {"Bearer " + jwt}}); k != "" {
		t.Errorf("instantlyKey took the JWT")
	}
	if k := s.instantlyKey(http.Header{"Authorization": {"Bearer plain-instantly-key-0123"}}); k != "plain-instantly-key-0123" {
		t.Errorf("instantlyKey: %q", k)
	}
}
