// Package metrics collects what an operator of the HTTP transports wants on
// a dashboard, in Prometheus text format: tool calls by tool and outcome,
// upstream requests by endpoint and status, 429s, the rate limiter's waits,
// the Redis budget's state and the calls in flight. It uses its own registry,
// made only when metrics are on: nothing is registered otherwise.
package metrics

import (
	"context"
	"crypto/sha256"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// Metrics is one registry and its collectors.
type Metrics struct {
	reg         *prometheus.Registry
	toolCalls   *prometheus.CounterVec
	toolSeconds *prometheus.HistogramVec
	inflight    prometheus.Gauge
	upstream    *prometheus.CounterVec
	tooMany     prometheus.Counter
	limiterWait prometheus.Histogram
}

// New makes the registry with the Go and process collectors and ours.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.toolCalls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "mcp_tool_calls_total",
		Help: "Tool calls by tool and outcome (ok, tool_error: an error result the user can act on, error: a protocol error).",
	}, []string{"tool", "outcome"})
	m.toolSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "mcp_tool_call_duration_seconds",
		Help:    "Tool call duration by tool.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"tool"})
	m.inflight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "mcp_tool_calls_in_flight",
		Help: "Tool calls being served now.",
	})
	m.upstream = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "instantly_requests_total",
		Help: "Requests to the Instantly API by endpoint (path template) and status (\"error\": no answer).",
	}, []string{"endpoint", "status"})
	m.tooMany = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "instantly_rate_limited_total",
		Help: "Instantly answers with status 429 (Too Many Requests).",
	})
	m.limiterWait = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "instantly_limiter_wait_seconds",
		Help:    "Time requests waited for the workspace's rate budget.",
		Buckets: []float64{0, .001, .01, .05, .1, .25, .5, 1, 2, 5, 10, 30, 60},
	})
	m.reg.MustRegister(m.toolCalls, m.toolSeconds, m.inflight, m.upstream, m.tooMany, m.limiterWait,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// RedisFallback exports the Redis budget's state: 1 while replicas use their
// own budget because Redis does not answer, 0 while it is shared.
func (m *Metrics) RedisFallback(fallback func() bool) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "instantly_redis_budget_fallback",
		Help: "1 while Redis is unavailable and the in-process rate budget is used, 0 while the shared budget is.",
	}, func() float64 {
		if fallback() {
			return 1
		}
		return 0
	}))
}

// ToolMiddleware counts and times tool calls.
func (m *Metrics) ToolMiddleware() server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			m.inflight.Inc()
			start := time.Now()
			res, err := next(ctx, req)
			m.inflight.Dec()
			outcome := "ok"
			switch {
			case err != nil:
				outcome = "error"
			case res != nil && res.IsError:
				outcome = "tool_error"
			}
			m.toolCalls.WithLabelValues(req.Params.Name, outcome).Inc()
			m.toolSeconds.WithLabelValues(req.Params.Name).Observe(time.Since(start).Seconds())
			return res, err
		}
	}
}

// Transport counts upstream requests around next.
func (m *Metrics) Transport(next http.RoundTripper) http.RoundTripper {
	return roundTripper{m, next}
}

type roundTripper struct {
	m    *Metrics
	next http.RoundTripper
}

func (rt roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := rt.next.RoundTrip(r)
	status := "error"
	if err == nil {
		status = strconv.Itoa(resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests {
			rt.m.tooMany.Inc()
		}
	}
	rt.m.upstream.WithLabelValues(Endpoint(r.URL.Path), status).Inc()
	return resp, err
}

// Endpoint is the path template of an Instantly API path: ids become {id},
// so the label's values stay few.
func Endpoint(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 3 || parts[0] != "api" || parts[1] != "v2" {
		return "other"
	}
	switch parts[2] {
	case "campaigns", "subsequences":
	default:
		return "other"
	}
	switch {
	case len(parts) == 3:
		return "/api/v2/" + parts[2]
	case len(parts) == 4:
		return "/api/v2/" + parts[2] + "/{id}"
	case len(parts) == 5 && parts[4] == "sending-status":
		return "/api/v2/" + parts[2] + "/{id}/sending-status"
	}
	return "other"
}

// Limiter times the waits of next.
func (m *Metrics) Limiter(next instantly.Limiter) instantly.Limiter {
	return limiter{m, next}
}

type limiter struct {
	m    *Metrics
	next instantly.Limiter
}

func (l limiter) Wait(ctx context.Context, key [sha256.Size]byte, op string) error {
	start := time.Now()
	err := l.next.Wait(ctx, key, op)
	l.m.limiterWait.Observe(time.Since(start).Seconds())
	return err
}
