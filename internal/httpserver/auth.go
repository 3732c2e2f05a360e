package httpserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

var (
	errUnauthorized   = jsonRPCError(-32001, "unauthorized: send the server's access token as \"Authorization: Bearer <token>\"")
	hdrBearer         = []string{"Bearer"}
	hdrBearerRejected = []string{`Bearer error="invalid_token"`}
)

// requireToken lets a request through only if it carries
// "Authorization: Bearer <token>" with the configured access token.
// Comparison is over SHA-256 digests in constant time, so neither the
// token's content nor its length leaks through timing. Refusals get 401,
// WWW-Authenticate: Bearer and a JSON-RPC error body.
func requireToken(want [sha256.Size]byte, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := bearerToken(r.Header.Get("Authorization"))
		if !ok {
			w.Header()["Www-Authenticate"] = hdrBearer
			writeJSON(w, http.StatusUnauthorized, errUnauthorized)
			return
		}
		got := sumString(tok)
		if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header()["Www-Authenticate"] = hdrBearerRejected
			writeJSON(w, http.StatusUnauthorized, errUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// bearerToken extracts the credentials of an "Authorization: Bearer x"
// header value (scheme case-insensitive, surrounding spaces trimmed).
func bearerToken(h string) (string, bool) {
	const prefix = "Bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	tok := strings.TrimSpace(h[len(prefix):])
	return tok, tok != ""
}

// sumString hashes s without a heap allocation for ordinary token sizes.
func sumString(s string) [sha256.Size]byte {
	var buf [256]byte
	if len(s) <= len(buf) {
		n := copy(buf[:], s)
		return sha256.Sum256(buf[:n])
	}
	return sha256.Sum256([]byte(s))
}
