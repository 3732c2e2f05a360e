package httpserver

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
)

// Graceful shutdown for the legacy SSE transport. There, POST /message only
// queues a call (202) and the result travels later over the GET /sse stream,
// so "in flight" cannot be read off active HTTP requests. Each stream
// therefore counts the requests POSTed to its session that still await a
// response event on it; shutdown waits for all counts to drop to zero before
// it closes the streams.

// sseStream is the shutdown bookkeeping of one GET /sse connection.
type sseStream struct {
	id      string
	pending atomic.Int64 // requests accepted (202) whose response is not yet flushed
}

type sseStreams struct {
	mu sync.Mutex
	m  map[string]*sseStream
}

func newSSEStreams() *sseStreams { return &sseStreams{m: make(map[string]*sseStream)} }

func (ss *sseStreams) add(st *sseStream) {
	ss.mu.Lock()
	ss.m[st.id] = st
	ss.mu.Unlock()
}

func (ss *sseStreams) remove(st *sseStream) {
	ss.mu.Lock()
	if ss.m[st.id] == st {
		delete(ss.m, st.id)
	}
	ss.mu.Unlock()
}

func (ss *sseStreams) get(id string) *sseStream {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.m[id]
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

// serveSSEStream runs one GET /sse stream with bookkeeping.
func (s *Server) serveSSEStream(w http.ResponseWriter, r *http.Request, next http.Handler) {
	st := &sseStream{}
	r = r.WithContext(context.WithValue(r.Context(), sseStreamKey{}, st))
	defer func() {
		if st.id != "" {
			s.streams.remove(st)
		}
	}()
	next.ServeHTTP(&sseStreamWriter{ResponseWriter: w, st: st}, r)
}

// serveSSEMessage runs one POST /message; a JSON-RPC request accepted for an
// open stream counts as pending there until its response is flushed.
func (s *Server) serveSSEMessage(w http.ResponseWriter, r *http.Request, next http.Handler) {
	body, ok := r.Body.(*bufferedBody)
	if !ok || !isJSONRPCRequest(body.buf.Bytes()) {
		next.ServeHTTP(w, r)
		return
	}
	st := s.streams.get(querySessionID(r.URL.RawQuery))
	if st == nil {
		next.ServeHTTP(w, r) // mcp-go rejects the unknown session
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

// querySessionID extracts sessionId from a raw query string.
func querySessionID(raw string) string {
	for raw != "" {
		var kv string
		kv, raw, _ = strings.Cut(raw, "&")
		k, v, _ := strings.Cut(kv, "=")
		if k != "sessionId" {
			continue
		}
		if strings.ContainsAny(v, "%+") {
			if u, err := url.QueryUnescape(v); err == nil {
				return u
			}
		}
		return v
	}
	return ""
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
