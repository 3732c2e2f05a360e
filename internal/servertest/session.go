package servertest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"go.uber.org/goleak"

	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

const (
	// Headline is the demo campaign the checks call: account_daily_limit_met.
	Headline = "019a0000-0000-7000-8000-000000000001"
	// Proto is the MCP protocol version the raw clients speak.
	Proto = "2025-11-25"
)

// Upstream is a fake Instantly: the demo workspace, unless a fault handler
// is set.
type Upstream struct {
	URL     string
	srv     *httptest.Server
	healthy http.Handler
	fault   atomic.Pointer[http.HandlerFunc]
	once    sync.Once
}

// NewUpstream starts an Upstream; Close it when done.
func NewUpstream(t testing.TB) *Upstream {
	t.Helper()
	u := &Upstream{healthy: instantlytest.NewHandler(instantlytest.DemoWorkspace(time.Now()), instantlytest.WithMaxRecorded(0))}
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f := u.fault.Load(); f != nil {
			(*f)(w, r)
			return
		}
		u.healthy.ServeHTTP(w, r)
	}))
	u.URL = u.srv.URL
	return u
}

// SetFault makes f answer every request (nil: the demo workspace again).
func (u *Upstream) SetFault(f http.HandlerFunc) {
	if f == nil {
		u.fault.Store(nil)
		return
	}
	u.fault.Store(&f)
}

func (u *Upstream) Close() {
	u.once.Do(func() {
		u.srv.CloseClientConnections()
		u.srv.Close()
	})
}

// Resp is one JSON-RPC response.
type Resp struct {
	ID     json.RawMessage `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Raw []byte `json:"-"`
}

// Parse checks that b is one valid, UTF-8, JSON-RPC 2.0 response.
func Parse(b []byte) (Resp, error) {
	var r Resp
	if !utf8.Valid(b) {
		bad := 0
		for bad < len(b) {
			r, n := utf8.DecodeRune(b[bad:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			bad += n
		}
		return r, fmt.Errorf("response is not valid UTF-8 (at byte %d: %q): %.200q", bad, b[max(0, bad-80):min(len(b), bad+40)], b)
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(b, &env); err != nil {
		return r, fmt.Errorf("response is not a JSON object: %v: %.300q", err, b)
	}
	if string(env["jsonrpc"]) != `"2.0"` {
		return r, fmt.Errorf("response without jsonrpc 2.0: %.300s", b)
	}
	_ = json.Unmarshal(b, &r)
	r.Raw = b
	if (r.Result == nil) == (r.Error == nil) {
		return r, fmt.Errorf("response must hold exactly one of result and error: %.300s", b)
	}
	if r.Error != nil && strings.Contains(r.Error.Message, "internal panic") {
		return r, fmt.Errorf("a handler panicked: %.300s", b)
	}
	return r, nil
}

// SSEData returns the JSON-RPC responses of an SSE body.
func SSEData(b []byte) [][]byte {
	var out [][]byte
	for _, ev := range bytes.Split(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\n\n")) {
		var data []byte
		for _, line := range bytes.Split(ev, []byte("\n")) {
			if d, ok := bytes.CutPrefix(line, []byte("data:")); ok {
				data = append(data, bytes.TrimPrefix(d, []byte(" "))...)
			}
		}
		if len(data) > 0 && bytes.Contains(data, []byte(`"id"`)) && (bytes.Contains(data, []byte(`"result"`)) || bytes.Contains(data, []byte(`"error"`))) {
			out = append(out, data)
		}
	}
	return out
}

// Session is a raw streamable-HTTP MCP client. Its methods that take no
// testing.TB may be used from any goroutine.
type Session struct {
	s   *Server
	sid string
	id  atomic.Int64
}

// Post sends body to /mcp and returns the status, content type and body.
func (c *Session) Post(body []byte) (int, string, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, c.s.Base+"/mcp", bytes.NewReader(body))
	if err != nil {
		return 0, "", nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if c.sid != "" {
		req.Header.Set("Mcp-Session-Id", c.sid)
		req.Header.Set("Mcp-Protocol-Version", Proto)
	}
	// Which connection carried it, for the error: a failure on a reused
	// keep-alive connection reads differently from one on a new one.
	var conn string
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		GotConn: func(ci httptrace.GotConnInfo) {
			conn = fmt.Sprintf("connection %s reused=%v idle=%v", ci.Conn.LocalAddr(), ci.Reused, ci.IdleTime)
		},
	}))
	resp, err := c.s.HC.Do(req)
	if err != nil {
		return 0, "", nil, fmt.Errorf("POST /mcp: %w (%s)", err, conn)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, "", nil, fmt.Errorf("reading the answer: %w", err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), b, nil
}

// RawRPC posts body and returns the single JSON-RPC response in the answer
// (plain JSON or SSE), checked with Parse, plus the HTTP status.
func (c *Session) RawRPC(body []byte) (int, Resp, error) {
	status, ctype, b, err := c.Post(body)
	if err != nil {
		return 0, Resp{}, err
	}
	if strings.HasPrefix(ctype, "text/event-stream") {
		evs := SSEData(b)
		if len(evs) != 1 {
			return status, Resp{}, fmt.Errorf("SSE answer with %d responses: %.300q", len(evs), b)
		}
		b = evs[0]
	}
	r, err := Parse(b)
	return status, r, err
}

// Do sends one request with a fresh numeric id and checks the id comes back.
func (c *Session) Do(method string, params any) (Resp, error) {
	id := c.id.Add(1)
	msg := map[string]any{"jsonrpc": "2.0", "id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return Resp{}, err
	}
	status, r, err := c.RawRPC(body)
	if err != nil {
		return r, fmt.Errorf("%s: %w", method, err)
	}
	if status != http.StatusOK {
		return r, fmt.Errorf("%s: HTTP %d: %.300s", method, status, r.Raw)
	}
	if string(r.ID) != strconv.FormatInt(id, 10) {
		return r, fmt.Errorf("%s: answered id %s, want %d", method, r.ID, id)
	}
	return r, nil
}

// NewSession initializes a session (no session id in -stateless mode).
func NewSession(t testing.TB, s *Server) *Session {
	t.Helper()
	c := &Session{s: s}
	body := []byte(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"` + Proto +
		`","capabilities":{},"clientInfo":{"name":"fault-test","version":"1"}}}`)
	req, err := http.NewRequest(http.MethodPost, s.Base+"/mcp", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := s.HC.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("initialize: HTTP %d %s", resp.StatusCode, b)
	}
	c.sid = resp.Header.Get("Mcp-Session-Id") // "" in -stateless mode
	status, _, b, err := c.Post([]byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}`))
	if err != nil || (status != http.StatusAccepted && status != http.StatusOK) {
		t.Fatalf("notifications/initialized: %v HTTP %d %s", err, status, b)
	}
	return c
}

// ToolResult is the part of a tools/call result the tests read.
type ToolResult struct {
	IsError           bool `json:"isError"`
	Content           []struct{ Type, Text string }
	StructuredContent *struct {
		Analysis struct{ ID, Status, Severity string }
	} `json:"structuredContent"`
}

// Text is the result's text content.
func (r ToolResult) Text() string {
	var b strings.Builder
	for _, c := range r.Content {
		b.WriteString(c.Text)
	}
	return b.String()
}

// DecodeTool reads a tools/call response; a JSON-RPC error or a handler
// that panicked is an error.
func DecodeTool(r Resp) (ToolResult, error) {
	var res ToolResult
	if r.Error != nil {
		return res, fmt.Errorf("tools/call answered with a JSON-RPC error, want a tool result: %.300s", r.Raw)
	}
	if err := json.Unmarshal(r.Result, &res); err != nil {
		return res, fmt.Errorf("tools/call result: %v: %.300s", err, r.Raw)
	}
	if strings.Contains(res.Text(), "Internal error in ") {
		// tools.recoverPanics kept the server up, but a handler panicked.
		return res, fmt.Errorf("a tool handler panicked: %q", res.Text())
	}
	return res, nil
}

// TryCall calls get_campaign_sending_status for id.
func (c *Session) TryCall(id string) (ToolResult, error) {
	r, err := c.Do("tools/call", map[string]any{
		"name": "get_campaign_sending_status", "arguments": map[string]any{"id": id},
	})
	if err != nil {
		return ToolResult{}, err
	}
	return DecodeTool(r)
}

// Call is TryCall that fails the test on an error.
func (c *Session) Call(t testing.TB, id string) ToolResult {
	t.Helper()
	res, err := c.TryCall(id)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// ExpectHealthy checks the server answered the Headline campaign correctly.
func ExpectHealthy(t testing.TB, res ToolResult) {
	t.Helper()
	if res.IsError || res.StructuredContent == nil {
		t.Fatalf("the next call is not answered correctly: isError=%v %q", res.IsError, res.Text())
	}
	if a := res.StructuredContent.Analysis; a.ID != Headline || a.Status != "account_daily_limit_met" || a.Severity != "waiting" {
		t.Fatalf("the next call got the wrong analysis: %+v", a)
	}
}

// CheckLeaks waits for the goroutines of this process started since ignore
// to end.
func CheckLeaks(t testing.TB, ignore goleak.Option) {
	t.Helper()
	// goleak retries for about a second; connections being torn down can
	// take a little longer on a loaded machine.
	var err error
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		if err = goleak.Find(ignore); err == nil {
			return
		}
	}
	t.Errorf("goroutine leak: %v", err)
}

// NoSecret fails when secret appears in any of the texts.
func NoSecret(t testing.TB, secret string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(s, secret) {
			i := strings.Index(s, secret)
			t.Fatalf("API key leaked: …%s…", s[max(0, i-120):min(len(s), i+len(secret)+40)])
		}
	}
}

// Key is a recognisable fake API key for a test.
func Key(name string) string { return fmt.Sprintf("sk_fault_%s_7Qm2xV9pL4", name) }
