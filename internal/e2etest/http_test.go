package e2etest

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/cli"
	"github.com/instantly-status/instantly-status-mcp/internal/servertest"
)

// freeAddr picks a loopback port and releases it: another process may take
// it before it is used. Only for programs that cannot listen on port 0 and
// say which port they got (redis-server in redis_replicas_test.go); this
// server's tests pass -addr 127.0.0.1:0 and read the address it prints.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// The built binary over both HTTP transports, through mcp-go's HTTP clients:
// list, call (with the request's own key), prompt, completion; then SIGTERM
// exits 0.
func TestHTTPTransportsThroughTheBinary(t *testing.T) {
	fake := instantlytest.NewServer(instantlytest.DemoWorkspace(time.Now()))
	defer fake.Close()
	for _, tr := range []string{"http", "sse"} {
		t.Run(tr, func(t *testing.T) {
			srv := servertest.Start(t, []string{"INSTANTLY_BASE_URL=" + fake.URL, "LOG_LEVEL=warn"}, "-transport", tr)
			addr := srv.Addr
			hdr := map[string]string{"X-Instantly-Api-Key": "client-key-" + tr + "-0001"}
			var c *client.Client
			var err error
			if tr == "http" {
				c, err = client.NewStreamableHttpClient("http://"+addr+"/mcp", transport.WithHTTPHeaders(hdr))
			} else {
				c, err = client.NewSSEMCPClient("http://"+addr+"/sse", transport.WithHeaders(hdr))
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx := startClient(t, c, "http-test")
			tools, err := c.ListTools(ctx, mcp.ListToolsRequest{})
			if err != nil || len(tools.Tools) < 2 {
				t.Fatalf("tools/list: %v %v", err, tools)
			}
			req := mcp.CallToolRequest{}
			req.Params.Name = "get_campaign_sending_status"
			req.Params.Arguments = map[string]any{"id": instantlytest.DemoID(instantly.StatusCampaignBounceProtect)}
			res, err := c.CallTool(ctx, req)
			if err != nil || res.IsError || !strings.Contains(fmt.Sprint(res.Content), "Real estate brokers (US) – Cold outreach: not sending, action required") {
				t.Fatalf("tools/call: %v %+v", err, res)
			}
			reqs := fake.Handler.Requests()
			if last := reqs[len(reqs)-1]; last.APIKey != hdr["X-Instantly-Api-Key"] {
				t.Fatalf("upstream got key %q, want the request's own", last.APIKey)
			}
			checkPromptAndCompletion(ctx, t, c)

			srv.Stop(t) // SIGTERM: exit 0
		})
	}
}

// Binding a public address while holding INSTANTLY_API_KEY needs an access
// token; without one the server refuses to start, in one line.
func TestRefusesOpenRelay(t *testing.T) {
	env := map[string]string{"INSTANTLY_API_KEY": "sk_live_secret_value_123"}
	_, stderr, code := runCmd(t, env, "-transport", "http", "-addr", "0.0.0.0:0")
	if code != cli.ExitUsage || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, "MCP_AUTH_TOKEN") || strings.Contains(stderr, "sk_live_secret_value_123") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
}

// startClient starts c and runs the initialize handshake (protocol
// 2025-11-25); the returned ctx bounds the test's calls and ends with it.
func startClient(t *testing.T, c *client.Client, name string) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = "2025-11-25"
	init.Params.ClientInfo = mcp.Implementation{Name: name, Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// checkPromptAndCompletion gets the remediation prompt and completes its
// status argument, as every client test does.
func checkPromptAndCompletion(ctx context.Context, t *testing.T, c *client.Client) {
	t.Helper()
	pr := mcp.GetPromptRequest{}
	pr.Params.Name = "sending_status_remediation"
	pr.Params.Arguments = map[string]string{"status": "daily_limit_met"}
	if p, err := c.GetPrompt(ctx, pr); err != nil || len(p.Messages) == 0 {
		t.Fatalf("prompts/get: %v", err)
	}
	cr := mcp.CompleteRequest{}
	cr.Params.Ref = mcp.PromptReference{Type: "ref/prompt", Name: "sending_status_remediation"}
	cr.Params.Argument.Name = "status"
	cr.Params.Argument.Value = "campaign_p"
	if comp, err := c.Complete(ctx, cr); err != nil || len(comp.Completion.Values) == 0 || comp.Completion.Values[0] != "campaign_paused" {
		t.Fatalf("completion/complete: %v %+v", err, comp)
	}
}
