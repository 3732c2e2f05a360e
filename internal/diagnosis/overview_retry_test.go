package diagnosis

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

const (
	retryTestA = "019a0000-0000-7000-8000-00000000000a"
	retryTestB = "019a0000-0000-7000-8000-00000000000b"
)

// retryFake is an Instantly with two active campaigns whose answers a test
// scripts per request, noting when each request came.
type retryFake struct {
	mu     sync.Mutex
	hits   map[string][]time.Time // path -> arrival times
	list   func(n int) (int, string)
	status func(id string, n int) (int, string, string) // code, body, Retry-After
}

func (f *retryFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.hits[r.URL.Path] = append(f.hits[r.URL.Path], time.Now())
	n := len(f.hits[r.URL.Path])
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/api/v2/campaigns" {
		code, body := f.list(n)
		w.WriteHeader(code)
		fmt.Fprint(w, body)
		return
	}
	id := r.PathValue("id")
	code, body, ra := f.status(id, n)
	if ra != "" {
		w.Header().Set("Retry-After", ra)
	}
	w.WriteHeader(code)
	fmt.Fprint(w, body)
}

func (f *retryFake) times(path string) []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.hits[path]...)
}

const retryListBody = `{"items":[{"id":"` + retryTestA + `","name":"A","status":1},{"id":"` + retryTestB + `","name":"B","status":1}]}`

func healthyStatus(id string) string {
	return `{"diagnostics":{"campaign_id":"` + id + `","last_updated":"2026-11-30T00:00:00Z","status":"healthy"},"summary":{"status":"healthy","status_message":"ok"}}`
}

func startRetryFake(t *testing.T, f *retryFake) *instantly.Client {
	t.Helper()
	f.hits = map[string][]time.Time{}
	mux := http.NewServeMux()
	mux.Handle("GET /api/v2/campaigns", f)
	mux.Handle("GET /api/v2/campaigns/{id}/sending-status", f)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	// One attempt per call: the overview's own retries are under test.
	c, err := instantly.NewClient("k-0123456789abcdef", instantly.WithBaseURL(srv.URL), instantly.WithMaxAttempts(1), instantly.WithoutRateLimit())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The second pass waits out a short Retry-After (longer than its own pause)
// before trying a campaign again; one longer than maxRetryAfterWait means no
// second pass at all: the campaigns fail with their 429.
func TestOverviewSecondPassRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		retryAfter  string
		wantA       int // requests for A
		wantChecked int
	}{
		{"1", 2, 2},
		{"3600", 1, 1},
	} {
		f := &retryFake{
			list: func(int) (int, string) { return 200, retryListBody },
			status: func(id string, n int) (int, string, string) {
				if id == retryTestA && n == 1 {
					return 429, `{"message":"slow down"}`, tc.retryAfter
				}
				return 200, healthyStatus(id), ""
			},
		}
		c := startRetryFake(t, f)
		ov, err := BuildOverview(context.Background(), c, OverviewOptions{Workers: 1, RetryPause: time.Millisecond}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		a := f.times("/api/v2/campaigns/" + retryTestA + "/sending-status")
		if len(a) != tc.wantA || ov.Checked != tc.wantChecked {
			t.Fatalf("Retry-After %s: %d requests for A, %d checked; want %d, %d", tc.retryAfter, len(a), ov.Checked, tc.wantA, tc.wantChecked)
		}
		if tc.wantA == 2 && a[1].Sub(a[0]) < time.Second {
			t.Errorf("Retry-After 1: the second try came %s after the first, want at least 1 s", a[1].Sub(a[0]))
		}
		if tc.wantA == 1 && (len(ov.Failed) != 1 || ov.Failed[0].ID != retryTestA) {
			t.Errorf("Retry-After 3600: failed %+v, want A", ov.Failed)
		}
	}
}
