package tools

import (
	"context"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// ClientFunc gives a handler the Instantly client for its request. Tools never
// hold a client of their own: over HTTP each request may carry its own key.
type ClientFunc func(ctx context.Context) (*instantly.Client, error)

// ClientResolver returns a ClientFunc that uses the request's own key when the
// transport put one in the context (instantly.ContextWithAPIKey), else the server's
// base client with its own key, else instantly.ErrNoAPIKey (whose message
// says how to pass a key).
func ClientResolver(base *instantly.Client) ClientFunc {
	return func(ctx context.Context) (*instantly.Client, error) {
		if key, ok := instantly.APIKeyFromContext(ctx); ok {
			return base.WithAPIKey(key), nil
		}
		if !base.HasAPIKey() {
			return nil, instantly.ErrNoAPIKey
		}
		return base, nil
	}
}

// errorResult turns any failure of an Instantly call into a tool result
// with isError set and diagnosis's message that says what to do; handlers
// never return Go errors for these, because a JSON-RPC error may never reach
// the model.
func (h handlers) errorResult(what string, err error) *mcp.CallToolResult {
	return mcp.NewToolResultError(h.words.ErrorMessage(what, err))
}
