package tools_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
	"github.com/instantly-status/instantly-status-mcp/tools"
)

// The tool-call benchmarks measure our own work per call: compare
// BenchmarkToolCall (JSON-RPC in, Instantly round trip, analysis, text,
// JSON-RPC out) with BenchmarkUpstreamRoundTrip (the same HTTP round trip to
// the same local fake, nothing else). Run:
//
//	go test ./tools -run '^$' -bench 'ToolCall|UpstreamRoundTrip|AnalyzeRender' -benchmem
//
// BenchmarkToolCallPlain is the same call with cross_check:false.
func benchFake(b *testing.B) *instantlytest.Server {
	fake := instantlytest.NewServer(instantlytest.DemoWorkspace(fixedNow))
	b.Cleanup(fake.Close)
	return fake
}

func BenchmarkUpstreamRoundTrip(b *testing.B) {
	fake := benchFake(b)
	url := fake.URL + "/api/v2/campaigns/" + instantlytest.DemoCampaigns[0].ID + "/sending-status"
	hc := &http.Client{}
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer "+testKey)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkToolCall runs the default call: the deep diagnosis (the status
// and the cross-checks it calls for).
func BenchmarkToolCall(b *testing.B) {
	benchmarkToolCall(b, `{"id":"`+instantlytest.DemoCampaigns[0].ID+`"}`)
}

// BenchmarkToolCallPlain runs the one-request answer (cross_check:false),
// what an agent that polls asks for: one status request, the analysis, the
// text and the JSON-RPC response.
func BenchmarkToolCallPlain(b *testing.B) {
	benchmarkToolCall(b, `{"id":"`+instantlytest.DemoCampaigns[0].ID+`","cross_check":false}`)
}

func benchmarkToolCall(b *testing.B, args string) {
	fake := benchFake(b)
	api, err := instantly.NewClient(testKey, instantly.WithBaseURL(fake.URL), instantly.WithoutRateLimit())
	if err != nil {
		b.Fatal(err)
	}
	s := tools.NewMCPServer(tools.Options{GetClient: tools.ClientResolver(api), Now: func() time.Time { return fixedNow }})
	ctx := context.Background()
	initMsg := []byte(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`)
	s.HandleMessage(ctx, initMsg)
	call := []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_campaign_sending_status","arguments":` + args + `}}`)
	b.ReportAllocs()
	for b.Loop() {
		resp := s.HandleMessage(ctx, call)
		out, err := json.Marshal(resp)
		if err != nil || !strings.Contains(string(out), "account_daily_limit_met") || strings.Contains(string(out), `"isError":true`) {
			b.Fatalf("bad response: %v %.300s", err, out)
		}
	}
}

func BenchmarkAnalyzeRender(b *testing.B) {
	fake := benchFake(b)
	api, _ := instantly.NewClient(testKey, instantly.WithBaseURL(fake.URL), instantly.WithoutRateLimit())
	st, err := api.GetCampaignSendingStatus(context.Background(), instantlytest.DemoCampaigns[0].ID, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r := diagnosis.BuildStatusResult("campaign", instantlytest.DemoCampaigns[0].ID, st, fixedNow)
		_ = diagnosis.RenderMarkdown(r, fixedNow)
		if _, err := r.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}
