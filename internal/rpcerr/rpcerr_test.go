package rpcerr

import (
	"context"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func TestFix(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"invalid params: unknown status"}}`,
			`{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"invalid params: unknown status"}}`},
		{`{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"resource not found: x"}}`,
			`{"jsonrpc":"2.0","id":1,"error":{"code":-32002,"message":"resource not found: x"}}`},
		// A bug stays an internal error.
		{`{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"boom"}}`,
			`{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"boom"}}`},
		// Text inside a result is escaped JSON: never rewritten.
		{`{"result":{"text":"\"code\":-32603,\"message\":\"invalid params: "}}`,
			`{"result":{"text":"\"code\":-32603,\"message\":\"invalid params: "}}`},
	} {
		if got := string(Fix([]byte(c.in))); got != c.want {
			t.Errorf("Fix(%s) = %s, want %s", c.in, got, c.want)
		}
		if InvalidParams("a %d", 1).Error() != "invalid params: a 1" || ResourceNotFound(context.Background(), "b").Error() != "resource not found: b" {
			t.Fatal("prefixes")
		}
	}
}

// The resource-not-found error carries the code of the request's protocol
// through Fix: -32002 before 2026-07-28, -32602 from it on.
func TestResourceNotFoundPerProtocol(t *testing.T) {
	encode := func(err error) string {
		return `{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"` + err.Error() + `"}}`
	}
	for _, c := range []struct {
		version, want string
	}{
		{"", `{"jsonrpc":"2.0","id":1,"error":{"code":-32002,"message":"resource not found: x 1"}}`},
		{"2025-11-25", `{"jsonrpc":"2.0","id":1,"error":{"code":-32002,"message":"resource not found: x 1"}}`},
		{mcp.ProtocolVersion20260728, `{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"invalid params: resource not found: x 1"}}`},
	} {
		ctx := context.Background()
		if c.version != "" {
			ctx = server.WithRequestProtocolInfo(ctx, &server.RequestProtocolInfo{Modern: mcp.IsModernProtocol(c.version), ProtocolVersion: c.version})
		}
		if got := string(Fix([]byte(encode(ResourceNotFound(ctx, "x %d", 1))))); got != c.want {
			t.Errorf("protocol %q: %s, want %s", c.version, got, c.want)
		}
	}
}
