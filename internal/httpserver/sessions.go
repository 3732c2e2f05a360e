package httpserver

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Session defaults of the stateful streamable HTTP transport.
const (
	defaultSessionIdleTimeout = 30 * time.Minute
	defaultMaxSessions        = 1000
	// evictAfter: at the limit, a new session may push out the least
	// recently used one only if it has not been used for this long; a
	// client in active use keeps its session however many initializes
	// come in (they get 503 instead).
	evictAfter = time.Minute
)

// sessionPrefix keeps mcp-go's look of a session id; what makes an id valid
// is that this process issued it and it is still live.
const sessionPrefix = "mcp-session-"

var errUnknownSession = errors.New("unknown or expired session")

// sessions is the session id manager of the stateful streamable HTTP
// transport (mcp-go's server.SessionIdManager). mcp-go's default accepts any
// well-formed id and forgets nothing; this one:
//   - issues 256-bit random ids and accepts only those it issued and still
//     holds (a forged or guessed id gets 404);
//   - forgets an id on DELETE, so the id stops working at once (404);
//   - expires a session idle for longer than idle (404 afterwards);
//   - holds at most max live sessions: at the limit, a new one evicts the
//     least recently used if that one has been unused for evictAfter (its
//     client gets 404 and, as the spec says, initializes again), and is
//     refused with 503 otherwise (admit), so that a burst of initializes
//     cannot push out the clients in use.
//
// An expired or evicted session's state inside mcp-go is released through
// release (a DELETE served by mcp-go's own handler), outside the lock.
type sessions struct {
	fullMsg []byte // the 503 of an initialize at the limit
	mu      sync.Mutex
	live    map[string]time.Time // id -> last use
	idle    time.Duration
	max     int
	now     func() time.Time
	release func(id string)
}

func newSessions(idle time.Duration, max int) *sessions {
	if idle <= 0 {
		idle = defaultSessionIdleTimeout
	}
	if max <= 0 {
		max = defaultMaxSessions
	}
	full := jsonRPCError(-32000, fmt.Sprintf("this server holds its most sessions (%d), all in use in the last %s: "+
		"try again in a minute, or ask its operator to raise the session limit", max, min(evictAfter, idle)))
	return &sessions{live: make(map[string]time.Time), idle: idle, max: max, now: time.Now, release: func(string) {}, fullMsg: full}
}

// Generate issues a new id (on initialize).
func (m *sessions) Generate() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	id := sessionPrefix + base64.RawURLEncoding.EncodeToString(b[:])

	m.mu.Lock()
	now := m.now()
	var gone []string
	for old, last := range m.live {
		if now.Sub(last) > m.idle {
			delete(m.live, old)
			gone = append(gone, old)
		}
	}
	for len(m.live) >= m.max {
		var lru string
		var lruAt time.Time
		for old, last := range m.live {
			if lru == "" || last.Before(lruAt) {
				lru, lruAt = old, last
			}
		}
		delete(m.live, lru)
		gone = append(gone, lru)
	}
	m.live[id] = now
	m.mu.Unlock()
	for _, old := range gone {
		m.release(old)
	}
	return id
}

// admit reports whether a new session can be had now: there is room, or a
// session is expired or has been unused for evictAfter.
func (m *sessions) admit() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.live) < m.max {
		return true
	}
	now := m.now()
	for _, last := range m.live {
		if now.Sub(last) >= min(evictAfter, m.idle) {
			return true
		}
	}
	return false
}

// Validate accepts a live id it issued and marks it used. mcp-go answers an
// error with 404, as the spec asks for an unknown or terminated session.
func (m *sessions) Validate(id string) (isTerminated bool, err error) {
	if !m.touch(id) {
		return false, errUnknownSession
	}
	return false, nil
}

// touch reports whether id is live, and marks it used; an idle one is
// expired on the spot.
func (m *sessions) touch(id string) bool {
	m.mu.Lock()
	last, ok := m.live[id]
	now := m.now()
	expired := ok && now.Sub(last) > m.idle
	switch {
	case expired:
		delete(m.live, id)
	case ok:
		m.live[id] = now
	}
	m.mu.Unlock()
	if expired {
		m.release(id)
	}
	return ok && !expired
}

// Terminate forgets id (DELETE, expiry, shutdown).
func (m *sessions) Terminate(id string) (isNotAllowed bool, err error) {
	m.mu.Lock()
	delete(m.live, id)
	m.mu.Unlock()
	return false, nil
}

func (m *sessions) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.live)
}

// releaseVia returns a release func that has mcp-go drop the state of a
// session it still holds (registration, per-session stores), by serving it a
// DELETE for that session: its only public way to do so.
func releaseVia(h http.Handler) func(id string) {
	return func(id string) {
		r, err := http.NewRequestWithContext(context.Background(), http.MethodDelete, pathMCP, nil)
		if err != nil {
			return
		}
		r.Header.Set(server.HeaderKeySessionID, id)
		h.ServeHTTP(discardResponse{h: http.Header{}}, r)
	}
}

type discardResponse struct{ h http.Header }

func (d discardResponse) Header() http.Header         { return d.h }
func (d discardResponse) Write(p []byte) (int, error) { return len(p), nil }
func (d discardResponse) WriteHeader(int)             {}

// requireSession enforces what mcp-go leaves to the server in stateful mode:
// a request other than initialize must carry Mcp-Session-Id (400 without
// it), and a GET or DELETE must name a live session (404 otherwise; mcp-go
// would open a stream for any id, and answer 200 to a DELETE of any id).
// Requests of protocol 2026-07-28 and later have no sessions and pass.
func (m *sessions) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != pathMCP || mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion)) {
			next.ServeHTTP(w, r)
			return
		}
		id := r.Header.Get(server.HeaderKeySessionID)
		switch r.Method {
		case http.MethodPost:
			if id == "" && !initializeOrModern(r) {
				writeJSON(w, http.StatusBadRequest, errNoSession)
				return
			}
			if id == "" && isInitialize(r) && !m.admit() {
				w.Header()["Retry-After"] = hdrRetryMinute
				writeJSON(w, http.StatusServiceUnavailable, m.fullMsg)
				return
			}
			// A forged, expired or evicted id: the same JSON-RPC 404 as
			// for GET and DELETE (mcp-go's would be plain text).
			if id != "" && !m.touch(id) {
				writeJSON(w, http.StatusNotFound, errGoneSession)
				return
			}
		case http.MethodGet, http.MethodDelete:
			if id == "" {
				writeJSON(w, http.StatusBadRequest, errNoSession)
				return
			}
			if !m.touch(id) {
				writeJSON(w, http.StatusNotFound, errGoneSession)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

var (
	hdrRetryMinute = []string{"60"}
	errNoSession   = jsonRPCError(-32600, "Mcp-Session-Id header is required: send initialize first, then the id it returns")
	errGoneSession = jsonRPCError(-32600, "unknown, expired or terminated session: send initialize again")
)

// isInitialize reports whether a POST body (buffered by limitBody) is an
// initialize request.
func isInitialize(r *http.Request) bool {
	b, ok := r.Body.(*bufferedBody)
	if !ok {
		return false
	}
	var msg struct {
		Method string `json:"method"`
	}
	return json.Unmarshal(b.buf.Bytes(), &msg) == nil && msg.Method == string(mcp.MethodInitialize)
}

// initializeOrModern reports whether a POST body (already buffered by
// limitBody) is an initialize request, or a message of a protocol version
// without sessions. Anything unreadable passes on, for mcp-go to answer.
func initializeOrModern(r *http.Request) bool {
	b, ok := r.Body.(*bufferedBody)
	if !ok {
		return true
	}
	var msg struct {
		Method string `json:"method"`
		Params struct {
			Meta *mcp.Meta `json:"_meta"`
		} `json:"params"`
	}
	if json.Unmarshal(b.buf.Bytes(), &msg) != nil {
		return true
	}
	return msg.Method == string(mcp.MethodInitialize) || mcp.IsModernProtocol(msg.Params.Meta.ProtocolVersion())
}
