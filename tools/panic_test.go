package tools_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/tools"
)

// A handler that panics yields a tool error, not a crash or a JSON-RPC error,
// and the next call is served.
func TestPanicBecomesToolError(t *testing.T) {
	calls := 0
	s := tools.NewMCPServer(tools.Options{
		GetClient: func(ctx context.Context) (*instantly.Client, error) {
			calls++
			if calls == 1 {
				var m map[string]int
				m["boom"]++ // nil map write: a real runtime panic
			}
			return nil, context.Canceled
		},
	})
	c := initialized(t, s)
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		req := mcp.CallToolRequest{}
		req.Params.Name = "get_campaign_sending_status"
		req.Params.Arguments = map[string]any{"id": "019a0000-0000-7000-8000-000000000001"}
		res, err := c.CallTool(ctx, req)
		if err != nil {
			t.Fatalf("call %d: JSON-RPC error: %v", i, err)
		}
		if !res.IsError {
			t.Fatalf("call %d: want isError", i)
		}
		msg := res.Content[0].(mcp.TextContent).Text
		if i == 0 && !strings.Contains(msg, "Internal error") {
			t.Fatalf("panic message: %s", msg)
		}
		if strings.Contains(msg, "nil map") || strings.Contains(msg, "goroutine") {
			t.Fatalf("panic details leaked to the client: %s", msg)
		}
	}
}

// The panic's value and stack are logged through Options.Redact, so a secret
// in them never reaches the log.
func TestPanicLogIsRedacted(t *testing.T) {
	const secret = "sk-live-0123456789abcdef"
	var logs strings.Builder
	s := tools.NewMCPServer(tools.Options{
		GetClient: func(ctx context.Context) (*instantly.Client, error) {
			panic("key " + secret + " rejected")
		},
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Redact: func(s string) string { return strings.ReplaceAll(s, secret, "[REDACTED]") },
	})
	c := initialized(t, s)
	ctx := context.Background()
	req := mcp.CallToolRequest{}
	req.Params.Name = "get_campaign_sending_status"
	req.Params.Arguments = map[string]any{"id": "019a0000-0000-7000-8000-000000000001"}
	res, err := c.CallTool(ctx, req)
	if err != nil || !res.IsError {
		t.Fatalf("want a tool error, got %v, %v", res, err)
	}
	got := logs.String()
	if strings.Contains(got, secret) || !strings.Contains(got, "key [REDACTED] rejected") {
		t.Fatalf("panic log not redacted:\n%s", got)
	}
}

// initialized is an in-process client of s, past initialize.
func initialized(t *testing.T, s *server.MCPServer) *client.Client {
	t.Helper()
	c, err := client.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	return c
}
