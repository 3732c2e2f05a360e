package instantlytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// TestConcurrentUse mixes requests with every mutating method: every
// request gets one of the answers it can get, and the workspace ends
// consistent. Under -race it also checks the locking.
func TestConcurrentUse(t *testing.T) {
	ws := DemoWorkspace(testNow)
	h := NewHandler(ws, WithRateLimit(1_000_000, 0), WithMaxRecorded(50))
	var wg sync.WaitGroup
	var odd atomic.Int64
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				e := DemoCampaigns[(g*7+i)%len(DemoCampaigns)]
				var w *httptest.ResponseRecorder
				switch i % 4 {
				case 0:
					w = get(t, h, statusPath(e.ID, i%3 == 0))
				case 1:
					w = get(t, h, subsequencePath(e.ID, false))
				case 2:
					w = get(t, h, fmt.Sprintf("/api/v2/campaigns?limit=%d&search=a", 1+i%9))
				default:
					w = get(t, h, "/api/v2/campaigns/"+e.ID)
				}
				// 200, 404 (a subsequence path for a campaign id, and
				// the reverse), or the injected 500.
				if c := w.Code; (c != 200 && c != 404 && c != 500) || !json.Valid(w.Body.Bytes()) {
					odd.Add(1)
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
	if n := odd.Load(); n != 0 {
		t.Errorf("%d answers were neither 200, 404 nor the injected 500 with a JSON body", n)
	}
	// The churned ids i%3 == 0 were removed last for ids 0, 3, ..., 18;
	// the others stay, listed once each in id order.
	listed := ws.Campaigns()
	if len(listed) != ws.Len() || !slices.IsSortedFunc(listed, func(a, b instantly.Campaign) int { return strings.Compare(a.ID, b.ID) }) {
		t.Fatalf("%d campaigns listed, Len %d, or not in id order", len(listed), ws.Len())
	}
	for i := range 20 {
		id := fmt.Sprintf("0190aaaa-0000-7000-8000-%012d", i)
		if _, ok := ws.Campaign(id); ok != (i%3 != 0) {
			t.Errorf("churned campaign %d present = %v", i, ok)
		}
	}
}

func TestLatency(t *testing.T) {
	h := NewHandler(DemoWorkspace(testNow), WithLatency(40*time.Millisecond))
	start := time.Now()
	if w := get(t, h, statusPath(DemoCampaigns[0].ID, false)); w.Code != http.StatusOK || time.Since(start) < 40*time.Millisecond {
		t.Errorf("%d after %v", w.Code, time.Since(start))
	}
}
