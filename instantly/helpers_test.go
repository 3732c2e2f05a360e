package instantly

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	// testKey looks like a real key, with characters that URL escaping
	// changes, so redaction of escaped forms is exercised too.
	testKey = "sk_live_Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1JkLmNb0Vc+Xz/Qa=="
	testID  = "019e18e2-a52f-78e7-96f2-b33ee19bb50a"
)

// recorded is what the test server saw of one request.
type recorded struct {
	Method, Path, RawQuery string
	Header                 http.Header
	At                     time.Time
}

// apiServer is an offline Instantly: a ServeMux behind a recorder that notes
// every request that arrives, routed or not.
type apiServer struct {
	*httptest.Server
	mu    sync.Mutex
	reqs  []recorded
	conns atomic.Int32 // connections accepted
}

func newAPIServer(t testing.TB, routes map[string]http.HandlerFunc) *apiServer {
	t.Helper()
	s := &apiServer{}
	mux := http.NewServeMux()
	for pattern, h := range routes {
		mux.HandleFunc(pattern, h)
	}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.reqs = append(s.reqs, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), time.Now()})
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *apiServer) requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.reqs...)
}

func (s *apiServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

// client returns a client for s with test-sized backoffs and no rate limit;
// opts come last and win.
func (s *apiServer) client(t testing.TB, opts ...Option) *Client {
	t.Helper()
	base := []Option{
		WithBaseURL(s.URL),
		WithBackoff(time.Millisecond, 5*time.Millisecond),
		WithTimeout(5 * time.Second),
		WithoutRateLimit(),
	}
	c, err := NewClient(testKey, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// reply answers with status, a JSON content type and body; extra headers
// come as name, value pairs.
func reply(status int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

// sequence serves the i-th request with the i-th handler, the last one for
// every request after that.
func sequence(hs ...http.HandlerFunc) http.HandlerFunc {
	var mu sync.Mutex
	n := 0
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := hs[min(n, len(hs)-1)]
		n++
		mu.Unlock()
		h(w, r)
	}
}

const (
	routeCampaignStatus    = "GET /api/v2/campaigns/{id}/sending-status"
	routeSubsequenceStatus = "GET /api/v2/subsequences/{id}/sending-status"
	routeCampaigns         = "GET /api/v2/campaigns"
	healthyBody            = `{"diagnostics": {"campaign_id": "` + testID + `", "last_updated": "2026-05-11T21:12:43.288Z",
		"status": "healthy", "issue_tracking": {"current_status_code": "healthy", "consecutive_loops_with_issue": 0}},
		"summary": {"status": "healthy", "status_message": "Campaign is sending normally"}}`
)
