package httpserver

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Graceful shutdown for the legacy SSE transport. There, POST /message only
// queues a call (202) and the result travels later over the GET /sse stream,
// so "in flight" cannot be read off active HTTP requests. Each stream
// therefore counts the requests POSTed to its session that still await a
// response event on it; shutdown waits for all counts to drop to zero before
// it closes the streams.
//
// The same table bounds the SSE sessions, as sessions.go does for the
// streamable ones. In mcp-go a session lives only while its GET /sse stream
// is open (its id, 128 random bits from newSSESessionID, is refused, 400
// "Invalid session ID", once the stream ended or if it never existed). On
// top of that: at most max streams are open (a new one closes the least
// recently used), and a stream with no POST for idle is closed. A closed
// stream stays in the table, closing, until mcp-go has forgotten its session:
// a POST for it waits for that, then gets mcp-go's refusal, never a 202 for
// a call whose answer would be lost.

// sseStream is the bookkeeping of one GET /sse connection.
type sseStream struct {
	id      string
	pending atomic.Int64 // requests accepted (202) whose response is not yet flushed
	cancel  context.CancelFunc
	done    chan struct{} // closed when the stream's handler has returned

	// Guarded by sseStreams.mu.
	last    time.Time // last use: stream opened, POST
	closing bool      // evicted or expired: cancelled, not yet ended
	timer   *time.Timer
}

type sseStreams struct {
	mu   sync.Mutex
	m    map[string]*sseStream // every stream until its handler returns
	open int                   // streams in m that are not closing
	idle time.Duration
	max  int
	now  func() time.Time
	// fullMsg is the 503 of a stream at the limit.
	fullMsg []byte
}

func newSSEStreams(idle time.Duration, max int) *sseStreams {
	if idle <= 0 {
		idle = defaultSessionIdleTimeout
	}
	if max <= 0 {
		max = defaultMaxSessions
	}
	full := jsonRPCError(-32000, fmt.Sprintf("this server holds its most streams (%d), all in use in the last %s: "+
		"try again in a minute, or ask its operator to raise the session limit", max, min(evictAfter, idle)))
	return &sseStreams{m: make(map[string]*sseStream), idle: idle, max: max, now: time.Now, fullMsg: full}
}

// admit reports whether a new stream may open: there is room, or the least
// recently used open stream has had no POST for evictAfter (add then closes
// it). A stream in use is never closed to make room.
func (ss *sseStreams) admit() bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.open < ss.max {
		return true
	}
	now := ss.now()
	for _, o := range ss.m {
		if !o.closing && now.Sub(o.last) >= min(evictAfter, ss.idle) {
			return true
		}
	}
	return false
}

// add registers a new stream; at the limit it first closes the least
// recently used open one(s).
func (ss *sseStreams) add(st *sseStream) {
	ss.mu.Lock()
	var gone []*sseStream
	for ss.open >= ss.max {
		var lru *sseStream
		for _, o := range ss.m {
			if !o.closing && (lru == nil || o.last.Before(lru.last)) {
				lru = o
			}
		}
		gone = append(gone, ss.close(lru))
	}
	st.last = ss.now()
	ss.m[st.id] = st
	ss.open++
	st.timer = time.AfterFunc(ss.idle, func() { ss.expireIfIdle(st) })
	ss.mu.Unlock()
	for _, o := range gone {
		o.cancel()
	}
}

// close marks st closing (ss.mu held) and returns it; the caller cancels it
// after unlocking.
func (ss *sseStreams) close(st *sseStream) *sseStream {
	if !st.closing {
		st.closing = true
		ss.open--
		if st.timer != nil {
			st.timer.Stop()
		}
	}
	return st
}

// expireIfIdle closes st when it was not used for idle; otherwise it checks
// again when it would be.
func (ss *sseStreams) expireIfIdle(st *sseStream) {
	ss.mu.Lock()
	if ss.m[st.id] != st || st.closing {
		ss.mu.Unlock()
		return
	}
	if left := ss.idle - ss.now().Sub(st.last); left > 0 {
		st.timer.Reset(left)
		ss.mu.Unlock()
		return
	}
	ss.close(st)
	ss.mu.Unlock()
	st.cancel()
}

// remove forgets st once its handler has returned.
func (ss *sseStreams) remove(st *sseStream) {
	ss.mu.Lock()
	if ss.m[st.id] == st {
		ss.close(st)
		delete(ss.m, st.id)
	}
	ss.mu.Unlock()
}

// touch returns id's stream and whether it is live (then marked used). A
// stream idle for longer than idle is closed on the spot (its timer may not
// have fired yet). nil: no stream of that id, which mcp-go does not hold
// either.
func (ss *sseStreams) touch(id string) (*sseStream, bool) {
	ss.mu.Lock()
	st := ss.m[id]
	if st == nil {
		ss.mu.Unlock()
		return nil, false
	}
	if st.closing {
		ss.mu.Unlock()
		return st, false
	}
	now := ss.now()
	if now.Sub(st.last) > ss.idle {
		ss.close(st)
		ss.mu.Unlock()
		st.cancel()
		return st, false
	}
	st.last = now
	ss.mu.Unlock()
	return st, true
}

// counts returns the open streams and all registered (open and closing).
func (ss *sseStreams) counts() (open, all int) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.open, len(ss.m)
}

// pending returns the responses still owed on open streams (0 for a nil
// receiver, i.e. the streamable transport).
func (ss *sseStreams) pending() int64 {
	if ss == nil {
		return 0
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	var n int64
	for _, st := range ss.m {
		n += max(st.pending.Load(), 0)
	}
	return n
}

type sseStreamKey struct{}

// newSSESessionID is mcp-go's session ID generator for GET /sse: it also
// registers the stream's bookkeeping under the new ID before the endpoint
// event is sent, so no POST for the session can precede it.
func (s *Server) newSSESessionID(ctx context.Context, _ *http.Request) (string, error) {
	id := rand.Text()
	if st, ok := ctx.Value(sseStreamKey{}).(*sseStream); ok {
		st.id = id
		s.streams.add(st)
	}
	return id, nil
}

// serveSSEStream runs one GET /sse stream with bookkeeping. Cancelling its
// context (eviction, idle expiry) ends mcp-go's stream loop, which then
// forgets the session.
func (s *Server) serveSSEStream(w http.ResponseWriter, r *http.Request, next http.Handler) {
	if !s.streams.admit() {
		w.Header()["Retry-After"] = hdrRetryMinute
		writeJSON(w, http.StatusServiceUnavailable, s.streams.fullMsg)
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	st := &sseStream{cancel: cancel, done: make(chan struct{})}
	r = r.WithContext(context.WithValue(ctx, sseStreamKey{}, st))
	defer func() {
		if st.id != "" {
			s.streams.remove(st)
		}
		close(st.done)
	}()
	next.ServeHTTP(&sseStreamWriter{ResponseWriter: w, st: st}, r)
}

// serveSSEMessage runs one POST /message. A message for a closing stream
// waits until mcp-go has forgotten the session, so that mcp-go refuses it
// (400) after its own checks (Host, 403). A JSON-RPC request accepted for a
// live stream counts as pending there until its response is flushed.
func (s *Server) serveSSEMessage(w http.ResponseWriter, r *http.Request, next http.Handler) {
	// Read as mcp-go reads it, so both see the same id.
	st, live := s.streams.touch(r.URL.Query().Get("sessionId"))
	if st == nil || !live {
		if st != nil {
			select {
			case <-st.done:
			case <-r.Context().Done():
				return
			}
		}
		next.ServeHTTP(w, r) // mcp-go refuses the id: it no longer holds it
		return
	}
	body, ok := r.Body.(*bufferedBody)
	if !ok || !isJSONRPCRequest(body.buf.Bytes()) {
		next.ServeHTTP(w, r)
		return
	}
	// Count before mcp-go queues the call: the response may be flushed on
	// the stream before next returns.
	st.pending.Add(1)
	next.ServeHTTP(w, r)
	if rec, ok := w.(*responseRecorder); ok && rec.status != http.StatusAccepted {
		st.pending.Add(-1) // refused synchronously: nothing will be sent
	}
}

// isJSONRPCRequest reports whether msg is a JSON-RPC request (method and a
// non-null id), i.e. expects a response.
func isJSONRPCRequest(msg []byte) bool {
	var m struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	if json.Unmarshal(msg, &m) != nil {
		return false
	}
	return m.Method != "" && len(m.ID) > 0 && string(m.ID) != "null"
}

// sseStreamWriter wraps the GET /sse response: every flushed "message"
// event that is a JSON-RPC response (no "method") settles one pending call.
// mcp-go writes each event with a single Write followed by Flush, from the
// stream's handler goroutine only.
type sseStreamWriter struct {
	http.ResponseWriter
	st        *sseStream
	unflushed int64
}

var (
	eventMessagePrefix = []byte("event: message\n")
	dataPrefix         = []byte("data:")
)

func (sw *sseStreamWriter) Write(p []byte) (int, error) {
	n, err := sw.ResponseWriter.Write(p)
	if err == nil && bytes.HasPrefix(p, eventMessagePrefix) && isJSONRPCResponseEvent(p[len(eventMessagePrefix):]) {
		sw.unflushed++
	}
	return n, err
}

func (sw *sseStreamWriter) Flush() {
	if f, ok := sw.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
	if sw.unflushed != 0 {
		sw.st.pending.Add(-sw.unflushed)
		sw.unflushed = 0
	}
}

func (sw *sseStreamWriter) Unwrap() http.ResponseWriter { return sw.ResponseWriter }

// isJSONRPCResponseEvent reports whether the "data:" line of an SSE event
// holds a JSON-RPC response (as opposed to a notification or a
// server-initiated request such as ping, which carry a method).
func isJSONRPCResponseEvent(ev []byte) bool {
	if !bytes.HasPrefix(ev, dataPrefix) {
		return false
	}
	var m struct {
		Method json.RawMessage `json:"method"`
	}
	if json.Unmarshal(bytes.TrimSpace(ev[len(dataPrefix):]), &m) != nil {
		return false
	}
	return m.Method == nil
}
