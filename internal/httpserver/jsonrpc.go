package httpserver

import (
	"encoding/json"
	"net/http"
)

// Header values shared by all responses (net/http never mutates them), so
// writing them does not allocate.
var (
	hdrJSON    = []string{"application/json"}
	hdrNoStore = []string{"no-store"}
	hdrNoSniff = []string{"nosniff"}
)

// jsonRPCError renders a JSON-RPC 2.0 error response with a null id, used as
// the body of HTTP-level refusals (403, 401, 413) so MCP clients can show it.
func jsonRPCError(code int, message string) []byte {
	type rpcErr struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	b, err := json.Marshal(struct {
		JSONRPC string `json:"jsonrpc"`
		ID      any    `json:"id"`
		Error   rpcErr `json:"error"`
	}{"2.0", nil, rpcErr{code, message}})
	if err != nil {
		panic(err) // cannot happen: fixed types
	}
	return b
}

// writeJSON writes a precomputed JSON body with status code.
func writeJSON(w http.ResponseWriter, code int, body []byte) {
	h := w.Header()
	h["Content-Type"] = hdrJSON
	h["Cache-Control"] = hdrNoStore
	h["X-Content-Type-Options"] = hdrNoSniff
	w.WriteHeader(code)
	_, _ = w.Write(body)
}
