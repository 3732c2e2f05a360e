package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/instantly-status/instantly-status-mcp/internal/stdx"
)

// protocolVersion is negotiated in initialize and sent on every later POST
// (MCP-Protocol-Version), as a 2025-11-25 client does.
const protocolVersion = "2025-11-25"

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
		ForceAttemptHTTP2:   false,
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
		r.keys = append(r.keys, fmt.Sprintf("bench-key-%05d", i))
	}
	return r
}

// pick returns the next key, or "" when the ring is empty (the server then
// uses its own INSTANTLY_API_KEY, i.e. a single budget).
func (r *keyRing) pick() string {
	if len(r.keys) == 0 {
		return ""
	}
	return r.keys[r.next.Add(1)%uint64(len(r.keys))]
}

// caller performs one call of a simulated client; it is not used
// concurrently.
type caller interface {
	call(ctx context.Context, id string) error
}

// mcpClient is one MCP client over streamable HTTP.
type mcpClient struct {
	hc        *http.Client
	url       string
	keys      *keyRing
	sessionID string
	nextID    int64
	body      []byte
	prefix    []byte
	calls     int
	buf       bytes.Buffer
}

// fullCheckEvery: every call gets a fast check of the response bytes; every
// fullCheckEvery-th call, and any response that fails the fast check, is
// decoded in full. A full encoding/json decode of every answer would cost
// the load generator, which shares the 2 cores with the server, about as
// much CPU as a fifth of the server's own work.
const fullCheckEvery = 32

func newMCPClient(hc *http.Client, url string, keys *keyRing) *mcpClient {
	return &mcpClient{hc: hc, url: url, keys: keys}
}

// initialize runs the handshake: initialize (keeping Mcp-Session-Id, if the
// server gives one) and notifications/initialized.
func (c *mcpClient) initialize(ctx context.Context) error {
	c.nextID++
	body := fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%d,"method":"initialize","params":{"protocolVersion":%q,"capabilities":{},"clientInfo":{"name":"httpload","version":"1"}}}`, c.nextID, protocolVersion)
	resp, raw, err := c.post(ctx, body, "")
	if err != nil {
		return fmt.Errorf("initialize: %w", err)
	}
	var r rpcResponse
	if err := decodeRPC(resp, raw, &r); err != nil {
		return fmt.Errorf("initialize: %w", err)
	}
	if r.Error != nil {
		return fmt.Errorf("initialize: JSON-RPC error %d: %s", r.Error.Code, r.Error.Message)
	}
	c.sessionID = resp.Header.Get("Mcp-Session-Id")
	resp, _, err = c.post(ctx, []byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}`), "")
	if err != nil {
		return fmt.Errorf("notifications/initialized: %w", err)
	}
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("notifications/initialized: HTTP %d, want 202", resp.StatusCode)
	}
	return nil
}

// close ends the session (DELETE /mcp), as a well-behaved client does.
func (c *mcpClient) close(ctx context.Context) {
	if c.sessionID == "" {
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, c.url, nil)
	if err != nil {
		return
	}
	req.Header.Set("Mcp-Session-Id", c.sessionID)
	req.Header.Set("MCP-Protocol-Version", protocolVersion)
	if resp, err := c.hc.Do(req); err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
}

// post sends one JSON-RPC message and reads the whole response into c.buf.
func (c *mcpClient) post(ctx context.Context, body []byte, key string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	h := req.Header
	h["Content-Type"] = []string{"application/json"}
	h["Accept"] = []string{"application/json, text/event-stream"}
	h["Mcp-Protocol-Version"] = []string{protocolVersion}
	if c.sessionID != "" {
		h["Mcp-Session-Id"] = []string{c.sessionID}
	}
	if key != "" {
		h["X-Instantly-Api-Key"] = []string{key}
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	c.buf.Reset()
	if _, err := c.buf.ReadFrom(resp.Body); err != nil {
		return resp, nil, fmt.Errorf("reading the response: %w", err)
	}
	return resp, c.buf.Bytes(), nil
}

// call is one tools/call get_campaign_sending_status; it fails unless the
// answer is a JSON-RPC result that is not a tool error.
func (c *mcpClient) call(ctx context.Context, id string) error {
	c.nextID++
	b := c.body[:0]
	b = append(b, `{"jsonrpc":"2.0","id":`...)
	b = strconv.AppendInt(b, c.nextID, 10)
	b = append(b, `,"method":"tools/call","params":{"name":"`+toolName+`","arguments":{"id":"`...)
	b = append(b, id...)
	// cross_check false: this measures the transport, so one upstream
	// request per call, as before deep diagnosis existed.
	b = append(b, `","cross_check":false}}}`...)
	c.body = b
	resp, raw, err := c.post(ctx, b, c.keys.pick())
	if err != nil {
		return err
	}
	c.calls++
	if c.calls%fullCheckEvery != 0 && resp.StatusCode == http.StatusOK &&
		strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		// Fast check: the body is this call's JSON-RPC result and not a
		// tool error. mcp-go writes "jsonrpc","id","result" in this order
		// and "isError":true only for a tool error.
		want := append(c.prefix[:0], `{"jsonrpc":"2.0","id":`...)
		want = strconv.AppendInt(want, c.nextID, 10)
		want = append(want, `,"result":{`...)
		c.prefix = want
		if bytes.HasPrefix(raw, want) && !bytes.Contains(raw, []byte(`"isError":true`)) {
			return nil
		}
	}
	var r rpcResponse
	if err := decodeRPC(resp, raw, &r); err != nil {
		return err
	}
	if string(r.ID) != strconv.FormatInt(c.nextID, 10) {
		return fmt.Errorf("response id %s, want %d", r.ID, c.nextID)
	}
	switch {
	case r.Error != nil:
		return fmt.Errorf("JSON-RPC error %d: %s", r.Error.Code, r.Error.Message)
	case r.Result == nil:
		return errors.New("response has neither result nor error")
	case r.Result.IsError:
		msg := ""
		if len(r.Result.Content) > 0 {
			msg = r.Result.Content[0].Text
		}
		return fmt.Errorf("tool error: %s", stdx.Truncate(msg, 200))
	case len(r.Result.Content) == 0 || len(r.Result.StructuredContent) == 0:
		return errors.New("result without content or structuredContent")
	}
	return nil
}

type rpcResponse struct {
	ID     json.RawMessage `json:"id"`
	Result *struct {
		IsError bool `json:"isError"`
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
		StructuredContent json.RawMessage `json:"structuredContent"`
	} `json:"result"`
	Error *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// decodeRPC decodes a JSON-RPC response sent either as application/json or
// as an SSE stream (the last "data:" event that is a response).
func decodeRPC(resp *http.Response, raw []byte, into *rpcResponse) error {
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, stdx.Truncate(string(raw), 200))
	}
	ct := resp.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "application/json"):
		if err := json.Unmarshal(raw, into); err != nil {
			return fmt.Errorf("decoding the JSON response: %w", err)
		}
		return nil
	case strings.HasPrefix(ct, "text/event-stream"):
		data, err := lastSSEResponse(raw)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(data, into); err != nil {
			return fmt.Errorf("decoding the SSE response: %w", err)
		}
		return nil
	default:
		return fmt.Errorf("unexpected Content-Type %q", ct)
	}
}

// lastSSEResponse returns the data of the last SSE event that carries a
// JSON-RPC response (has an "id" and no "method"); notifications sent before
// it are skipped.
func lastSSEResponse(raw []byte) ([]byte, error) {
	var found []byte
	for event := range bytes.SplitSeq(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\n\n")) {
		var data []byte
		for line := range bytes.SplitSeq(event, []byte("\n")) {
			if v, ok := bytes.CutPrefix(line, []byte("data:")); ok {
				if len(data) > 0 {
					data = append(data, '\n')
				}
				data = append(data, bytes.TrimPrefix(v, []byte(" "))...)
			}
		}
		if len(data) == 0 {
			continue
		}
		var probe struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		if json.Unmarshal(data, &probe) == nil && len(probe.ID) > 0 && probe.Method == "" {
			found = data
		}
	}
	if found == nil {
		return nil, errors.New("SSE response without a JSON-RPC response event")
	}
	return found, nil
}

// proxyClient calls the reverse-proxy baseline: GET /proxy/{id}.
type proxyClient struct {
	hc    *http.Client
	base  string
	keys  *keyRing
	calls int
	buf   bytes.Buffer
}

func (c *proxyClient) call(ctx context.Context, id string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/proxy/"+id, nil)
	if err != nil {
		return err
	}
	if key := c.keys.pick(); key != "" {
		req.Header["X-Instantly-Api-Key"] = []string{key}
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	c.buf.Reset()
	if _, err := c.buf.ReadFrom(resp.Body); err != nil {
		return fmt.Errorf("reading the response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, stdx.Truncate(c.buf.String(), 200))
	}
	c.calls++
	if c.calls%fullCheckEvery != 0 && bytes.HasPrefix(c.buf.Bytes(), []byte(`{"diagnostics":`)) {
		return nil
	}
	// Checked as the MCP client checks its answers, so that both sides
	// spend comparable client CPU on the shared machine.
	// The campaign without data yet answers {"diagnostics":null,...}.
	var v struct {
		Diagnostics *struct {
			CampaignID string `json:"campaign_id"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal(c.buf.Bytes(), &v); err != nil {
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
	// callsPerClient, if > 0, makes each client stop after that many
	// measured calls instead of at the end of the measure window, so a
	// test can check behaviour without depending on the machine's speed.
	callsPerClient int
	// newCaller prepares client i (e.g. runs the MCP handshake); cleanup,
	// if not nil, runs after the load.
	newCaller func(ctx context.Context, i int) (c caller, cleanup func(), err error)
	// tick, if set, is called every 100ms while the load runs (RSS
	// sampling).
	tick func()
	// window, if set, is called when the measurement starts (true) and
	// ends (false), for CPU accounting.
	window func(start bool)
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

// runLoad prepares spec.clients callers, then lets each call in a closed
// loop for warmup+measure. Only calls started within the measure window
// count. Every call is bounded by the HTTP client's timeout, so runLoad
// returns at most that long after the window ends.
func runLoad(ctx context.Context, spec loadSpec) (loadStats, error) {
	callers := make([]caller, spec.clients)
	var cleanups []func()
	defer func() {
		for _, f := range cleanups {
			f()
		}
	}()
	for i := range callers {
		c, cleanup, err := spec.newCaller(ctx, i)
		if err != nil {
			return loadStats{}, fmt.Errorf("client %d: %w", i, err)
		}
		callers[i] = c
		if cleanup != nil {
			cleanups = append(cleanups, cleanup)
		}
	}

	type workerResult struct {
		lat      []time.Duration
		errors   int
		firstErr error
	}
	results := make([]workerResult, spec.clients)
	start := time.Now()
	measureFrom := start.Add(spec.warmup)
	measureTo := measureFrom.Add(spec.measure)
	var loadCtx context.Context
	var cancel context.CancelFunc
	if spec.callsPerClient > 0 {
		// Count, not time: only the caller's ctx bounds the run.
		loadCtx, cancel = context.WithCancel(ctx)
	} else {
		loadCtx, cancel = context.WithDeadline(ctx, measureTo.Add(5*time.Second))
	}
	defer cancel()
	windowDone := make(chan struct{})
	go func() {
		defer close(windowDone)
		if spec.window == nil {
			return
		}
		for _, at := range []time.Time{measureFrom, measureTo} {
			select {
			case <-time.After(time.Until(at)):
				spec.window(at.Equal(measureFrom))
			case <-ctx.Done():
				return
			}
		}
	}()
	defer func() { <-windowDone }()

	stopTick := make(chan struct{})
	tickDone := make(chan struct{})
	go func() {
		defer close(tickDone)
		if spec.tick == nil {
			return
		}
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				spec.tick()
			case <-stopTick:
				return
			}
		}
	}()

	var wg sync.WaitGroup
	for i, c := range callers {
		wg.Go(func() {
			res := &results[i]
			res.lat = make([]time.Duration, 0, 1<<14)
			n := i // spread the clients over the ids
			for loadCtx.Err() == nil {
				t0 := time.Now()
				if spec.callsPerClient > 0 {
					if len(res.lat)+res.errors >= spec.callsPerClient {
						return
					}
				} else if !t0.Before(measureTo) {
					return
				}
				id := spec.ids[n%len(spec.ids)]
				n++
				err := c.call(loadCtx, id)
				if spec.callsPerClient == 0 && t0.Before(measureFrom) {
					continue
				}
				if err != nil {
					if loadCtx.Err() != nil && ctx.Err() != nil {
						return // interrupted
					}
					res.errors++
					if res.firstErr == nil {
						res.firstErr = err
					}
					continue
				}
				res.lat = append(res.lat, time.Since(t0))
			}
		})
	}
	wg.Wait()
	close(stopTick)
	<-tickDone
	if ctx.Err() != nil {
		return loadStats{}, ctx.Err()
	}

	var all []time.Duration
	var st loadStats
	for _, r := range results {
		all = append(all, r.lat...)
		st.Errors += r.errors
		if r.firstErr != nil && st.FirstError == "" {
			st.FirstError = stdx.Truncate(r.firstErr.Error(), 300)
		}
	}
	slices.Sort(all)
	st.Calls = len(all)
	st.Seconds = spec.measure.Seconds()
	st.CallsPerSec = float64(st.Calls) / st.Seconds
	if len(all) > 0 {
		st.P50ms = ms(percentile(all, 0.50))
		st.P90ms = ms(percentile(all, 0.90))
		st.P99ms = ms(percentile(all, 0.99))
		st.Maxms = ms(all[len(all)-1])
	}
	return st, nil
}

// percentile of sorted durations, nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted))*p+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
