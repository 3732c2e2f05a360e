package httpserver

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/server"
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
	// Idle exactly the timeout when the timer fires: closed (the timer
	// fires at the timeout, not after it).
	now = now.Add(10 * time.Minute)
	ss.expireIfIdle(d)
	if cancelled["d"] != 1 || !d.closing {
		t.Fatalf("stream idle exactly the timeout at its timer: cancelled %d", cancelled["d"])
	}
	counts(0, 3)
	for _, st := range []*sseStream{a, c, d} {
		ss.remove(st)
		if st.timer.Stop() {
			t.Fatalf("%s: idle timer still pending after the stream closed", st.id)
		}
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

// Generate's sweep keeps a session idle exactly the timeout (only longer is
// expired), like Validate.
func TestGenerateSweepBoundary(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	m := newSessions(10*time.Minute, 10)
	m.now = func() time.Time { return now }
	a := m.Generate()
	now = now.Add(10 * time.Minute)
	b := m.Generate()
	if m.len() != 2 {
		t.Fatalf("session idle exactly the timeout swept: %d live", m.len())
	}
	now = now.Add(time.Nanosecond)
	m.Generate()
	if m.len() != 2 || m.touch(a) || !m.touch(b) {
		t.Fatalf("%d live; a idle past the timeout must be swept, b kept", m.len())
	}
}

// requireSession over the stateful handler: what reaches mcp-go and what is
// answered before it.
func TestRequireSessionAnswers(t *testing.T) {
	_, base := startTest(t, newFixture(), Config{})
	init := raw(t, "POST", base+"/mcp", jsonHeaders(nil), strings.NewReader(initBody))
	id := init.header.Get("Mcp-Session-Id")
	if init.status != 200 || id == "" {
		t.Fatalf("initialize: %d %q", init.status, id)
	}
	ping := `{"jsonrpc":"2.0","id":2,"method":"ping"}`
	for _, c := range []struct {
		name, method, session, body string
		want                        int
	}{
		{"POST ping without id", "POST", "", ping, 400},
		{"POST notification without id", "POST", "", `{"jsonrpc":"2.0","method":"notifications/initialized"}`, 400},
		{"GET without id", "GET", "", "", 400},
		{"DELETE without id", "DELETE", "", "", 400},
		{"GET forged id", "GET", "mcp-session-forged", "", 404},
		{"DELETE forged id", "DELETE", "mcp-session-forged", "", 404},
		{"POST ping with the id", "POST", id, ping, 200},
		{"DELETE the id", "DELETE", id, "", 200},
		{"POST ping after DELETE", "POST", id, ping, 404},
	} {
		hdr := map[string]string{}
		if c.session != "" {
			hdr["Mcp-Session-Id"] = c.session
		}
		var body *strings.Reader
		if c.body != "" {
			body = strings.NewReader(c.body)
		}
		var r rawResponse
		if body != nil {
			r = raw(t, c.method, base+"/mcp", jsonHeaders(hdr), body)
		} else {
			r = raw(t, c.method, base+"/mcp", jsonHeaders(hdr), nil)
		}
		if r.status != c.want {
			t.Errorf("%s: %d, want %d (%s)", c.name, r.status, c.want, r.body)
		}
	}
	// A body that is not JSON goes on to mcp-go, which answers a parse
	// error (not our 400 for a missing session).
	r := raw(t, "POST", base+"/mcp", jsonHeaders(nil), strings.NewReader("{not json"))
	if strings.Contains(r.body, "Mcp-Session-Id header is required") {
		t.Errorf("unparsable body answered as missing session: %d %s", r.status, r.body)
	}
}

// The SSE pending count: a JSON-RPC request POSTed to a stream counts until
// a response event is flushed on it; notifications and server requests on
// the stream settle nothing; nothing settles before the flush.
func TestSSEStreamWriterSettlesOnFlush(t *testing.T) {
	st := &sseStream{}
	st.pending.Store(2)
	w := &sseStreamWriter{ResponseWriter: httptest.NewRecorder(), st: st}
	write := func(s string) { _, _ = w.Write([]byte(s)) }
	write("event: endpoint\ndata: /message?sessionId=x\r\n\r\n")
	write("event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}\n\n")
	write("event: message\ndata:{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}\n\n")
	w.Flush()
	if st.pending.Load() != 2 {
		t.Fatalf("pending %d after events that are not responses", st.pending.Load())
	}
	write("event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n")
	if st.pending.Load() != 2 {
		t.Fatal("settled before the flush")
	}
	w.Flush()
	if st.pending.Load() != 1 {
		t.Fatalf("pending %d after one response flushed, want 1", st.pending.Load())
	}
	write("event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32603,\"message\":\"x\"}}\n\n")
	write("event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}\n\n")
	w.Flush()
	if st.pending.Load() != -1 {
		t.Fatalf("pending %d after two more responses, want -1", st.pending.Load())
	}
	w.Flush()
	if st.pending.Load() != -1 {
		t.Fatal("a second flush settled again")
	}
}

func TestJSONRPCKinds(t *testing.T) {
	for msg, want := range map[string]bool{
		`{"jsonrpc":"2.0","id":1,"method":"ping"}`:             true,
		`{"jsonrpc":"2.0","id":"a","method":"tools/call"}`:     true,
		`{"jsonrpc":"2.0","method":"notifications/cancelled"}`: false,
		`{"jsonrpc":"2.0","id":null,"method":"ping"}`:          false,
		`{"jsonrpc":"2.0","id":1,"result":{}}`:                 false,
		`not json`:                                             false,
	} {
		if got := isJSONRPCRequest([]byte(msg)); got != want {
			t.Errorf("isJSONRPCRequest(%s) = %v", msg, got)
		}
	}
	for ev, want := range map[string]bool{
		`data: {"jsonrpc":"2.0","id":1,"result":{}}`:                true,
		`data:{"jsonrpc":"2.0","id":1,"error":{}}`:                  true,
		`data: {"jsonrpc":"2.0","method":"notifications/progress"}`: false,
		`data: {"jsonrpc":"2.0","id":3,"method":"ping"}`:            false,
		`data: not json`: false,
		`id: 4` + "\n" + `data: {"jsonrpc":"2.0","id":1,"result":{}}`: false,
	} {
		if got := isJSONRPCResponseEvent([]byte(ev)); got != want {
			t.Errorf("isJSONRPCResponseEvent(%q) = %v", ev, got)
		}
	}
}

// A stream's bookkeeping is registered while mcp-go serves it (under the id
// it generates) and gone, with done closed, when the handler returns.
func TestServeSSEStreamRegistersAndForgets(t *testing.T) {
	s, err := New(server.NewMCPServer("t", "1"), Config{Transport: TransportSSE, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	var seen *sseStream
	var during [2]int
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := s.newSSESessionID(r.Context(), r)
		seen, _ = s.streams.touch(id)
		during[0], during[1] = s.streams.counts()
	})
	s.serveSSEStream(httptest.NewRecorder(), httptest.NewRequest("GET", "/sse", nil), next)
	if seen == nil || during != [2]int{1, 1} {
		t.Fatalf("while serving: stream %v, counts %v", seen, during)
	}
	if o, a := s.streams.counts(); o != 0 || a != 0 {
		t.Fatalf("after: %d open, %d registered", o, a)
	}
	select {
	case <-seen.done:
	default:
		t.Fatal("done not closed")
	}
}
