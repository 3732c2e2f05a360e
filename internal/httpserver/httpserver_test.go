package httpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
)

// Each transport through a real MCP client: initialize, tools/list,
// tools/call, prompts/list.
func TestTransportsEndToEnd(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			f := newFixture()
			_, base := startTest(t, f, v.config())
			c := connect(t, kindOf(v), base, map[string]string{HeaderAPIKey: "k-static"}, nil)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()

			tl, err := c.ListTools(ctx, mcp.ListToolsRequest{})
			if err != nil {
				t.Fatalf("tools/list: %v", err)
			}
			var names []string
			for _, tool := range tl.Tools {
				names = append(names, tool.Name)
			}
			if !contains(names, "whoami") || !contains(names, "block") {
				t.Fatalf("tools/list = %v", names)
			}
			if got := mustCall(t, c, "whoami", ""); got != keyID("k-static") {
				t.Fatalf("whoami = %q, want %q", got, keyID("k-static"))
			}
			pl, err := c.ListPrompts(ctx, mcp.ListPromptsRequest{})
			if err != nil {
				t.Fatalf("prompts/list: %v", err)
			}
			if len(pl.Prompts) != 1 || pl.Prompts[0].Name != "hello" {
				t.Fatalf("prompts/list = %+v", pl.Prompts)
			}
		})
	}
}

// mcp-go clients negotiate protocol 2026-07-28 first when not pinned; that
// path (server/discover, no sessions) must work through the middleware too.
func TestStreamableModernProtocolNegotiation(t *testing.T) {
	for _, stateless := range []bool{false, true} {
		t.Run(fmt.Sprint("stateless=", stateless), func(t *testing.T) {
			f := newFixture()
			_, base := startTest(t, f, Config{Stateless: stateless})
			c, err := dial("http", base, map[string]string{HeaderAPIKey: "k1"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, err := c.Initialize(ctx, mcp.InitializeRequest{}); err != nil {
				t.Fatalf("initialize: %v", err)
			}
			if got := mustCall(t, c, "whoami", "k2"); got != keyID("k2") {
				t.Fatalf("whoami = %q", got)
			}
		})
	}
}

func TestStatelessHasNoSessionsAndNoGETStream(t *testing.T) {
	f := newFixture()
	_, base := startTest(t, f, Config{Stateless: true})
	r := raw(t, "POST", base+"/mcp", jsonHeaders(nil), strings.NewReader(initBody))
	if r.status != http.StatusOK {
		t.Fatalf("initialize: %d %s", r.status, r.body)
	}
	if id := r.header.Get("Mcp-Session-Id"); id != "" {
		t.Fatalf("stateless server issued session id %q", id)
	}
	g := raw(t, "GET", base+"/mcp", map[string]string{"Accept": "text/event-stream"}, nil)
	if g.status != http.StatusMethodNotAllowed {
		t.Fatalf("GET /mcp in stateless mode: %d, want 405", g.status)
	}
}

func TestOrigin(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			f := newFixture()
			cfg := v.config()
			cfg.AllowedOrigins = []string{"https://app.example.com/"}
			_, base := startTest(t, f, cfg)

			refused := []string{"https://evil.example", "http://localhost.evil.example", "null", "http://127.0.0.1.nip.io", "https://app.example.com:444", ""}
			for _, o := range refused {
				msgs, sess := f.messages.Load(), f.sessions.Load()
				var r rawResponse
				if v.transport == TransportSSE {
					r = raw(t, "GET", base+"/sse", map[string]string{"Origin": o}, nil)
				} else {
					r = raw(t, "POST", base+"/mcp", jsonHeaders(map[string]string{"Origin": o}), strings.NewReader(initBody))
				}
				if r.status != http.StatusForbidden {
					t.Fatalf("Origin %q: status %d, want 403", o, r.status)
				}
				assertJSONRPCError(t, r.body, -32600)
				if f.messages.Load() != msgs || f.sessions.Load() != sess {
					t.Fatalf("Origin %q: MCP processing ran", o)
				}
			}
			if v.transport == TransportSSE {
				// The message endpoint is guarded too.
				r := raw(t, "POST", base+"/message?sessionId=x", jsonHeaders(map[string]string{"Origin": "https://evil.example"}), strings.NewReader(initBody))
				if r.status != http.StatusForbidden {
					t.Fatalf("POST /message with bad Origin: %d", r.status)
				}
			}

			allowed := []string{"", "http://localhost", "http://localhost:6274", "https://127.0.0.1:8443", "http://[::1]:3000", "HTTPS://APP.EXAMPLE.COM"}
			for _, o := range allowed {
				h := map[string]string{}
				if o != "" {
					h["Origin"] = o
				}
				c := connect(t, kindOf(v), base, h, nil)
				if got := mustCall(t, c, "whoami", ""); got != "nokey" {
					t.Fatalf("whoami = %q", got)
				}
			}
		})
	}
}

func TestOriginWildcard(t *testing.T) {
	f := newFixture()
	_, base := startTest(t, f, Config{AllowedOrigins: []string{"*"}})
	r := raw(t, "POST", base+"/mcp", jsonHeaders(map[string]string{"Origin": "https://anything.example"}), strings.NewReader(initBody))
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
}

func TestInvalidAllowedOrigin(t *testing.T) {
	for _, o := range []string{"app.example.com", "https://app.example.com/path", "https://", "https://u@h", "ftp://app.example.com"} {
		if _, err := New(newFixture().mcp, Config{AllowedOrigins: []string{o}, Logger: quietLogger()}); err == nil {
			t.Errorf("AllowedOrigins %q accepted", o)
		}
	}
}

// Loopback origins pass with an empty allow-list; anything not exactly
// http(s)://loopback-host[:port] does not.
func TestLoopbackOrigins(t *testing.T) {
	p, err := newOriginPolicy(nil)
	if err != nil {
		t.Fatal(err)
	}
	yes := []string{"http://localhost", "http://localhost:9000", "https://LOCALHOST:1", "http://127.0.0.1:65535", "http://127.1.2.3", "http://[::1]", "https://[::1]:8080"}
	no := []string{"localhost", "ftp://localhost", "http://localhost:", "http://localhost:abc", "http://localhost:1234567", "http://localhost:65536", "http://localhost:0", "http://localhost/x", "http://localhost?", "http://localhost#",
		"http://localhostx", "http://[::1", "http://[fe80::1%25lo]", "http://10.0.0.1", "http://localhost.", "http://user@localhost", "null", ""}
	for _, o := range yes {
		if !p.allows(o) {
			t.Errorf("%q refused", o)
		}
	}
	for _, o := range no {
		if p.allows(o) {
			t.Errorf("%q allowed", o)
		}
	}
}

// mcp-go's DNS-rebinding protection (non-loopback Host on a loopback
// connection -> 403) stays on for both transports.
func TestHostCheckOnLoopback(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			f := newFixture()
			_, base := startTest(t, f, v.config())
			evil := map[string]string{"Host": "rebind.evil.example"}
			var r rawResponse
			if v.transport == TransportSSE {
				r = raw(t, "GET", base+"/sse", evil, nil)
				if r.status != http.StatusForbidden {
					t.Fatalf("GET /sse with Host %s: %d", evil["Host"], r.status)
				}
				r = raw(t, "POST", base+"/message?sessionId=x", jsonHeaders(evil), strings.NewReader(initBody))
			} else {
				r = raw(t, "POST", base+"/mcp", jsonHeaders(evil), strings.NewReader(initBody))
			}
			if r.status != http.StatusForbidden {
				t.Fatalf("Host %s: status %d, want 403", evil["Host"], r.status)
			}
			if f.messages.Load() != 0 || f.sessions.Load() != 0 {
				t.Fatal("MCP processing ran despite bad Host")
			}
			// A loopback Host name passes.
			host := strings.Replace(strings.TrimPrefix(base, "http://"), "127.0.0.1", "localhost", 1)
			if v.transport != TransportSSE {
				r = raw(t, "POST", base+"/mcp", jsonHeaders(map[string]string{"Host": host}), strings.NewReader(initBody))
				if r.status != http.StatusOK {
					t.Fatalf("Host %s: %d", host, r.status)
				}
			}
		})
	}
}

func assertJSONRPCError(t *testing.T, body string, code int) {
	t.Helper()
	var m struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("body %q is not JSON: %v", body, err)
	}
	if m.JSONRPC != "2.0" || string(m.ID) != "null" || m.Error.Code != code || m.Error.Message == "" {
		t.Fatalf("body %q is not a JSON-RPC error with code %d", body, code)
	}
}

func TestBodyLimit(t *testing.T) {
	const want = `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"request body too large (limit 1 MiB)"}}`
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			f := newFixture()
			_, base := startTest(t, f, v.config())
			url := base + "/mcp"
			if v.transport == TransportSSE {
				url = base + "/message?sessionId=whatever"
			}

			// Other clients keep being served while oversized bodies arrive.
			c := connect(t, kindOf(v), base, nil, nil)
			stop := make(chan struct{})
			var served, failed atomic.Int64
			var wg sync.WaitGroup
			for i := range 4 {
				wg.Go(func() {
					key := fmt.Sprint("k", i)
					for {
						select {
						case <-stop:
							return
						default:
						}
						ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
						got, err := callTool(ctx, c, "whoami", key)
						cancel()
						if err != nil || got != keyID(key) {
							failed.Add(1)
							t.Errorf("concurrent call: %q %v", got, err)
							return
						}
						served.Add(1)
					}
				})
			}

			const big = 10 << 20
			for range 3 {
				// Content-Length.
				r := raw(t, "POST", url, jsonHeaders(nil), bytes.NewReader(bytes.Repeat([]byte("a"), big)))
				if r.status != http.StatusRequestEntityTooLarge || r.body != want {
					t.Fatalf("Content-Length body: %d %q", r.status, r.body)
				}
				// Chunked.
				r = raw(t, "POST", url, jsonHeaders(nil), &repeatReader{n: big})
				if r.status != http.StatusRequestEntityTooLarge || r.body != want {
					t.Fatalf("chunked body: %d %q", r.status, r.body)
				}
			}
			close(stop)
			wg.Wait()
			if failed.Load() != 0 || served.Load() == 0 {
				t.Fatalf("concurrent calls: served %d failed %d", served.Load(), failed.Load())
			}
			if r := raw(t, "GET", base+"/healthz", nil, nil); r.status != http.StatusOK {
				t.Fatalf("healthz after oversized bodies: %d", r.status)
			}
			if got := mustCall(t, c, "whoami", "after"); got != keyID("after") {
				t.Fatalf("whoami after = %q", got)
			}
		})
	}
}

// The limit is exact: limit bytes pass (to MCP), limit+1 do not, with or
// without Content-Length.
func TestBodyLimitBoundary(t *testing.T) {
	f := newFixture()
	const limit = 1000
	_, base := startTest(t, f, Config{MaxBodyBytes: limit, Stateless: true})
	body := func(n int) string {
		return initBody + strings.Repeat(" ", n-len(initBody))
	}
	for _, chunked := range []bool{false, true} {
		for n, wantStatus := range map[int]int{limit: http.StatusOK, limit + 1: http.StatusRequestEntityTooLarge} {
			var rd io.Reader = strings.NewReader(body(n))
			if chunked {
				rd = io.MultiReader(rd) // hides the length: sent chunked
			}
			r := raw(t, "POST", base+"/mcp", jsonHeaders(nil), rd)
			if r.status != wantStatus {
				t.Fatalf("chunked=%v n=%d: status %d (%s), want %d", chunked, n, r.status, r.body, wantStatus)
			}
			if wantStatus == http.StatusRequestEntityTooLarge && !strings.Contains(r.body, "(limit 1000 bytes)") {
				t.Fatalf("413 body %q", r.body)
			}
		}
	}
}

func TestAuthToken(t *testing.T) {
	const token = "s3cret-access-token-0123456789abcdef"
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			f := newFixture()
			cfg := v.config()
			cfg.AuthToken = token
			_, base := startTest(t, f, cfg)
			path := "/mcp"
			method := "POST"
			if v.transport == TransportSSE {
				path, method = "/sse", "GET"
			}
			for name, hdr := range map[string]map[string]string{
				"missing":      {},
				"wrong":        {"Authorization": "Bearer wrong"},
				"prefix":       {"Authorization": "Bearer " + token[:len(token)-1]},
				"longer":       {"Authorization": "Bearer " + token + "x"},
				"not bearer":   {"Authorization": "Basic " + token},
				"key not auth": {HeaderAPIKey: token},
			} {
				var body *strings.Reader
				if method == "POST" {
					body = strings.NewReader(initBody)
				} else {
					body = strings.NewReader("")
				}
				r := raw(t, method, base+path, jsonHeaders(hdr), body)
				if r.status != http.StatusUnauthorized {
					t.Fatalf("%s: status %d, want 401", name, r.status)
				}
				if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
					t.Fatalf("%s: WWW-Authenticate %q", name, r.header.Get("WWW-Authenticate"))
				}
				assertJSONRPCError(t, r.body, -32001)
			}
			if v.transport == TransportSSE {
				r := raw(t, "POST", base+"/message?sessionId=x", jsonHeaders(nil), strings.NewReader(initBody))
				if r.status != http.StatusUnauthorized {
					t.Fatalf("POST /message without token: %d", r.status)
				}
			}
			if f.messages.Load() != 0 || f.sessions.Load() != 0 {
				t.Fatal("MCP processing ran for unauthenticated requests")
			}

			// Wrong token through a real client fails to connect.
			if c, err := dial(kindOf(v), base, map[string]string{"Authorization": "Bearer nope"}, nil); err == nil {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				_, err = c.Initialize(ctx, mcp.InitializeRequest{})
				cancel()
				_ = c.Close()
				if err == nil {
					t.Fatal("client with wrong token initialized")
				}
			}

			// Right token: works; Authorization then is never an Instantly key.
			c := connect(t, kindOf(v), base, map[string]string{"Authorization": "Bearer " + token}, nil)
			if got := mustCall(t, c, "whoami", ""); got != "nokey" {
				t.Fatalf("token leaked into key context: %q", got)
			}
			if got := mustCall(t, c, "whoami", "inst-key"); got != keyID("inst-key") {
				t.Fatalf("whoami = %q", got)
			}
			// Health needs no token.
			if r := raw(t, "GET", base+"/healthz", nil, nil); r.status != http.StatusOK {
				t.Fatalf("healthz: %d", r.status)
			}
		})
	}
}

// Without an access token, "Authorization: Bearer <key>" is the Instantly
// key; X-Instantly-Api-Key wins when both are sent.
func TestBearerIsInstantlyKeyWithoutToken(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			f := newFixture()
			_, base := startTest(t, f, v.config())
			c := connect(t, kindOf(v), base, map[string]string{"Authorization": "Bearer bearer-key"}, nil)
			if got := mustCall(t, c, "whoami", ""); got != keyID("bearer-key") {
				t.Fatalf("whoami = %q, want bearer key", got)
			}
			if got := mustCall(t, c, "whoami", "header-key"); got != keyID("header-key") {
				t.Fatalf("whoami = %q, want X-Instantly-Api-Key", got)
			}
			c2 := connect(t, kindOf(v), base, nil, nil)
			if got := mustCall(t, c2, "whoami", ""); got != "nokey" {
				t.Fatalf("keyless client saw %q", got)
			}
		})
	}
}

// SSE: the key of a call comes from that call's POST /message, not from the
// GET /sse that opened the stream.
func TestSSEKeyComesFromEachPost(t *testing.T) {
	f := newFixture()
	s, err := New(f.mcp, Config{Transport: TransportSSE, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	var streamHadKey atomic.Bool
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/sse" && r.Header.Get(HeaderAPIKey) == "stream-key" {
			streamHadKey.Store(true)
		}
		s.Handler().ServeHTTP(w, r)
	}))
	defer ts.Close()

	// The GET /sse is sent with Start's context, which carries a key.
	startCtx := context.WithValue(context.Background(), callKey{}, "stream-key")
	c, err := client.NewSSEMCPClient(ts.URL+"/sse", client.WithHeaderFunc(headersFromCtx))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Start(startCtx); err != nil {
		t.Fatal(err)
	}
	if !streamHadKey.Load() {
		t.Fatal("test setup: GET /sse did not carry the key")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	if _, err := c.Initialize(ctx, req); err != nil {
		t.Fatal(err)
	}
	if got, err := callTool(ctx, c, "whoami", ""); err != nil || got != "nokey" {
		t.Fatalf("call without key on a stream opened with a key: %q %v", got, err)
	}
	if got, err := callTool(ctx, c, "whoami", "post-key"); err != nil || got != keyID("post-key") {
		t.Fatalf("call with key: %q %v", got, err)
	}
	_ = c.Close()
}

// 50 goroutines, 5 keys, per-client and per-call keys: every call sees
// exactly its own key.
func TestAPIKeysKeptApartUnderConcurrency(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			f := newFixture()
			_, base := startTest(t, f, v.config())
			keys := []string{"key-a", "key-b", "key-c", "key-d", "key-e"}
			perKey := make([]*client.Client, len(keys))
			for i, k := range keys {
				perKey[i] = connect(t, kindOf(v), base, map[string]string{HeaderAPIKey: k}, nil)
			}
			shared := connect(t, kindOf(v), base, nil, nil)

			var wg sync.WaitGroup
			var calls atomic.Int64
			for g := range 50 {
				wg.Go(func() {
					i := g % len(keys)
					for n := range 8 {
						ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
						var got string
						var err error
						if n%2 == 0 {
							got, err = callTool(ctx, perKey[i], "whoami", "")
						} else {
							got, err = callTool(ctx, shared, "whoami", keys[i])
						}
						cancel()
						if err != nil {
							t.Errorf("goroutine %d: %v", g, err)
							return
						}
						if got != keyID(keys[i]) {
							t.Errorf("goroutine %d (key %d) saw %q, want %q", g, i, got, keyID(keys[i]))
							return
						}
						calls.Add(1)
					}
				})
			}
			wg.Wait()
			if calls.Load() != 50*8 {
				t.Fatalf("completed %d calls", calls.Load())
			}
		})
	}
}

func TestOpenRelayRefused(t *testing.T) {
	f := newFixture()
	for _, addr := range []string{"0.0.0.0:0", "[::]:0", ":8080", "example.com:8080", "192.168.1.10:8080", "mcp.internal:0"} {
		_, err := New(f.mcp, Config{Addr: addr, ServerHasKey: true, Logger: quietLogger()})
		if err == nil {
			t.Fatalf("%s: accepted without a token", addr)
		}
		for _, want := range []string{"MCP_AUTH_TOKEN", "127.0.0.1", addr} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q does not mention %q", addr, err, want)
			}
		}
		// Fine with a token, or when the server holds no key.
		if _, err := New(f.mcp, Config{Addr: addr, ServerHasKey: true, AuthToken: "t", Logger: quietLogger()}); err != nil {
			t.Errorf("%s with token: %v", addr, err)
		}
		if _, err := New(f.mcp, Config{Addr: addr, Logger: quietLogger()}); err != nil {
			t.Errorf("%s without server key: %v", addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "[::1]:0", "LOCALHOST:8080", "127.0.0.2:1", ""} {
		if _, err := New(f.mcp, Config{Addr: addr, ServerHasKey: true, Logger: quietLogger()}); err != nil {
			t.Errorf("%q: %v", addr, err)
		}
	}
}

func TestIsLoopbackAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:1": true, "[::1]:0": true, "::1": true, "127.9.9.9:1": true, "localhost": true,
		"[::ffff:127.0.0.1]:80": true,
		"0.0.0.0:8080":          false, "[::]:0": false, ":8080": false, "": false, "10.0.0.1:80": false, "example.com:80": false,
		"localhost.example.com:80": false,
	} {
		if got := IsLoopbackAddr(addr); got != want {
			t.Errorf("IsLoopbackAddr(%q) = %v", addr, got)
		}
	}
}

func TestNewErrors(t *testing.T) {
	f := newFixture()
	for name, cfg := range map[string]Config{
		"transport":      {Transport: "websocket"},
		"addr":           {Addr: "nonsense"},
		"sse stateless":  {Transport: TransportSSE, Stateless: true},
		"origin garbage": {AllowedOrigins: []string{"::"}},
	} {
		cfg.Logger = quietLogger()
		if _, err := New(f.mcp, cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := New(nil, Config{}); err == nil {
		t.Error("nil MCP server accepted")
	}
}

func TestHealthz(t *testing.T) {
	f := newFixture()
	_, base := startTest(t, f, Config{AuthToken: "tok", AllowedOrigins: nil})
	r := raw(t, "GET", base+"/healthz", nil, nil)
	if r.status != http.StatusOK || r.body != `{"status":"ok"}` || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("healthz: %d %q %q", r.status, r.body, r.header.Get("Content-Type"))
	}
	// No token needed, but the Origin policy of every route.
	if r := raw(t, "GET", base+"/healthz", map[string]string{"Origin": "https://evil.example"}, nil); r.status != http.StatusForbidden {
		t.Fatalf("healthz with a foreign Origin: %d", r.status)
	}
	if r := raw(t, "POST", base+"/healthz", nil, nil); r.status != http.StatusMethodNotAllowed {
		t.Fatalf("POST healthz: %d", r.status)
	}
	if r := raw(t, "GET", base+"/nope", map[string]string{"Authorization": "Bearer tok"}, nil); r.status != http.StatusNotFound {
		t.Fatalf("unknown path: %d", r.status)
	}
}

func TestGracefulShutdownWithCallInFlight(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			f := newFixture()
			base, cancel, errc := startServe(t, f, v.config(), nil)
			var opts []transport.StreamableHTTPCOption
			if v.transport == TransportHTTP && !v.stateless {
				opts = append(opts, transport.WithContinuousListening()) // a GET stream open too
			}
			c := connect(t, kindOf(v), base, nil, nil, opts...)
			addr := strings.TrimPrefix(base, "http://")

			type result struct {
				out string
				err error
			}
			resc := make(chan result, 1)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				out, err := callTool(ctx, c, "block", "")
				resc <- result{out, err}
			}()
			select {
			case <-f.entered:
			case <-time.After(10 * time.Second):
				t.Fatal("call did not start")
			}

			cancel() // shutdown begins with the call in flight
			waitFor(t, 5*time.Second, "listener to close", func() bool {
				conn, err := net.DialTimeout("tcp", addr, time.Second)
				if err != nil {
					return true
				}
				conn.Close()
				return false
			})
			select {
			case err := <-errc:
				t.Fatalf("Serve returned %v before the in-flight call finished", err)
			case <-time.After(100 * time.Millisecond):
			}

			close(f.release)
			select {
			case r := <-resc:
				if r.err != nil || r.out != "released" {
					t.Fatalf("in-flight call: %q %v", r.out, r.err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("in-flight call did not complete")
			}
			select {
			case err := <-errc:
				if err != nil {
					t.Fatalf("Serve: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Serve did not return after the call finished")
			}
			if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
				conn.Close()
				t.Fatal("new connection accepted after Serve returned")
			}
			_ = c.Close()
		})
	}
}

func TestShutdownTimeoutBoundsStuckCalls(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			f := newFixture()
			cfg := v.config()
			cfg.ShutdownTimeout = 400 * time.Millisecond
			base, cancel, errc := startServe(t, f, cfg, nil)
			// SSE: mcp-go runs calls on a context detached from the HTTP
			// request, so shutdown cannot cancel them; unblock at the end.
			t.Cleanup(func() { close(f.release) })
			c := connect(t, kindOf(v), base, nil, nil)
			done := make(chan struct{})
			go func() {
				defer close(done)
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				_, _ = callTool(ctx, c, "block", "") // never released
			}()
			<-f.entered
			start := time.Now()
			cancel()
			select {
			case err := <-errc:
				if err != nil {
					t.Fatalf("Serve: %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Serve did not return")
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("shutdown took %v with ShutdownTimeout 400ms", d)
			}
			_ = c.Close()
			<-done
		})
	}
}

// Long-lived streams and long calls outlive ReadTimeout (it only bounds
// reading the request), while a stalled body is cut off by it.
func TestReadTimeoutOnlyBoundsRequestRead(t *testing.T) {
	const rt = 300 * time.Millisecond
	shortRead := func(s *Server) { s.srv.ReadTimeout = rt }

	t.Run("sse stream", func(t *testing.T) {
		f := newFixture()
		base, _, _ := startServe(t, f, Config{Transport: TransportSSE}, shortRead)
		c := connect(t, "sse", base, nil, nil)
		time.Sleep(3 * rt)
		if got := mustCall(t, c, "whoami", "k"); got != keyID("k") {
			t.Fatalf("whoami = %q", got)
		}
	})
	t.Run("long call", func(t *testing.T) {
		f := newFixture()
		base, _, _ := startServe(t, f, Config{}, shortRead)
		c := connect(t, "http", base, nil, nil)
		go func() {
			<-f.entered
			time.Sleep(3 * rt)
			close(f.release)
		}()
		if got := mustCall(t, c, "block", ""); got != "released" {
			t.Fatalf("block = %q", got)
		}
	})
	t.Run("stalled body", func(t *testing.T) {
		f := newFixture()
		base, _, _ := startServe(t, f, Config{}, shortRead)
		conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		start := time.Now()
		buf := make([]byte, 4096)
		for {
			if _, err := conn.Read(buf); err != nil {
				if ne, ok := err.(net.Error); ok && ne.Timeout() {
					t.Fatal("connection with a stalled body still open after 5s")
				}
				break // closed by the server
			}
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Fatalf("stalled body held the connection for %v", d)
		}
		if f.messages.Load() != 0 {
			t.Fatal("MCP processing ran for a partial body")
		}
	})
}

func TestAccessLog(t *testing.T) {
	const token, key = "tok-ABCDEF123456", "instantly-SECRET-key-987"
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			f := newFixture()
			var buf syncBuffer
			cfg := v.config()
			cfg.AuthToken = token
			cfg.Logger = slog.New(slog.NewJSONHandler(&buf, nil))
			_, base := startTest(t, f, cfg)
			c := connect(t, kindOf(v), base, map[string]string{"Authorization": "Bearer " + token, HeaderAPIKey: key}, nil)
			if got := mustCall(t, c, "whoami", ""); got != keyID(key) {
				t.Fatalf("whoami = %q", got)
			}
			raw(t, "GET", base+"/healthz", nil, nil)
			raw(t, "POST", base+"/mcp?api_key="+key, jsonHeaders(map[string]string{"Authorization": "Bearer wrong-" + token}), strings.NewReader(initBody))
			_ = c.Close()

			wantPath := "/mcp"
			if v.transport == TransportSSE {
				wantPath = "/message"
				// The stream is logged when it ends.
				waitFor(t, 5*time.Second, "GET /sse log line", func() bool {
					return strings.Contains(buf.String(), `"method":"GET","path":"/sse","status":200`)
				})
			}
			out := buf.String()
			for _, want := range []string{
				`"msg":"http request","method":"POST","path":"` + wantPath + `","status":`,
				`"method":"GET","path":"/healthz","status":200`,
				`"path":"/mcp","status":401`,
				`"duration":`, `"bytes":`, `"remote":"127.0.0.1:`,
			} {
				if !strings.Contains(out, want) {
					t.Errorf("log lacks %s:\n%s", want, out)
				}
			}
			for _, secret := range []string{token, key, "sessionId", "Authorization", "api_key"} {
				if strings.Contains(out, secret) {
					t.Errorf("log contains %q:\n%s", secret, out)
				}
			}
			for line := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
				var m map[string]any
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Fatalf("log line %q: %v", line, err)
				}
			}
		})
	}
}

func TestBearerToken(t *testing.T) {
	for h, want := range map[string]string{"Bearer abc": "abc", "bearer  abc ": "abc", "Bearer ": "", "Basic abc": "", "Bearerabc": ""} {
		if got, _ := bearerToken(h); got != want {
			t.Errorf("bearerToken(%q) = %q", h, got)
		}
	}
}

// The token check allocates nothing for ordinary token sizes.
func TestTokenCheckAllocs(t *testing.T) {
	tok := strings.Repeat("t", 64)
	allocs := testing.AllocsPerRun(100, func() { _ = sumString(tok) })
	if allocs != 0 {
		t.Fatalf("sumString allocates %v times", allocs)
	}
}

func TestListenAndServe(t *testing.T) {
	f := newFixture()
	s, err := New(f.mcp, Config{Addr: "127.0.0.1:0", Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.ListenAndServe(ctx) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("ListenAndServe: %v", err)
	}
	if err := s.Serve(context.Background(), mustListen(t)); err == nil {
		t.Fatal("second Serve succeeded")
	}

	// A listen failure is reported.
	ln := mustListen(t)
	defer ln.Close()
	s2, err := New(f.mcp, Config{Addr: ln.Addr().String(), Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.ListenAndServe(context.Background()); err == nil || !strings.Contains(err.Error(), ln.Addr().String()) {
		t.Fatalf("ListenAndServe on a busy port: %v", err)
	}
}

func mustListen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// The access-log writer reaches net/http's per-connection write deadline
// (used to bound each write) and stays transparent to Flush and
// http.ResponseController.
func TestResponseRecorderWriteDeadline(t *testing.T) {
	s, err := New(newFixture().mcp, Config{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	var ok atomic.Bool
	ts := httptest.NewServer(s.accessLog(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec, isRec := w.(*responseRecorder)
		_, flusher := w.(http.Flusher)
		_, _ = w.Write([]byte("x"))
		rcErr := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Minute))
		ok.Store(isRec && rec.dl != nil && flusher && !rec.deadline.IsZero() && rcErr == nil)
	})))
	defer ts.Close()
	raw(t, "GET", ts.URL, nil, nil)
	if !ok.Load() {
		t.Fatal("write deadline not wired through the recorder")
	}
}
