package instantlytest

import (
	"net/http"
	"time"
)

// Option configures a Handler.
type Option func(*Handler)

// WithAPIKeys makes the Handler accept only these API keys. By default it
// accepts any non-empty bearer token.
func WithAPIKeys(keys ...string) Option {
	return func(h *Handler) {
		h.keys = make(map[string]bool, len(keys))
		for _, k := range keys {
			h.keys[k] = true
		}
	}
}

// WithEchoKeyIn401 makes 401 answers to a rejected key say which key was
// presented ("Invalid API key: <key>"), so tests can check that a client
// redacts keys from the errors it surfaces.
func WithEchoKeyIn401() Option {
	return func(h *Handler) { h.echoKey = true }
}

// WithLatency delays every response by d (cut short when the client gives
// up).
func WithLatency(d time.Duration) Option {
	return func(h *Handler) { h.latency = d }
}

// WithRateLimit enforces Instantly's rate limits: at most perSecond requests
// in any sliding second and perMinute in any sliding minute (0: no limit),
// counted over all keys. Requests over either limit get 429
// {"statusCode":429,"error":"Too Many Requests","message":"Rate limit exceeded"}
// and do not count against the limits. Instantly's are
// WithRateLimit(100, 6000). Authentication is checked first, as only an
// identified workspace can be counted.
func WithRateLimit(perSecond, perMinute int) Option {
	return func(h *Handler) { h.perSecond, h.perMinute = max(perSecond, 0), max(perMinute, 0) }
}

// WithRetryAfter adds a Retry-After header (whole seconds, at least 1) to the
// 429s of WithRateLimit: d rounded up, or, when d <= 0, the time until the
// sliding window has room again. Instantly documents no Retry-After, so
// there is none by default.
func WithRetryAfter(d time.Duration) Option {
	return func(h *Handler) { h.retryAfter, h.retryAfterFixed = true, d }
}

// WithClock sets the clock used to time requests for Stats, Request.Time
// and the rate limits (default time.Now), so tests can place requests at
// exact instants. Latency and Fault.Delay still take real time.
func WithClock(now func() time.Time) Option {
	return func(h *Handler) {
		if now != nil {
			h.clock = now
		}
	}
}

// WithMaxRecorded sets how many requests Requests keeps, the most recent
// ones (default 100000; 0 keeps none). Stats and RequestsFor count all.
func WithMaxRecorded(n int) Option {
	return func(h *Handler) { h.maxRecorded = max(n, 0) }
}

// WithScopeError makes the cross-check endpoints of the given resources
// ("accounts", "subsequences", "analytics", "audit_logs",
// "account_campaign_mappings", "custom_tags") answer status (401 or 403), as
// for a key without the scope. Instantly documents a 401 for a bad key but
// not what a key without the scope gets; the message here is this fake's.
func WithScopeError(status int, resources ...string) Option {
	return func(h *Handler) {
		if h.scopeErr == nil {
			h.scopeErr = map[string]int{}
		}
		for _, r := range resources {
			h.scopeErr[r] = status
		}
	}
}

// scopeErrorBody is the answer of WithScopeError for resource.
func scopeErrorBody(status int, resource string) []byte {
	return ErrorBody(status, "API key does not have the required scope: "+resource+":read")
}

var (
	bodyInvalidKey  = ErrorBody(http.StatusUnauthorized, "Invalid API key") // as internal/demo's
	bodyRateLimited = ErrorBody(http.StatusTooManyRequests, "Rate limit exceeded")
)
