package httpserver

import "net/http"

var (
	healthBody = []byte(`{"status":"ok"}`)
	hdrAllowGH = []string{"GET, HEAD"}
)

// health answers GET/HEAD /healthz with 200 {"status":"ok"}. It needs no
// access token and no Origin, and touches neither MCP nor Instantly, so it
// is suitable for load-balancer and container liveness probes.
func health(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header()["Allow"] = hdrAllowGH
		writeJSON(w, http.StatusMethodNotAllowed, errMethodNotAllowed)
		return
	}
	h := w.Header()
	h["Content-Type"] = hdrJSON
	h["Cache-Control"] = hdrNoStore
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(healthBody)
	}
}

var errMethodNotAllowed = jsonRPCError(-32600, "method not allowed")
