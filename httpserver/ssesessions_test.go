package httpserver

import (
	"testing"
	"time"
)

// The SSE stream table: at most max open streams (a new one closes the
// least recently used: opened or POSTed to last), idle ones closed (idle
// exactly the timeout is still live), closed ones kept as closing until
// their handler returns, and a closed stream cancelled exactly once.
func TestSSEStreamsBoundAndExpire(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	ss := newSSEStreams(10*time.Minute, 2)
	ss.now = func() time.Time { return now }
	cancelled := map[string]int{}
	open := func(id string) *sseStream {
		now = now.Add(time.Second)
		st := &sseStream{id: id, done: make(chan struct{})}
		st.cancel = func() { cancelled[id]++ }
		ss.add(st)
		return st
	}
	live := func(id string) bool { _, ok := ss.touch(id); return ok }
	counts := func(wantOpen, wantAll int) {
		t.Helper()
		if o, a := ss.counts(); o != wantOpen || a != wantAll {
			t.Fatalf("open %d of %d registered, want %d of %d", o, a, wantOpen, wantAll)
		}
	}

	a := open("a")
	b := open("b")
	counts(2, 2)
	now = now.Add(time.Minute)
	if !live("a") { // a is now the most recently used
		t.Fatal("a not live")
	}
	c := open("c") // full: closes b
	if cancelled["b"] != 1 || cancelled["a"] != 0 || !b.closing || a.closing {
		t.Fatalf("cancelled %v", cancelled)
	}
	counts(2, 3) // b closing until its handler returns
	if st, ok := ss.touch("b"); st != b || ok {
		t.Fatalf("closing stream: %v %v, want it, not live", st, ok)
	}
	if st, ok := ss.touch("nope"); st != nil || ok {
		t.Fatal("unknown id found")
	}
	ss.remove(b)
	counts(2, 2)
	if st, _ := ss.touch("b"); st != nil {
		t.Fatal("removed stream still found")
	}
	if cancelled["b"] != 1 {
		t.Fatalf("b cancelled %d times", cancelled["b"])
	}

	// a used at t0+62s, c opened at t0+63s. At a's last use + 10 min a is
	// still live; 1 ns later it is closed on touch.
	now = time.Unix(1_800_000_000, 0).Add(62*time.Second + 10*time.Minute)
	if !live("a") {
		t.Fatal("a closed at exactly the idle timeout")
	}
	now = now.Add(10*time.Minute + time.Nanosecond)
	if live("a") || cancelled["a"] != 1 {
		t.Fatalf("idle a: cancelled %d", cancelled["a"])
	}
	counts(1, 2)

	// The idle timer: not yet idle -> kept (and rescheduled); idle -> closed.
	ss.expireIfIdle(c) // c idle since t0+63s: well past 10 min
	if cancelled["c"] != 1 || !c.closing {
		t.Fatalf("expired c: cancelled %d", cancelled["c"])
	}
	d := open("d")
	ss.expireIfIdle(d)
	if cancelled["d"] != 0 || d.closing {
		t.Fatal("fresh stream expired")
	}
	ss.expireIfIdle(c) // already closing: nothing more
	if cancelled["c"] != 1 {
		t.Fatalf("c cancelled %d times", cancelled["c"])
	}
	counts(1, 3)
	for _, st := range []*sseStream{a, c, d} {
		ss.remove(st)
	}
	counts(0, 0)
}

// A stream keeps at most max open even when several must go at once, and a
// stream that went away before its timer fired is left alone by it.
func TestSSEStreamsLimitOne(t *testing.T) {
	ss := newSSEStreams(time.Hour, 1)
	var cancels int
	mk := func(id string) *sseStream {
		return &sseStream{id: id, cancel: func() { cancels++ }, done: make(chan struct{})}
	}
	x, y := mk("x"), mk("y")
	ss.add(x)
	ss.add(y)
	if cancels != 1 || !x.closing || y.closing {
		t.Fatalf("cancels %d", cancels)
	}
	ss.remove(y)
	ss.expireIfIdle(y)
	if cancels != 1 {
		t.Fatal("timer of a removed stream cancelled it")
	}
	ss.remove(x)
	if o, a := ss.counts(); o != 0 || a != 0 {
		t.Fatalf("%d %d", o, a)
	}
	if d := newSSEStreams(0, 0); d.idle != defaultSessionIdleTimeout || d.max != defaultMaxSessions {
		t.Fatalf("defaults %v %d", d.idle, d.max)
	}
}
