package metrics

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// reference is the registry this package used to build with client_golang
// (before its init was taken off the stdio path): the output of
// ours must match it.
type reference struct {
	reg         *prometheus.Registry
	toolCalls   *prometheus.CounterVec
	toolSeconds *prometheus.HistogramVec
	inflight    prometheus.Gauge
	upstream    *prometheus.CounterVec
	tooMany     prometheus.Counter
	limiterWait prometheus.Histogram
}

func newReference(fallback func() bool) *reference {
	m := &reference{reg: prometheus.NewRegistry()}
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
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "instantly_redis_budget_fallback",
		Help: "1 while Redis is unavailable and the in-process rate budget is used, 0 while the shared budget is.",
	}, func() float64 {
		if fallback() {
			return 1
		}
		return 0
	}))
	return m
}

func scrape(t *testing.T, h http.Handler, gz bool) (http.Header, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	if gz {
		req.Header.Set("Accept-Encoding", "gzip, deflate")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body := io.Reader(rec.Body)
	if rec.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = zr
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return rec.Header(), string(b)
}

// families splits an exposition into blocks by family name.
func families(text string) map[string]string {
	out := map[string]string{}
	var name string
	for _, line := range strings.SplitAfter(text, "\n") {
		if rest, ok := strings.CutPrefix(line, "# HELP "); ok {
			name, _, _ = strings.Cut(rest, " ")
		}
		out[name] += line
	}
	return out
}

var sampleValue = regexp.MustCompile(`(?m)^([^# ][^ ]*)(?:\{([^}]*)\})? .*$`)

// shape is a family without its values: HELP, TYPE, and each sample's
// name and label names (label values of quantile and version kept).
func shape(block string) string {
	return sampleValue.ReplaceAllStringFunc(block, func(line string) string {
		m := sampleValue.FindStringSubmatch(line)
		return m[1] + "{" + regexp.MustCompile(`="[^"]*"`).ReplaceAllStringFunc(m[2], func(v string) string {
			if strings.Contains(line, "quantile=") || strings.HasPrefix(line, "go_info") {
				return v
			}
			return `=…`
		}) + "}"
	})
}

// TestExpositionMatchesClientGolang: the same operations on this package's
// registry and on client_golang's give the same /metrics, byte for byte for
// our metrics; for the Go runtime and process metrics (whose values move
// between two scrapes) the same names, help, types and labels.
func TestExpositionMatchesClientGolang(t *testing.T) {
	fallback := true
	ours := New()
	ours.RedisFallback(func() bool { return fallback })
	ref := newReference(func() bool { return fallback })

	for _, op := range []struct {
		tool, outcome string
		seconds       float64
	}{
		{"get_campaign_sending_status", "ok", 0.0042},
		{"get_campaign_sending_status", "ok", 0.75},
		{"get_campaign_sending_status", "tool_error", 31},
		{"list_campaigns", "error", 0.01},
		{`odd "tool"\name` + "\n", "ok", 1e-9},
	} {
		ours.toolCalls.with(op.tool, op.outcome).inc()
		ours.toolSeconds.with(op.tool).observe(op.seconds)
		ref.toolCalls.WithLabelValues(op.tool, op.outcome).Inc()
		ref.toolSeconds.WithLabelValues(op.tool).Observe(op.seconds)
	}
	for i := range 12345 {
		status := []string{"200", "404", "429", "error"}[i%4]
		endpoint := []string{"/api/v2/campaigns/{id}/sending-status", "/api/v2/campaigns", "other"}[i%3]
		ours.upstream.with(endpoint, status).inc()
		ref.upstream.WithLabelValues(endpoint, status).Inc()
		if status == "429" {
			ours.tooMany.inc()
			ref.tooMany.Inc()
		}
	}
	for _, w := range []float64{0, 0, 0.0004, 0.3, 1.0999, 61, 0.05} {
		ours.limiterWait.observe(w)
		ref.limiterWait.Observe(w)
	}
	ours.inflight.inc()
	ours.inflight.inc()
	ours.inflight.dec()
	ref.inflight.Inc()
	ref.inflight.Inc()
	ref.inflight.Dec()

	for _, gz := range []bool{false, true} {
		oh, ob := scrape(t, ours.Handler(), gz)
		rh, rb := scrape(t, promhttp.HandlerFor(ref.reg, promhttp.HandlerOpts{}), gz)
		for _, h := range []string{"Content-Type", "Content-Encoding"} {
			if oh.Get(h) != rh.Get(h) {
				t.Errorf("gzip %v: %s %q, client_golang %q", gz, h, oh.Get(h), rh.Get(h))
			}
		}
		if !slices.Equal(oh.Values("Vary"), rh.Values("Vary")) {
			t.Errorf("Vary %q, client_golang %q", oh.Values("Vary"), rh.Values("Vary"))
		}
		of, rf := families(ob), families(rb)
		var names []string
		for name := range rf {
			names = append(names, name)
		}
		for name := range of {
			if _, ok := rf[name]; !ok {
				t.Errorf("family %s only in ours", name)
			}
		}
		slices.Sort(names)
		var order []string
		for _, line := range strings.Split(ob, "\n") {
			if rest, ok := strings.CutPrefix(line, "# HELP "); ok {
				n, _, _ := strings.Cut(rest, " ")
				order = append(order, n)
			}
		}
		if !slices.Equal(order, names) {
			t.Errorf("family order\n%q\nwant\n%q", order, names)
		}
		for _, name := range names {
			runtime := strings.HasPrefix(name, "go_") || strings.HasPrefix(name, "process_")
			switch {
			case of[name] == "":
				t.Errorf("family %s missing", name)
			case runtime && shape(of[name]) != shape(rf[name]):
				t.Errorf("%s:\n%s\nclient_golang:\n%s", name, shape(of[name]), shape(rf[name]))
			case !runtime && of[name] != rf[name]:
				t.Errorf("%s:\n%s\nclient_golang:\n%s", name, of[name], rf[name])
			}
		}
	}
}

// TestEmptyVectorsAreNotExported: a labelled metric with no series has no
// HELP or TYPE line (as in client_golang); one without labels is always there.
func TestEmptyVectorsAreNotExported(t *testing.T) {
	_, body := scrape(t, New().Handler(), false)
	if strings.Contains(body, "mcp_tool_calls_total") || strings.Contains(body, "instantly_requests_total") {
		t.Errorf("empty vectors exported:\n%s", body)
	}
	for _, want := range []string{"mcp_tool_calls_in_flight 0\n", "instantly_rate_limited_total 0\n", "instantly_limiter_wait_seconds_count 0\n", "go_goroutines "} {
		if !strings.Contains(body, want) {
			t.Errorf("lacks %q", want)
		}
	}
}
