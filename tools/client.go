package tools

import (
	"context"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// ClientFunc gives a handler the Instantly client for its request. Tools never
// hold a client of their own: over HTTP each request may carry its own key.
type ClientFunc func(ctx context.Context) (*instantly.Client, error)

// ClientResolver returns a ClientFunc that uses the request's own key when the
// transport put one in the context (instantly.ContextWithAPIKey), else the server's
// base client with its INSTANTLY_API_KEY, else an error that says how to pass
// a key.
func ClientResolver(base *instantly.Client) ClientFunc {
	return func(ctx context.Context) (*instantly.Client, error) {
		if key, ok := instantly.APIKeyFromContext(ctx); ok {
			return base.WithAPIKey(key), nil
		}
		if !base.HasAPIKey() {
			return nil, errNoKey
		}
		return base, nil
	}
}
