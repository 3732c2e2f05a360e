package instantly

import (
	"strings"
	"testing"
	"time"
)

// Every option's edge: the smallest accepted value is accepted, the one
// below it refused with its own message.
func TestOptionBounds(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opt     Option
		wantErr string // "" accepted
	}{
		{"timeout 1ns", WithTimeout(time.Nanosecond), ""},
		{"timeout 0", WithTimeout(0), "timeout must be positive"},
		{"attempts 1", WithMaxAttempts(1), ""},
		{"attempts 0", WithMaxAttempts(0), "max attempts must be at least 1"},
		{"backoff 0,0", WithBackoff(0, 0), ""},
		{"backoff 1s,1s", WithBackoff(time.Second, time.Second), ""},
		{"backoff -1ns,1s", WithBackoff(-time.Nanosecond, time.Second), "backoff needs 0 <= base <= max"},
		{"backoff 1s,999ms", WithBackoff(time.Second, 999*time.Millisecond), "backoff needs 0 <= base <= max"},
		{"retry-after 0", WithMaxRetryAfter(0), ""},
		{"retry-after -1ns", WithMaxRetryAfter(-time.Nanosecond), "max Retry-After must not be negative"},
		{"body 1", WithMaxBodyBytes(1), ""},
		{"body 0", WithMaxBodyBytes(0), "max body bytes must be positive"},
		{"rates 1,1", WithRateLimits(1, 1), ""},
		{"rates 0,1", WithRateLimits(0, 1), "rate limits must be positive"},
		{"rates 1,0", WithRateLimits(1, 0), "rate limits must be positive"},
	} {
		_, err := NewClient(testKey, tc.opt)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: err %v, want %q", tc.name, err, tc.wantErr)
		}
	}
}

// CheckSearch: at most MaxSearchLen characters (runes, after trimming), no
// control character anywhere, the first included.
func TestCheckSearchBounds(t *testing.T) {
	for _, tc := range []struct {
		in, want, wantErr string
	}{
		{strings.Repeat("é", 100), strings.Repeat("é", 100), ""},
		{"  " + strings.Repeat("a", 100) + "  ", strings.Repeat("a", 100), ""},
		{strings.Repeat("a", 101), "", "at most 100 characters of a campaign name, got 101"},
		{"\x01Black Friday", "", "control characters are not allowed"},
		{"Black\x7fFriday", "", "control characters are not allowed"},
		{"Black Friday", "Black Friday", ""},
		{"", "", ""},
	} {
		got, err := CheckSearch(tc.in)
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("CheckSearch(%q) err %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("CheckSearch(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
