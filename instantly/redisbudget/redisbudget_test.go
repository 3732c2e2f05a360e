package redisbudget

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// redisURL is a Redis the test may write to (.ci/run starts one); without
// it the tests that need one skip, unless CI_REQUIRE_REDIS is set.
func redisURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("INSTANTLY_TEST_REDIS_URL")
	if u == "" {
		msg := "needs a Redis: set INSTANTLY_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0); .ci/run does"
		if os.Getenv("CI_REQUIRE_REDIS") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return u
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuf) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuf) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func uniqueKey(t *testing.T) [32]byte {
	return instantly.KeyHash(t.Name() + time.Now().String())
}

// TestSharedBudget: two limiters (two replicas) share one budget: 95 go out
// at once, the next waits for the window; a wait past the deadline is
// refused without taking anything; a cancelled wait gives its slot back.
func TestSharedBudget(t *testing.T) {
	u := redisURL(t)
	// A long Redis timeout: on a busy machine a stalled heartbeat must not
	// switch these limiters to their fallback mid-test.
	a, err := New(Options{KeySecret: testKeySecret, URL: u, OpTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, _ := New(Options{KeySecret: testKeySecret, URL: u, OpTimeout: 5 * time.Second})
	defer b.Close()
	key := uniqueKey(t)
	ctx := context.Background()
	start := time.Now()
	for i := range 95 {
		l := a
		if i%2 == 1 {
			l = b
		}
		if err := l.Wait(ctx, key, "op"); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d > 900*time.Millisecond {
		t.Fatalf("95 admissions took %s: they should not wait", d)
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	var rl *instantly.RateLimitError
	if err := b.Wait(short, key, "GET x"); !errors.As(err, &rl) || rl.RetryAfter < 500*time.Millisecond {
		t.Fatalf("96th with a short deadline: %v, want *RateLimitError", err)
	}
	// A waiter that gives up gives its slot back: the next one gets the
	// same slot, not the one after.
	waitCtx, cancelWait := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Wait(waitCtx, key, "op") }()
	rkey := a.keyName(key)
	for a.rdb.ZCard(ctx, rkey).Val() != 96 { // until it has its reservation
		runtime.Gosched()
	}
	cancelWait()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v", err)
	}
	if n := a.rdb.ZCard(ctx, rkey).Val(); n != 95 {
		t.Errorf("%d entries after the cancelled wait, want 95", n)
	}
	// Refused: the reply says how long; with the slot given back it is the
	// same wait as before minus the time passed, not one more slot later.
	probe, cancelProbe := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancelProbe()
	err = b.Wait(probe, key, "op")
	if !errors.As(err, &rl) || rl.RetryAfter > 1100*time.Millisecond {
		t.Errorf("after the cancelled wait: %v", err)
	}
	if a.State() != "redis" || a.FallbackCalls() != 0 {
		t.Errorf("state %s, %d fallback calls", a.State(), a.FallbackCalls())
	}
}

// TestFallbackWhenDown: with Redis unreachable, calls go through the
// in-process budget, one warning is logged, and the password is not in it.
func TestFallbackWhenDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	var logs syncBuf
	l, err := New(Options{KeySecret: testKeySecret, URL: "redis://:s3cret-pass@" + addr + "/0", Replicas: 3,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	key := uniqueKey(t)
	for range 5 {
		if err := l.Wait(context.Background(), key, "op"); err != nil {
			t.Fatal(err)
		}
	}
	if l.State() != "fallback" || l.FallbackCalls() != 5 {
		t.Errorf("state %s, %d fallback calls; want fallback, 5", l.State(), l.FallbackCalls())
	}
	out := logs.String()
	if n := strings.Count(out, "Redis rate budget unavailable"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, out)
	}
	if strings.Contains(out, "s3cret-pass") {
		t.Errorf("password logged:\n%s", out)
	}
}

func TestBadURL(t *testing.T) {
	_, err := New(Options{KeySecret: testKeySecret, URL: "http://user:s3cret@host"})
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("err = %v", err)
	}
}

// The limiter's exact behaviour where no Redis is needed: New's
// configuration, the switch and its log, the fallback path and the quiet
// window. The heartbeat is kept out of them with a ProbeInterval of an hour
// (except where the defaults are the point), so every switch is the test's.

// closedAddr is a local address nothing listens on: dialing it is refused
// at once.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// refusingRedis speaks just enough RESP to answer every command with
// the same error, as a Redis that is up but refuses everything would: the
// error text is then the same on every run (a closed port gives a dial
// error or a timeout, depending on the machine's speed).
func refusingRedis(t *testing.T) string {
	return respServer(t, func([]string) string { return "-ERR refused by the test\r\n" })
}

func newLimiter(t *testing.T, o Options) *Limiter {
	t.Helper()
	if o.KeySecret == nil {
		o.KeySecret = testKeySecret
	}
	l, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// countAdmitted counts the requests lim lets through at once for one key
// (stopping at limit): the first one that would have to wait is refused,
// since the context's deadline is shorter than any window.
func countAdmitted(t *testing.T, lim instantly.Limiter, limit int) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	key := instantly.KeyHash(t.Name())
	for i := range limit {
		if err := lim.Wait(ctx, key, "op"); err != nil {
			var rl *instantly.RateLimitError
			if !errors.As(err, &rl) {
				t.Fatalf("admission %d: %v, want *RateLimitError", i+1, err)
			}
			return i
		}
	}
	return limit
}

// captureLogger logs at debug level into a buffer, without times.
func captureLogger() (*slog.Logger, *syncBuf) {
	var b syncBuf
	h := slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}})
	return slog.New(h), &b
}

// TestNewDefaults: zero Options get Instantly's limits with headroom and
// spread, the 250 ms timeout and probe interval, the default logger, and a
// client that fails fast (no retries, every timeout the op timeout).
func TestNewDefaults(t *testing.T) {
	l := newLimiter(t, Options{URL: "redis://" + closedAddr(t) + "/0"})
	if want := [4]any{95, int64(1_100_000), 5700, int64(60_100_000)}; l.args != want {
		t.Errorf("script args %v, want %v", l.args, want)
	}
	if l.timeout != 250*time.Millisecond || l.probeInt != 250*time.Millisecond {
		t.Errorf("timeout %s, probe interval %s; want 250ms, 250ms", l.timeout, l.probeInt)
	}
	if want := 1600 * time.Millisecond; l.QuietWindow() != want {
		t.Errorf("quiet window %s, want %s", l.QuietWindow(), want)
	}
	if l.log != slog.Default() {
		t.Errorf("logger %p, want slog.Default()", l.log)
	}
	if l.password != "" {
		t.Errorf("password %q, want none", l.password)
	}
	o := l.rdb.Options()
	for name, d := range map[string]time.Duration{"dial": o.DialTimeout, "read": o.ReadTimeout, "write": o.WriteTimeout, "pool": o.PoolTimeout} {
		if d != 250*time.Millisecond {
			t.Errorf("%s timeout %s, want 250ms", name, d)
		}
	}
	// go-redis turns MaxRetries -1 into 0 retries (0 would mean its
	// default, 3).
	if o.MaxRetries != 0 || !o.ContextTimeoutEnabled || !o.DisableIdentity {
		t.Errorf("MaxRetries %d, ContextTimeoutEnabled %v, DisableIdentity %v; want 0, true, true",
			o.MaxRetries, o.ContextTimeoutEnabled, o.DisableIdentity)
	}
	if n := countAdmitted(t, l.local, 200); n != 95 {
		t.Errorf("fallback budget let %d through at once, want 95", n)
	}
}

// TestNewOptions: given values are kept (not replaced by defaults), the
// fallback budget is the workspace's divided by the replicas, and the URL's
// password wins over Options.Password.
func TestNewOptions(t *testing.T) {
	lg, _ := captureLogger()
	addr := closedAddr(t)
	l := newLimiter(t, Options{URL: "redis://" + addr + "/0", Password: "from-options",
		PerSecond: 10, PerMinute: 200, Replicas: 2,
		OpTimeout: 40 * time.Millisecond, ProbeInterval: time.Hour, Logger: lg})
	if want := [4]any{9, int64(1_100_000), 190, int64(60_100_000)}; l.args != want {
		t.Errorf("script args %v, want %v", l.args, want)
	}
	if l.timeout != 40*time.Millisecond || l.probeInt != time.Hour {
		t.Errorf("timeout %s, probe interval %s; want 40ms, 1h", l.timeout, l.probeInt)
	}
	if want := time.Hour + 1140*time.Millisecond; l.QuietWindow() != want {
		t.Errorf("quiet window %s, want %s", l.QuietWindow(), want)
	}
	if l.log != lg {
		t.Error("the given logger was not kept")
	}
	if l.password != "from-options" || l.rdb.Options().Password != "from-options" {
		t.Errorf("password %q (client %q), want from-options", l.password, l.rdb.Options().Password)
	}
	if d := l.rdb.Options().ReadTimeout; d != 40*time.Millisecond {
		t.Errorf("read timeout %s, want 40ms", d)
	}
	// 10/2 = 5 a second, 95%: 4.
	if n := countAdmitted(t, l.local, 50); n != 4 {
		t.Errorf("fallback budget let %d through at once, want 4", n)
	}

	url := newLimiter(t, Options{URL: "redis://:from-url@" + addr + "/0", Password: "from-options", ProbeInterval: time.Hour})
	if url.password != "from-url" || url.rdb.Options().Password != "from-url" {
		t.Errorf("password %q (client %q), want from-url", url.password, url.rdb.Options().Password)
	}

	// The per-minute share: 30/3 = 10 a minute, 95%: 9 (the per-second
	// share, 1000/3, is far above).
	minute := newLimiter(t, Options{URL: "redis://" + addr + "/0", PerSecond: 1000, PerMinute: 30, Replicas: 3, ProbeInterval: time.Hour})
	if n := countAdmitted(t, minute.local, 50); n != 9 {
		t.Errorf("fallback budget let %d through at once, want 9", n)
	}
	// Fewer than one a replica: still one.
	one := newLimiter(t, Options{URL: "redis://" + addr + "/0", PerSecond: 2, PerMinute: 2, Replicas: 5, ProbeInterval: time.Hour})
	if n := countAdmitted(t, one.local, 50); n != 1 {
		t.Errorf("fallback budget let %d through at once, want 1", n)
	}
}

// TestRefusingRedis: a Wait whose script Redis refuses switches to the
// fallback with one warning naming Redis's error, then holds the
// call for the quiet window (refused at once here: the deadline is
// shorter); a Probe in the fallback state tries the script on the probe key
// and stays there, without a second warning.
func TestRefusingRedis(t *testing.T) {
	lg, logs := captureLogger()
	addr := refusingRedis(t)
	l := newLimiter(t, Options{URL: "redis://" + addr + "/0", OpTimeout: time.Second, ProbeInterval: time.Hour, Logger: lg})
	if l.State() != "redis" {
		t.Fatalf("state %s before any call, want redis", l.State())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := l.Wait(ctx, instantly.KeyHash(t.Name()), "GET /x")
	var rl *instantly.RateLimitError
	if !errors.As(err, &rl) || rl.Operation != "GET /x" {
		t.Fatalf("Wait: %v, want *RateLimitError for GET /x (held for the quiet window)", err)
	}
	if q := l.QuietWindow(); rl.RetryAfter > q || rl.RetryAfter < q-time.Minute {
		t.Errorf("retry after %s, want just under the quiet window %s", rl.RetryAfter, q)
	}
	if l.State() != "fallback" || l.FallbackCalls() != 0 {
		t.Errorf("state %s, %d fallback calls; want fallback, 0", l.State(), l.FallbackCalls())
	}
	want := `level=WARN msg="Redis rate budget unavailable: using this replica's own budget until it answers again"` +
		` err="ERR refused by the test" fallback=in-process quiet=1h0m2.1s` + "\n"
	if got := logs.String(); got != want {
		t.Errorf("log:\n%s\nwant:\n%s", got, want)
	}
	if err := l.Probe(context.Background()); err == nil || err.Error() != "ERR refused by the test" {
		t.Errorf("Probe: %v, want Redis's error", err)
	}
	if l.State() != "fallback" || logs.String() != want {
		t.Errorf("after a failed probe: state %s, log:\n%s", l.State(), logs.String())
	}
}

// TestProbeSwitches: a failed Probe moves a replica to the fallback at
// once (one warning), and the quiet window starts then.
func TestProbeSwitches(t *testing.T) {
	lg, logs := captureLogger()
	l := newLimiter(t, Options{URL: "redis://" + refusingRedis(t) + "/0", OpTimeout: time.Second, ProbeInterval: time.Hour, Logger: lg})
	before := time.Now()
	if err := l.Probe(context.Background()); err == nil || err.Error() != "ERR refused by the test" {
		t.Fatalf("Probe: %v, want Redis's error", err)
	}
	if l.State() != "fallback" {
		t.Errorf("state %s after a failed probe, want fallback", l.State())
	}
	if n := strings.Count(logs.String(), "Redis rate budget unavailable"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, logs.String())
	}
	until := time.Unix(0, l.quietUntil.Load())
	if lo, hi := before.Add(l.QuietWindow()), time.Now().Add(l.QuietWindow()); until.Before(lo) || until.After(hi) {
		t.Errorf("quiet until %s, want between %s and %s", until, lo, hi)
	}
	// A cancelled probe changes nothing and says so.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Probe(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Probe: %v, want context.Canceled", err)
	}
}

// TestSwitchLog: the two warnings word for word; the password, if any,
// is redacted from the error, and nothing else is touched.
func TestSwitchLog(t *testing.T) {
	for _, tc := range []struct {
		password, err, logged string
	}{
		{"", "auth failed for s3cret", "auth failed for s3cret"},
		{"s3cret", "auth s3cret failed (s3cret)", "auth [REDACTED] failed ([REDACTED])"},
	} {
		lg, logs := captureLogger()
		l := newLimiter(t, Options{URL: "redis://" + closedAddr(t) + "/0", Password: tc.password,
			OpTimeout: 40 * time.Millisecond, ProbeInterval: time.Hour, Logger: lg})
		l.switchTo(true, errors.New(tc.err))
		l.switchTo(true, errors.New("again")) // no change: no log
		l.switchTo(false, nil)
		l.switchTo(false, nil)
		want := `level=WARN msg="Redis rate budget unavailable: using this replica's own budget until it answers again"` +
			` err="` + tc.logged + `" fallback=in-process quiet=1h0m1.14s` + "\n" +
			`level=WARN msg="Redis rate budget available again: budget shared across replicas" quiet=1h0m1.14s` + "\n"
		if got := logs.String(); got != want {
			t.Errorf("password %q: log:\n%s\nwant:\n%s", tc.password, got, want)
		}
		if l.State() != "redis" {
			t.Errorf("state %s, want redis", l.State())
		}
	}
}

// TestFallbackPath: on the fallback budget (no quiet window: set
// directly, as at a start with Redis down) calls are counted; a cancelled
// context is refused before anything; a call waiting in the fallback budget
// when Redis comes back is not sent on the old slot but waits again, behind
// the quiet window (refused here: its deadline is shorter).
func TestFallbackPath(t *testing.T) {
	lg, _ := captureLogger()
	l := newLimiter(t, Options{URL: "redis://" + closedAddr(t) + "/0", PerSecond: 1, PerMinute: 100,
		OpTimeout: 40 * time.Millisecond, ProbeInterval: time.Hour, Logger: lg})
	l.ep.Store(newEpoch(true))
	key := instantly.KeyHash(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := l.Wait(ctx, key, "op"); err != nil {
		t.Fatalf("first call on the fallback: %v", err)
	}
	if l.FallbackCalls() != 1 {
		t.Errorf("%d fallback calls, want 1", l.FallbackCalls())
	}
	cancelled, cancelNow := context.WithCancel(context.Background())
	cancelNow()
	if err := l.Wait(cancelled, key, "op"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled call: %v, want context.Canceled", err)
	}

	// One a second: the second call waits about 1.1 s for its slot.
	entered := make(chan struct{}, 1)
	l.local = enteredLimiter{l.local, entered}
	done := make(chan error, 1)
	go func() { done <- l.Wait(ctx, key, "GET /y") }()
	<-entered
	l.switchTo(false, nil)
	err := <-done
	var rl *instantly.RateLimitError
	if !errors.As(err, &rl) || rl.Operation != "GET /y" {
		t.Fatalf("call waiting at the switch: %v, want *RateLimitError for GET /y (held for the quiet window)", err)
	}
	if q := l.QuietWindow(); rl.RetryAfter > q || rl.RetryAfter < q-time.Minute {
		t.Errorf("retry after %s, want just under the quiet window %s", rl.RetryAfter, q)
	}
	if l.FallbackCalls() != 1 {
		t.Errorf("%d fallback calls, want 1 (the revoked slot is not a call)", l.FallbackCalls())
	}
}

// TestDebugLogger: go-redis's own messages go to debug, prefixed.
func TestDebugLogger(t *testing.T) {
	lg, logs := captureLogger()
	debugLogger{lg}.Printf(context.Background(), "pool: %s after %d tries", "gone", 3)
	if got, want := logs.String(), `level=DEBUG msg="redis: pool: gone after 3 tries"`+"\n"; got != want {
		t.Errorf("log %q, want %q", got, want)
	}
}

// TestRedisBudgetExactCounts (needs a Redis, as TestSharedBudget): with a
// budget of one request per window, the first call is admitted at once
// and takes one entry; the second, with a deadline shorter than the window,
// is refused with the wait Redis computed and takes nothing; a call without
// a deadline reserves the slot and waits, and when it is cancelled it gives
// the slot back. The limiter stays on Redis throughout.
func TestRedisBudgetExactCounts(t *testing.T) {
	u := redisURL(t)
	// 2 a second with 95% headroom: 1 per 1.1 s window.
	l := newLimiter(t, Options{URL: u, PerSecond: 2, OpTimeout: 5 * time.Second, ProbeInterval: time.Hour,
		Logger: slog.New(slog.DiscardHandler)})
	key := uniqueKey(t)
	rkey := l.keyName(key)
	ctx := context.Background()
	t.Cleanup(func() { l.rdb.Del(ctx, rkey) })

	first, cancelFirst := context.WithTimeout(ctx, 30*time.Second)
	defer cancelFirst()
	if err := l.Wait(first, key, "op"); err != nil {
		t.Fatalf("first call: %v", err)
	}
	if n := l.rdb.ZCard(ctx, rkey).Val(); n != 1 {
		t.Fatalf("%d entries after the first call, want 1", n)
	}
	short, cancelShort := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancelShort()
	err := l.Wait(short, key, "GET /z")
	var rl *instantly.RateLimitError
	if !errors.As(err, &rl) || rl.Operation != "GET /z" {
		t.Fatalf("second call with a short deadline: %v, want *RateLimitError for GET /z", err)
	}
	// The slot is 1.1 s + 1 µs after the first entry, less the time since.
	if rl.RetryAfter <= 500*time.Millisecond || rl.RetryAfter > 1100*time.Millisecond+time.Microsecond {
		t.Errorf("retry after %s, want in (500ms, 1.100001s]", rl.RetryAfter)
	}
	if n := l.rdb.ZCard(ctx, rkey).Val(); n != 1 {
		t.Errorf("%d entries after the refused call, want 1 (nothing taken)", n)
	}

	waitCtx, cancelWait := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- l.Wait(waitCtx, key, "op") }()
	for l.rdb.ZCard(ctx, rkey).Val() != 2 { // until it has its reservation
		select {
		case err := <-done:
			t.Fatalf("call without a deadline returned %v before waiting for its slot", err)
		default:
			runtime.Gosched()
		}
	}
	cancelWait()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled call: %v, want context.Canceled", err)
	}
	if n := l.rdb.ZCard(ctx, rkey).Val(); n != 1 {
		t.Errorf("%d entries after the cancelled call, want 1 (slot given back)", n)
	}
	if l.State() != "redis" || l.FallbackCalls() != 0 {
		t.Errorf("state %s, %d fallback calls; want redis, 0", l.State(), l.FallbackCalls())
	}
}
