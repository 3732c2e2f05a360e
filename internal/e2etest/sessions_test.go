package e2etest

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
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

// sseStream is one GET /sse of the built binary: its message endpoint and
// the "message" events it carries; ended closes when the server ends it.
type sseClient struct {
	endpoint string
	events   chan string
	ended    chan struct{}
	cancel   context.CancelFunc
}

func openSSE(t *testing.T, base string) *sseClient {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/sse", nil)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /sse: %d", resp.StatusCode)
	}
	c := &sseClient{events: make(chan string, 16), ended: make(chan struct{}), cancel: cancel}
	endpoint := make(chan string, 1)
	go func() {
		defer resp.Body.Close()
		defer close(c.ended)
		sc := bufio.NewScanner(resp.Body)
		var event string
		for sc.Scan() {
			l := strings.TrimSpace(sc.Text())
			switch {
			case strings.HasPrefix(l, "event:"):
				event = strings.TrimSpace(strings.TrimPrefix(l, "event:"))
			case strings.HasPrefix(l, "data:") && event == "endpoint":
				endpoint <- strings.TrimSpace(strings.TrimPrefix(l, "data:"))
			case strings.HasPrefix(l, "data:"):
				c.events <- strings.TrimSpace(strings.TrimPrefix(l, "data:"))
			}
		}
	}()
	select {
	case e := <-endpoint:
		c.endpoint = base + e
	case <-time.After(10 * time.Second):
		t.Fatal("no endpoint event")
	}
	return c
}

func (c *sseClient) post(t *testing.T, body string) int {
	t.Helper()
	return postTo(t, c.endpoint, body)
}

func postTo(t *testing.T, url, body string) int {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func (c *sseClient) waitEnded(t *testing.T, what string) {
	t.Helper()
	select {
	case <-c.ended:
	case <-time.After(20 * time.Second):
		t.Fatalf("%s: the server did not close the stream", what)
	}
}

// The legacy SSE transport of the built binary serves a session only while
// its stream is open and the server holds it: a forged id, or the id of a
// stream that ended (closed by the client, evicted, idle), is refused (400,
// mcp-go's "Invalid session ID"); at most MCP_MAX_SESSIONS streams are open
// (a new one closes the least recently used) and one without a POST for
// MCP_SESSION_IDLE_TIMEOUT is closed.
func TestSSESessionsAreBoundedAndExpire(t *testing.T) {
	t.Run("forged, closed, evicted", func(t *testing.T) {
		srv := servertest.Start(t, []string{"INSTANTLY_DEMO=1", "LOG_LEVEL=info", "MCP_MAX_SESSIONS=2"}, "-transport", "sse")
		base := srv.Base
		stderr := srv.Log

		a := openSSE(t, base)
		if s := a.post(t, initBody); s != http.StatusAccepted {
			t.Fatalf("initialize: %d", s)
		}
		select {
		case ev := <-a.events:
			if !strings.Contains(ev, `"id":1`) || !strings.Contains(ev, "protocolVersion") {
				t.Fatalf("initialize answer: %s", ev)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no initialize answer")
		}
		id := a.endpoint[strings.Index(a.endpoint, "sessionId=")+len("sessionId="):]
		for name, url := range map[string]string{
			"forged id":           base + "/message?sessionId=ABCDEFGHIJKLMNOPQRSTUVWXYZ",
			"one character other": base + "/message?sessionId=" + id[:len(id)-1] + flip(id[len(id)-1]),
		} {
			if s := postTo(t, url, pingBody); s != http.StatusBadRequest {
				t.Errorf("%s: %d, want 400", name, s)
			}
		}
		if s := a.post(t, pingBody); s != http.StatusAccepted {
			t.Fatalf("ping on the live stream: %d", s)
		}

		// With MCP_MAX_SESSIONS=2 and both streams in use, a third is
		// refused (a JSON-RPC 503) instead of closing a, which goes on.
		b := openSSE(t, base)
		resp, err := http.Get(base + "/sse")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), `"jsonrpc":"2.0"`) {
			t.Fatalf("third stream: %d %s, want a JSON-RPC 503", resp.StatusCode, body)
		}
		for _, x := range []*sseClient{a, b} {
			if s := x.post(t, pingBody); s != http.StatusAccepted {
				t.Errorf("open stream: %d, want 202", s)
			}
		}

		// A stream the client closed: its id is refused once the server
		// has seen it end (the access log lines of the refused stream and
		// of this one).
		b.cancel()
		if stderr.WaitFor(regexp.MustCompile(`(?s)(method=GET path=/sse.*){2}`), 10*time.Second) == nil {
			t.Fatalf("no access log line for the closed streams:\n%s", stderr.String())
		}
		if s := b.post(t, pingBody); s != http.StatusBadRequest {
			t.Errorf("closed stream's id: %d, want 400", s)
		}
		if s := a.post(t, pingBody); s != http.StatusAccepted {
			t.Errorf("the other stream: %d, want 202", s)
		}
	})
	t.Run("idle", func(t *testing.T) {
		addr := servertest.Start(t, []string{"INSTANTLY_DEMO=1", "LOG_LEVEL=warn", "MCP_SESSION_IDLE_TIMEOUT=1s"}, "-transport", "sse").Addr
		a := openSSE(t, "http://"+addr)
		start := time.Now()
		if s := a.post(t, initBody); s != http.StatusAccepted {
			t.Fatalf("initialize: %d", s)
		}
		a.waitEnded(t, "idle stream")
		if d := time.Since(start); d < time.Second {
			t.Errorf("closed after %v, before the idle timeout of 1s", d)
		}
		if s := a.post(t, pingBody); s != http.StatusBadRequest {
			t.Errorf("idle stream's id: %d, want 400", s)
		}
	})
}

// MCP_MAX_SESSIONS=5 against the binary: five new initializes do not push
// out a client in use; the one over the limit gets a JSON-RPC 503 and the
// first client goes on calling.
func TestMaxSessionsKeepsClientsInUse(t *testing.T) {
	srv := servertest.StartHTTP(t, map[string]string{"INSTANTLY_DEMO": "true", "LOG_LEVEL": "warn", "MCP_MAX_SESSIONS": "5"})
	first := servertest.NewSession(t, srv)
	first.Call(t, instantlytest.DemoCampaigns[0].ID)
	for range 4 {
		servertest.NewSession(t, srv)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.Base+"/mcp", strings.NewReader(`{"jsonrpc":"2.0","id":0,"method":"initialize",`+
		`"params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"sixth","version":"1"}}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := srv.HC.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), `"jsonrpc":"2.0"`) {
		t.Fatalf("sixth initialize: %d %s", resp.StatusCode, body)
	}
	first.Call(t, instantlytest.DemoCampaigns[0].ID) // still its session
}
