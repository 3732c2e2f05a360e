package demo

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// discardWriter is a minimal ResponseWriter, so the benchmark measures the
// handler.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(int)             {}
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }

func benchRequest(b *testing.B, target string) *http.Request {
	r, err := http.NewRequestWithContext(context.Background(), http.MethodGet, DemoBaseURL+target, nil)
	if err != nil {
		b.Fatal(err)
	}
	r.Header.Set("Authorization", "Bearer "+testKey)
	return r
}

func BenchmarkSendingStatus(b *testing.B) {
	h := NewHandler(DemoWorkspace(testNow))
	r := benchRequest(b, statusPath(DemoCampaigns[0].ID, false))
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

func BenchmarkSendingStatusParallel(b *testing.B) {
	h := NewHandler(DemoWorkspace(testNow))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		r := benchRequest(b, statusPath(DemoCampaigns[0].ID, true))
		w := &discardWriter{h: http.Header{}}
		for pb.Next() {
			clear(w.h)
			h.ServeHTTP(w, r)
		}
	})
}

func BenchmarkListCampaigns(b *testing.B) {
	ws := NewWorkspace()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 1000 {
		ws.AddGenerated(fmt.Sprintf("019a0000-0000-7000-8000-%012d", i), fmt.Sprintf("Campaign %04d", i),
			instantly.StatusCodes[i%len(instantly.StatusCodes)], r, testNow)
	}
	h := NewHandler(ws)
	req := benchRequest(b, "/api/v2/campaigns?limit=100&starting_after="+ws.Campaigns()[500].ID)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

func BenchmarkTransport(b *testing.B) {
	c := &http.Client{Transport: NewTransport(NewHandler(DemoWorkspace(testNow)))}
	r := benchRequest(b, statusPath(DemoCampaigns[0].ID, false))
	b.ReportAllocs()
	for b.Loop() {
		resp, err := c.Do(r)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
