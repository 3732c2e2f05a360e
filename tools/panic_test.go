package tools_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

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
	c, err := client.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
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
