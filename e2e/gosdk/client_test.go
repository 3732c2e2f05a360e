package gosdk

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

var serverBin string

func TestMain(m *testing.M) {
	serverBin = os.Getenv("SERVER_BIN")
	if serverBin == "" {
		dir, err := os.MkdirTemp("", "gosdk-e2e")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer os.RemoveAll(dir)
		serverBin = filepath.Join(dir, "instantly-status-mcp")
		cmd := exec.Command("go", "build", "-o", serverBin, ".")
		cmd.Dir = "../.."
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "building the server: %v\n%s", err, out)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

// demoCampaign is the demo workspace's campaign that reports
// campaign_bounce_protect (demo.DemoID("campaign_bounce_protect"), internal/demo).
const (
	demoCampaign = "019c32e2-6682-7403-92d6-d67a6a5026e6"
	demoAnswer   = "## Real estate brokers (US) – Cold outreach: not sending, action required" // the text names the campaign and its state; the code stays in structuredContent
)

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startHTTP runs the binary in demo mode over streamable HTTP and waits for
// /healthz.
func startHTTP(t *testing.T, stateless bool) string {
	t.Helper()
	addr := freeAddr(t)
	args := []string{"-transport", "http", "-addr", addr}
	if stateless {
		args = append(args, "-stateless")
	}
	cmd := exec.Command(serverBin, args...)
	cmd.Env = []string{"INSTANTLY_DEMO=true", "LOG_LEVEL=warn"}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return "http://" + addr + "/mcp"
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("server did not come up:\n%s", stderr.String())
	return ""
}

// TestGoSDKClient: the official Go SDK client against the binary over stdio,
// streamable HTTP and stateless streamable HTTP, on protocol 2026-07-28
// (server/discover, no initialize) and on 2025-11-25 (the initialize
// handshake): list tools, call get_campaign_sending_status on the demo, get
// a prompt, read a resource, complete the prompt's argument; on 2026-07-28,
// every list and read result carries the cache hints (ttlMs, cacheScope).
func TestGoSDKClient(t *testing.T) {
	for _, mode := range []string{"stdio", "http", "http-stateless"} {
		for _, version := range []string{"2026-07-28", "2025-11-25"} {
			t.Run(mode+"/"+version, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				var endpoint string
				if mode != "stdio" {
					endpoint = startHTTP(t, mode == "http-stateless")
				}
				connect := func() *mcp.ClientSession {
					t.Helper()
					var tr mcp.Transport
					if mode == "stdio" {
						cmd := exec.Command(serverBin)
						cmd.Env = []string{"INSTANTLY_DEMO=true", "LOG_LEVEL=warn"}
						tr = &mcp.CommandTransport{Command: cmd}
					} else {
						tr = &mcp.StreamableClientTransport{Endpoint: endpoint}
					}
					c := mcp.NewClient(&mcp.Implementation{Name: "gosdk-e2e", Version: "1"}, nil)
					cs, err := c.Connect(ctx, tr, &mcp.ClientSessionOptions{ProtocolVersion: version})
					if err != nil {
						t.Fatal(err)
					}
					return cs
				}
				cs := connect()
				defer cs.Close()
				init := cs.InitializeResult()
				if init == nil || init.ProtocolVersion != version {
					t.Fatalf("negotiated %+v, want %s", init, version)
				}
				if init.Capabilities == nil || init.Capabilities.Tools == nil || init.Capabilities.Prompts == nil || init.Instructions == "" {
					t.Errorf("capabilities %+v, instructions %q", init.Capabilities, init.Instructions)
				}
				first := flow(ctx, t, cs, version == "2026-07-28")
				// The order of tools/list is stable across connections (and,
				// over stdio, processes). Within one 2026-07-28 session the
				// client serves a second listing from its cache (ttlMs), so
				// a second session is what asks the server again.
				cs2 := connect()
				defer cs2.Close()
				if again := toolNames(ctx, t, cs2); again != first {
					t.Errorf("tools/list order not stable: %s, then %s", first, again)
				}
			})
		}
	}
}

func toolNames(ctx context.Context, t *testing.T, cs *mcp.ClientSession) string {
	t.Helper()
	tools, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatalf("tools/list: %v", err)
	}
	var out []string
	for _, tl := range tools.Tools {
		out = append(out, tl.Name)
	}
	return strings.Join(out, ",")
}

// listTTL and listScope are the cache hints the server puts on list and
// read results under 2026-07-28 (tools.ListCacheTTL, 5 minutes, "public").
const (
	listTTL   = 300000
	listScope = "public"
)

// flow lists tools, calls the status tool, gets a prompt, reads a resource
// and completes a prompt argument; under 2026-07-28 (modern) it checks the
// cache hints of every list and read result. It returns the tool names.
func flow(ctx context.Context, t *testing.T, cs *mcp.ClientSession, modern bool) string {
	t.Helper()
	hints := func(method string, r mcp.CacheableResult, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		if modern && (r.GetTTLMs() != listTTL || r.GetCacheScope() != listScope) {
			t.Errorf("%s: ttlMs %d, cacheScope %q; want %d, %s", method, r.GetTTLMs(), r.GetCacheScope(), listTTL, listScope)
		}
	}
	tools, err := cs.ListTools(ctx, nil)
	hints("tools/list", tools, err)
	var names []string
	for _, tl := range tools.Tools {
		names = append(names, tl.Name)
	}
	first := strings.Join(names, ",")
	if !strings.Contains(first, "get_campaign_sending_status") {
		t.Fatalf("tools: %s", first)
	}
	pl, err := cs.ListPrompts(ctx, nil)
	hints("prompts/list", pl, err)
	rl, err := cs.ListResources(ctx, nil)
	hints("resources/list", rl, err)
	tl, err := cs.ListResourceTemplates(ctx, nil)
	hints("resources/templates/list", tl, err)
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "get_campaign_sending_status",
		Arguments: map[string]any{"id": demoCampaign}})
	if err != nil || res.IsError {
		t.Fatalf("tools/call: %v %+v", err, res)
	}
	var text strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			text.WriteString(tc.Text)
		}
	}
	if !strings.Contains(text.String(), demoAnswer) {
		t.Errorf("tools/call: %s not in %.300s", demoAnswer, text.String())
	}
	p, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: "sending_status_remediation",
		Arguments: map[string]string{"status": "daily_limit_met"}})
	if err != nil || len(p.Messages) == 0 {
		t.Fatalf("prompts/get: %v", err)
	}
	r, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "instantly://sending-status/codes"})
	hints("resources/read", r, err)
	if len(r.Contents) == 0 {
		t.Fatalf("resources/read: no contents")
	}
	comp, err := cs.Complete(ctx, &mcp.CompleteParams{
		Ref:      &mcp.CompleteReference{Type: "ref/prompt", Name: "sending_status_remediation"},
		Argument: mcp.CompleteParamsArgument{Name: "status", Value: "campaign_p"},
	})
	if err != nil || len(comp.Completion.Values) == 0 || comp.Completion.Values[0] != "campaign_paused" {
		t.Fatalf("completion/complete: %v %+v", err, comp)
	}
	return first
}
