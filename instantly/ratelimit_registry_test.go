package instantly

import (
	"fmt"
	"testing"
	"time"
)

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
