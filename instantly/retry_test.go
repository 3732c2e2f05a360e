package instantly

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

const (
	body429 = `{"statusCode": 429, "error": "Too Many Requests", "message": "Rate limit exceeded"}`
	body503 = `{"statusCode": 503, "error": "Service Unavailable", "message": "try later"}`
	body500 = `{"statusCode": 500, "error": "Internal Server Error", "message": "boom"}`
)

func TestRetry503ThenSuccess(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{
		routeCampaignStatus: sequence(reply(503, body503), reply(502, "<html>bad gateway</html>"), reply(200, healthyBody)),
	})
	got, err := srv.client(t).GetCampaignSendingStatus(context.Background(), testID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *got.Diagnostics.Status != StatusHealthy {
		t.Errorf("status %q", *got.Diagnostics.Status)
	}
	if n := srv.count(); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	if n := srv.conns.Load(); n != 1 {
		t.Errorf("%d connections: error bodies must be drained so the connection is reused", n)
	}
}

func TestRetry500ExhaustsAttempts(t *testing.T) {
	for _, attempts := range []int{1, 3, 5} {
		srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: reply(500, body500)})
		_, err := srv.client(t, WithMaxAttempts(attempts)).GetCampaignSendingStatus(context.Background(), testID, nil)
		var er *ErrorResponse
		if !errors.As(err, &er) || er.StatusCode != 500 || er.Attempts != attempts {
			t.Fatalf("attempts %d: err = %v", attempts, err)
		}
		if n := srv.count(); n != attempts {
			t.Errorf("%d requests, want %d", n, attempts)
		}
	}
}

func TestRetry429WithoutRetryAfter(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: reply(429, body429)})
	_, err := srv.client(t).GetCampaignSendingStatus(context.Background(), testID, nil)
	var er *ErrorResponse
	if !errors.As(err, &er) || er.StatusCode != 429 || er.RetryAfter != 0 || er.Attempts != 3 {
		t.Fatalf("err = %#v", err)
	}
	if !strings.Contains(err.Error(), "429 Too Many Requests: Rate limit exceeded (after 3 attempts)") {
		t.Errorf("%q", err)
	}
}

func TestRetry429HonoursRetryAfter(t *testing.T) {
	t.Parallel()
	srv := newAPIServer(t, map[string]http.HandlerFunc{
		routeCampaignStatus: sequence(reply(429, body429, "Retry-After", "1"), reply(200, healthyBody)),
	})
	if _, err := srv.client(t).GetCampaignSendingStatus(context.Background(), testID, nil); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	if gap := reqs[1].At.Sub(reqs[0].At); gap < 900*time.Millisecond {
		t.Errorf("retried after %s, Retry-After said 1s", gap)
	}
}

func TestLongRetryAfterFailsAtOnce(t *testing.T) {
	for _, ra := range []string{"120", time.Now().Add(10 * time.Minute).UTC().Format(http.TimeFormat)} {
		srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: reply(429, body429, "Retry-After", ra)})
		start := time.Now()
		_, err := srv.client(t).GetCampaignSendingStatus(context.Background(), testID, nil)
		var er *ErrorResponse
		if !errors.As(err, &er) || er.StatusCode != 429 || er.RetryAfter < 119*time.Second {
			t.Fatalf("Retry-After %s: err = %#v", ra, err)
		}
		if n := srv.count(); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
		if d := time.Since(start); d > 2*time.Second { // generous: CI machines stall
			t.Errorf("took %s: must fail at once", d)
		}
		if !strings.Contains(err.Error(), "retry after") {
			t.Errorf("%q does not say when to retry", err)
		}
	}
}

func TestRetryAfterBeyondDeadlineFailsAtOnce(t *testing.T) {
	// 3 s is within WithMaxRetryAfter but not within the call's 1 s budget.
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: reply(503, body503, "Retry-After", "3")})
	start := time.Now()
	_, err := srv.client(t, WithTimeout(time.Second)).GetCampaignSendingStatus(context.Background(), testID, nil)
	var er *ErrorResponse
	if !errors.As(err, &er) || er.RetryAfter != 3*time.Second {
		t.Fatalf("err = %v", err)
	}
	// Waiting would have ended in a *TimeoutError after 1s.
	if d := time.Since(start); d > 900*time.Millisecond {
		t.Errorf("took %s: must not wait for a retry that cannot fit", d)
	}
}

func TestCancelStopsWaiting(t *testing.T) {
	t.Parallel()
	// release ends the stalled handler before the server's Close (cleanups
	// run last-registered first), which otherwise waits for it up to 5 s.
	release := make(chan struct{})
	srv := newAPIServer(t, map[string]http.HandlerFunc{
		routeCampaignStatus: reply(503, body503, "Retry-After", "4"),
		routeCampaigns: func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		},
	})
	t.Cleanup(func() { close(release) })
	c := srv.client(t)
	for name, call := range map[string]func(context.Context) error{
		"during Retry-After": func(ctx context.Context) error {
			_, err := c.GetCampaignSendingStatus(ctx, testID, nil)
			return err
		},
		"during the request": func(ctx context.Context) error {
			_, err := c.ListCampaigns(ctx, nil)
			return err
		},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		err := call(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: err = %v, want context.Canceled", name, err)
		}
		if d := time.Since(start); d > 2*time.Second { // Retry-After was 4s
			t.Errorf("%s: returned after %s", name, d)
		}
	}
	// Already cancelled: nothing is sent.
	before := srv.count()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.GetCampaignSendingStatus(ctx, testID, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if srv.count() != before {
		t.Error("a request was sent with a cancelled context")
	}
}

func TestBackoffBounds(t *testing.T) {
	c := &Client{backoffBase: 100 * time.Millisecond, backoffMax: time.Second}
	for attempt := 1; attempt <= 40; attempt++ {
		ceiling := min(time.Second, 100*time.Millisecond<<min(attempt-1, 10))
		for range 50 {
			if d := c.backoff(attempt); d < 0 || d > ceiling {
				t.Fatalf("backoff(%d) = %s, want within [0, %s]", attempt, d, ceiling)
			}
		}
	}
	if d := (&Client{}).backoff(3); d != 0 {
		t.Errorf("zero backoff = %s", d)
	}
}
