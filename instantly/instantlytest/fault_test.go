package instantlytest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestFaultTimes(t *testing.T) {
	h := NewHandler(DemoWorkspace(testNow))
	id, other := DemoCampaigns[0].ID, DemoCampaigns[1].ID
	h.SetFault(strings.ToUpper(id), Fault{Status: 503, Times: 2})
	wantError(t, get(t, h, statusPath(id, false)), 503, "Service Unavailable")
	if w := get(t, h, statusPath(other, false)); w.Code != 200 {
		t.Errorf("fault leaked to another id: %d", w.Code)
	}
	wantError(t, get(t, h, "/api/v2/campaigns/"+id), 503, "")
	if w := get(t, h, statusPath(id, false)); w.Code != 200 {
		t.Errorf("after Times: %d", w.Code)
	}

	// Every request, until cleared; a per-id fault wins.
	h.SetFault("", Fault{Status: 502, Body: []byte("<html>Bad Gateway</html>"), ContentType: "text/html"})
	h.SetFault(id, Fault{Status: 429, Header: http.Header{"Retry-After": {"7"}}})
	for range 3 {
		w := get(t, h, "/api/v2/campaigns")
		if w.Code != 502 || w.Body.String() != "<html>Bad Gateway</html>" || w.Header().Get("Content-Type") != "text/html" {
			t.Errorf("global fault: %d %q %s", w.Code, w.Header().Get("Content-Type"), w.Body)
		}
	}
	w := get(t, h, statusPath(id, false))
	wantError(t, w, 429, "Too Many Requests")
	if w.Header().Get("Retry-After") != "7" {
		t.Errorf("Retry-After %q", w.Header().Get("Retry-After"))
	}
	if s := h.Stats(); s.TooManyRequests != 1 {
		t.Errorf("429s counted: %d", s.TooManyRequests)
	}
	// Faults come before authentication.
	if w := do(t, h, http.MethodGet, "/api/v2/campaigns", ""); w.Code != 502 {
		t.Errorf("fault without key: %d", w.Code)
	}
	h.ClearFaults()
	if w := get(t, h, statusPath(id, false)); w.Code != 200 {
		t.Errorf("after ClearFaults: %d", w.Code)
	}
	// 200 with a truncated body, and an empty body.
	h.SetFault(id, Fault{Body: []byte(`{"diagnostics":{"campaign_id":`), Times: 1})
	if w := get(t, h, statusPath(id, false)); w.Code != 200 || json.Valid(w.Body.Bytes()) {
		t.Errorf("truncated: %d %s", w.Code, w.Body)
	}
	h.SetFault(id, Fault{Status: 500, Body: []byte{}, Times: 1})
	if w := get(t, h, statusPath(id, false)); w.Code != 500 || w.Body.Len() != 0 {
		t.Errorf("empty: %d %s", w.Code, w.Body)
	}
}

func TestFaultDelay(t *testing.T) {
	srv := NewServer(DemoWorkspace(testNow))
	defer srv.Close()
	id := DemoCampaigns[0].ID
	srv.Handler.SetFault(id, Fault{Delay: 80 * time.Millisecond, Header: http.Header{"X-Fault": {"1"}}})
	start := time.Now()
	resp := mustGet(t, srv.Client(), context.Background(), srv.URL+statusPath(id, false))
	resp.Body.Close()
	if time.Since(start) < 80*time.Millisecond || resp.StatusCode != 200 || resp.Header.Get("X-Fault") != "1" {
		t.Errorf("delayed normal answer: %d after %v", resp.StatusCode, time.Since(start))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := doGet(srv.Client(), ctx, srv.URL+statusPath(id, false)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("client timeout: %v", err)
	}
}

func TestFaultHijack(t *testing.T) {
	srv := NewServer(DemoWorkspace(testNow))
	defer srv.Close()
	id := DemoCampaigns[0].ID
	srv.Handler.SetFault(id, Fault{Hijack: true, Times: 1})
	if resp, err := doGet(srv.Client(), context.Background(), srv.URL+statusPath(id, false)); err == nil {
		resp.Body.Close()
		t.Fatal("hijacked request succeeded")
	}
	resp := mustGet(t, srv.Client(), context.Background(), srv.URL+statusPath(id, false))
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("after the reset: %d", resp.StatusCode)
	}
	if reqs := srv.Handler.Requests(); len(reqs) != 2 || reqs[0].Status != 0 || reqs[1].Status != 200 {
		t.Errorf("recorded %+v", reqs)
	}

	// In process, the reset is an ECONNRESET error.
	h := NewHandler(DemoWorkspace(testNow))
	h.SetFault("", Fault{Hijack: true})
	_, err := doGet(&http.Client{Transport: NewTransport(h)}, context.Background(), DemoBaseURL+statusPath(id, false))
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("transport: %v", err)
	}
}

func TestFaultBodySize(t *testing.T) {
	srv := NewServer(DemoWorkspace(testNow))
	defer srv.Close()
	id := DemoCampaigns[0].ID
	const size = 3<<20 + 17
	srv.Handler.SetFault(id, Fault{BodySize: size})
	resp := mustGet(t, srv.Client(), context.Background(), srv.URL+statusPath(id, false))
	body := readAll(t, resp.Body)
	resp.Body.Close()
	if len(body) != size || resp.StatusCode != 200 || !strings.HasPrefix(string(body), `{"diagnostics":{"filler":"`) {
		t.Errorf("%d bytes, status %d", len(body), resp.StatusCode)
	}
	var v any
	if err := json.Unmarshal(body, &v); err == nil {
		t.Error("filler decodes")
	}
	// Endless body: a client that stops reading must not leave the handler
	// streaming (goleak checks at the end).
	srv.Handler.SetFault(id, Fault{BodySize: 1 << 50, Status: 500, Body: []byte(`{"statusCode":500,"message":"`)})
	resp = mustGet(t, srv.Client(), context.Background(), srv.URL+statusPath(id, false))
	n, _ := io.CopyN(io.Discard, resp.Body, 1<<20)
	resp.Body.Close()
	if n != 1<<20 || resp.StatusCode != 500 {
		t.Errorf("read %d, status %d", n, resp.StatusCode)
	}
}
