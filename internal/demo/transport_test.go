package demo

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
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
