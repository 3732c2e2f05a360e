package httpserver

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

var benchReply = []byte(`{"jsonrpc":"2.0","id":1,"result":{}}`)

type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(int)             {}

// BenchmarkMiddleware measures the per-request cost of this package's
// middleware (access log, Origin, token, body limit, tracking) around a
// handler that just drains the body, i.e. everything except mcp-go.
func BenchmarkMiddleware(b *testing.B) {
	for _, logged := range []bool{false, true} {
		b.Run(map[bool]string{false: "log-off", true: "log-on"}[logged], func(b *testing.B) {
			level := slog.LevelWarn
			if logged {
				level = slog.LevelInfo
			}
			cfg := Config{AuthToken: "token-0123456789abcdef0123456789abcdef", Logger: slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: level}))}
			s, err := New(newFixture().mcp, cfg)
			if err != nil {
				b.Fatal(err)
			}
			origins, _ := newOriginPolicy(nil)
			inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.WriteHeader(http.StatusOK)
				_, _ = w.Write(benchReply)
			})
			h := s.accessLog(route(checkOrigin(origins, requireToken(s.tokenSum, s.limitBody(s.track(inner))))))
			body := []byte(strings.Repeat("x", 300))
			req := httptest.NewRequest("POST", "/mcp", nil)
			req.Header.Set("Authorization", "Bearer "+cfg.AuthToken)
			req.Header.Set("Origin", "http://localhost:3000")
			req.Header.Set(HeaderAPIKey, "k")
			w := &discardWriter{h: http.Header{}}
			rd := bytes.NewReader(body)
			b.ReportAllocs()
			for b.Loop() {
				rd.Reset(body)
				req.Body = io.NopCloser(rd)
				req.ContentLength = int64(len(body))
				clear(w.h)
				h.ServeHTTP(w, req)
			}
		})
	}
}
