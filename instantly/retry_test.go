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

// The backoff is full jitter over a ceiling that doubles from the base up
// to the max: never above the ceiling, and (in 400 draws) well above half of
// it, so "always 0" or "never grows" cannot pass.
func TestBackoff(t *testing.T) {
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

// An answer without Retry-After (or Retry-After: 0) is retried after the
// backoff, whatever maxRetryAfter is: with a zero backoff and a zero
// maxRetryAfter the second request follows at once and succeeds (retry.go
// compares `RetryAfter > maxRetryAfter`, not `>=`).
func TestRetryWithoutRetryAfter(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{"GET /api/v2/accounts": sequence(
		reply(503, `{"error":"Service Unavailable","message":"busy"}`, "Retry-After", "0"),
		reply(200, `{"items":[]}`))})
	c := srv.client(t, WithMaxRetryAfter(0), WithBackoff(0, 0))
	if _, err := c.ListAccounts(context.Background(), nil); err != nil || srv.count() != 2 {
		t.Fatalf("err %v after %d requests, want success after 2", err, srv.count())
	}
}

// Without Retry-After the wait is the backoff, not zero: with a backoff
// drawn from up to an hour and a call timeout of 2 s, the retry almost
// never fits (each draw under 2 s has a chance of 1 in 1,800), so the call
// gives up after a request or two instead of spending its 20 attempts at
// once (retry.go tests `RetryAfter > 0`, not `>= 0`).
func TestBackoffWhenNoRetryAfter(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{"GET /api/v2/accounts": reply(503, `{"error":"Service Unavailable","message":"busy"}`)})
	c := srv.client(t, WithBackoff(time.Hour, time.Hour), WithTimeout(2*time.Second), WithMaxAttempts(20))
	_, err := c.ListAccounts(context.Background(), nil)
	var er *ErrorResponse
	if !errors.As(err, &er) || er.StatusCode != 503 {
		t.Fatalf("err %v, want the 503 *ErrorResponse", err)
	}
	if n := srv.count(); n > 3 {
		t.Errorf("%d requests, want at most 3 (a backoff of up to an hour between them)", n)
	}
}

// Backoff edges: a zero base does not wait (for the first 32 attempts; past
// 31 doublings the shift is not taken and the ceiling is the max, whatever
// the base).
func TestBackoffEdges(t *testing.T) {
	zero := &Client{backoffBase: 0, backoffMax: time.Second}
	for attempt := 1; attempt <= 32; attempt++ {
		if d := zero.backoff(attempt); d != 0 {
			t.Fatalf("base 0: backoff(%d) = %s, want 0", attempt, d)
		}
	}
	tiny := &Client{backoffBase: time.Nanosecond, backoffMax: time.Hour}
	var hi time.Duration
	for range 400 {
		hi = max(hi, tiny.backoff(33)) // 1ns<<32 would be 4.3s
	}
	if hi <= 45*time.Minute {
		t.Errorf("base 1ns, max 1h: highest backoff(33) of 400 draws %s, want near 1h", hi)
	}
}

// A 2xx body is accepted up to the client's limit exactly, with or without
// Content-Length; one byte more is ErrResponseTooLarge.
func TestBodyLimitExact(t *testing.T) {
	n := int64(len(healthyBody))
	chunked := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		w.(http.Flusher).Flush() // no Content-Length: chunked
		_, _ = w.Write([]byte(healthyBody))
	}
	for _, tc := range []struct {
		name    string
		h       http.HandlerFunc
		limit   int64
		tooMuch bool
	}{
		{"Content-Length, at the limit", reply(200, healthyBody), n, false},
		{"Content-Length, one over", reply(200, healthyBody), n - 1, true},
		{"chunked, at the limit", chunked, n, false},
		{"chunked, one over", chunked, n - 1, true},
	} {
		srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: tc.h})
		ss, err := srv.client(t, WithMaxBodyBytes(tc.limit)).GetCampaignSendingStatus(context.Background(), testID, nil)
		if tc.tooMuch {
			if !errors.Is(err, ErrResponseTooLarge) {
				t.Errorf("%s: err %v, want ErrResponseTooLarge", tc.name, err)
			}
			continue
		}
		if err != nil || int64(len(ss.Raw)) != n {
			t.Errorf("%s: err %v", tc.name, err)
		}
	}
}

// A 3xx is not a success (redirects are not followed): it is an error
// answer with its status, sent once.
func TestRedirectStatusIsAnError(t *testing.T) {
	for _, code := range []int{300, 301, 302, 307} {
		srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: reply(code, healthyBody, "Location", "/elsewhere")})
		_, err := srv.client(t).GetCampaignSendingStatus(context.Background(), testID, nil)
		var er *ErrorResponse
		if !errors.As(err, &er) || er.StatusCode != code {
			t.Errorf("%d: err %v, want an *ErrorResponse with status %d", code, err, code)
		}
		if srv.count() != 1 {
			t.Errorf("%d: %d requests, want 1", code, srv.count())
		}
	}
}

// The smallest backoff ceiling, 1ns, draws 0 or 1ns.
func TestBackoffOneNanosecond(t *testing.T) {
	c := &Client{backoffBase: time.Nanosecond, backoffMax: time.Nanosecond}
	for range 100 {
		if d := c.backoff(1); d < 0 || d > time.Nanosecond {
			t.Fatalf("backoff = %s, want 0 or 1ns", d)
		}
	}
}

// A cancellation says "context canceled" once; a cancellation with its own
// cause (a server shutting down) adds the cause.
func TestContextErrorText(t *testing.T) {
	c := &Client{timeout: time.Minute}
	plain, cancel := context.WithCancel(context.Background())
	cancel()
	if got, want := c.contextError(plain, "get status", time.Now()).Error(), "instantly: get status: context canceled"; got != want {
		t.Errorf("plain cancel: %q, want %q", got, want)
	}
	withCause, cancelCause := context.WithCancelCause(context.Background())
	cancelCause(errors.New("server shutting down"))
	if got, want := c.contextError(withCause, "get status", time.Now()).Error(), "instantly: get status: context canceled: server shutting down"; got != want {
		t.Errorf("cancel with cause: %q, want %q", got, want)
	}
}
