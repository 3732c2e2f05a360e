package instantlytest

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// TestConcurrentUse mixes requests with every mutating method; run it with
// -race.
func TestConcurrentUse(t *testing.T) {
	ws := DemoWorkspace(testNow)
	h := NewHandler(ws, WithRateLimit(1_000_000, 0), WithMaxRecorded(50))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				e := DemoCampaigns[(g*7+i)%len(DemoCampaigns)]
				switch i % 4 {
				case 0:
					get(t, h, statusPath(e.ID, i%3 == 0))
				case 1:
					get(t, h, subsequencePath(e.ID, false))
				case 2:
					get(t, h, fmt.Sprintf("/api/v2/campaigns?limit=%d&search=a", 1+i%9))
				default:
					get(t, h, "/api/v2/campaigns/"+e.ID)
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 200 {
			id := fmt.Sprintf("0190aaaa-0000-7000-8000-%012d", i%20)
			ws.AddCampaign(instantly.Campaign{ID: id, Name: "Churn", Status: 1}, []byte(`{"diagnostics":null,"summary":null}`))
			ws.SetSendingStatus(DemoCampaigns[i%len(DemoCampaigns)].ID, []byte(`{"summary":{"ai_summary":"x"}}`))
			if i%3 == 0 {
				ws.Remove(id)
			}
			_ = ws.Campaigns()
			_, _ = ws.SendingStatus(id)
		}
	})
	wg.Go(func() {
		for i := range 200 {
			h.SetFault("", Fault{Status: 500, Times: 2})
			if i%10 == 0 {
				h.ClearFaults()
				h.Reset()
			}
			_ = h.Stats()
			_ = h.Requests()
			_ = h.RequestsFor(DemoCampaigns[0].ID)
		}
	})
	wg.Wait()
}

func TestLatency(t *testing.T) {
	h := NewHandler(DemoWorkspace(testNow), WithLatency(40*time.Millisecond))
	start := time.Now()
	if w := get(t, h, statusPath(DemoCampaigns[0].ID, false)); w.Code != http.StatusOK || time.Since(start) < 40*time.Millisecond {
		t.Errorf("%d after %v", w.Code, time.Since(start))
	}
}
