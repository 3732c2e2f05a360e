package tools_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

// BenchmarkSendingOverview1000 is get_sending_overview over 1,000 campaigns
// with 20 ms upstream latency and Instantly's real limits, enforced on both
// sides (client budget 100/s and 6,000/min; the fake answers 429 above them).
// The floor is 1,000 status calls plus 10 list calls at 100/s, about 10 s.
// It takes real time, so run it once:
//
//	go test ./tools -run '^$' -bench SendingOverview1000 -benchtime=1x
func BenchmarkSendingOverview1000(b *testing.B) {
	const n = 1000
	for b.Loop() {
		b.StopTimer()
		e := startEnv(b, instantlytest.LargeWorkspace(n, fixedNow, 1),
			withClientOptions(instantly.WithRateLimits(instantly.DefaultRequestsPerSecond, instantly.DefaultRequestsPerMinute)),
			withFakeOptions(instantlytest.WithLatency(20*time.Millisecond),
				instantlytest.WithRateLimit(instantly.DefaultRequestsPerSecond, instantly.DefaultRequestsPerMinute)))
		req := mcp.CallToolRequest{}
		req.Params.Name = "get_sending_overview"
		req.Params.Arguments = map[string]any{"status": "all", "max_campaigns": n}
		b.StartTimer()

		start := time.Now()
		res, err := e.client.CallTool(context.Background(), req)
		wall := time.Since(start)

		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if res.IsError {
			b.Fatal(text(res))
		}
		var ov struct{ Checked, Matched int }
		raw, _ := json.Marshal(res.StructuredContent)
		if err := json.Unmarshal(raw, &ov); err != nil || ov.Checked != n || ov.Matched != n {
			b.Fatalf("checked %d of %d (%v)", ov.Checked, ov.Matched, err)
		}
		st := e.fake.Handler.Stats()
		floor := float64(st.Requests) / instantly.DefaultRequestsPerSecond
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(wall.Seconds()/floor, "x-floor")
		b.ReportMetric(float64(st.Requests), "requests")
		b.ReportMetric(float64(st.PeakPerSecond), "peak-req/s")
		b.ReportMetric(float64(st.PeakPerMinute), "peak-req/min")
		b.ReportMetric(float64(st.TooManyRequests), "429s")
		b.StartTimer()
	}
}
