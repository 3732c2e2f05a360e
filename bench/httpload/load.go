package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/instantly-status/instantly-status-mcp/internal/stdx"
)

const toolName = "get_campaign_sending_status"

// newLoadTransport returns the client side of the load: one kept-alive
// connection per simulated client, no compression.
func newLoadTransport(clients int) *http.Transport {
	return &http.Transport{
		Proxy:               nil, // loopback only, never an environment proxy
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        clients * 2,
		MaxIdleConnsPerHost: clients,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
}

// keyRing hands out Instantly API keys round-robin: every call carries its
// own X-Instantly-Api-Key, so the server's per-key pacing (~95 calls/s per
// key) is spread over many keys, as in a shared deployment.
type keyRing struct {
	keys []string
	next atomic.Uint64
}

func newKeyRing(n int) *keyRing {
	r := &keyRing{}
	for i := range n {
		r.keys = append(r.keys, fmt.Sprintf("bench-key-%08d", i))
	}
	return r
}

// header returns the next key as an X-Instantly-Api-Key header, or nil when
// the ring is empty (the server then uses its own INSTANTLY_API_KEY, i.e. a
// single budget).
func (r *keyRing) header() http.Header {
	if len(r.keys) == 0 {
		return nil
	}
	return http.Header{"X-Instantly-Api-Key": {r.keys[r.next.Add(1)%uint64(len(r.keys))]}}
}

// caller performs one call of a simulated client; it is not used
// concurrently.
type caller interface {
	call(ctx context.Context, id string) error
}

// mcpCaller is one MCP client over streamable HTTP (mcp-go's own client),
// speaking protocol 2025-11-25: initialize + notifications/initialized once,
// keeping Mcp-Session-Id if the server gives one; Close ends the session
// with DELETE, as a well-behaved client does.
type mcpCaller struct {
	*client.Client
	keys *keyRing
}

func newMCPCaller(ctx context.Context, hc *http.Client, url string, keys *keyRing) (*mcpCaller, error) {
	c, err := client.NewStreamableHttpClient(url, transport.WithHTTPBasicClient(hc))
	if err != nil {
		return nil, err
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	init.Params.ClientInfo = mcp.Implementation{Name: "httpload", Version: "1"}
	if err := c.Start(ctx); err != nil {
		return nil, err
	}
	if _, err := c.Initialize(ctx, init); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("initialize: %w", err)
	}
	return &mcpCaller{Client: c, keys: keys}, nil
}

// call is one tools/call get_campaign_sending_status; it fails unless the
// answer is a result that is not a tool error.
func (c *mcpCaller) call(ctx context.Context, id string) error {
	req := mcp.CallToolRequest{Header: c.keys.header()}
	req.Params.Name = toolName
	// cross_check false: this measures the transport, so one upstream
	// request per call, as before deep diagnosis existed.
	req.Params.Arguments = map[string]any{"id": id, "cross_check": false}
	res, err := c.CallTool(ctx, req)
	switch {
	case err != nil:
		return err
	case res.IsError:
		msg := ""
		if len(res.Content) > 0 {
			msg = mcp.GetTextFromContent(res.Content[0])
		}
		return fmt.Errorf("tool error: %s", stdx.Truncate(msg, 200))
	case len(res.Content) == 0 || res.StructuredContent == nil:
		return errors.New("result without content or structuredContent")
	}
	return nil
}

// proxyClient calls the reverse-proxy baseline: GET /proxy/{id}.
type proxyClient struct {
	hc   *http.Client
	base string
	keys *keyRing
}

func (c *proxyClient) call(ctx context.Context, id string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/proxy/"+id, nil)
	if err != nil {
		return err
	}
	if h := c.keys.header(); h != nil {
		req.Header = h
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("reading the response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, stdx.Truncate(string(body), 200))
	}
	// Decoded, as the MCP client decodes its answers, so that both sides
	// spend client CPU on the shared machine. The campaign without data yet
	// answers {"diagnostics":null,...}.
	var v struct {
		Diagnostics *struct {
			CampaignID string `json:"campaign_id"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("decoding the proxied response: %w", err)
	}
	if v.Diagnostics != nil && v.Diagnostics.CampaignID != id {
		return fmt.Errorf("proxied response is for %q, want %q", v.Diagnostics.CampaignID, id)
	}
	return nil
}

// loadSpec describes one phase of load.
type loadSpec struct {
	clients int
	warmup  time.Duration
	measure time.Duration
	ids     []string
	// callers are the prepared clients, one per goroutine.
	callers []caller
	// tick, if set, is called every 100ms while the load runs (RSS
	// sampling).
	tick func()
	// window, if set, is called twice, for CPU accounting: when the first
	// call of the measurement starts, and when the first call after it
	// starts.
	window func()
}

// loadStats are the figures of one phase.
type loadStats struct {
	Calls       int     `json:"calls"`
	Errors      int     `json:"errors"`
	Seconds     float64 `json:"seconds"`
	CallsPerSec float64 `json:"calls_per_sec"`
	P50ms       float64 `json:"p50_ms"`
	P90ms       float64 `json:"p90_ms"`
	P99ms       float64 `json:"p99_ms"`
	Maxms       float64 `json:"max_ms"`
	FirstError  string  `json:"first_error,omitempty"`
}

// runLoad lets each caller call in a closed loop for warmup+measure. Only
// calls started within the measure window count. Every call is bounded by
// the HTTP client's timeout, so runLoad returns at most that long after the
// window ends.
func runLoad(ctx context.Context, spec loadSpec) (loadStats, error) {
	var mu sync.Mutex // guards all and st
	var all []time.Duration
	var st loadStats
	measureFrom := time.Now().Add(spec.warmup)
	measureTo := measureFrom.Add(spec.measure)
	loadCtx, cancel := context.WithDeadline(ctx, measureTo.Add(5*time.Second))
	defer cancel()

	stopTicking := every(100*time.Millisecond, spec.tick)

	var started, ended sync.Once
	var wg sync.WaitGroup
	for i, c := range spec.callers {
		wg.Go(func() {
			lat := make([]time.Duration, 0, 1<<14)
			defer func() {
				mu.Lock()
				all = append(all, lat...)
				mu.Unlock()
			}()
			n := i // spread the clients over the ids
			for loadCtx.Err() == nil {
				t0 := time.Now()
				if spec.window != nil && !t0.Before(measureFrom) {
					started.Do(spec.window)
					if !t0.Before(measureTo) {
						ended.Do(spec.window)
					}
				}
				if !t0.Before(measureTo) {
					return
				}
				err := c.call(loadCtx, spec.ids[n%len(spec.ids)])
				n++
				if t0.Before(measureFrom) {
					continue
				}
				if err != nil {
					if ctx.Err() != nil {
						return // interrupted
					}
					mu.Lock()
					if st.Errors++; st.FirstError == "" {
						st.FirstError = stdx.Truncate(err.Error(), 300)
					}
					mu.Unlock()
					continue
				}
				lat = append(lat, time.Since(t0))
			}
		})
	}
	wg.Wait()
	stopTicking()
	if ctx.Err() != nil {
		return loadStats{}, ctx.Err()
	}
	st.summarize(all, spec.measure)
	return st, nil
}

// every calls f every d until stop is called (never, when f is nil).
func every(d time.Duration, f func()) (stop func()) {
	if f == nil {
		return func() {}
	}
	done := make(chan struct{})
	var ticking sync.WaitGroup
	ticking.Go(func() {
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				f()
			case <-done:
				return
			}
		}
	})
	return func() { close(done); ticking.Wait() }
}

// summarize sets the counts and percentiles of the latencies of the calls
// measured over a window of length measure.
func (st *loadStats) summarize(all []time.Duration, measure time.Duration) {
	slices.Sort(all)
	st.Calls = len(all)
	st.Seconds = measure.Seconds()
	st.CallsPerSec = float64(st.Calls) / st.Seconds
	if len(all) > 0 {
		st.P50ms, st.P90ms, st.P99ms = ms(percentile(all, 0.50)), ms(percentile(all, 0.90)), ms(percentile(all, 0.99))
		st.Maxms = ms(all[len(all)-1])
	}
}

// percentile of sorted durations, nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted))*p+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
