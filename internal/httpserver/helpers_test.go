package httpserver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"go.uber.org/goleak"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fixture is a small MCP server: "whoami" reports (a hash of) the Instantly
// key it saw, "block" waits until released; hooks count MCP messages and
// sessions so tests can tell whether a request reached MCP processing.
type fixture struct {
	mcp      *server.MCPServer
	messages atomic.Int64
	sessions atomic.Int64
	entered  chan struct{}
	release  chan struct{}
}

func newFixture() *fixture {
	f := &fixture{entered: make(chan struct{}, 64), release: make(chan struct{})}
	hooks := &server.Hooks{}
	hooks.AddBeforeAny(func(context.Context, any, mcp.MCPMethod, any) { f.messages.Add(1) })
	hooks.AddOnRegisterSession(func(context.Context, server.ClientSession) { f.sessions.Add(1) })
	f.mcp = server.NewMCPServer("httpserver-test", "1.0.0",
		server.WithHooks(hooks), server.WithToolCapabilities(false), server.WithPromptCapabilities(false))
	f.mcp.AddTool(mcp.NewTool("whoami", mcp.WithDescription("reports which Instantly key the call saw")),
		func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			leak := ""
			if req.Header.Get("Authorization") != "" || req.Header.Get(HeaderAPIKey) != "" {
				leak = " (credential headers visible to the tool)"
			}
			key, ok := instantly.APIKeyFromContext(ctx)
			if !ok {
				return mcp.NewToolResultText("nokey" + leak), nil
			}
			return mcp.NewToolResultText(keyID(key) + leak), nil
		})
	f.mcp.AddTool(mcp.NewTool("block", mcp.WithDescription("blocks until released")),
		func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			f.entered <- struct{}{}
			select {
			case <-f.release:
				return mcp.NewToolResultText("released"), nil
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		})
	f.mcp.AddPrompt(mcp.NewPrompt("hello", mcp.WithPromptDescription("says hello")),
		func(context.Context, mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return mcp.NewGetPromptResult("hello", []mcp.PromptMessage{
				mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent("hello")),
			}), nil
		})
	return f
}

// keyID identifies a key without revealing it.
func keyID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "key:" + hex.EncodeToString(sum[:8])
}

type variant struct {
	name      string
	transport string
	stateless bool
}

var variants = []variant{
	{"http", TransportHTTP, false},
	{"http-stateless", TransportHTTP, true},
	{"sse", TransportSSE, false},
}

func (v variant) config() Config {
	return Config{Transport: v.transport, Stateless: v.stateless}
}

func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// startTest serves s.Handler() with httptest; returns the base URL.
func startTest(t *testing.T, f *fixture, cfg Config) (*Server, string) {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = quietLogger()
	}
	s, err := New(f.mcp, cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts.URL
}

// startServe runs s.Serve on a loopback listener; returns the base URL, the
// cancel func that triggers shutdown and the channel Serve's result lands on.
func startServe(t *testing.T, f *fixture, cfg Config, tweak func(*Server)) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = quietLogger()
	}
	s, err := New(f.mcp, cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if tweak != nil {
		tweak(s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		errc <- s.Serve(ctx, ln)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("Serve did not return")
		}
	})
	return "http://" + ln.Addr().String(), cancel, errc
}

type callKey struct{}

// headersFromCtx sends the per-call key stored in the request context.
func headersFromCtx(ctx context.Context) map[string]string {
	if k, ok := ctx.Value(callKey{}).(string); ok {
		return map[string]string{HeaderAPIKey: k}
	}
	return nil
}

// connect opens and initializes an MCP client (protocol 2025-11-25) for
// kind "http" or "sse". startCtx only matters for SSE (the GET stream's
// context, including values seen by headersFromCtx).
func connect(t *testing.T, kind, base string, headers map[string]string, startCtx context.Context, opts ...transport.StreamableHTTPCOption) *client.Client {
	t.Helper()
	c, err := dial(kind, base, headers, startCtx, opts...)
	if err != nil {
		t.Fatalf("connect %s: %v", kind, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	req.Params.ClientInfo = mcp.Implementation{Name: "test", Version: "1"}
	res, err := c.Initialize(ctx, req)
	if err != nil {
		t.Fatalf("initialize (%s): %v", kind, err)
	}
	if res.ProtocolVersion != mcp.ProtocolVersion20251125 {
		t.Fatalf("negotiated %q, want %q", res.ProtocolVersion, mcp.ProtocolVersion20251125)
	}
	return c
}

func dial(kind, base string, headers map[string]string, startCtx context.Context, opts ...transport.StreamableHTTPCOption) (*client.Client, error) {
	if startCtx == nil {
		startCtx = context.Background()
	}
	var (
		c   *client.Client
		err error
	)
	switch kind {
	case "sse":
		c, err = client.NewSSEMCPClient(base+"/sse", client.WithHeaders(headers), client.WithHeaderFunc(headersFromCtx),
			transport.WithSSELogger(quietLogger()))
	default:
		opts = append([]transport.StreamableHTTPCOption{
			transport.WithHTTPHeaders(headers), transport.WithHTTPHeaderFunc(headersFromCtx),
			transport.WithHTTPLogger(quietLogger()),
		}, opts...)
		c, err = client.NewStreamableHttpClient(base+"/mcp", opts...)
	}
	if err != nil {
		return nil, err
	}
	if err := c.Start(startCtx); err != nil {
		_ = c.Close()
		return nil, err
	}
	return c, nil
}

func kindOf(v variant) string {
	if v.transport == TransportSSE {
		return "sse"
	}
	return "http"
}

// callTool calls name with an optional per-call key and returns its text.
func callTool(ctx context.Context, c *client.Client, name, key string) (string, error) {
	if key != "" {
		ctx = context.WithValue(ctx, callKey{}, key)
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	res, err := c.CallTool(ctx, req)
	if err != nil {
		return "", err
	}
	if res.IsError || len(res.Content) == 0 {
		return "", &toolError{res}
	}
	return mcp.GetTextFromContent(res.Content[0]), nil
}

type toolError struct{ res *mcp.CallToolResult }

func (e *toolError) Error() string {
	if len(e.res.Content) > 0 {
		return "tool error: " + mcp.GetTextFromContent(e.res.Content[0])
	}
	return "tool error"
}

func mustCall(t *testing.T, c *client.Client, name, key string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := callTool(ctx, c, name, key)
	if err != nil {
		t.Fatalf("call %s: %v", name, err)
	}
	return out
}

type rawResponse struct {
	status int
	header http.Header
	body   string
}

// raw sends one HTTP request outside any MCP client.
func raw(t *testing.T, method, url string, hdr map[string]string, body io.Reader) rawResponse {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return rawResponse{resp.StatusCode, resp.Header, string(b)}
}

const initBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`

func jsonHeaders(extra map[string]string) map[string]string {
	h := map[string]string{"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
	for k, v := range extra {
		h[k] = v
	}
	return h
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor polls cond for up to d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// repeatReader yields n bytes of 'a' and hides its length, so a request
// built from it is sent chunked.
type repeatReader struct{ n int }

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n)
	for i := range p[:k] {
		p[i] = 'a'
	}
	r.n -= k
	return k, nil
}
