package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/internal/servertest"
)

// mcpPost sends one JSON-RPC message to the binary's /mcp with an optional
// session id and returns the status, the session id header and the body.
func mcpPost(t *testing.T, base, session, body string) (int, string, string) {
	t.Helper()
	return mcpDo(t, http.MethodPost, base, session, body)
}

func mcpDo(t *testing.T, method, base, session, body string) (int, string, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = bytes.NewBufferString(body)
	}
	req, err := http.NewRequest(method, base+"/mcp", rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if session != "" {
		req.Header.Set("Mcp-Session-Id", session)
	}
	if method == http.MethodGet {
		// A stream that opened would not end: a status is all we need.
		req.Header.Set("Accept", "text/event-stream")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if method == http.MethodGet && resp.StatusCode == http.StatusOK {
		return resp.StatusCode, resp.Header.Get("Mcp-Session-Id"), ""
	}
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Mcp-Session-Id"), string(b)
}

const (
	initBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`
	pingBody = `{"jsonrpc":"2.0","id":2,"method":"ping"}`
	callBody = `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_campaigns","arguments":{}}}`
)

// In stateful streamable HTTP (the default), the built server serves only
// session ids it issued and still holds: a forged id gets 404, a request
// other than initialize without an id gets 400, and DELETE ends the session
// for good (MCP spec 2025-11-25, transports: session management).
func TestSessionsAreIssuedAndEnforced(t *testing.T) {
	addr := servertest.Start(t, []string{"INSTANTLY_DEMO=1", "LOG_LEVEL=warn"}, "-transport", "http").Addr
	base := "http://" + addr

	status, id, body := mcpPost(t, base, "", initBody)
	if status != 200 || id == "" {
		t.Fatalf("initialize: %d %q %s", status, id, body)
	}
	if status, _, body := mcpPost(t, base, id, pingBody); status != 200 {
		t.Fatalf("ping with the issued id: %d %s", status, body)
	}

	forged := "mcp-session-0b1f6e4c-8c6b-4c55-9b43-0d1b5c0a7e11"
	for _, c := range []struct {
		name, method, session, body string
		want                        int
	}{
		{"forged id, tools/call", http.MethodPost, forged, callBody, 404},
		{"forged id, ping", http.MethodPost, forged, pingBody, 404},
		{"issued id with one character changed", http.MethodPost, id[:len(id)-1] + flip(id[len(id)-1]), pingBody, 404},
		{"forged id, GET stream", http.MethodGet, forged, "", 404},
		{"forged id, DELETE", http.MethodDelete, forged, "", 404},
		{"no id, tools/call", http.MethodPost, "", callBody, 400},
		{"no id, ping", http.MethodPost, "", pingBody, 400},
		{"no id, GET stream", http.MethodGet, "", "", 400},
		{"no id, DELETE", http.MethodDelete, "", "", 400},
	} {
		status, _, body := mcpDo(t, c.method, base, c.session, c.body)
		if status != c.want {
			t.Errorf("%s: status %d, want %d (%.200s)", c.name, status, c.want, strings.TrimSpace(body))
		}
		if status == 200 && strings.Contains(body, "result") {
			t.Errorf("%s: served: %.200s", c.name, body)
		}
	}

	if status, _, body := mcpDo(t, http.MethodDelete, base, id, ""); status != 200 {
		t.Fatalf("DELETE of the live session: %d %s", status, body)
	}
	for _, b := range []string{pingBody, callBody} {
		if status, _, body := mcpPost(t, base, id, b); status != 404 {
			t.Errorf("after DELETE: %d, want 404 (%.200s)", status, body)
		}
	}
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}
