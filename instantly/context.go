package instantly

import (
	"context"
	"errors"
)

type apiKeyCtxKey struct{}

// ContextWithAPIKey returns a context that carries the Instantly API key of one
// request (shared HTTP deployments: each client sends its own key). The key
// lives only as long as the request's context; it is never stored elsewhere.
func ContextWithAPIKey(ctx context.Context, key string) context.Context {
	if key == "" {
		return ctx
	}
	return context.WithValue(ctx, apiKeyCtxKey{}, key)
}

// APIKeyFromContext returns the per-request key set by ContextWithAPIKey.
func APIKeyFromContext(ctx context.Context) (string, bool) {
	key, ok := ctx.Value(apiKeyCtxKey{}).(string)
	return key, ok && key != ""
}

// ErrShuttingDown is the cancellation cause of calls stopped because the
// server is shutting down (SIGINT/SIGTERM, or an HTTP shutdown that ran out
// of time): error messages then say so instead of blaming the client.
var ErrShuttingDown = errors.New("this server is shutting down")
