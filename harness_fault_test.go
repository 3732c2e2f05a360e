package main

// Shared harness of the fault-injection tests (*_fault_test.go): the whole
// server, started through run() exactly as main does, over streamable HTTP or
// stdio; a raw MCP client that can send any bytes; a fake Instantly whose
// behaviour a test switches at run time; and the after-each checks (the next
// call is answered correctly, the heap is bounded, no goroutine leaks).

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
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
	ftHeadline = "019a0000-0000-7000-8000-000000000001" // account_daily_limit_met
	ftProto    = "2025-11-25"
)

// ftBuf is a goroutine-safe log sink.
type ftBuf struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changed chan struct{} // closed on the next Write, for waitFor
}

func (b *ftBuf) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.changed != nil {
		close(b.changed)
		b.changed = nil
	}
	return b.b.Write(p)
}

func (b *ftBuf) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// waitFor waits until what was written matches re (a log line that says the
// server is ready, say) and returns the match, or nil after d. It wakes on
// each write: no polling, no sleep.
func (b *ftBuf) waitFor(re *regexp.Regexp, d time.Duration) []string {
	deadline := time.After(d)
	for {
		b.mu.Lock()
		if m := re.FindStringSubmatch(b.b.String()); m != nil {
			b.mu.Unlock()
			return m
		}
		if b.changed == nil {
			b.changed = make(chan struct{})
		}
		ch := b.changed
		b.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			return nil
		}
	}
}

// listeningRe matches the line the server prints when -addr asks the system
// for a port ("127.0.0.1:0").
var listeningRe = regexp.MustCompile(`instantly-status-mcp: listening on (\S+)\n`)

// ftUpstream is a fake Instantly: the demo workspace, unless a fault handler
// is set.
type ftUpstream struct {
	srv     *httptest.Server
	healthy http.Handler
	fault   atomic.Pointer[http.HandlerFunc]
	hits    atomic.Int64
	stop    chan struct{} // closed on Close: releases stalled handlers
	once    sync.Once
}

func ftNewUpstream(t *testing.T) *ftUpstream {
	t.Helper()
	u := &ftUpstream{
		healthy: instantlytest.NewHandler(instantlytest.DemoWorkspace(time.Now()), instantlytest.WithMaxRecorded(0)),
		stop:    make(chan struct{}),
	}
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.hits.Add(1)
		if f := u.fault.Load(); f != nil {
			(*f)(w, r)
			return
		}
		u.healthy.ServeHTTP(w, r)
	}))
	return u
}

func (u *ftUpstream) setFault(f http.HandlerFunc) {
	if f == nil {
		u.fault.Store(nil)
		return
	}
	u.fault.Store(&f)
}

func (u *ftUpstream) Close() {
	u.once.Do(func() {
		close(u.stop)
		u.srv.CloseClientConnections()
		u.srv.Close()
	})
}

// ftServer is the server under test, running in this process.
type ftServer struct {
	addr   string
	base   string
	cancel context.CancelFunc
	done   chan int
	log    *ftBuf
	hc     *http.Client
	stdin  *io.PipeWriter // stdio only
	stdout *bufio.Reader  // stdio only
}

// ftStartHTTP runs the server with -transport http on a port the system
// picks and waits for the line that names it.
func ftStartHTTP(t *testing.T, environ map[string]string, extra ...string) *ftServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &ftServer{
		cancel: cancel, done: make(chan int, 1), log: &ftBuf{},
		hc: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 30 * time.Second},
	}
	args := append([]string{"-transport", "http", "-addr", "127.0.0.1:0"}, extra...)
	go func() { s.done <- run(ctx, args, environ, strings.NewReader(""), io.Discard, s.log) }()
	m := s.log.waitFor(listeningRe, 10*time.Second)
	if m == nil {
		cancel()
		t.Fatalf("server did not say where it listens in 10s:\n%s", s.log.String())
	}
	s.addr = m[1]
	s.base = "http://" + s.addr
	return s
}

// ftStartStdio runs the server over stdio on pipes.
func ftStartStdio(t *testing.T, environ map[string]string, extra ...string) *ftServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := &ftServer{cancel: cancel, done: make(chan int, 1), log: &ftBuf{}, stdin: inW,
		stdout: bufio.NewReaderSize(outR, 1<<20)}
	go func() {
		code := run(ctx, extra, environ, inR, outW, s.log)
		_ = outW.Close()
		_ = inR.Close()
		s.done <- code
	}()
	return s
}

// stop ends the server (closing stdin for stdio, as a client does, else
// cancelling its context as SIGTERM does) and waits for run to return.
func (s *ftServer) stop(t *testing.T) {
	t.Helper()
	if s.stdin != nil {
		_ = s.stdin.Close()
		// Drain what is left so no writer blocks on the pipe.
		go func() { _, _ = io.Copy(io.Discard, s.stdout) }()
	} else {
		// Idle keep-alive connections first: one the client dialled but
		// never used is StateNew to the server, which http.Server.Shutdown
		// waits up to 5 s for.
		s.hc.CloseIdleConnections()
		s.cancel()
	}
	select {
	case code := <-s.done:
		if code != exitOK {
			t.Errorf("server exited %d:\n%s", code, s.log.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("server did not stop within 20s:\n%s", s.log.String())
	}
	s.cancel()
	if s.hc != nil {
		s.hc.CloseIdleConnections()
	}
}

// ftResp is one JSON-RPC response.
type ftResp struct {
	ID     json.RawMessage `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	raw []byte
}

// ftParse checks that b is one valid, UTF-8, JSON-RPC 2.0 response.
func ftParse(b []byte) (ftResp, error) {
	var r ftResp
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
	r.raw = b
	if (r.Result == nil) == (r.Error == nil) {
		return r, fmt.Errorf("response must hold exactly one of result and error: %.300s", b)
	}
	if r.Error != nil && strings.Contains(r.Error.Message, "internal panic") {
		return r, fmt.Errorf("a handler panicked: %.300s", b)
	}
	return r, nil
}

// ftSession is a raw streamable-HTTP MCP client. Its methods that take no
// *testing.T may be used from any goroutine.
type ftSession struct {
	s   *ftServer
	sid string
	id  atomic.Int64
}

// post sends body to /mcp and returns the status, content type and body.
func (c *ftSession) post(body []byte) (int, string, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, c.s.base+"/mcp", bytes.NewReader(body))
	if err != nil {
		return 0, "", nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if c.sid != "" {
		req.Header.Set("Mcp-Session-Id", c.sid)
		req.Header.Set("Mcp-Protocol-Version", ftProto)
	}
	resp, err := c.s.hc.Do(req)
	if err != nil {
		return 0, "", nil, fmt.Errorf("POST /mcp: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, "", nil, fmt.Errorf("reading the answer: %w", err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), b, nil
}

// ftSSEData returns the JSON-RPC responses of an SSE body.
func ftSSEData(b []byte) [][]byte {
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

// rawRPC posts body and returns the single JSON-RPC response in the answer
// (plain JSON or SSE), checked with ftParse, plus the HTTP status.
func (c *ftSession) rawRPC(body []byte) (int, ftResp, error) {
	status, ctype, b, err := c.post(body)
	if err != nil {
		return 0, ftResp{}, err
	}
	if strings.HasPrefix(ctype, "text/event-stream") {
		evs := ftSSEData(b)
		if len(evs) != 1 {
			return status, ftResp{}, fmt.Errorf("SSE answer with %d responses: %.300q", len(evs), b)
		}
		b = evs[0]
	}
	r, err := ftParse(b)
	return status, r, err
}

// do sends one request with a fresh numeric id and checks the id comes back.
func (c *ftSession) do(method string, params any) (ftResp, error) {
	id := c.id.Add(1)
	msg := map[string]any{"jsonrpc": "2.0", "id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	body, err := json.Marshal(msg)
	if err != nil {
		return ftResp{}, err
	}
	status, r, err := c.rawRPC(body)
	if err != nil {
		return r, fmt.Errorf("%s: %w", method, err)
	}
	if status != http.StatusOK {
		return r, fmt.Errorf("%s: HTTP %d: %.300s", method, status, r.raw)
	}
	if string(r.ID) != strconv.FormatInt(id, 10) {
		return r, fmt.Errorf("%s: answered id %s, want %d", method, r.ID, id)
	}
	return r, nil
}

func (c *ftSession) rpc(t *testing.T, method string, params any) ftResp {
	t.Helper()
	r, err := c.do(method, params)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// ftSessionFor initializes a session (no session id in -stateless mode).
func ftSessionFor(t *testing.T, s *ftServer) *ftSession {
	t.Helper()
	c := &ftSession{s: s}
	body := []byte(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"` + ftProto +
		`","capabilities":{},"clientInfo":{"name":"fault-test","version":"1"}}}`)
	req, err := http.NewRequest(http.MethodPost, s.base+"/mcp", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := s.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("initialize: HTTP %d %s", resp.StatusCode, b)
	}
	c.sid = resp.Header.Get("Mcp-Session-Id") // "" in -stateless mode
	status, _, b, err := c.post([]byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}`))
	if err != nil || (status != http.StatusAccepted && status != http.StatusOK) {
		t.Fatalf("notifications/initialized: %v HTTP %d %s", err, status, b)
	}
	return c
}

// ftToolResult is the part of a tools/call result the tests read.
type ftToolResult struct {
	IsError           bool `json:"isError"`
	Content           []struct{ Type, Text string }
	StructuredContent *struct {
		Analysis struct{ ID, Status, Severity string }
	} `json:"structuredContent"`
}

func (r ftToolResult) text() string {
	var b strings.Builder
	for _, c := range r.Content {
		b.WriteString(c.Text)
	}
	return b.String()
}

func ftDecodeTool(r ftResp) (ftToolResult, error) {
	var res ftToolResult
	if r.Error != nil {
		return res, fmt.Errorf("tools/call answered with a JSON-RPC error, want a tool result: %.300s", r.raw)
	}
	if err := json.Unmarshal(r.Result, &res); err != nil {
		return res, fmt.Errorf("tools/call result: %v: %.300s", err, r.raw)
	}
	if strings.Contains(res.text(), "Internal error in ") {
		// tools.recoverPanics kept the server up, but a handler panicked.
		return res, fmt.Errorf("a tool handler panicked: %q", res.text())
	}
	return res, nil
}

// tryCall calls get_campaign_sending_status for id.
func (c *ftSession) tryCall(id string) (ftToolResult, error) {
	r, err := c.do("tools/call", map[string]any{
		"name": "get_campaign_sending_status", "arguments": map[string]any{"id": id},
	})
	if err != nil {
		return ftToolResult{}, err
	}
	return ftDecodeTool(r)
}

func (c *ftSession) call(t *testing.T, id string) ftToolResult {
	t.Helper()
	res, err := c.tryCall(id)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// ftExpectHealthy checks the server answers the headline campaign correctly.
func ftExpectHealthy(t *testing.T, res ftToolResult) {
	t.Helper()
	if res.IsError || res.StructuredContent == nil {
		t.Fatalf("the next call is not answered correctly: isError=%v %q", res.IsError, res.text())
	}
	if a := res.StructuredContent.Analysis; a.ID != ftHeadline || a.Status != "account_daily_limit_met" || a.Severity != "waiting" {
		t.Fatalf("the next call got the wrong analysis: %+v", a)
	}
}

// ftHeap is the live heap after two GCs.
func ftHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// ftHeapBound fails when the heap grew by more than limit since base.
func ftHeapBound(t *testing.T, base, limit uint64, what string) {
	t.Helper()
	if h := ftHeap(); h > base+limit {
		t.Errorf("%s: heap in use %d MiB after GC, started at %d MiB (bound +%d MiB)", what, h>>20, base>>20, limit>>20)
	}
}

// ftCheckLeaks waits for the goroutines started since ignore to end.
func ftCheckLeaks(t *testing.T, ignore goleak.Option) {
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

// ftNoSecret fails when secret appears in any of the texts.
func ftNoSecret(t *testing.T, secret string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(s, secret) {
			i := strings.Index(s, secret)
			t.Fatalf("API key leaked: …%s…", s[max(0, i-120):min(len(s), i+len(secret)+40)])
		}
	}
}

func ftKey(name string) string { return fmt.Sprintf("sk_fault_%s_7Qm2xV9pL4", name) }
