package instantly_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

// BenchmarkBackToBack: n calls one after another through the client with
// Instantly's limits, against the in-process fake (no network, no latency).
// Up to 95 they run at the fake's speed; the 96th waits for the first to
// leave the rolling second (1.1 s with the spread), so 100 take just over
// that. It reports the time per batch and the most requests the fake saw in
// any rolling second.
//
//	go test -run '^$' -bench BackToBack -benchtime 3x ./instantly
func BenchmarkBackToBack(b *testing.B) {
	for _, n := range []int{50, 95, 100} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			h := instantlytest.NewHandler(instantlytest.DemoWorkspace(time.Now()), instantlytest.WithMaxRecorded(0))
			base, err := instantly.NewClient("",
				instantly.WithBaseURL("http://fake.invalid"),
				instantly.WithHTTPClient(&http.Client{Transport: instantlytest.NewTransport(h)}),
				instantly.WithRateLimits(instantly.DefaultRequestsPerSecond, instantly.DefaultRequestsPerMinute))
			if err != nil {
				b.Fatal(err)
			}
			id := instantlytest.DemoCampaigns[0].ID
			ctx := context.Background()
			peak := 0
			i := 0
			for b.Loop() {
				// A fresh key per batch: a budget not yet touched.
				c := base.WithAPIKey(fmt.Sprintf("%s-%d", instantlytest.DemoAPIKey, i))
				i++
				h.Reset()
				for range n {
					if _, err := c.GetCampaignSendingStatus(ctx, id, nil); err != nil {
						b.Fatal(err)
					}
				}
				peak = max(peak, h.Stats().PeakPerSecond)
			}
			b.ReportMetric(float64(peak), "peak-req/s")
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/batch")
		})
	}
}
