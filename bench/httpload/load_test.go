package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The load run makes the calls it is asked for, without errors, over both
// session modes. It checks behaviour only: how fast the calls go is
// BenchmarkInProcess's business, not a unit test's (a speed floor here
// failed under -race on a busy 2-core machine).
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
			callers := make([]caller, 4)
			for i := range callers {
				c, err := newMCPCaller(context.Background(), hc, p.mcpURL, keys)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				if stateless != (c.GetSessionId() == "") {
					t.Errorf("stateless=%v, session id %q", stateless, c.GetSessionId())
				}
				callers[i] = c
			}
			// Without warmup, each client's first call starts inside the
			// window and counts, however slow the machine.
			st, err := runLoad(context.Background(), loadSpec{measure: 300 * time.Millisecond, ids: p.ids, callers: callers})
			if err != nil {
				t.Fatal(err)
			}
			if st.Errors != 0 || st.Calls < len(callers) {
				t.Fatalf("calls %d, errors %d (%s)", st.Calls, st.Errors, st.FirstError)
			}
			if st.P50ms <= 0 || st.P50ms > st.P99ms || st.P99ms > st.Maxms {
				t.Errorf("percentiles out of order: %+v", st)
			}
		})
	}
}

// A tool error fails the call.
func TestToolErrorIsAnError(t *testing.T) {
	p := startInProcess(t, true, 0)
	c, err := newMCPCaller(context.Background(), &http.Client{Timeout: 5 * time.Second}, p.mcpURL, newKeyRing(1))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.call(context.Background(), "not-a-uuid"); err == nil || !strings.Contains(err.Error(), "tool error") {
		t.Fatalf("call with a bad id: err = %v, want a tool error", err)
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
		ps := httptest.NewServer(newProxy(u, idle, ""))
		c := &proxyClient{hc: ps.Client(), base: ps.URL, keys: newKeyRing(3)}
		for _, id := range p.ids {
			if err := c.call(context.Background(), id); err != nil {
				t.Fatal(err)
			}
		}
		// Without a key and no server key the fake answers 401.
		c.keys = newKeyRing(0)
		if err := c.call(context.Background(), p.ids[0]); err == nil || !strings.Contains(err.Error(), "HTTP 401") {
			t.Errorf("no key: err = %v, want HTTP 401", err)
		}
		ps.Close()
		// -keys 0: the proxy sends its server key, as the MCP server sends
		// its INSTANTLY_API_KEY (it used to send "Bearer " and get 401).
		ps = httptest.NewServer(newProxy(u, idle, "bench-server-key"))
		c = &proxyClient{hc: ps.Client(), base: ps.URL, keys: newKeyRing(0)}
		if err := c.call(context.Background(), p.ids[0]); err != nil {
			t.Errorf("-keys 0 with a server key: %v", err)
		}
		ps.Close()
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

type callerFunc func(ctx context.Context, id string) error

func (f callerFunc) call(ctx context.Context, id string) error { return f(ctx, id) }

// The CPU window is sampled twice, at its start and at its end, and failed
// calls are counted as errors, not as calls.
func TestLoadWindowAndErrors(t *testing.T) {
	var events []time.Time
	fail := callerFunc(func(_ context.Context, id string) error {
		if id == "bad" {
			return errors.New("boom")
		}
		return nil
	})
	st, err := runLoad(context.Background(), loadSpec{
		// A window long enough that a loaded machine still starts calls of
		// both ids inside it (50 ms once saw none under a load average of 35).
		warmup: 10 * time.Millisecond, measure: 500 * time.Millisecond, ids: []string{"good", "bad"},
		callers: []caller{fail, fail},
		window:  func() { events = append(events, time.Now()) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[1].Before(events[0]) {
		t.Errorf("window sampled at %v, want a start and an end", events)
	}
	if st.Calls == 0 || st.Errors == 0 || st.FirstError != "boom" {
		t.Errorf("stats %+v, want calls, errors and first error boom", st)
	}
}
