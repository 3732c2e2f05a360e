package instantly

import (
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
