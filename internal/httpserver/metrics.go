package httpserver

import (
	"encoding/json"
	"maps"
	"net/http"
)

const pathMetrics = "/metrics"

// withMetrics serves GET /metrics with m (inside the Origin check and the
// access token) and everything else with next.
func withMetrics(m, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == pathMetrics {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				w.Header()["Allow"] = hdrAllowGH
				writeJSON(w, http.StatusMethodNotAllowed, errMethodNotAllowed)
				return
			}
			m.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// healthHandler is health, with info's entries added to the body when info
// is set.
func healthHandler(info func() map[string]string) http.HandlerFunc {
	if info == nil {
		return health
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			health(w, r)
			return
		}
		body := map[string]string{"status": "ok"}
		maps.Copy(body, info())
		body["status"] = "ok"
		b, _ := json.Marshal(body)
		h := w.Header()
		h["Content-Type"] = hdrJSON
		h["Cache-Control"] = hdrNoStore
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			_, _ = w.Write(b)
		}
	}
}
