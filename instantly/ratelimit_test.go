package instantly

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// maxInWindow is the largest number of events in any closed window
// [t, t+window] of the sorted times.
func maxInWindow(times []time.Time, window time.Duration) int {
	best, j := 0, 0
	for i := range times {
		for j < len(times) && times[j].Sub(times[i]) <= window {
			j++
		}
		best = max(best, j-i)
	}
	return best
}

// TestBucketNeverExceedsLimit drives each bucket as hard as it allows, on a
// simulated clock, and checks every sliding window.
func TestBucketNeverExceedsLimit(t *testing.T) {
	tests := []struct {
		limit  int
		window time.Duration
	}{
		{100, time.Second}, {6000, time.Minute}, {30, time.Second}, {10, time.Second}, {5, time.Second}, {1, time.Second},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d per %s", tt.limit, tt.window), func(t *testing.T) {
			lim := newBucket(tt.limit, tt.window)
			start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			step := tt.window / 2000
			var events []time.Time
			for now := start; now.Before(start.Add(5 * tt.window)); now = now.Add(step) {
				for lim.AllowN(now, 1) {
					events = append(events, now)
				}
			}
			if got := maxInWindow(events, tt.window); got > tt.limit {
				t.Errorf("%d events in one %s window, limit %d", got, tt.window, tt.limit)
			}
			// And the budget is not wasted: at least 70% of the limit
			// per window on average.
			if perWindow := float64(len(events)) / 5; perWindow < 0.7*float64(tt.limit) {
				t.Errorf("only %.1f events per window", perWindow)
			}
		})
	}
}

// TestRateLimitParallelCalls: parallel calls through the client never exceed
// the per-second budget in any sliding second, measured where the requests
// arrive.
func TestRateLimitParallelCalls(t *testing.T) {
	t.Parallel()
	const perSecond, calls = 30, 45
	var mu sync.Mutex
	var arrivals []time.Time
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		reply(200, healthyBody)(w, r)
	}})
	c := srv.client(t, WithRateLimits(perSecond, 100_000), WithTimeout(10*time.Second))
	start := time.Now()
	var wg sync.WaitGroup
	for i := range calls {
		// Half through a WithAPIKey copy with the same key: one budget.
		cc := c
		if i%2 == 1 {
			cc = c.WithAPIKey(testKey)
		}
		wg.Go(func() {
			if _, err := cc.GetCampaignSendingStatus(context.Background(), testID, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.SortFunc(arrivals, func(a, b time.Time) int { return a.Compare(b) })
	if got := maxInWindow(arrivals, time.Second); got > perSecond {
		t.Errorf("%d requests arrived within one second, budget %d", got, perSecond)
	}
	if len(arrivals) != calls {
		t.Errorf("%d requests arrived, want %d", len(arrivals), calls)
	}
	if elapsed < 500*time.Millisecond {
		t.Errorf("%d calls took %s: the limiter did not hold them back", calls, elapsed)
	}
}

// TestRateLimitSharedPerKey: copies with the same key share a budget, another
// key has its own, and a wait that cannot finish before the deadline fails at
// once without sending.
func TestRateLimitSharedPerKey(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: reply(200, healthyBody)})
	base := srv.client(t, WithRateLimits(1, 1000)) // burst 1, then ~1 per second
	a, sameKey, otherKey := base.WithAPIKey("key-a"), base.WithAPIKey("key-a"), base.WithAPIKey("key-b")
	ctx := context.Background()
	if _, err := a.GetCampaignSendingStatus(ctx, testID, nil); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	// Waiting would outlast the deadline: a *RateLimitError at once
	// (had it waited, the error would be the deadline's).
	_, err := sameKey.GetCampaignSendingStatus(short, testID, nil)
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter < 500*time.Millisecond {
		t.Fatalf("same key: err = %v, want *RateLimitError", err)
	}
	if _, err := otherKey.GetCampaignSendingStatus(ctx, testID, nil); err != nil {
		t.Errorf("other key: %v", err)
	}
	if n := srv.count(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	if n := base.limiters.size(); n != 2 {
		t.Errorf("%d budgets, want 2", n)
	}
	// Clients built separately with the default limits share the
	// process-wide registry.
	c1, _ := NewClient("k")
	c2, _ := NewClient("k", WithTimeout(time.Second))
	if c1.limiters != c2.limiters || c1.limiters != defaultLimiters {
		t.Error("default clients do not share one registry")
	}
}

func TestRateLimitCancelWhileWaiting(t *testing.T) {
	reg := newLimiterRegistry(1, 1000)
	h := keyHash("k")
	ctx := context.Background()
	if err := reg.wait(ctx, h, "op"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	if err := reg.wait(ctx, h, "op"); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if d := time.Since(start); d > 900*time.Millisecond { // the wait was ~1s
		t.Errorf("returned after %s", d)
	}
}

func TestRegistryEviction(t *testing.T) {
	reg := newLimiterRegistry(100, 6000)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	reg.now = func() time.Time { return now }
	a := reg.budget(keyHash("a"))
	reg.budget(keyHash("b"))
	if reg.budget(keyHash("a")) != a {
		t.Fatal("same key, different budget")
	}
	now = now.Add(9 * time.Minute)
	reg.budget(keyHash("a")) // a stays fresh
	now = now.Add(2 * time.Minute)
	reg.budget(keyHash("c"))
	if n := reg.size(); n != 2 { // b idle 11 min: gone
		t.Errorf("%d entries, want 2 (a, c)", n)
	}
	for k := range reg.entries {
		if k == keyHash("b") {
			t.Error("idle entry b survived")
		}
	}
	// The size cap holds even when every entry is fresh.
	for i := range limiterMaxEntries + 50 {
		now = now.Add(time.Millisecond)
		reg.budget(keyHash(fmt.Sprint("tenant-", i)))
	}
	if n := reg.size(); n > limiterMaxEntries {
		t.Errorf("%d entries, cap %d", n, limiterMaxEntries)
	}
	// The registry is keyed by hash: the key itself is stored nowhere.
	for k := range reg.entries {
		if string(k[:]) == "a" {
			t.Error("raw key stored")
		}
	}
}
