// Package metrics collects what an operator of the HTTP transports wants on
// a dashboard, in the Prometheus text format: tool calls by tool and outcome,
// upstream requests by endpoint and status, 429s, the rate limiter's waits,
// the Redis budget's state and the calls in flight, beside the Go runtime and
// process metrics. It uses VictoriaMetrics/metrics with a set of its own,
// made only when metrics are on: nothing is registered otherwise.
//
// Why this library: linking it costs the stdio server, which never serves
// /metrics, about 1.2 million instructions of package init (its own and
// runtime/metrics') and ~0.3 MB of peak RSS; client_golang's prometheus
// package cost 4.7 million and ~2.1 MB (it builds a default registry with
// the Go and process collectors at init and brings protobuf and procfs).
package metrics

import (
	"context"
	"crypto/sha256"
	"net/http"
	"strconv"
	"strings"
	"time"

	vm "github.com/VictoriaMetrics/metrics"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// The series. Labelled families are written name{label="value",...} with
// the labels in alphabetical order, as client_golang writes them.
const (
	toolCalls   = "mcp_tool_calls_total"
	toolSeconds = "mcp_tool_call_duration_seconds"
	inflight    = "mcp_tool_calls_in_flight"
	upstream    = "instantly_requests_total"
	tooMany     = "instantly_rate_limited_total"
	limiterWait = "instantly_limiter_wait_seconds"
	redisBudget = "instantly_redis_budget_fallback"
)

// help is the HELP text of each family of ours.
var help = map[string]string{
	toolCalls:   "Tool calls by tool and outcome (ok, tool_error: an error result the user can act on, error: a protocol error).",
	toolSeconds: "Tool call duration by tool.",
	inflight:    "Tool calls being served now.",
	upstream:    "Requests to the Instantly API by endpoint (path template) and status (\"error\": no answer).",
	tooMany:     "Instantly answers with status 429 (Too Many Requests).",
	limiterWait: "Time requests waited for the workspace's rate budget.",
	redisBudget: "1 while Redis is unavailable and the in-process rate budget is used, 0 while the shared budget is.",
}

var (
	toolBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}
	waitBuckets = []float64{0, .001, .01, .05, .1, .25, .5, 1, 2, 5, 10, 30, 60}
)

// Metrics is one set of series.
type Metrics struct {
	set         *vm.Set
	inflight    *vm.Gauge
	tooMany     *vm.Counter
	limiterWait *vm.PrometheusHistogram
}

// New makes the set with the series that exist before the first call.
func New() *Metrics {
	// HELP and TYPE lines, as Prometheus and client_golang write them.
	vm.ExposeMetadata(true)
	s := vm.NewSet()
	return &Metrics{
		set:         s,
		inflight:    s.NewGauge(inflight, nil),
		tooMany:     s.NewCounter(tooMany),
		limiterWait: s.NewPrometheusHistogramExt(limiterWait, waitBuckets),
	}
}

// RedisFallback exports the Redis budget's state: 1 while replicas use their
// own budget because Redis does not answer, 0 while it is shared.
func (m *Metrics) RedisFallback(fallback func() bool) {
	m.set.NewGauge(redisBudget, func() float64 {
		if fallback() {
			return 1
		}
		return 0
	})
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
			tool := label("tool", req.Params.Name)
			m.set.GetOrCreateCounter(toolCalls + "{" + label("outcome", outcome) + "," + tool + "}").Inc()
			m.set.GetOrCreatePrometheusHistogramExt(toolSeconds+"{"+tool+"}", toolBuckets).UpdateDuration(start)
			return res, err
		}
	}
}

// label is name="value", the value escaped as the text format asks.
func label(name, value string) string {
	return name + `="` + labelEscaper.Replace(value) + `"`
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

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
	rt.m.set.GetOrCreateCounter(upstream + "{" + label("endpoint", Endpoint(r.URL.Path)) + "," + label("status", status) + "}").Inc()
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
	l.m.limiterWait.UpdateDuration(start)
	return err
}
