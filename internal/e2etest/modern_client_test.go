package e2etest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/servertest"
	"github.com/instantly-status/instantly-status-mcp/tools"
)

// TestModernProtocolMCPGoClient drives the built binary with mcp-go's own
// client in its modern mode (protocol 2026-07-28: server/discover, no
// initialize, every request stateless) over stdio and streamable HTTP,
// stateful and stateless: list tools, call get_campaign_sending_status on the
// demo, get a prompt, read a resource, complete the prompt argument.
// (e2e/gosdk does the same with the official Go SDK.)
func TestModernProtocolMCPGoClient(t *testing.T) {
	for _, mode := range []string{"stdio", "http", "http-stateless"} {
		t.Run(mode, func(t *testing.T) {
			c, ctx, res := modernClient(t, mode, "modern-test")
			if res.Instructions == "" || res.Capabilities.Tools == nil || res.Capabilities.Prompts == nil {
				t.Errorf("discover: instructions %q, capabilities %+v", res.Instructions, res.Capabilities)
			}
			checkClientFlow(ctx, t, c)
			checkCacheHints(ctx, t, c)
		})
	}
}

// modernClient starts the binary in demo mode over mode ("stdio", "http" or
// "http-stateless") and connects mcp-go's client to it with protocol
// 2026-07-28 (server/discover, no initialize); the client and the context
// end with the test.
func modernClient(t *testing.T, mode, name string) (*client.Client, context.Context, *mcp.InitializeResult) {
	t.Helper()
	env := []string{"INSTANTLY_DEMO=true", "LOG_LEVEL=warn"}
	var c *client.Client
	var err error
	if mode == "stdio" {
		c, err = client.NewStdioMCPClient(binPath, env)
	} else {
		args := []string{"-transport", "http"}
		if mode == "http-stateless" {
			args = append(args, "-stateless")
		}
		addr := servertest.Start(t, env, args...).Addr
		c, err = client.NewStreamableHttpClient("http://" + addr + "/mcp")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	if err := c.Start(ctx); err != nil && mode != "stdio" {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.ProtocolVersion20260728
	init.Params.ClientInfo = mcp.Implementation{Name: name, Version: "1"}
	res, err := c.Initialize(ctx, init)
	if err != nil {
		t.Fatal(err)
	}
	if v := c.ProtocolVersion(); v != mcp.ProtocolVersion20260728 {
		t.Fatalf("negotiated %q, want %s (server/discover)", v, mcp.ProtocolVersion20260728)
	}
	return c, ctx, res
}

// checkCacheHints: under 2026-07-28 every cacheable result (server/discover,
// tools/list, prompts/list, resources/list, resources/templates/list,
// resources/read) carries ttlMs and cacheScope, which the specification
// makes a MUST (SEP-2549); ours are tools.ListCacheTTL and "public".
func checkCacheHints(ctx context.Context, t *testing.T, c *client.Client) {
	t.Helper()
	check := func(method string, r mcp.CacheableResult, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", method, err)
			return
		}
		ttl, ok := r.TTL()
		if !ok || ttl != tools.ListCacheTTL.Milliseconds() || r.CacheScope != mcp.CacheScopePublic {
			t.Errorf("%s: ttlMs %d (present %v), cacheScope %q; want %d, public", method, ttl, ok, r.CacheScope, tools.ListCacheTTL.Milliseconds())
		}
	}
	d, err := c.Discover(ctx, mcp.DiscoverRequest{})
	check("server/discover", orZero(d, func(d *mcp.DiscoverResult) mcp.CacheableResult { return d.CacheableResult }), err)
	tl, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	check("tools/list", orZero(tl, func(r *mcp.ListToolsResult) mcp.CacheableResult { return r.CacheableResult }), err)
	pl, err := c.ListPrompts(ctx, mcp.ListPromptsRequest{})
	check("prompts/list", orZero(pl, func(r *mcp.ListPromptsResult) mcp.CacheableResult { return r.CacheableResult }), err)
	rl, err := c.ListResources(ctx, mcp.ListResourcesRequest{})
	check("resources/list", orZero(rl, func(r *mcp.ListResourcesResult) mcp.CacheableResult { return r.CacheableResult }), err)
	tpl, err := c.ListResourceTemplates(ctx, mcp.ListResourceTemplatesRequest{})
	check("resources/templates/list", orZero(tpl, func(r *mcp.ListResourceTemplatesResult) mcp.CacheableResult { return r.CacheableResult }), err)
	rr := mcp.ReadResourceRequest{}
	rr.Params.URI = "instantly://sending-status/codes"
	rd, err := c.ReadResource(ctx, rr)
	check("resources/read", orZero(rd, func(r *mcp.ReadResourceResult) mcp.CacheableResult { return r.CacheableResult }), err)
}

func orZero[R any](r *R, f func(*R) mcp.CacheableResult) mcp.CacheableResult {
	if r == nil {
		return mcp.CacheableResult{}
	}
	return f(r)
}

// checkClientFlow is what every client test does once connected.
func checkClientFlow(ctx context.Context, t *testing.T, c *client.Client) {
	t.Helper()
	tools, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil || len(tools.Tools) != 4 {
		t.Fatalf("tools/list: %v %d tools", err, len(tools.Tools))
	}
	names := func(ts []mcp.Tool) string {
		var out []string
		for _, tl := range ts {
			out = append(out, tl.Name)
		}
		return strings.Join(out, ",")
	}
	again, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil || names(again.Tools) != names(tools.Tools) {
		t.Errorf("tools/list order is not stable: %s, then %v %s", names(tools.Tools), err, names(again.Tools))
	}
	if !strings.Contains(names(tools.Tools), "get_campaign_sending_status") {
		t.Errorf("tools: %s", names(tools.Tools))
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = "get_campaign_sending_status"
	req.Params.Arguments = map[string]any{"id": instantlytest.DemoID(instantly.StatusCampaignBounceProtect)}
	res, err := c.CallTool(ctx, req)
	if err != nil || res.IsError || !strings.Contains(fmt.Sprint(res.Content), "Real estate brokers (US) – Cold outreach: not sending, action required") {
		t.Fatalf("tools/call: %v %+v", err, res)
	}
	rr := mcp.ReadResourceRequest{}
	rr.Params.URI = "instantly://sending-status/codes"
	if r, err := c.ReadResource(ctx, rr); err != nil || len(r.Contents) == 0 {
		t.Fatalf("resources/read: %v", err)
	}
	checkPromptAndCompletion(ctx, t, c)
}
