package httpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/httpserver"
	"github.com/instantly-status/instantly-status-mcp/tools"
)

// FuzzHTTPRequest sends arbitrary requests (method, path, body and every
// header this package reads) through the whole HTTP pipeline: origin check,
// access token, body limit, per-request key, mcp-go. It never panics, always
// answers with a valid status, JSON bodies are valid JSON, and the
// per-request Instantly key is never repeated back. Seed corpus in
// testdata/fuzz/FuzzHTTPRequest; run with
//
//	go test -run '^$' -fuzz '^FuzzHTTPRequest$' -fuzztime 15s ./httpserver
func FuzzHTTPRequest(f *testing.F) {
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"f","version":"1"}}}`
	call := `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_campaign_sending_status","arguments":{"id":"019a0000-0000-7000-8000-000000000001"}}}`
	for _, s := range []struct {
		variant, method     uint8
		path                string
		body                string
		origin, auth, key   string
		session, ctype, acc string
	}{
		{0, 1, "/mcp", init, "", "", "", "", "application/json", "application/json, text/event-stream"},
		{0, 1, "/mcp", call, "http://localhost:3000", "", "sk_fuzz_request_key_12345", "", "application/json", "application/json, text/event-stream"},
		{1, 1, "/mcp", call, "", "Bearer fuzz-access-token", "sk_fuzz_request_key_12345", "", "application/json", "application/json"},
		{1, 1, "/mcp", call, "https://evil.example", "Bearer wrong", "", "", "application/json", "*/*"},
		{0, 0, "/mcp", "", "", "", "", "mcp-session-x", "", "text/event-stream"},
		{0, 2, "/mcp", "", "", "", "", "mcp-session-x", "", ""},
		{0, 0, "/healthz", "", "", "", "", "", "", ""},
		{0, 1, "/healthz", "x", "", "", "", "", "", ""},
		{0, 1, "/mcp", `{"jsonrpc":"2.0","id":"` + strings.Repeat("x", 70000) + `"}`, "", "", "", "", "application/json", "application/json"},
		{0, 1, "/mcp", "\xff\xfe", "null", "Basic Zm9vOmJhcg==", "\x00", "\r\n", "text/plain", ""},
		{2, 0, "/sse", "", "", "", "", "", "", "text/event-stream"},
		{2, 1, "/message?sessionId=abc", call, "", "", "", "", "application/json", ""},
		{0, 3, "/mcp/../mcp", call, "", "", "", "", "application/json", ""},
	} {
		f.Add(s.variant, s.method, s.path, []byte(s.body), s.origin, s.auth, s.key, s.session, s.ctype, s.acc)
	}

	handlers := fzHandlers(f)
	methods := []string{http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodPut, http.MethodOptions, http.MethodHead}
	f.Fuzz(func(t *testing.T, variant, method uint8, path string, body []byte, origin, auth, key, session, ctype, accept string) {
		h := handlers[int(variant)%len(handlers)]
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, methods[int(method)%len(methods)], "http://127.0.0.1:8080"+path, bytes.NewReader(body))
		if err != nil {
			t.Skip()
		}
		req.RemoteAddr = "127.0.0.1:40000"
		for k, v := range map[string]string{
			"Origin": origin, "Authorization": auth, "X-Instantly-Api-Key": key,
			"Mcp-Session-Id": session, "Content-Type": ctype, "Accept": accept,
		} {
			if v != "" {
				req.Header.Set(k, v)
			}
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		res := rec.Result()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode < 100 || res.StatusCode > 599 {
			t.Fatalf("status %d", res.StatusCode)
		}
		if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") && len(bytes.TrimSpace(b)) > 0 && !json.Valid(b) {
			t.Fatalf("%s %s: HTTP %d with invalid JSON: %.300q", req.Method, path, res.StatusCode, b)
		}
		k := strings.TrimSpace(key)
		if len(k) >= 12 && !strings.Contains(path, k) && !bytes.Contains(body, []byte(k)) &&
			!strings.Contains(session+origin+auth+ctype+accept, k) && bytes.Contains(b, []byte(k)) {
			t.Fatalf("the request's Instantly key came back in the answer: %.300q", b)
		}
	})
}

// fzHandlers are the pipelines fuzzed: streamable HTTP stateless without a
// token, with a token and an extra allowed origin, and the legacy SSE
// transport. Stateless keeps no session state between inputs.
func fzHandlers(tb testing.TB) []http.Handler {
	tb.Helper()
	h := instantlytest.NewHandler(instantlytest.DemoWorkspace(time.Now()), instantlytest.WithMaxRecorded(0))
	api, err := instantly.NewClient("",
		instantly.WithBaseURL(instantlytest.DemoBaseURL),
		instantly.WithHTTPClient(&http.Client{Transport: instantlytest.NewTransport(h)}),
		instantly.WithoutRateLimit(),
		instantly.WithMaxAttempts(1),
		instantly.WithTimeout(2*time.Second),
	)
	if err != nil {
		tb.Fatal(err)
	}
	discard := slog.New(slog.DiscardHandler)
	var out []http.Handler
	for _, cfg := range []httpserver.Config{
		{Transport: httpserver.TransportHTTP, Stateless: true, MaxBodyBytes: 64 << 10},
		{Transport: httpserver.TransportHTTP, Stateless: true, AuthToken: "fuzz-access-token", AllowedOrigins: []string{"https://app.example.com"}},
		{Transport: httpserver.TransportSSE, MaxBodyBytes: 64 << 10},
	} {
		cfg.Addr = "127.0.0.1:8080"
		cfg.Logger = discard
		mcp := tools.NewMCPServer(tools.Options{Version: "fuzz", GetClient: tools.ClientResolver(api)})
		s, err := httpserver.New(mcp, cfg)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, s.Handler())
	}
	return out
}
