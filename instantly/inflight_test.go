package instantly

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// WithMaxConcurrentRequests bounds the requests on the wire for a client and
// its per-key copies together: 12 calls with 12 keys, 3 at a time.
func TestMaxConcurrentRequests(t *testing.T) {
	var now, peak atomic.Int32
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: func(w http.ResponseWriter, r *http.Request) {
		n := now.Add(1)
		defer now.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(30 * time.Millisecond)
		reply(200, healthyBody)(w, r)
	}})
	base := srv.client(t, WithMaxConcurrentRequests(3))
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			c := base.WithAPIKey(fmt.Sprintf("per-request-key-%04d-abcdef", i))
			if _, err := c.GetCampaignSendingStatus(context.Background(), testID, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if peak.Load() != 3 {
		t.Errorf("peak %d requests at once, want 3", peak.Load())
	}
	// A request that cannot get a slot within its deadline says so.
	slow := srv.client(t, WithMaxConcurrentRequests(1), WithTimeout(50*time.Millisecond), WithMaxAttempts(1))
	slow.inFlight <- struct{}{}
	defer func() { <-slow.inFlight }()
	if _, err := slow.GetCampaignSendingStatus(context.Background(), testID, nil); err == nil {
		t.Error("a request with no slot went out")
	}
}
