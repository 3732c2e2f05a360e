package instantly

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

// An answer without Retry-After (or Retry-After: 0) is retried after the
// backoff, whatever maxRetryAfter is: with a zero backoff and a zero
// maxRetryAfter the second request follows at once and succeeds (issue 9:
// retry.go's `RetryAfter > maxRetryAfter`, not `>=`).
func TestRetryWithoutRetryAfterS9h(t *testing.T) {
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
// once (issue 9: retry.go's `RetryAfter > 0`, not `>= 0`).
func TestBackoffWhenNoRetryAfterS9h(t *testing.T) {
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
