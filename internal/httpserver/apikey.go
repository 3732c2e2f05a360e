package httpserver

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
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
// Instantly key, or the Bearer value is a JWT (refuseJWTBearer answered
// 401 already; this is the second lock).
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
	if looksLikeJWT(key) {
		return ""
	}
	return key
}

var errJWTBearer = jsonRPCError(-32001, "the Authorization header holds a JWT (an identity token, such as an auth "+
	"gateway adds), not an Instantly API key, so it was not sent to Instantly: send the Instantly key in the "+
	HeaderAPIKey+" header")

// refuseJWTBearer, on a server without an access token (where a Bearer
// value would be taken for the Instantly key), answers 401 to a request
// whose only key is a Bearer JWT: that is a gateway's identity token for
// the person, and must never reach Instantly.
func refuseJWTBearer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := r.Header[HeaderAPIKey]; len(v) == 0 || strings.TrimSpace(v[0]) == "" {
			if tok, ok := bearerToken(r.Header.Get("Authorization")); ok && looksLikeJWT(tok) {
				w.Header()["Www-Authenticate"] = hdrBearerRejected
				writeJSON(w, http.StatusUnauthorized, errJWTBearer)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// looksLikeJWT reports a JWS or JWE in compact form: three (or five)
// base64url parts separated by dots, the first a JSON object.
func looksLikeJWT(tok string) bool {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 && len(parts) != 5 {
		return false
	}
	header, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[0], "="))
	if err != nil {
		return false
	}
	header = bytes.TrimSpace(header)
	return len(header) > 1 && header[0] == '{' && json.Valid(header)
}
