package httpserver

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/server"
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

// An evicted session is released inside mcp-go too (through a DELETE served
// by its own handler): the MCP server no longer knows it.
func TestEvictedSessionIsReleased(t *testing.T) {
	mcpSrv := server.NewMCPServer("t", "1")
	s, err := New(mcpSrv, Config{MaxSessions: 1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	initialize := func() string {
		r := httptest.NewRequest(http.MethodPost, "/mcp", strings.NewReader(
			`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Accept", "application/json, text/event-stream")
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, r)
		if w.Code != 200 {
			t.Fatalf("initialize: %d %s", w.Code, w.Body)
		}
		return w.Header().Get("Mcp-Session-Id")
	}
	a := initialize()
	if err := mcpSrv.SendNotificationToSpecificClient(a, "notifications/message", nil); err != nil {
		t.Fatalf("session a not registered: %v", err)
	}
	s.sessions.now = func() time.Time { return time.Now().Add(2 * evictAfter) } // a is unused since
	b := initialize()                                                           // evicts a (MaxSessions 1)
	if err := mcpSrv.SendNotificationToSpecificClient(a, "notifications/message", nil); err == nil {
		t.Fatal("evicted session a is still registered in the MCP server")
	}
	if err := mcpSrv.SendNotificationToSpecificClient(b, "notifications/message", nil); err != nil {
		t.Fatalf("session b: %v", err)
	}
	if s.sessions.len() != 1 {
		t.Fatalf("%d live sessions", s.sessions.len())
	}
}

// At MCP_MAX_SESSIONS, a burst of initializes does not push out the clients
// in use: while every session was used within evictAfter a new one gets a
// JSON-RPC 503 with Retry-After, and the live ones keep working; once the
// least recently used one has been unused that long, a new one takes its
// place.
func TestSessionsInUseAreNotEvicted(t *testing.T) {
	now := time.Now()
	s, err := New(server.NewMCPServer("t", "1"), Config{MaxSessions: 2, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	s.sessions.now = func() time.Time { return now }
	initialize := func() *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/mcp", strings.NewReader(initBody))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Accept", "application/json, text/event-stream")
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, r)
		return w
	}
	a, b := initialize().Header().Get("Mcp-Session-Id"), initialize().Header().Get("Mcp-Session-Id")
	for range 5 {
		now = now.Add(time.Second)
		w := initialize()
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "60" ||
			!strings.Contains(w.Body.String(), `"jsonrpc":"2.0"`) || !strings.Contains(w.Body.String(), "most sessions (2)") {
			t.Fatalf("initialize at the limit: %d %q %s", w.Code, w.Header().Get("Retry-After"), w.Body)
		}
	}
	for _, id := range []string{a, b} {
		if _, err := s.sessions.Validate(id); err != nil {
			t.Fatalf("a session in use was evicted: %v", err)
		}
	}
	now = now.Add(evictAfter)
	if _, err := s.sessions.Validate(a); err != nil { // a is in use, b is not
		t.Fatal(err)
	}
	if w := initialize(); w.Code != http.StatusOK {
		t.Fatalf("initialize with b unused for a minute: %d %s", w.Code, w.Body)
	}
	if _, err := s.sessions.Validate(b); err == nil {
		t.Fatal("b, the unused session, is still live")
	}
	if _, err := s.sessions.Validate(a); err != nil {
		t.Fatal("a, in use, was evicted")
	}
}

// SSE streams follow the same rule: at the limit a new stream is admitted
// only when the least recently used one has had no POST for evictAfter.
func TestSSEStreamsInUseAreNotEvicted(t *testing.T) {
	now := time.Now()
	ss := newSSEStreams(time.Hour, 2)
	ss.now = func() time.Time { return now }
	for _, id := range []string{"a", "b"} {
		ss.add(&sseStream{id: id, cancel: func() {}, done: make(chan struct{})})
	}
	if ss.admit() {
		t.Fatal("a third stream admitted while both are in use")
	}
	now = now.Add(evictAfter)
	if !ss.admit() {
		t.Fatal("no stream admitted with both unused for a minute")
	}
}
