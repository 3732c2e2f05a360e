package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestLoadAgainstInProcessServer(t *testing.T) {
	for _, stateless := range []bool{false, true} {
		t.Run(map[bool]string{false: "stateful", true: "stateless"}[stateless], func(t *testing.T) {
			p := startInProcess(t, stateless, 0)
			tr := newLoadTransport(4)
			defer tr.CloseIdleConnections()
			hc := &http.Client{Transport: tr, Timeout: 5 * time.Second}
			// Keys of this subtest only: the rate budget is per key and
			// process-wide, and an earlier test may have spent it (the
			// exact rolling window then holds calls for up to 1.1 s).
			keys := newKeyRing(10)
			for i := range keys.keys {
				keys.keys[i] += "-" + map[bool]string{false: "stateful", true: "stateless"}[stateless]
			}
			st, err := runLoad(context.Background(), loadSpec{
				clients: 4, warmup: 50 * time.Millisecond, measure: 300 * time.Millisecond, ids: p.ids,
				newCaller: func(ctx context.Context, _ int) (caller, func(), error) {
					c := newMCPClient(hc, p.mcpURL, keys)
					if err := c.initialize(ctx); err != nil {
						return nil, nil, err
					}
					if stateless != (c.sessionID == "") {
						t.Errorf("stateless=%v, session id %q", stateless, c.sessionID)
					}
					return c, func() { c.close(context.Background()) }, nil
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			// At least one call per client: how many fit in the window
			// depends on the machine (no speed assertions in tests).
			if st.Errors != 0 || st.Calls < 4 {
				t.Fatalf("calls %d, errors %d (%s)", st.Calls, st.Errors, st.FirstError)
			}
			if st.P50ms <= 0 || st.P50ms > st.P99ms || st.P99ms > st.Maxms {
				t.Errorf("percentiles out of order: %+v", st)
			}
		})
	}
}

// A tool error must fail the call however the check runs (fast or full).
func TestToolErrorIsAnError(t *testing.T) {
	p := startInProcess(t, true, 0)
	c := newMCPClient(&http.Client{Timeout: 5 * time.Second}, p.mcpURL, newKeyRing(1))
	if err := c.initialize(context.Background()); err != nil {
		t.Fatal(err)
	}
	for range fullCheckEvery + 1 {
		if err := c.call(context.Background(), "not-a-uuid"); err == nil || !strings.Contains(err.Error(), "tool error") {
			t.Fatalf("call with a bad id: err = %v, want a tool error", err)
		}
	}
	// An unknown campaign is a tool error too (404 from the fake).
	if err := c.call(context.Background(), "019a0000-0000-7000-8000-0000000000ff"); err == nil {
		t.Fatal("unknown campaign: no error")
	}
}

func TestProxyBaseline(t *testing.T) {
	p := startInProcess(t, true, 0)
	u, _ := url.Parse(p.fakeURL)
	for _, idle := range []int{0, 4} {
		ps := httptest.NewServer(newProxy(u, idle))
		c := &proxyClient{hc: ps.Client(), base: ps.URL, keys: newKeyRing(3)}
		for i := range fullCheckEvery + 1 {
			if err := c.call(context.Background(), p.ids[i%len(p.ids)]); err != nil {
				t.Fatal(err)
			}
		}
		// Without a key the fake answers 401.
		c.keys = newKeyRing(0)
		if err := c.call(context.Background(), p.ids[0]); err == nil || !strings.Contains(err.Error(), "HTTP 401") {
			t.Errorf("no key: err = %v, want HTTP 401", err)
		}
		ps.Close()
	}
}

func TestLastSSEResponse(t *testing.T) {
	raw := "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{}}\n\n" +
		"event: message\r\ndata: {\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}\r\n\r\n"
	got, err := lastSSEResponse([]byte(raw))
	if err != nil || string(got) != `{"jsonrpc":"2.0","id":3,"result":{}}` {
		t.Fatalf("got %q, %v", got, err)
	}
	if _, err := lastSSEResponse([]byte("data: {\"method\":\"x\"}\n\n")); err == nil {
		t.Fatal("no response event: no error")
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i))
	}
	if percentile(d, 0.5) != 50 || percentile(d, 0.99) != 99 || percentile(d[:1], 0.99) != 1 {
		t.Fatal(percentile(d, 0.5), percentile(d, 0.99))
	}
}
