package demo

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

const demoBase = DemoBaseURL

func TestTransportRoundTrip(t *testing.T) {
	var seen []string // path?query of each request the handler saw
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.Path+"?"+r.URL.RawQuery)
		NewHandler(DemoWorkspace(time.Now())).ServeHTTP(w, r)
	})
	c := &http.Client{Transport: NewTransport(h)}
	id := DemoID(instantly.StatusHealthy)
	resp := mustGet(t, c, context.Background(), demoBase+statusPath(id, true))
	body := readAll(t, resp.Body)
	resp.Body.Close()
	var st instantly.SendingStatus
	if err := json.Unmarshal(body, &st); err != nil || st.Diagnostics.CampaignID != id {
		t.Fatalf("%v %s", err, body)
	}
	if resp.StatusCode != 200 || resp.Status != "200 OK" || resp.ContentLength != int64(len(body)) ||
		resp.Header.Get("Content-Type") != contentTypeJSON || resp.Request == nil || resp.Proto != "HTTP/1.1" {
		t.Errorf("response %+v", resp)
	}
	// Errors come through with their status; HEAD has no body.
	resp = mustGet(t, c, context.Background(), demoBase+statusPath("019a0000-0000-7000-8000-0000000000ff", false))
	if b := readAll(t, resp.Body); resp.StatusCode != 404 || !strings.Contains(string(b), "Campaign not found") {
		t.Errorf("404: %d %s", resp.StatusCode, b)
	}
	resp.Body.Close()
	req, _ := http.NewRequest(http.MethodHead, demoBase+statusPath(id, false), nil)
	req.Header.Set("Authorization", "Bearer k")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if b := readAll(t, resp.Body); resp.StatusCode != 200 || len(b) != 0 {
		t.Errorf("HEAD: %d, %d bytes", resp.StatusCode, len(b))
	}
	resp.Body.Close()
	if len(seen) != 3 || seen[0] != statusPath(id, true) {
		t.Errorf("handler saw %q", seen)
	}
}

func TestTransportCancel(t *testing.T) {
	// Before the answer: the round trip fails, the handler's context ends.
	handlerDone := make(chan error, 1)
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
		handlerDone <- r.Context().Err()
	})
	c := &http.Client{Transport: NewTransport(slow)}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := doGet(c, ctx, demoBase+"/x")
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("round trip: %v after %v", err, time.Since(start))
	}
	if err := <-handlerDone; err == nil {
		t.Error("handler context not cancelled")
	}
	// Already cancelled.
	done, cancelDone := context.WithCancel(context.Background())
	cancelDone()
	if _, err := doGet(c, done, demoBase+"/x"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}

	// During the body: the read fails with the context's error.
	endless := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 32<<10)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	c = &http.Client{Transport: NewTransport(endless)}
	ctx, cancel = context.WithCancel(context.Background())
	resp := mustGet(t, c, ctx, demoBase+"/api/v2/campaigns")
	if _, err := io.CopyN(io.Discard, resp.Body, 100_000); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := io.Copy(io.Discard, resp.Body); !errors.Is(err, context.Canceled) {
		t.Errorf("body read after cancel: %v", err)
	}
	resp.Body.Close()

	// Closing the body early stops the handler (goleak checks).
	resp = mustGet(t, c, context.Background(), demoBase+"/api/v2/campaigns")
	resp.Body.Close()
	if _, err := resp.Body.Read(make([]byte, 1)); err == nil {
		t.Error("read after Close")
	}
}

func TestTransportHandlers(t *testing.T) {
	c := &http.Client{Transport: NewTransport(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/implicit":
			_, _ = io.WriteString(w, "<html>hi</html>")
		case "/panic":
			panic("boom")
		case "/abort-late":
			w.WriteHeader(200)
			_, _ = io.WriteString(w, "partial")
			panic(http.ErrAbortHandler)
		case "/echo":
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("X-Host", r.Host)
			w.WriteHeader(299)
			_, _ = w.Write(b)
		}
	}))}
	resp := mustGet(t, c, context.Background(), demoBase+"/implicit")
	if b := readAll(t, resp.Body); resp.StatusCode != 200 || string(b) != "<html>hi</html>" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("implicit: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	resp.Body.Close()
	if _, err := doGet(c, context.Background(), demoBase+"/panic"); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("panic: %v", err)
	}
	resp = mustGet(t, c, context.Background(), demoBase+"/abort-late")
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Error("late abort: body read succeeded")
	}
	resp.Body.Close()
	req, _ := http.NewRequest(http.MethodPost, demoBase+"/echo", strings.NewReader("payload"))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if b := readAll(t, resp.Body); resp.StatusCode != 299 || string(b) != "payload" || resp.Header.Get("X-Host") != "demo.instantly.invalid" || resp.Status != "299 status code 299" {
		t.Errorf("echo: %s %q %s", resp.Status, resp.Header.Get("X-Host"), b)
	}
	resp.Body.Close()
}

// The handler and transport at their edges: an upper-case UUID, the
// accounts route, a request without RequestURI, a path-less URL, status
// codes at the bounds, a Content-Length of 0, a streamed body.
func TestHandlerTransportEdges(t *testing.T) {
	w := DemoWorkspace(testNow)
	h := NewHandler(w)
	c := &http.Client{Transport: NewTransport(h)}
	get := func(path string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, DemoBaseURL+path, nil)
		req.Header.Set("Authorization", "Bearer "+DemoAPIKey)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	upper := strings.ToUpper("019b8f6b-460f-795d-b6f3-79a358fa0b1e")
	if resp, body := get("/api/v2/campaigns/" + upper); resp.StatusCode != 200 || !strings.Contains(body, `"name":"Product Hunt Launch`) {
		t.Errorf("upper-case UUID: %d %.120s", resp.StatusCode, body)
	}
	if resp, body := get("/api/v2/accounts?limit=1"); resp.StatusCode != 200 || !strings.Contains(body, `"items"`) {
		t.Errorf("accounts: %d %.120s", resp.StatusCode, body)
	}
	// The deep routes answer GET and HEAD, nothing else.
	for method, want := range map[string]int{http.MethodHead: 200, http.MethodPost: 404, http.MethodPut: 404} {
		req, _ := http.NewRequest(method, DemoBaseURL+"/api/v2/accounts", nil)
		req.Header.Set("Authorization", "Bearer "+DemoAPIKey)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || (method == http.MethodHead && len(b) != 0) {
			t.Errorf("%s /api/v2/accounts: %d %q, want %d", method, resp.StatusCode, b, want)
		}
	}
	if resp, body := get(""); resp.StatusCode != 404 || !strings.Contains(body, "GET:/") || resp.Request.URL.Path != "" {
		t.Errorf("no path: %d %q", resp.StatusCode, body)
	}

	// Directly, with no RequestURI: the 404 names the URL's path.
	req := httptest.NewRequest(http.MethodGet, "/api/v2/nowhere?x=1", nil)
	req.RequestURI = ""
	req.Header.Set("Authorization", "Bearer "+DemoAPIKey)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), "/api/v2/nowhere?x=1") {
		t.Errorf("no RequestURI: %d %s", rec.Code, rec.Body.String())
	}

	for _, tc := range []struct {
		write  func(http.ResponseWriter)
		status int
		length int64
	}{
		{func(w http.ResponseWriter) { w.WriteHeader(999) }, 999, -1},
		{func(w http.ResponseWriter) { w.WriteHeader(100); w.WriteHeader(204) }, 204, -1},
		{func(w http.ResponseWriter) { w.WriteHeader(101) }, 101, -1},
		{func(w http.ResponseWriter) { w.Header().Set("Content-Length", "0"); w.WriteHeader(200) }, 200, 0},
		{func(w http.ResponseWriter) {
			w.Header().Set("Content-Length", "3")
			w.WriteHeader(200)
			w.Write([]byte("abc"))
		}, 200, 3},
		{func(w http.ResponseWriter) { w.Write([]byte("streamed")) }, 200, -1},
	} {
		tr := NewTransport(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { tc.write(w) }))
		req, _ := http.NewRequest(http.MethodGet, "http://x.example/p", nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.ContentLength != tc.length {
			t.Errorf("status %d length %d, want %d %d", resp.StatusCode, resp.ContentLength, tc.status, tc.length)
		}
	}
	// An empty first write sends the header without sniffing a type.
	for body, want := range map[string]string{"": "", "{}": "text/plain; charset=utf-8", "<html>": "text/html; charset=utf-8"} {
		tr := NewTransport(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(body)) }))
		req, _ := http.NewRequest(http.MethodGet, "http://x.example/p", nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Content-Type"); got != want || resp.StatusCode != 200 {
			t.Errorf("first write %q: Content-Type %q, status %d; want %q", body, got, resp.StatusCode, want)
		}
	}
}

// The handler sees the request's Host, or the URL's host when the request
// has none.
func TestTransportHost(t *testing.T) {
	var seen string
	tr := NewTransport(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { seen = r.Host }))
	for host, want := range map[string]string{"": "x.example", "other.example": "other.example"} {
		req, _ := http.NewRequest(http.MethodGet, "http://x.example/p", nil)
		req.Host = host
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if seen != want {
			t.Errorf("Host %q: handler saw %q, want %q", host, seen, want)
		}
	}
}
