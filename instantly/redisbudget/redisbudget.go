// Package redisbudget shares a workspace's Instantly rate budget between
// replicas through Redis: every replica takes from one rolling-window budget
// per API key (at most 95 requests in any 1.1 s and 5,700 in any 60.1 s, the
// same windows as the in-process limiter). When Redis is slow or down,
// requests fall back to an in-process budget, scaled down to the replica
// count, and go back to Redis when it answers again.
//
// Why a script of our own and not redis_rate: go-redis/redis_rate is GCRA, a
// token bucket in disguise; with burst b and rate r it admits up to b + r*W
// requests in a window W, so it cannot say "100 in any second and 6,000 in
// any minute" exactly (burst 100 at 100/s lets ~200 through in one rolling
// second, and two GCRA limits side by side still allow that per-second
// burst). The script keeps the log of admission times in a sorted set, the
// same exact sliding log as instantly's in-process limiter, on Redis's clock
// (TIME), so the replicas' clocks do not matter.
//
// Switching between Redis and the fallback (both ways) keeps every rolling
// window to one budget's requests, so the workspace never sees the two
// added up:
//   - every replica checks Redis on a heartbeat (ProbeInterval, each check
//     bounded by OpTimeout), whatever its traffic, so all replicas see a
//     change within P = ProbeInterval + OpTimeout of it;
//   - at its switch a replica revokes the slots the old budget granted it
//     that are still in the future (a request waiting for its slot waits
//     again, in the new budget): nothing the old budget granted goes out
//     after the switch;
//   - then it holds every request for a quiet window of one window plus P
//     (1.1 s + 0.5 s by default), so the first request of the new budget
//     goes out more than a window after the last request any replica sent
//     on the old one.
//
// That holds while every replica's heartbeat runs on time. Not covered: a
// Redis that only some replicas cannot reach (or a replica stalled longer
// than OpTimeout, which then takes Redis for down): its fallback share adds
// to the shared budget until it is back.
//
// Without that, slots Redis had granted seconds ahead to deep
// diagnoses (about four requests per call) kept going out after the
// fallback had started counting from zero: a peak of 122 requests in a
// rolling second and 41 answers 429 in an outage test.
package redisbudget

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/stdx"
)

// KeyPrefix starts every key this package writes; the rest is the hex
// HMAC, under Options.KeySecret, of the API key's SHA-256: never the key,
// nor anything a guessed key can be checked against.
const KeyPrefix = "instantly-status-mcp:budget:"

// MinKeySecretLen is the shortest Options.KeySecret accepted.
const MinKeySecretLen = 32

// probeKey is where a replica on the fallback tries the script to see
// whether Redis is usable again.
const probeKey = KeyPrefix + "probe"

// Defaults of Options.
const (
	DefaultOpTimeout     = 250 * time.Millisecond
	DefaultProbeInterval = 250 * time.Millisecond
)

// Options configures New.
type Options struct {
	// URL is redis://[user:password@]host:port[/db] or rediss://… (TLS).
	URL string
	// Password is used when the URL has none (REDIS_PASSWORD).
	Password string
	// KeySecret names the budgets in Redis: a budget's key is the
	// HMAC-SHA-256, under this secret, of the API key's hash, so that
	// someone who can read Redis can neither test a guessed API key nor
	// follow a workspace's activity by its key. Every replica must use the
	// same one. Required (at least 32 bytes).
	KeySecret []byte
	// PerSecond and PerMinute are the workspace's limits (default
	// Instantly's, 100 and 6,000); instantly.LimiterHeadroom and
	// instantly.LimiterSpread apply.
	PerSecond, PerMinute int
	// Replicas divides the in-process fallback budget (default 1: each
	// replica may use the whole budget while Redis is down).
	Replicas int
	// OpTimeout bounds each Redis round trip (default 250ms); slower counts
	// as down.
	OpTimeout time.Duration
	// ProbeInterval is how often a replica checks Redis (PING), in both
	// states and whatever its traffic (default 250ms). With OpTimeout it
	// bounds how long replicas can disagree about Redis, and so the quiet
	// window after a switch (see Limiter.QuietWindow).
	ProbeInterval time.Duration
	Logger        *slog.Logger
}

// Limiter is an instantly.Limiter backed by Redis.
type Limiter struct {
	rdb      *redis.Client
	local    instantly.Limiter
	log      *slog.Logger
	password string
	names    hash.Hash // HMAC under KeySecret; guarded by namesMu
	namesMu  sync.Mutex
	timeout  time.Duration
	probeInt time.Duration
	quietFor time.Duration
	args     [4]any // per-second limit, window µs, per-minute limit, window µs

	ep        atomic.Pointer[epoch]
	fallbacks atomic.Int64 // calls served by the fallback budget
	// quietUntil (unix nanoseconds) holds every request after a switch
	// (see the package comment).
	quietUntil atomic.Int64
	mu         sync.Mutex // orders switches and their logs
	stop       context.CancelFunc
	done       chan struct{}
}

// epoch is one stretch of time on one budget; its context ends at the
// switch to the other, which revokes the slots still to come.
type epoch struct {
	down bool
	ctx  context.Context
	end  context.CancelFunc
}

// errSwitched ends a wait whose slot the switch revoked: it waits again.
var errSwitched = errors.New("rate budget switched")

// script reserves one request: the earliest time at or after Redis's now
// that keeps both windows within their limits and is not before the last
// reservation (first come, first served). ARGV: per-second limit, its window
// in µs, per-minute limit, its window in µs, the longest acceptable wait in
// µs (-1: any), a unique member name. Returns {1, wait µs} when reserved,
// {0, wait µs} when the wait is too long (nothing taken).
var script = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local key = KEYS[1]
local ls, ws, lm, wm = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local maxwait = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. string.format('%d', now - wm))
local n = redis.call('ZCARD', key)
local at = now
if n > 0 then
  at = math.max(at, tonumber(redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2]))
end
if n >= ls then
  at = math.max(at, tonumber(redis.call('ZRANGE', key, -ls, -ls, 'WITHSCORES')[2]) + ws + 1)
end
if n >= lm then
  at = math.max(at, tonumber(redis.call('ZRANGE', key, -lm, -lm, 'WITHSCORES')[2]) + wm + 1)
end
local wait = at - now
if maxwait >= 0 and wait > maxwait then
  return {0, wait}
end
redis.call('ZADD', key, string.format('%d', at), ARGV[6])
redis.call('PEXPIRE', key, math.floor((wait + wm) / 1000) + 1000)
return {1, wait}
`)

// New returns the limiter and starts its heartbeat (Close stops it); the
// first round trip is the heartbeat's or the first Wait's.
func New(o Options) (*Limiter, error) {
	if len(o.KeySecret) < MinKeySecretLen {
		return nil, fmt.Errorf("the Redis key secret must be at least %d characters, the same on every replica", MinKeySecretLen)
	}
	opt, err := redis.ParseURL(o.URL)
	if err != nil {
		// The URL may hold a password: do not echo it.
		return nil, errors.New("REDIS_URL must be redis://[user:password@]host:port[/db] or rediss://… (could not parse it)")
	}
	if opt.Password == "" {
		opt.Password = o.Password
	}
	if o.PerSecond <= 0 {
		o.PerSecond = instantly.DefaultRequestsPerSecond
	}
	if o.PerMinute <= 0 {
		o.PerMinute = instantly.DefaultRequestsPerMinute
	}
	if o.Replicas <= 0 {
		o.Replicas = 1
	}
	if o.OpTimeout <= 0 {
		o.OpTimeout = DefaultOpTimeout
	}
	if o.ProbeInterval <= 0 {
		o.ProbeInterval = DefaultProbeInterval
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	// Fail fast: a slow Redis must cost a call little, then not at all.
	opt.DialTimeout = o.OpTimeout
	opt.ReadTimeout = o.OpTimeout
	opt.WriteTimeout = o.OpTimeout
	opt.PoolTimeout = o.OpTimeout
	opt.MaxRetries = -1
	opt.ContextTimeoutEnabled = true
	opt.DisableIdentity = true
	opt.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	setLogger(o.Logger)

	headroom := func(n int) int { return max(1, int(float64(n)*instantly.LimiterHeadroom)) }
	l := &Limiter{
		rdb:      redis.NewClient(opt),
		local:    instantly.NewLimiter(max(1, o.PerSecond/o.Replicas), max(1, o.PerMinute/o.Replicas)),
		log:      o.Logger,
		password: opt.Password,
		names:    hmac.New(sha256.New, o.KeySecret),
		timeout:  o.OpTimeout,
		probeInt: o.ProbeInterval,
		quietFor: time.Second + instantly.LimiterSpread + o.ProbeInterval + o.OpTimeout,
		args: [4]any{
			headroom(o.PerSecond), (time.Second + instantly.LimiterSpread).Microseconds(),
			headroom(o.PerMinute), (time.Minute + instantly.LimiterSpread).Microseconds(),
		},
		done: make(chan struct{}),
	}
	l.ep.Store(newEpoch(false))
	var ctx context.Context
	ctx, l.stop = context.WithCancel(context.Background())
	go l.heartbeat(ctx)
	return l, nil
}

func newEpoch(down bool) *epoch {
	ctx, end := context.WithCancel(context.Background())
	return &epoch{down: down, ctx: ctx, end: end}
}

// Close stops the heartbeat and closes the Redis connections.
func (l *Limiter) Close() error {
	l.stop()
	<-l.done
	return l.rdb.Close()
}

// State is "redis" while the shared budget is in use, "fallback" while the
// in-process one is.
func (l *Limiter) State() string {
	if l.ep.Load().down {
		return "fallback"
	}
	return "redis"
}

// QuietWindow is how long requests are held after a switch: one window
// (1.1 s) plus ProbeInterval and OpTimeout.
func (l *Limiter) QuietWindow() time.Duration { return l.quietFor }

// FallbackCalls is how many calls the in-process budget served.
func (l *Limiter) FallbackCalls() int64 { return l.fallbacks.Load() }

// Wait implements instantly.Limiter.
func (l *Limiter) Wait(ctx context.Context, key [sha256.Size]byte, op string) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := l.quiet(ctx, op); err != nil {
			return err
		}
		err := l.waitIn(ctx, l.ep.Load(), key, op)
		if err != errSwitched {
			return err
		}
	}
}

// waitIn takes a slot from ep's budget; errSwitched when ep ended first
// (the slot, if any, is not used).
func (l *Limiter) waitIn(ctx context.Context, ep *epoch, key [sha256.Size]byte, op string) error {
	if ep.ctx.Err() != nil {
		return errSwitched
	}
	wctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stop := context.AfterFunc(ep.ctx, func() { cancel(errSwitched) })
	defer stop()
	switched := func() bool { return ctx.Err() == nil && context.Cause(wctx) == errSwitched }

	if ep.down {
		// The in-process limiter gives a cancelled slot back.
		err := l.local.Wait(wctx, key, op)
		if err != nil && switched() {
			return errSwitched
		}
		if err == nil {
			l.fallbacks.Add(1)
		}
		return err
	}
	maxWait := int64(-1)
	if dl, ok := ctx.Deadline(); ok {
		maxWait = max(0, time.Until(dl).Microseconds())
	}
	rkey := l.keyName(key)
	member := newMember()
	rctx, rcancel := context.WithTimeout(ctx, l.timeout)
	res, err := script.Run(rctx, l.rdb, []string{rkey}, l.args[0], l.args[1], l.args[2], l.args[3], maxWait, member).Int64Slice()
	rcancel()
	if err != nil || len(res) != 2 {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err == nil {
			err = fmt.Errorf("unexpected script reply %v", res)
		}
		l.switchTo(true, err)
		return errSwitched
	}
	wait := time.Duration(res[1]) * time.Microsecond
	if res[0] == 0 {
		return &instantly.RateLimitError{Operation: op, RetryAfter: wait}
	}
	if wait <= 0 || stdx.Sleep(wctx, wait) {
		return nil
	}
	if switched() {
		// Redis stopped answering: the slot cannot be given back, and is
		// not used.
		return errSwitched
	}
	// Give the slot back. If Redis does not answer in time the slot stays
	// taken: the budget errs on the safe side.
	zctx, zcancel := context.WithTimeout(context.WithoutCancel(ctx), l.timeout)
	_ = l.rdb.ZRem(zctx, rkey, member).Err()
	zcancel()
	return ctx.Err()
}

// quiet waits out the pause after a switch (see quietUntil); a switch
// during the wait extends it.
func (l *Limiter) quiet(ctx context.Context, op string) error {
	for {
		d := time.Duration(l.quietUntil.Load() - time.Now().UnixNano())
		if d <= 0 {
			return nil
		}
		if dl, ok := ctx.Deadline(); ok && time.Now().Add(d).After(dl) {
			return &instantly.RateLimitError{Operation: op, RetryAfter: d}
		}
		if !stdx.Sleep(ctx, d) {
			return ctx.Err()
		}
	}
}

func newMember() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// keyName is the Redis key of an API key's budget: KeyPrefix and the hex
// HMAC of its hash under the key secret.
func (l *Limiter) keyName(key [sha256.Size]byte) string {
	l.namesMu.Lock()
	l.names.Reset()
	l.names.Write(key[:])
	var sum [sha256.Size]byte
	l.names.Sum(sum[:0])
	l.namesMu.Unlock()
	return KeyPrefix + hex.EncodeToString(sum[:])
}

// switchTo moves to the fallback budget (down) or back to Redis, once per
// change: it ends the epoch (revoking the slots still to come), starts the
// quiet window and logs one warning.
func (l *Limiter) switchTo(down bool, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	cur := l.ep.Load()
	if cur.down == down {
		return
	}
	l.quietUntil.Store(max(l.quietUntil.Load(), time.Now().Add(l.quietFor).UnixNano()))
	l.ep.Store(newEpoch(down))
	cur.end()
	lastRedisLog.Store(nil) // go-redis's next message is news again
	if !down {
		l.log.Warn("Redis rate budget available again: budget shared across replicas",
			"quiet", l.quietFor.String())
		return
	}
	msg := err.Error()
	if l.password != "" {
		msg = strings.ReplaceAll(msg, l.password, "[REDACTED]")
	}
	l.log.Warn("Redis rate budget unavailable: using this replica's own budget until it answers again",
		"err", msg, "fallback", "in-process", "quiet", l.quietFor.String())
}

// heartbeat checks Redis every probe interval, in both states and whatever
// the traffic, so every replica sees a change within one interval plus one
// timeout.
func (l *Limiter) heartbeat(ctx context.Context) {
	defer close(l.done)
	t := time.NewTicker(l.probeInt)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		_ = l.check(ctx)
	}
}

func (l *Limiter) check(ctx context.Context) error {
	pctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	var err error
	if l.ep.Load().down {
		// Back only when the budget's script runs: a Redis that answers
		// PING but refuses scripts or writes would otherwise switch back
		// and forth, each switch holding requests for a quiet window. The
		// probe key is no workspace's (theirs are hex digests).
		err = script.Run(pctx, l.rdb, []string{probeKey}, l.args[0], l.args[1], l.args[2], l.args[3], 0, newMember()).Err()
	} else {
		err = l.rdb.Ping(pctx).Err()
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	l.switchTo(err != nil, err)
	return err
}

// Probe checks Redis now and switches state accordingly (for tests and a
// startup check).
func (l *Limiter) Probe(ctx context.Context) error { return l.check(ctx) }

var loggerOnce sync.Once

// setLogger sends go-redis's own messages (reconnects and the like) to the
// debug level, so that a Redis outage logs one warning, ours.
func setLogger(l *slog.Logger) {
	loggerOnce.Do(func() { redis.SetLogger(debugLogger{l}) })
}

type debugLogger struct{ l *slog.Logger }

// lastRedisLog is go-redis's last message, with its digits left out (the
// attempt counts and times change on every retry): while Redis stays down
// it repeats the same "failed to dial" every probe; it is logged once per
// state change (switchTo clears it).
var lastRedisLog atomic.Pointer[string]

func (d debugLogger) Printf(ctx context.Context, format string, v ...any) {
	msg := fmt.Sprintf(format, v...)
	shape := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return -1
		}
		return r
	}, msg)
	if last := lastRedisLog.Swap(&shape); last != nil && *last == shape {
		return
	}
	d.l.Debug("redis: " + msg)
}
