package instantly

import (
	"errors"
	"testing"
	"time"
)

// "(after N attempts)" appears from the second attempt on, in both kinds of
// retried error, exactly once.
func TestAttemptsInErrorText(t *testing.T) {
	for _, tc := range []struct {
		attempts int
		net, api string
	}{
		{0, "instantly: get status: cannot reach Instantly: connection reset", "instantly: get status: 503 Service Unavailable: busy"},
		{1, "instantly: get status: cannot reach Instantly: connection reset", "instantly: get status: 503 Service Unavailable: busy"},
		{2, "instantly: get status: cannot reach Instantly: connection reset (after 2 attempts)",
			"instantly: get status: 503 Service Unavailable: busy (after 2 attempts)"},
	} {
		ne := newNetworkError("get status", errors.New("connection reset"), testKey)
		ne.Attempts = tc.attempts
		if got := ne.Error(); got != tc.net {
			t.Errorf("NetworkError, %d attempts: %q, want %q", tc.attempts, got, tc.net)
		}
		er := &ErrorResponse{StatusCode: 503, Operation: "get status", ErrorName: "Service Unavailable", Message: "busy", Attempts: tc.attempts}
		if got := er.Error(); got != tc.api {
			t.Errorf("ErrorResponse, %d attempts: %q, want %q", tc.attempts, got, tc.api)
		}
	}
	er := &ErrorResponse{StatusCode: 429, Operation: "get status", RetryAfter: time.Second}
	if got, want := er.Error(), "instantly: get status: 429 (retry after 1s)"; got != want {
		t.Errorf("ErrorResponse with Retry-After: %q, want %q", got, want)
	}
}
