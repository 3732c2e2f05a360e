package instantly

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

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
