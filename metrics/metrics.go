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

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// Metrics is one registry and its collectors.
type Metrics struct {
	reg         *registry
	toolCalls   *family
	toolSeconds *family
	inflight    *series
	upstream    *family
	tooMany     *series
	limiterWait *series
}

// New makes the registry with the Go and process collectors and ours.
func New() *Metrics {
	m := &Metrics{reg: &registry{}}
	m.toolCalls = newFamily("mcp_tool_calls_total",
		"Tool calls by tool and outcome (ok, tool_error: an error result the user can act on, error: a protocol error).",
		counterType, "tool", "outcome")
	m.toolSeconds = newHistogram("mcp_tool_call_duration_seconds", "Tool call duration by tool.",
		[]float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}, "tool")
	inflight := newFamily("mcp_tool_calls_in_flight", "Tool calls being served now.", gaugeType)
	m.upstream = newFamily("instantly_requests_total",
		"Requests to the Instantly API by endpoint (path template) and status (\"error\": no answer).",
		counterType, "endpoint", "status")
	tooMany := newFamily("instantly_rate_limited_total", "Instantly answers with status 429 (Too Many Requests).", counterType)
	limiterWait := newHistogram("instantly_limiter_wait_seconds", "Time requests waited for the workspace's rate budget.",
		[]float64{0, .001, .01, .05, .1, .25, .5, 1, 2, 5, 10, 30, 60})
	m.inflight, m.tooMany, m.limiterWait = inflight.with(), tooMany.with(), limiterWait.with()
	m.reg.register(m.toolCalls, m.toolSeconds, inflight, m.upstream, tooMany, limiterWait)
	m.reg.collectors = append(m.reg.collectors, goCollector, processCollector)
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return m.reg.handler()
}

// RedisFallback exports the Redis budget's state: 1 while replicas use their
// own budget because Redis does not answer, 0 while it is shared.
func (m *Metrics) RedisFallback(fallback func() bool) {
	f := &family{name: "instantly_redis_budget_fallback",
		help: "1 while Redis is unavailable and the in-process rate budget is used, 0 while the shared budget is.",
		typ:  gaugeType,
		fn: func() float64 {
			if fallback() {
				return 1
			}
			return 0
		}}
	m.reg.register(f)
}

// ToolMiddleware counts and times tool calls.
func (m *Metrics) ToolMiddleware() server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			m.inflight.inc()
			start := time.Now()
			res, err := next(ctx, req)
			m.inflight.dec()
			outcome := "ok"
			switch {
			case err != nil:
				outcome = "error"
			case res != nil && res.IsError:
				outcome = "tool_error"
			}
			m.toolCalls.with(req.Params.Name, outcome).inc()
			m.toolSeconds.with(req.Params.Name).observe(time.Since(start).Seconds())
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
			rt.m.tooMany.inc()
		}
	}
	rt.m.upstream.with(Endpoint(r.URL.Path), status).inc()
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
	l.m.limiterWait.observe(time.Since(start).Seconds())
	return err
}
