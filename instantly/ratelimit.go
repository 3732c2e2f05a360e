package instantly

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"time"
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
	// a minute idle the budget is whole again, so dropping the entry later
	// than that changes nothing: it only bounds memory in a long-running
	// server that sees many keys.
	limiterIdleTTL = 10 * time.Minute
	// limiterMaxEntries caps the registry even when more keys than that are
	// active within limiterIdleTTL; the least recently used entry goes.
	limiterMaxEntries = 10_000
	// LimiterHeadroom keeps every window 5% under Instantly's limit (95 in
	// any second, 5,700 in any minute), so that network jitter (requests
	// released on time here but counted closer together at Instantly) does
	// not push a window over.
	LimiterHeadroom = 0.95
	// LimiterSpread lengthens each window: requests are counted here when
	// they are released but at Instantly when they arrive, and two requests
	// released a second apart can arrive closer together (the first slowed
	// by a new connection, a busy CPU, the network). Holding the count in
	// any 1.1 s (and 60.1 s) keeps every second at Instantly under the limit
	// unless the delays differ by more than this.
	LimiterSpread = 100 * time.Millisecond
)

// Limiter admits the requests of one workspace key. The default is an exact
// rolling-window budget in this process (NewLimiter); package redisbudget
// shares one budget between replicas.
type Limiter interface {
	// Wait blocks until one request of the key may be sent. key is the
	// SHA-256 of the API key (see KeyHash): a Limiter never sees the key.
	// When the wait would outlast ctx's deadline it returns a
	// *RateLimitError for op at once, having taken nothing; when ctx ends
	// while waiting it returns ctx.Err() and gives the reserved slot back.
	Wait(ctx context.Context, key [sha256.Size]byte, op string) error
}

// KeyHash is the name of an API key's budget: its SHA-256.
func KeyHash(key string) [sha256.Size]byte { return sha256.Sum256([]byte(key)) }

func keyHash(key string) [sha256.Size]byte { return KeyHash(key) }

// WithLimiter sets the rate limiter of the Client and its WithAPIKey copies
// (by default an in-process budget shared by every default Client).
func WithLimiter(l Limiter) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("instantly: nil limiter (use WithoutRateLimit)")
		}
		c.limiters = l
		return nil
	}
}

// NewLimiter returns an in-process budget per key of at most perSecond
// requests in any rolling second and perMinute in any rolling minute, minus
// LimiterHeadroom (at least 1 each). Requests go out at once until a window
// is full; then each waits, first come first served, for the exact moment
// the window has room.
func NewLimiter(perSecond, perMinute int) Limiter {
	return newLimiterRegistry(perSecond, perMinute)
}

// window is one rolling limit: at most limit requests in any closed interval
// of length d (a second or a minute, plus LimiterSpread).
type window struct {
	limit int
	d     int64 // nanoseconds
}

// limiterRegistry holds one budget per API key, keyed by the SHA-256 of the
// key so the key itself is not kept here.
//
// A budget is the log of the times of its admitted requests within the
// longest window, oldest first; a request that must wait is admitted at its
// future send time at once (a reservation), so the log is also the queue.
// Admission at time t needs, for each window, that the limit-th most recent
// entry is more than the window's length before t, and that t is not before
// the last entry (first come, first served: the log stays sorted). Then no
// window ending at an entry holds more than its limit, and any window holds
// at most what the window ending at its last entry holds. Cancelling removes
// the entry, which only lowers counts: nothing is leaked, and the later
// reservations stay valid.
type limiterRegistry struct {
	windows [2]window // per second, per minute
	longest int64

	mu        sync.Mutex
	entries   map[[sha256.Size]byte]*keyBudget
	lastSweep time.Time
	epoch     time.Time        // times in the logs are nanoseconds since epoch
	now       func() time.Time // tests
}

type keyBudget struct {
	log      timeLog
	lastUsed time.Time
}

func newLimiterRegistry(perSecond, perMinute int) *limiterRegistry {
	r := &limiterRegistry{
		windows: [2]window{
			{limit: withHeadroom(perSecond), d: int64(time.Second + LimiterSpread)},
			{limit: withHeadroom(perMinute), d: int64(time.Minute + LimiterSpread)},
		},
		entries: map[[sha256.Size]byte]*keyBudget{},
		now:     time.Now,
	}
	r.longest = r.windows[1].d
	r.epoch = r.now()
	return r
}

func withHeadroom(limit int) int { return max(1, int(float64(limit)*LimiterHeadroom)) }

// defaultLimiters is shared by every Client built with the default limits,
// because Instantly counts per workspace, not per Client value.
var defaultLimiters = newLimiterRegistry(DefaultRequestsPerSecond, DefaultRequestsPerMinute)

// budget returns the budget of the key hash h, creating it if needed, and
// marks it used at now. Idle entries are swept at most once a minute. r.mu
// must be held.
func (r *limiterRegistry) budget(h [sha256.Size]byte, now time.Time) *keyBudget {
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
		b = &keyBudget{}
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

func (r *limiterRegistry) size() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.entries)
}

// reserve admits one request of h at the earliest time at or after now that
// the budget allows and returns that time. When it is later than notAfter
// (if notAfter is not zero), nothing is taken and ok is false.
func (r *limiterRegistry) reserve(h [sha256.Size]byte, now, notAfter time.Time) (at time.Time, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.budget(h, now)
	n := int64(now.Sub(r.epoch))
	b.log.expire(n - r.longest)
	t := n
	if b.log.n > 0 {
		t = max(t, b.log.at(b.log.n-1))
	}
	for _, w := range r.windows {
		if b.log.n >= w.limit {
			t = max(t, b.log.at(b.log.n-w.limit)+w.d+1)
		}
	}
	at = r.epoch.Add(time.Duration(t))
	if t > n && !notAfter.IsZero() && at.After(notAfter) {
		return at, false
	}
	b.log.push(t)
	if at.After(b.lastUsed) {
		b.lastUsed = at // a queued request keeps the entry from looking idle
	}
	return at, true
}

// cancel gives back a reservation made for at.
func (r *limiterRegistry) cancel(h [sha256.Size]byte, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if b, ok := r.entries[h]; ok {
		b.log.remove(int64(at.Sub(r.epoch)))
	}
}

// Wait implements Limiter.
func (r *limiterRegistry) Wait(ctx context.Context, h [sha256.Size]byte, op string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := r.now()
	dl, _ := ctx.Deadline()
	at, ok := r.reserve(h, now, dl)
	d := at.Sub(now)
	if !ok {
		return &RateLimitError{Operation: op, RetryAfter: d}
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		t.Stop()
		r.cancel(h, at)
		return ctx.Err()
	}
}

// timeLog is a growable ring of nanosecond times, oldest first. It grows to
// the most entries it has held and then reuses its memory: no allocation in
// a steady state.
type timeLog struct {
	buf     []int64 // len is 0 or a power of two
	head, n int
}

func (l *timeLog) at(i int) int64 { return l.buf[(l.head+i)&(len(l.buf)-1)] }

// expire drops the entries before cutoff.
func (l *timeLog) expire(cutoff int64) {
	for l.n > 0 && l.buf[l.head] < cutoff {
		l.head = (l.head + 1) & (len(l.buf) - 1)
		l.n--
	}
	if l.n == 0 {
		l.head = 0
	}
}

func (l *timeLog) push(t int64) {
	if l.n == len(l.buf) {
		grown := make([]int64, max(16, 2*len(l.buf)))
		for i := range l.n {
			grown[i] = l.at(i)
		}
		l.buf, l.head = grown, 0
	}
	l.buf[(l.head+l.n)&(len(l.buf)-1)] = t
	l.n++
}

// remove deletes one entry equal to t, searching from the newest (a
// cancelled reservation is usually among the last), and reports whether
// there was one. The entries after it move down one place.
func (l *timeLog) remove(t int64) bool {
	mask := len(l.buf) - 1
	for i := l.n - 1; i >= 0; i-- {
		if v := l.at(i); v == t {
			for j := i; j < l.n-1; j++ {
				l.buf[(l.head+j)&mask] = l.buf[(l.head+j+1)&mask]
			}
			l.n--
			return true
		} else if v < t {
			return false
		}
	}
	return false
}

// DefaultLimiter is the in-process budget every Client uses by default, one
// per process (for wrapping, e.g. to time its waits).
func DefaultLimiter() Limiter { return defaultLimiters }
