package httpserver

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// deadlineLog records SetWriteDeadline calls.
type deadlineLog struct{ set []time.Time }

func (d *deadlineLog) SetWriteDeadline(t time.Time) error {
	d.set = append(d.set, t)
	return nil
}

// The access log's recorder: the status is the first final one written
// (1xx are not final), Write and Flush imply 200 only when none was set,
// bytes are counted, and the write deadline is writeTimeout from the write,
// moved only when less than half of it is left.
func TestResponseRecorder(t *testing.T) {
	for _, c := range []struct {
		name string
		do   func(rw *responseRecorder)
		want int
	}{
		{"202 then flush", func(rw *responseRecorder) { rw.WriteHeader(202); rw.Flush() }, 202},
		{"202 then write", func(rw *responseRecorder) { rw.WriteHeader(202); _, _ = rw.Write([]byte("x")) }, 202},
		{"flush only", func(rw *responseRecorder) { rw.Flush() }, 200},
		{"write only", func(rw *responseRecorder) { _, _ = rw.Write([]byte("x")) }, 200},
		{"103 then 404", func(rw *responseRecorder) { rw.WriteHeader(103); rw.WriteHeader(404) }, 404},
		{"200", func(rw *responseRecorder) { rw.WriteHeader(200) }, 200},
		{"nothing", func(rw *responseRecorder) {}, 0},
	} {
		rw := &responseRecorder{ResponseWriter: httptest.NewRecorder()}
		c.do(rw)
		if rw.status != c.want {
			t.Errorf("%s: status %d, want %d", c.name, rw.status, c.want)
		}
	}

	rec := httptest.NewRecorder()
	dl := &deadlineLog{}
	rw := &responseRecorder{ResponseWriter: rec, dl: dl}
	before := time.Now()
	_, _ = rw.Write([]byte("hello"))
	_, _ = rw.Write([]byte(", world"))
	rw.Flush()
	if rw.bytes != 12 || rec.Body.String() != "hello, world" || !rec.Flushed {
		t.Fatalf("bytes %d, body %q, flushed %v", rw.bytes, rec.Body.String(), rec.Flushed)
	}
	// Set once: the later writes found more than half the window left.
	if len(dl.set) != 1 || dl.set[0].Before(before.Add(writeTimeout)) || dl.set[0].After(time.Now().Add(writeTimeout)) {
		t.Fatalf("deadlines %v, want one, writeTimeout after the first write", dl.set)
	}
	// Less than half left: moved to writeTimeout from now.
	rw.deadline = time.Now().Add(writeTimeout/2 - time.Second)
	before = time.Now()
	rw.Flush()
	if len(dl.set) != 2 || dl.set[1].Before(before.Add(writeTimeout)) || rw.deadline != dl.set[1] {
		t.Fatalf("deadlines %v (recorder at %v)", dl.set, rw.deadline)
	}
	// More than half left: kept.
	rw.deadline = time.Now().Add(writeTimeout/2 + 2*time.Second)
	_, _ = rw.Write([]byte("!"))
	if len(dl.set) != 2 {
		t.Fatalf("deadline moved with more than half the window left: %v", dl.set)
	}
}

// /metrics goes to the metrics handler for GET and HEAD only (405 with
// Allow otherwise); every other path goes on. The health handler with info
// adds its entries, keeps "status":"ok" whatever info says, and sends no
// body to HEAD.
func TestMetricsAndHealthRouting(t *testing.T) {
	metrics := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("metrics")) })
	next := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("next")) })
	h := withMetrics(metrics, next)
	for _, c := range []struct {
		method, path string
		status       int
		body, allow  string
	}{
		{"GET", "/metrics", 200, "metrics", ""},
		{"HEAD", "/metrics", 200, "metrics", ""},
		{"POST", "/metrics", 405, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"method not allowed"}}`, "GET, HEAD"},
		{"GET", "/mcp", 200, "next", ""},
		{"POST", "/mcp", 200, "next", ""},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
		if rec.Code != c.status || rec.Body.String() != c.body || rec.Header().Get("Allow") != c.allow {
			t.Errorf("%s %s: %d %q Allow %q", c.method, c.path, rec.Code, rec.Body.String(), rec.Header().Get("Allow"))
		}
	}

	if healthHandler(nil) == nil {
		t.Fatal("no handler without info")
	}
	hh := healthHandler(func() map[string]string { return map[string]string{"status": "broken", "budget": "redis"} })
	for _, c := range []struct {
		method string
		status int
		body   string
	}{
		{"GET", 200, `{"budget":"redis","status":"ok"}`},
		{"HEAD", 200, ""},
		{"POST", 405, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"method not allowed"}}`},
	} {
		rec := httptest.NewRecorder()
		hh.ServeHTTP(rec, httptest.NewRequest(c.method, "/healthz", nil))
		if rec.Code != c.status || rec.Body.String() != c.body {
			t.Errorf("health %s: %d %q", c.method, rec.Code, rec.Body.String())
		}
		if c.status == 200 && (rec.Header().Get("Content-Type") != "application/json" || rec.Header().Get("Cache-Control") != "no-store") {
			t.Errorf("health %s headers %v", c.method, rec.Header())
		}
	}
}

// releaseBody resets and pools a body buffer of up to maxPooledBody
// capacity; a larger one is left as it is, for the collector.
func TestReleaseBodyKeepsOnlySmallBuffers(t *testing.T) {
	for _, c := range []struct {
		capacity int
		pooled   bool
	}{{512, true}, {maxPooledBody, true}, {maxPooledBody + 1, false}, {4 * maxPooledBody, false}} {
		b := &bufferedBody{}
		b.buf = *bytes.NewBuffer(make([]byte, 0, c.capacity))
		b.buf.WriteString("body")
		b.rd.Reset(b.buf.Bytes())
		if b.buf.Cap() != c.capacity {
			t.Fatalf("capacity %d, want %d", b.buf.Cap(), c.capacity)
		}
		releaseBody(b)
		if reset := b.buf.Len() == 0 && b.rd.Len() == 0; reset != c.pooled {
			t.Errorf("capacity %d: reset for the pool %v, want %v", c.capacity, reset, c.pooled)
		}
	}
}

func TestDrainTime(t *testing.T) {
	for timeout, want := range map[time.Duration]time.Duration{
		10 * time.Second:       9 * time.Second,
		30 * time.Second:       29 * time.Second,
		2 * time.Second:        1800 * time.Millisecond,
		100 * time.Millisecond: 90 * time.Millisecond,
	} {
		if got := drainTime(timeout); got != want {
			t.Errorf("drainTime(%v) = %v, want %v", timeout, got, want)
		}
	}
}

// A shutdown after the calls were answered finds nothing in flight: it logs
// start and stop, and no timeout (the short ShutdownTimeout would be hit if
// a finished call were still counted).
func TestCleanShutdownLogsNoTimeout(t *testing.T) {
	var logs syncBuffer
	base, cancel, errc := startServe(t, newFixture(), Config{Logger: slog.New(slog.NewTextHandler(&logs, nil)), ShutdownTimeout: 2 * time.Second}, nil)
	for range 3 {
		if r := raw(t, "POST", base+"/mcp", jsonHeaders(nil), strings.NewReader(initBody)); r.status != 200 {
			t.Fatalf("initialize: %d %s", r.status, r.body)
		}
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if !strings.Contains(out, "MCP HTTP server shutting down") || !strings.Contains(out, "MCP HTTP server stopped") || strings.Contains(out, "shutdown timeout") {
		t.Fatalf("logs:\n%s", out)
	}
}

// Config.Metrics is served at /metrics (GET); without it /metrics is just
// an unknown path of the MCP endpoint's server.
func TestMetricsOnlyWhenConfigured(t *testing.T) {
	m := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("instantly_up 1\n")) })
	_, base := startTest(t, newFixture(), Config{Metrics: m})
	if r := raw(t, "GET", base+"/metrics", nil, nil); r.status != 200 || r.body != "instantly_up 1\n" {
		t.Fatalf("with metrics: %d %q", r.status, r.body)
	}
	_, base = startTest(t, newFixture(), Config{})
	if r := raw(t, "GET", base+"/metrics", nil, nil); r.status != http.StatusNotFound {
		t.Fatalf("without metrics: %d %q", r.status, r.body)
	}
}
