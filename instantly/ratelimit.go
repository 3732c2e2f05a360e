package instantly

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Instantly allows 100 requests per second and 6,000 per minute, counted for
// the whole workspace. Over that it answers 429, which costs a retry; a
// client-side budget per API key keeps this process under the limit instead.
const (
	DefaultRequestsPerSecond = 100
	DefaultRequestsPerMinute = 6000
)

const (
	// limiterIdleTTL is how long an API key's budget is kept unused. After
	// a minute idle both buckets are full again, so dropping the entry later
	// than that changes nothing: it only bounds memory in a long-running
	// server that sees many keys.
	limiterIdleTTL = 10 * time.Minute
	// limiterMaxEntries caps the registry even when more keys than that are
	// active within limiterIdleTTL; the least recently used entry goes.
	limiterMaxEntries = 10_000
	// limiterHeadroom keeps the sustained rate 5% under the limit, so that
	// network jitter (requests released on time here but counted closer
	// together at Instantly) does not push a window over.
	limiterHeadroom = 0.95
)

// newBucket returns a token bucket that lets through at most limit events in
// any window of the given length. A bucket with rate r and burst b admits up
// to b + r*window events in a window (a full bucket, then the refill), so
// rate 100/s with burst 100 would allow ~200 in one sliding second. Here the
// burst is a tenth of the limit and the refill makes up the rest, minus the
// headroom: for 100/s that is burst 10 + 85.5/s, at most 95 in any second.
func newBucket(limit int, window time.Duration) *rate.Limiter {
	burst := max(1, limit/10)
	refill := float64(max(limit-burst, 1)) * limiterHeadroom / window.Seconds()
	return rate.NewLimiter(rate.Limit(refill), burst)
}

// limiterRegistry holds one budget per API key, keyed by the SHA-256 of the
// key so the key itself is not kept here.
type limiterRegistry struct {
	perSecond, perMinute int

	mu        sync.Mutex
	entries   map[[sha256.Size]byte]*keyBudget
	lastSweep time.Time
	now       func() time.Time // tests
}

type keyBudget struct {
	second, minute *rate.Limiter
	lastUsed       time.Time // guarded by limiterRegistry.mu
}

func newLimiterRegistry(perSecond, perMinute int) *limiterRegistry {
	return &limiterRegistry{
		perSecond: perSecond,
		perMinute: perMinute,
		entries:   map[[sha256.Size]byte]*keyBudget{},
		now:       time.Now,
	}
}

// defaultLimiters is shared by every Client built with the default limits,
// because Instantly counts per workspace, not per Client value.
var defaultLimiters = newLimiterRegistry(DefaultRequestsPerSecond, DefaultRequestsPerMinute)

func keyHash(key string) [sha256.Size]byte { return sha256.Sum256([]byte(key)) }

// budget returns the budget of the key hash h, creating it if needed, and
// marks it used now. Idle entries are swept at most once a minute.
func (r *limiterRegistry) budget(h [sha256.Size]byte) *keyBudget {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if now.Sub(r.lastSweep) >= time.Minute {
		r.lastSweep = now
		for k, b := range r.entries {
			if now.Sub(b.lastUsed) > limiterIdleTTL {
				delete(r.entries, k)
			}
		}
	}
	b, ok := r.entries[h]
	if !ok {
		if len(r.entries) >= limiterMaxEntries {
			r.evictOldest()
		}
		b = &keyBudget{
			second: newBucket(r.perSecond, time.Second),
			minute: newBucket(r.perMinute, time.Minute),
		}
		r.entries[h] = b
	}
	if now.After(b.lastUsed) {
		b.lastUsed = now
	}
	return b
}

func (r *limiterRegistry) evictOldest() {
	var oldest [sha256.Size]byte
	var at time.Time
	first := true
	for k, b := range r.entries {
		if first || b.lastUsed.Before(at) {
			oldest, at, first = k, b.lastUsed, false
		}
	}
	delete(r.entries, oldest)
}

// touch records that b has a request scheduled at t (a queued reservation
// keeps the entry from looking idle).
func (r *limiterRegistry) touch(b *keyBudget, t time.Time) {
	r.mu.Lock()
	if t.After(b.lastUsed) {
		b.lastUsed = t
	}
	r.mu.Unlock()
}

func (r *limiterRegistry) size() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.entries)
}

// wait blocks until the key's budget admits one request. The per-minute bucket
// is waited on first and the per-second one last, so the per-second bucket
// takes its token at the moment the request goes out. When the wait would
// outlast ctx's deadline it returns a *RateLimitError at once, without
// spending tokens; when ctx ends while waiting it returns ctx.Err().
func (r *limiterRegistry) wait(ctx context.Context, h [sha256.Size]byte, op string) error {
	b := r.budget(h)
	for _, lim := range [2]*rate.Limiter{b.minute, b.second} {
		now := time.Now()
		res := lim.ReserveN(now, 1)
		d := res.DelayFrom(now)
		if d == 0 {
			continue
		}
		if dl, ok := ctx.Deadline(); ok && now.Add(d).After(dl) {
			res.CancelAt(now)
			return &RateLimitError{Operation: op, RetryAfter: d}
		}
		r.touch(b, now.Add(d))
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			res.CancelAt(time.Now())
			return ctx.Err()
		}
	}
	return nil
}
