package httpserver

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// Idle sessions expire, live ones are bounded (least recently used goes
// first), and every id that goes is released inside mcp-go too.
func TestSessionsExpireAndAreBounded(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	m := newSessions(10*time.Minute, 3)
	m.now = func() time.Time { return now }
	var released []string
	m.release = func(id string) { released = append(released, id) }

	gen := func() string { now = now.Add(time.Second); return m.Generate() }
	a, b, c := gen(), gen(), gen()
	for _, id := range []string{a, b, c} {
		if !strings.HasPrefix(id, sessionPrefix) || len(id) != len(sessionPrefix)+43 {
			t.Fatalf("id %q: want %s + 43 base64url characters (256 bits)", id, sessionPrefix)
		}
	}
	if a == b || b == c {
		t.Fatal("ids repeat")
	}

	now = now.Add(time.Minute)
	if _, err := m.Validate(a); err != nil { // a is now the most recent
		t.Fatal(err)
	}
	d := m.Generate() // full: evicts b, the least recently used
	if _, err := m.Validate(b); err == nil {
		t.Fatal("evicted session still valid")
	}
	if !slices.Equal(released, []string{b}) || m.len() != 3 {
		t.Fatalf("released %v, %d live", released, m.len())
	}

	// live: a and d used at t0+63s, c at t0+3s. Idle exactly 10 min is
	// still live; a second more is not.
	now = now.Add(10 * time.Minute)
	if _, err := m.Validate(d); err != nil {
		t.Fatalf("session idle exactly the timeout: %v", err)
	}
	now = now.Add(time.Second)
	if _, err := m.Validate(a); err == nil {
		t.Fatal("idle session still valid")
	}
	if !slices.Equal(released, []string{b, a}) {
		t.Fatalf("released %v", released)
	}
	// A new session sweeps the other idle ones (c) first: no eviction of d.
	e := m.Generate()
	if !slices.Equal(released, []string{b, a, c}) || m.len() != 2 {
		t.Fatalf("released %v, %d live", released, m.len())
	}
	for _, id := range []string{d, e} {
		if _, err := m.Validate(id); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
	}
	// Terminate forgets at once.
	if _, err := m.Terminate(d); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Validate(d); err == nil {
		t.Fatal("terminated session still valid")
	}
	if _, err := m.Validate(""); err == nil {
		t.Fatal("empty id valid")
	}
}
