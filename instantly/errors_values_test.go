package instantly

import (
	"errors"
	"strings"
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
		ne := newNetworkError("get status", errors.New("connection reset"), NewRedactor(testKey))
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

// A Content-Type's media type is shown up to 64 characters; a longer one,
// or one that does not parse, is replaced by a placeholder.
func TestMediaTypeLength(t *testing.T) {
	at64 := "application/" + strings.Repeat("x", 52)
	for in, want := range map[string]string{
		"":                                "no content type",
		"text/html; charset=utf-8":        "text/html",
		at64:                              at64,
		at64 + "y":                        "unparsable content type",
		at64 + "; charset=utf-8":          at64,
		"not a type":                      "unparsable content type",
		"APPLICATION/JSON; charset=UTF-8": "application/json",
	} {
		if got := mediaType(in); got != want {
			t.Errorf("mediaType(%q) = %q, want %q", in, got, want)
		}
	}
}
