package instantly

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// maxInWindow is the largest number of events in any closed window
// [t, t+window] of the sorted times.
func maxInWindow(times []time.Time, window time.Duration) int {
	best, j := 0, 0
	for i := range times {
		for j < len(times) && times[j].Sub(times[i]) <= window {
			j++
		}
		best = max(best, j-i)
	}
	return best
}

// TestRateLimitParallelCalls: parallel calls through the client are held to
// the budget, measured where the requests arrive. A request arrives after
// the client released it, so the arrivals in the budget's first window (from
// before the first call to one second plus LimiterSpread later) cannot
// exceed what the limiter released in it, however the machine schedules the
// goroutines. (A sliding window over arrival times, the old check, failed
// under load: requests released a window apart arrived together.) The exact
// rolling-window property of the releases is TestLimiterProperty's.
func TestRateLimitParallelCalls(t *testing.T) {
	t.Parallel()
	const perSecond, calls = 30, 45
	var mu sync.Mutex
	var arrivals []time.Time
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		reply(200, healthyBody)(w, r)
	}})
	c := srv.client(t, WithRateLimits(perSecond, 100_000), WithTimeout(10*time.Second))
	start := time.Now()
	var wg sync.WaitGroup
	for i := range calls {
		// Half through a WithAPIKey copy with the same key: one budget.
		cc := c
		if i%2 == 1 {
			cc = c.WithAPIKey(testKey)
		}
		// Each a different campaign: identical calls would be shared.
		id := fmt.Sprintf("019a0000-0000-7000-8000-%012d", i)
		wg.Go(func() {
			if _, err := cc.GetCampaignSendingStatus(context.Background(), id, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	window := time.Second + LimiterSpread
	budget := withHeadroom(perSecond) // 28 of 30
	first := 0
	for _, a := range arrivals {
		if a.Before(start.Add(window)) {
			first++
		}
	}
	if first > budget {
		t.Errorf("%d requests arrived within %s of the first call, budget %d", first, window, budget)
	}
	if len(arrivals) != calls {
		t.Errorf("%d requests arrived, want %d", len(arrivals), calls)
	}
	// More calls than one window holds: the last cannot be released before
	// the first window ends.
	if elapsed < window {
		t.Errorf("%d calls took %s, less than one window (%s): the limiter did not hold them back", calls, elapsed, window)
	}
}

// TestRateLimitSharedPerKey: copies with the same key share a budget, another
// key has its own, and a wait that cannot finish before the deadline fails at
// once without sending.
func TestRateLimitSharedPerKey(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: reply(200, healthyBody)})
	base := srv.client(t, WithRateLimits(1, 1000)) // burst 1, then ~1 per second
	a, sameKey, otherKey := base.WithAPIKey("key-a-0123456789ab"), base.WithAPIKey("key-a-0123456789ab"), base.WithAPIKey("key-b-0123456789ab")
	ctx := context.Background()
	if _, err := a.GetCampaignSendingStatus(ctx, testID, nil); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	// Waiting would outlast the deadline: a *RateLimitError at once
	// (had it waited, the error would be the deadline's).
	_, err := sameKey.GetCampaignSendingStatus(short, testID, nil)
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter < 500*time.Millisecond {
		t.Fatalf("same key: err = %v, want *RateLimitError", err)
	}
	if _, err := otherKey.GetCampaignSendingStatus(ctx, testID, nil); err != nil {
		t.Errorf("other key: %v", err)
	}
	if n := srv.count(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	if n := base.limiters.(*limiterRegistry).size(); n != 2 {
		t.Errorf("%d budgets, want 2", n)
	}
	// Clients built separately with the default limits share the
	// process-wide registry.
	c1, _ := NewClient("k-0123456789abcdef")
	c2, _ := NewClient("k-0123456789abcdef", WithTimeout(time.Second))
	if c1.limiters != c2.limiters || c1.limiters != defaultLimiters {
		t.Error("default clients do not share one registry")
	}
}

// logLen is the number of entries (admitted or reserved) in h's budget.
func (r *limiterRegistry) logLen(h [32]byte) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if b, ok := r.entries[h]; ok {
		return b.log.n
	}
	return 0
}

// TestLimiterProperty drives budgets with random arrival patterns on a
// simulated clock: bursts, trickles, pauses, callers that give up while
// queued and callers whose deadline is too short. Every rolling second and
// minute stays within its limit, and no request waits while the budget has
// room (nothing queued, every window under its limit).
func TestLimiterProperty(t *testing.T) {
	limits := []struct{ perSecond, perMinute int }{{100, 6000}, {10, 60}, {3, 1000}, {1, 2}, {20, 50}}
	for _, lim := range limits {
		for seed := range uint64(8) {
			t.Run(fmt.Sprintf("%d-%d/seed%d", lim.perSecond, lim.perMinute, seed), func(t *testing.T) {
				t.Parallel()
				checkLimiterProperty(t, lim.perSecond, lim.perMinute, seed)
			})
		}
	}
}

// The windows the limiter holds: a second and a minute, plus LimiterSpread.
const (
	sec    = time.Second + LimiterSpread
	minute = time.Minute + LimiterSpread
)

func checkLimiterProperty(t *testing.T, perSecond, perMinute int, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, uint64(perSecond)))
	reg := newLimiterRegistry(perSecond, perMinute)
	epoch := reg.epoch
	h := keyHash("k")
	ps, pm := reg.windows[0].limit, reg.windows[1].limit

	type res struct {
		at        time.Time
		cancelAt  time.Time // zero: kept
		cancelled bool
	}
	var all []*res     // admitted, in admission order (sorted by at)
	var pending []*res // to be cancelled, sorted by cancelAt
	now := epoch
	// The mean gap changes every phase: floods, near the limit, trickles.
	gaps := []time.Duration{100 * time.Microsecond, time.Millisecond, time.Second / time.Duration(perSecond),
		time.Minute / time.Duration(perMinute), 100 * time.Millisecond, 2 * time.Second}
	end := epoch.Add(3 * time.Minute)
	phaseEnd := now
	var meanGap time.Duration
	for arrivals := 0; now.Before(end) && arrivals < 12_000; arrivals++ {
		if !now.Before(phaseEnd) {
			phaseEnd = now.Add(time.Duration(rng.Int64N(int64(20 * time.Second))))
			meanGap = gaps[rng.IntN(len(gaps))]
		}
		now = now.Add(time.Duration(rng.ExpFloat64() * float64(meanGap)))
		// Cancellations due by now happen first, in time order.
		for len(pending) > 0 && !pending[0].cancelAt.After(now) {
			reg.cancel(h, pending[0].at)
			pending[0].cancelled = true
			pending = pending[1:]
		}

		// What the caller is owed: no wait when nothing is queued and
		// both windows have room.
		queued := false
		for i := len(all) - 1; i >= 0; i-- {
			if !all[i].cancelled {
				queued = all[i].at.After(now)
				break
			}
		}
		owed := !queued
		for _, w := range []struct {
			d     time.Duration
			limit int
		}{{sec, ps}, {minute, pm}} {
			if !owed {
				break
			}
			n := 0
			for i := len(all) - 1; i >= 0 && now.Sub(all[i].at) <= w.d && n < w.limit; i-- {
				if !all[i].cancelled {
					n++
				}
			}
			owed = n < w.limit
		}
		var notAfter time.Time
		if rng.IntN(10) == 0 {
			notAfter = now.Add(time.Duration(rng.Int64N(int64(2 * time.Second))))
		}
		at, ok := reg.reserve(h, now, notAfter)
		if at.Before(now) {
			t.Fatalf("admitted at %s, before the arrival %s", at.Sub(epoch), now.Sub(epoch))
		}
		if owed && !at.Equal(now) {
			t.Fatalf("at %s: the budget has room and nothing is queued, but the request waits %s",
				now.Sub(epoch), at.Sub(now))
		}
		if !ok {
			if !at.After(notAfter) {
				t.Fatalf("refused although %s is within the deadline %s", at.Sub(epoch), notAfter.Sub(epoch))
			}
			continue
		}
		r := &res{at: at}
		all = append(all, r)
		if at.After(now) && rng.IntN(4) == 0 {
			r.cancelAt = now.Add(time.Duration(rng.Int64N(int64(at.Sub(now)))))
			i, _ := slices.BinarySearchFunc(pending, r.cancelAt, func(p *res, c time.Time) int { return p.cancelAt.Compare(c) })
			pending = slices.Insert(pending, i, r)
		}
	}
	var times []time.Time
	for _, r := range all {
		if !r.cancelled {
			times = append(times, r.at)
		}
	}
	if !slices.IsSortedFunc(times, func(a, b time.Time) int { return a.Compare(b) }) {
		t.Error("admissions out of arrival order")
	}
	// In any rolling second and minute, and even in those windows plus
	// LimiterSpread.
	if got := maxInWindow(times, sec); got > ps {
		t.Errorf("%d requests in one rolling %s, limit %d", got, sec, ps)
	}
	if got := maxInWindow(times, minute); got > pm {
		t.Errorf("%d requests in one rolling %s, limit %d", got, minute, pm)
	}
}

// TestLimiterNoWaitUntilFull: 95 back-to-back requests go out at once; the
// 96th waits for the oldest to leave the rolling second (plus the spread).
func TestLimiterNoWaitUntilFull(t *testing.T) {
	reg := newLimiterRegistry(DefaultRequestsPerSecond, DefaultRequestsPerMinute)
	now := reg.epoch
	h := keyHash("k")
	for i := range 95 {
		if at, _ := reg.reserve(h, now, time.Time{}); !at.Equal(now) {
			t.Fatalf("request %d waits %s with the budget unused", i+1, at.Sub(now))
		}
	}
	if at, _ := reg.reserve(h, now, time.Time{}); at.Sub(now) != sec+1 {
		t.Errorf("96th request at +%s, want just over 1 s", at.Sub(now))
	}
}

// TestLimiterCancelGivesBack: a caller that gives up while queued, or whose
// deadline is too short, leaves the budget exactly as it was. (The token
// bucket version took the per-minute token and could then fail on the
// per-second bucket without giving it back.)
func TestLimiterCancelGivesBack(t *testing.T) {
	reg := newLimiterRegistry(1, 4) // 1 per second, 3 per minute
	fixed := reg.epoch
	reg.now = func() time.Time { return fixed }
	h := keyHash("k")
	ctx := context.Background()
	if err := reg.Wait(ctx, h, "op"); err != nil {
		t.Fatal(err)
	}
	// Deadline too short for the 1.1 s wait: refused, nothing taken.
	short, cancelShort := context.WithDeadline(ctx, fixed.Add(500*time.Millisecond))
	defer cancelShort()
	var rl *RateLimitError
	if err := reg.Wait(short, h, "op"); !errors.As(err, &rl) || rl.RetryAfter != sec+1 {
		t.Fatalf("err = %v, want *RateLimitError after 1s", err)
	}
	if n := reg.logLen(h); n != 1 {
		t.Fatalf("%d entries after a refused wait, want 1", n)
	}
	// Cancelled while queued: the reservation goes back.
	waitCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- reg.Wait(waitCtx, h, "op") }()
	for reg.logLen(h) != 2 {
		runtime.Gosched() // until the waiter has its reservation
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if n := reg.logLen(h); n != 1 {
		t.Fatalf("%d entries after a cancelled wait, want 1", n)
	}
	// The per-minute budget (3) is whole: two more requests fit in this
	// minute, at +1 s and +2 s, each the moment it arrives; a third waits
	// for the first to leave the minute.
	for i, want := range []time.Duration{sec + 1, 2*sec + 2, minute + 1} {
		arrival := time.Duration(i+1) * (sec + 1)
		at, _ := reg.reserve(h, fixed.Add(arrival), time.Time{})
		if got := at.Sub(fixed); got != want {
			t.Errorf("request %d arriving at +%s admitted at +%s, want +%s", i+2, arrival, got, want)
		}
	}
}

// TestLimiterCancelMidQueue: a reservation cancelled between others is
// removed and the rest keep their slots.
func TestLimiterCancelMidQueue(t *testing.T) {
	reg := newLimiterRegistry(1, 1000)
	now := reg.epoch
	h := keyHash("k")
	var ats []time.Time
	for range 4 {
		at, _ := reg.reserve(h, now, time.Time{})
		ats = append(ats, at)
	}
	reg.cancel(h, ats[2])
	reg.cancel(h, ats[2]) // twice: no effect
	b := reg.entries[h]
	var got []time.Duration
	for i := range b.log.n {
		got = append(got, time.Duration(b.log.at(i)))
	}
	want := []time.Duration{0, sec + 1, 3*sec + 3}
	if !slices.Equal(got, want) {
		t.Errorf("log %v, want %v", got, want)
	}
}

func TestRegistryEviction(t *testing.T) {
	reg := newLimiterRegistry(100, 6000)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	get := func(k string) *keyBudget {
		reg.mu.Lock()
		defer reg.mu.Unlock()
		return reg.budget(keyHash(k), now)
	}
	a := get("a")
	get("b")
	if get("a") != a {
		t.Fatal("same key, different budget")
	}
	now = now.Add(9 * time.Minute)
	get("a") // a stays fresh
	now = now.Add(2 * time.Minute)
	get("c")
	if n := reg.size(); n != 2 { // b idle 11 min: gone
		t.Errorf("%d entries, want 2 (a, c)", n)
	}
	for k := range reg.entries {
		if k == keyHash("b") {
			t.Error("idle entry b survived")
		}
	}
	// The size cap holds even when every entry is fresh.
	for i := range limiterMaxEntries + 50 {
		now = now.Add(time.Millisecond)
		get(fmt.Sprint("tenant-", i))
	}
	if n := reg.size(); n > limiterMaxEntries {
		t.Errorf("%d entries, cap %d", n, limiterMaxEntries)
	}
	// The registry is keyed by hash: the key itself is stored nowhere.
	for k := range reg.entries {
		if string(k[:]) == "a" {
			t.Error("raw key stored")
		}
	}
}

// BenchmarkLimiterWait is the per-call cost of the limiter in a steady state
// under the limit (one request every 12 ms: 91 in the 1.1 s window, 5,008
// in the 60.1 s one): no wait, no allocation.
func BenchmarkLimiterWait(b *testing.B) {
	reg := newLimiterRegistry(DefaultRequestsPerSecond, DefaultRequestsPerMinute)
	now := reg.epoch
	reg.now = func() time.Time { return now }
	h := keyHash("k")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(12 * time.Millisecond)
		if err := reg.Wait(ctx, h, "op"); err != nil {
			b.Fatal(err)
		}
	}
}

// The registry sweeps when a minute has passed since the last sweep (exactly
// a minute included) and drops entries idle longer than limiterIdleTTL (an
// entry idle exactly that long stays).
func TestRegistrySweepBoundaries(t *testing.T) {
	reg := newLimiterRegistry(100, 6000)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(now time.Time, k string) {
		reg.mu.Lock()
		defer reg.mu.Unlock()
		reg.budget(keyHash(k), now)
	}
	has := func(k string) bool {
		reg.mu.Lock()
		defer reg.mu.Unlock()
		_, ok := reg.entries[keyHash(k)]
		return ok
	}
	at(t0, "b")                     // first use: sweep at t0
	at(t0.Add(limiterIdleTTL), "a") // sweep; b idle exactly the TTL: kept
	if !has("b") {
		t.Fatal("an entry idle exactly limiterIdleTTL was dropped")
	}
	at(t0.Add(limiterIdleTTL+time.Minute-time.Nanosecond), "a") // under a minute since the sweep: none
	if !has("b") {
		t.Fatal("swept less than a minute after the last sweep")
	}
	at(t0.Add(limiterIdleTTL+time.Minute), "a") // exactly a minute: sweep; b idle TTL+1m
	if has("b") || !has("a") {
		t.Errorf("after the sweep a minute later: b kept %v, a kept %v; want b dropped, a kept", has("b"), has("a"))
	}
}

// A request that need not wait is admitted at once, whatever notAfter says:
// the deadline only refuses waits that would outlast it.
func TestReserveWithoutWaitIgnoresNotAfter(t *testing.T) {
	reg := newLimiterRegistry(1, 100)
	now := reg.epoch.Add(time.Hour)
	h := keyHash("k")
	at, ok := reg.reserve(h, now, now.Add(-time.Nanosecond))
	if !ok || !at.Equal(now) {
		t.Fatalf("first request: at %s ok %v; want now, admitted", at.Sub(now), ok)
	}
	// The second must wait past the window of one per second (plus the
	// spread); a notAfter before that refuses it and takes nothing.
	at2, ok := reg.reserve(h, now, now.Add(time.Millisecond))
	if ok || at2.Sub(now) <= time.Second {
		t.Fatalf("second request: at +%s ok %v; want refused, at more than 1s", at2.Sub(now), ok)
	}
	if at3, ok := reg.reserve(h, now, time.Time{}); !ok || !at3.Equal(at2) {
		t.Errorf("without notAfter: at +%s ok %v; want +%s, admitted (the refusal took nothing)", at3.Sub(now), ok, at2.Sub(now))
	}
}

// expire drops entries strictly before the cutoff; one at the cutoff stays.
func TestTimeLogExpireBoundary(t *testing.T) {
	for _, tc := range []struct {
		cutoff int64
		want   []int64
	}{{0, []int64{1, 2, 3}}, {1, []int64{1, 2, 3}}, {2, []int64{2, 3}}, {3, []int64{3}}, {4, nil}} {
		var l timeLog
		for _, v := range []int64{1, 2, 3} {
			l.push(v)
		}
		l.expire(tc.cutoff)
		var got []int64
		for i := range l.n {
			got = append(got, l.at(i))
		}
		if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("expire(%d) left %v, want %v", tc.cutoff, got, tc.want)
		}
	}
}

// remove takes out exactly one entry equal to t, the oldest included, and
// leaves the others in order, also when the ring is full.
func TestTimeLogRemoveExact(t *testing.T) {
	full := func() *timeLog {
		l := new(timeLog)
		for v := int64(1); v <= 16; v++ { // 16: the ring's first size, full
			l.push(v)
		}
		return l
	}
	seq := func(from, to int64, skip ...int64) []int64 {
		var out []int64
	next:
		for v := from; v <= to; v++ {
			for _, s := range skip {
				if v == s {
					continue next
				}
			}
			out = append(out, v)
		}
		return out
	}
	for _, tc := range []struct {
		remove int64
		ok     bool
		want   []int64
	}{
		{1, true, seq(2, 16)},
		{8, true, seq(1, 16, 8)},
		{16, true, seq(1, 15)},
		{0, false, seq(1, 16)},
		{17, false, seq(1, 16)},
	} {
		l := full()
		if ok := l.remove(tc.remove); ok != tc.ok {
			t.Errorf("remove(%d) = %v, want %v", tc.remove, ok, tc.ok)
		}
		var got []int64
		for i := range l.n {
			got = append(got, l.at(i))
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("after remove(%d): %v, want %v", tc.remove, got, tc.want)
		}
	}
}

// TestLimiterConstants: the in-process budget's windows by value (95 in
// any 1.1 s, 5,700 in any 60.1 s), and an idle key's budget is kept ten
// minutes.
func TestLimiterConstants(t *testing.T) {
	r := newLimiterRegistry(DefaultRequestsPerSecond, DefaultRequestsPerMinute)
	if want := [2]window{{95, int64(1100 * time.Millisecond)}, {5700, int64(60100 * time.Millisecond)}}; r.windows != want {
		t.Errorf("windows %v, want %v", r.windows, want)
	}
	if limiterIdleTTL != 10*time.Minute {
		t.Errorf("idle TTL %s, want 10m", limiterIdleTTL)
	}
}
