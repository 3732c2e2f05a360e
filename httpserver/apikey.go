package httpserver

import (
	"context"
	"net/http"
	"strings"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// HeaderAPIKey carries a client's own Instantly API key.
const HeaderAPIKey = "X-Instantly-Api-Key"

// KeyHelp says, for a message to a person, how a request brings its own key.
const KeyHelp = "over HTTP, send it with each request in the " + HeaderAPIKey + " header " +
	"(or Authorization: Bearer <key> when the server has no access token)"

// apiKeyContext is the mcp-go context func of both transports (streamable
// HTTP: every POST /mcp; SSE: every POST /message, never the GET /sse
// stream). It puts the request's Instantly key, if any, into the context the
// tool handlers receive. The key lives only in that context: it is not
// stored, cached or logged.
//
// It then removes the credential headers from the request: mcp-go copies
// the request headers into every CallToolRequest.Header (and the context),
// and tools must not find the key or the access token there, where a debug
// dump could leak them. Authentication has already happened by now.
func (s *Server) apiKeyContext(ctx context.Context, r *http.Request) context.Context {
	key := s.instantlyKey(r.Header)
	delete(r.Header, HeaderAPIKey)
	delete(r.Header, "Authorization")
	if key != "" {
		return instantly.ContextWithAPIKey(ctx, key)
	}
	return ctx
}

// instantlyKey returns the Instantly key of a request: X-Instantly-Api-Key,
// or else "Authorization: Bearer <key>" — unless an access token is
// configured, in which case Authorization carries that token and never an
// Instantly key.
func (s *Server) instantlyKey(h http.Header) string {
	if v := h[HeaderAPIKey]; len(v) > 0 {
		if key := strings.TrimSpace(v[0]); key != "" {
			return key
		}
	}
	if s.hasToken {
		return ""
	}
	key, _ := bearerToken(h.Get("Authorization"))
	return key
}
