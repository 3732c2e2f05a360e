package httpserver

import (
	"net"
	"net/http"
	"strings"
)

var errHostForbidden = jsonRPCError(-32600, "invalid Host header: this server listens on loopback and answers only "+
	"requests addressed to localhost, 127.0.0.1 or [::1] (protection against DNS rebinding)")

// checkHost refuses, with 403 and a JSON-RPC error, a request that reached
// a loopback listener with a Host that is not a loopback name: a web page
// whose name was rebound to 127.0.0.1 would send its own name. It guards
// every route alike (/mcp, /sse, /message, /metrics, /healthz), before
// anything else; mcp-go's own check (plain text, /mcp and /sse only) then
// never fires.
func checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
		if ok && local != nil && loopbackHostPort(local.String()) && !loopbackHostPort(r.Host) {
			writeJSON(w, http.StatusForbidden, errHostForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// loopbackHostPort reports whether a host or host:port names loopback.
func loopbackHostPort(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return host != "" && isLoopback(host)
}
