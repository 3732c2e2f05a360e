package instantlytest

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for WithClock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// bruteForcePeak counts the most times within any half-open window of d.
func bruteForcePeak(times []time.Time, d time.Duration) int {
	peak := 0
	for i, end := range times {
		n := 0
		for _, t := range times[:i+1] {
			if end.Sub(t) < d {
				n++
			}
		}
		peak = max(peak, n)
	}
	return peak
}

func TestStatsWindows(t *testing.T) {
	clock := &fakeClock{}
	h := NewHandler(DemoWorkspace(testNow), WithClock(clock.now))
	t0 := testNow
	offsets := []time.Duration{0, 100, 200, 999, 1000, 1100, 1150, 1199, 1999, 30_000, 59_999, 60_000, 60_100, 200_000}
	var times []time.Time
	for _, ms := range offsets {
		at := t0.Add(ms * time.Millisecond)
		times = append(times, at)
		clock.set(at)
		get(t, h, "/api/v2/campaigns?limit=1")
	}
	s := h.Stats()
	want1, want60 := bruteForcePeak(times, time.Second), bruteForcePeak(times, time.Minute)
	if s.Requests != len(offsets) || s.PeakPerSecond != want1 || s.PeakPerMinute != want60 {
		t.Errorf("stats %+v, want peaks %d/%d", s, want1, want60)
	}
	// (199 ms, 1199 ms] holds 200, 999, 1000, 1100, 1150 and 1199.
	if want1 != 6 || want60 != 11 {
		t.Errorf("brute force %d/%d", want1, want60)
	}
	reqs := h.Requests()
	if len(reqs) != len(offsets) || !reqs[3].Time.Equal(times[3]) || reqs[0].Path != "/api/v2/campaigns" || reqs[0].RawQuery != "limit=1" || reqs[0].Method != "GET" || reqs[0].APIKey != testKey || reqs[0].Status != 200 {
		t.Errorf("requests %+v", reqs[:1])
	}
}

func TestStatsBurst(t *testing.T) {
	h := NewHandler(DemoWorkspace(testNow))
	const n = 300
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			get(t, h, statusPath(DemoCampaigns[i%len(DemoCampaigns)].ID, i%2 == 0))
		})
	}
	wg.Wait()
	s := h.Stats()
	var times []time.Time
	for _, r := range h.Requests() {
		times = append(times, r.Time)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	if s.Requests != n || len(times) != n || s.PeakPerSecond != bruteForcePeak(times, time.Second) || s.PeakPerMinute != n {
		t.Errorf("stats %+v, brute force %d", s, bruteForcePeak(times, time.Second))
	}
	if got := h.RequestsFor(DemoCampaigns[0].ID); got != (n+len(DemoCampaigns)-1)/len(DemoCampaigns) {
		t.Errorf("RequestsFor %d", got)
	}
	h.Reset()
	if s := h.Stats(); s != (Stats{}) || len(h.Requests()) != 0 || h.RequestsFor(DemoCampaigns[0].ID) != 0 {
		t.Errorf("after Reset: %+v", s)
	}
}

func TestRequestsBoundedAndCounted(t *testing.T) {
	h := NewHandler(DemoWorkspace(testNow), WithMaxRecorded(3))
	id := DemoCampaigns[2].ID
	paths := []string{"/api/v2/campaigns", statusPath(id, false), "/api/v2/campaigns/" + id, "/nope", subsequencePath(DemoCampaigns[len(DemoCampaigns)-1].ID, true)}
	for _, p := range paths {
		get(t, h, p)
	}
	reqs := h.Requests()
	if len(reqs) != 3 || reqs[0].Path != paths[2] || reqs[2].Path != subsequencePath(DemoCampaigns[len(DemoCampaigns)-1].ID, false) || reqs[1].Status != 404 || reqs[2].RawQuery != "with_ai_summary=true" {
		t.Errorf("requests %+v", reqs)
	}
	if h.RequestsFor(id) != 2 || h.Stats().Requests != 5 {
		t.Errorf("RequestsFor %d, total %d", h.RequestsFor(id), h.Stats().Requests)
	}
	if len(NewHandler(nil, WithMaxRecorded(0)).Requests()) != 0 {
		t.Error("WithMaxRecorded(0)")
	}
}

func TestRateLimit(t *testing.T) {
	clock := &fakeClock{t: testNow}
	h := NewHandler(DemoWorkspace(testNow), WithClock(clock.now), WithRateLimit(5, 8))
	codes := func(n int) (ok, limited int, retryAfter string) {
		for range n {
			w := get(t, h, "/api/v2/campaigns?limit=1")
			switch w.Code {
			case 200:
				ok++
			case 429:
				wantError(t, w, 429, "Rate limit exceeded")
				limited++
				retryAfter = w.Header().Get("Retry-After")
			default:
				t.Fatalf("status %d", w.Code)
			}
		}
		return
	}
	if ok, lim, ra := codes(10); ok != 5 || lim != 5 || ra != "" {
		t.Errorf("first second: %d ok, %d limited, Retry-After %q", ok, lim, ra)
	}
	clock.set(testNow.Add(999 * time.Millisecond))
	if ok, _, _ := codes(1); ok != 0 {
		t.Error("window slid too early")
	}
	clock.set(testNow.Add(time.Second))
	if ok, lim, _ := codes(5); ok != 3 || lim != 2 {
		t.Errorf("second second (minute cap 8): %d ok, %d limited", ok, lim)
	}
	clock.set(testNow.Add(time.Minute))
	if ok, _, _ := codes(5); ok != 5 {
		t.Errorf("after a minute: %d ok", ok)
	}
	if s := h.Stats(); s.TooManyRequests != 8 || s.Requests != 21 {
		t.Errorf("stats %+v", s)
	}
	// Unauthenticated requests are refused before counting.
	wantError(t, do(t, h, http.MethodGet, "/api/v2/campaigns", ""), 401, "")

	// Retry-After, computed from the windows or fixed.
	clock.set(testNow)
	h = NewHandler(DemoWorkspace(testNow), WithClock(clock.now), WithRateLimit(2, 3), WithRetryAfter(0))
	codes(2)
	clock.set(testNow.Add(300 * time.Millisecond))
	if _, _, ra := codes(1); ra != "1" {
		t.Errorf("Retry-After %q, want 1", ra)
	}
	clock.set(testNow.Add(1500 * time.Millisecond))
	codes(1)
	clock.set(testNow.Add(2600 * time.Millisecond))
	if _, _, ra := codes(1); ra != "58" { // the minute window frees at t0+60s
		t.Errorf("Retry-After %q, want 58", ra)
	}
	h = NewHandler(DemoWorkspace(testNow), WithRateLimit(1, 0), WithRetryAfter(2500*time.Millisecond))
	r := httptest.NewRecorder()
	get(t, h, "/api/v2/campaigns")
	h.ServeHTTP(r, authed(httptest.NewRequest(http.MethodGet, "/api/v2/campaigns", nil)))
	if r.Code != 429 || r.Header().Get("Retry-After") != "3" {
		t.Errorf("fixed Retry-After: %d %q", r.Code, r.Header().Get("Retry-After"))
	}
}

func authed(r *http.Request) *http.Request {
	r.Header.Set("Authorization", "Bearer "+testKey)
	return r
}
