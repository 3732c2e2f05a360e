package instantly

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The backoff is full jitter over a ceiling that doubles from the base up
// to the max: never above the ceiling, and (in 400 draws) well above half of
// it, so "always 0" or "never grows" cannot pass.
func TestBackoffValues(t *testing.T) {
	c := &Client{backoffBase: 100 * time.Millisecond, backoffMax: time.Second}
	for _, tc := range []struct {
		attempt int
		ceiling time.Duration
	}{{1, 100 * time.Millisecond}, {2, 200 * time.Millisecond}, {3, 400 * time.Millisecond}, {4, 800 * time.Millisecond},
		{5, time.Second}, {12, time.Second}, {40, time.Second}, {100, time.Second}} {
		var hi time.Duration
		for range 400 {
			d := c.backoff(tc.attempt)
			if d < 0 || d > tc.ceiling {
				t.Fatalf("backoff(%d) = %s, outside [0, %s]", tc.attempt, d, tc.ceiling)
			}
			hi = max(hi, d)
		}
		if hi <= tc.ceiling*3/4 {
			t.Errorf("backoff(%d): highest of 400 draws %s, want near the ceiling %s", tc.attempt, hi, tc.ceiling)
		}
	}
}

// limit: 0 sends no limit parameter (the API's default); 1..100 sends it;
// anything else is refused before any request.
func TestListCampaignsLimitParameter(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaigns: reply(200, `{"items":[]}`)})
	c := srv.client(t)
	for _, tc := range []struct {
		limit     int
		wantQuery string
		wantErr   bool
	}{{0, "", false}, {1, "limit=1", false}, {100, "limit=100", false}, {-1, "", true}, {101, "", true}} {
		before := srv.count()
		_, err := c.ListCampaigns(context.Background(), &ListCampaignsOptions{Limit: tc.limit})
		if (err != nil) != tc.wantErr {
			t.Fatalf("limit %d: err = %v", tc.limit, err)
		}
		if tc.wantErr {
			if srv.count() != before || !strings.Contains(err.Error(), "between 1 and 100") {
				t.Errorf("limit %d: %d requests, err %v", tc.limit, srv.count()-before, err)
			}
			continue
		}
		reqs := srv.requests()
		if q := reqs[len(reqs)-1].RawQuery; q != tc.wantQuery {
			t.Errorf("limit %d: query %q, want %q", tc.limit, q, tc.wantQuery)
		}
	}
}

// An error body up to the limit is read and its message kept; one byte more
// is reported as too large, naming the limit, and never shown.
func TestErrorBodyLimit(t *testing.T) {
	pad := func(n int) string {
		const head, tail = `{"error":"Bad Request","message":"`, `"}`
		return head + strings.Repeat("x", n-len(head)-len(tail)) + tail
	}
	for _, tc := range []struct {
		size int
		want string
	}{
		{errorBodyLimit, "x"},
		{errorBodyLimit + 1, "response body is larger than 64 KiB (application/json); not shown"},
		{4 * errorBodyLimit, "response body is larger than 64 KiB (application/json); not shown"},
	} {
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Type", "application/json")
		rec.WriteHeader(400)
		rec.WriteString(pad(tc.size))
		err := checkResponse(rec.Result(), "GET /x", errorBodyLimit, NewRedactor(testKey))
		er, ok := err.(*ErrorResponse)
		if !ok {
			t.Fatalf("%d bytes: %T %v", tc.size, err, err)
		}
		if tc.want == "x" {
			if er.ErrorName != "Bad Request" || !strings.HasPrefix(er.Message, "xxx") || len(er.Message) > 600 {
				t.Errorf("%d bytes: name %q, message %.40q (%d)", tc.size, er.ErrorName, er.Message, len(er.Message))
			}
			continue
		}
		if er.Message != tc.want || er.ErrorName != "Bad Request" || er.StatusCode != 400 {
			t.Errorf("%d bytes: %+v, want message %q", tc.size, er, tc.want)
		}
	}
	if errorBodyLimit != 64<<10 {
		t.Errorf("errorBodyLimit = %d", errorBodyLimit)
	}
}
