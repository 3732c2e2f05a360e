package tools_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
	"github.com/instantly-status/instantly-status-mcp/internal/httpserver"
	"github.com/instantly-status/instantly-status-mcp/tools"
)

// testKey is long and distinctive so a leak is easy to find in any output.
const testKey = "sk_test_Zq8wV3mK1pR7tY2uX9eB4nL6"

// testSettings are the names the server passes in (package main's settings).
var testSettings = diagnosis.Settings{
	APIKey: "INSTANTLY_API_KEY", Timeout: "INSTANTLY_TIMEOUT", BaseURL: "INSTANTLY_BASE_URL",
	KeyPerRequest: httpserver.KeyHelp,
}

// fixedNow pins the analysis clock; the demo workspace is built at the same
// instant so every age in the text is deterministic.
var fixedNow = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)

type env struct {
	fake   *instantlytest.Server
	ws     *instantlytest.Workspace
	client *client.Client
}

type envOption func(*envConfig)

type envConfig struct {
	fakeOpts   []instantlytest.Option
	clientOpts []instantly.Option
	key        string
}

func withFakeOptions(o ...instantlytest.Option) envOption {
	return func(c *envConfig) { c.fakeOpts = append(c.fakeOpts, o...) }
}
func withClientOptions(o ...instantly.Option) envOption {
	return func(c *envConfig) { c.clientOpts = append(c.clientOpts, o...) }
}
func withKey(k string) envOption { return func(c *envConfig) { c.key = k } }

// newEnv starts a fake Instantly with the demo workspace, the real MCP server
// against it, and a real in-process MCP client, initialized.
func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	return startEnv(t, instantlytest.DemoWorkspace(fixedNow), opts...)
}

// startEnv is newEnv for any workspace and for benchmarks.
func startEnv(tb testing.TB, ws *instantlytest.Workspace, opts ...envOption) *env {
	tb.Helper()
	cfg := envConfig{key: testKey}
	for _, o := range opts {
		o(&cfg)
	}
	fake := instantlytest.NewServer(ws, cfg.fakeOpts...)
	tb.Cleanup(fake.Close)
	copts := append([]instantly.Option{
		instantly.WithBaseURL(fake.URL),
		instantly.WithBackoff(time.Millisecond, 5*time.Millisecond),
		instantly.WithTimeout(10 * time.Second),
	}, cfg.clientOpts...)
	api, err := instantly.NewClient(cfg.key, copts...)
	if err != nil {
		tb.Fatal(err)
	}
	s := tools.NewMCPServer(tools.Options{
		Version:        "test",
		GetClient:      tools.ClientResolver(api),
		Now:            func() time.Time { return fixedNow },
		ValidateOutput: true,
		Settings:       testSettings,
	})
	c, err := client.NewInProcessClient(s)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "tools-test", Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		tb.Fatal(err)
	}
	return &env{fake: fake, ws: ws, client: c}
}

// call invokes a tool and fails the test on a JSON-RPC error: every failure a
// user can act on must come back as a result.
func (e *env) call(t *testing.T, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	return e.callCtx(t, context.Background(), name, args)
}

func (e *env) callCtx(t *testing.T, ctx context.Context, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := e.client.CallTool(ctx, req)
	if err != nil {
		t.Fatalf("%s(%v): JSON-RPC error instead of a tool result: %v", name, args, err)
	}
	return res
}

func text(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// structured returns the structured content as generic JSON, the way a client
// in another language would see it.
func structured(t *testing.T, res *mcp.CallToolResult) map[string]any {
	t.Helper()
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("structured content is not a JSON object: %s", b)
	}
	return m
}

func analysisOf(t *testing.T, res *mcp.CallToolResult) map[string]any {
	t.Helper()
	a, ok := structured(t, res)["analysis"].(map[string]any)
	if !ok {
		t.Fatalf("no analysis object in %v", res.StructuredContent)
	}
	return a
}

// assertNoKey fails if the API key appears anywhere in the result.
func assertNoKey(t *testing.T, res *mcp.CallToolResult, key string) {
	t.Helper()
	b, _ := json.Marshal(res)
	if strings.Contains(string(b), key) {
		t.Fatalf("API key leaked into the tool result: %s", b)
	}
}
