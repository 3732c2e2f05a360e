package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/httpserver"
	"github.com/instantly-status/instantly-status-mcp/tools"
)

// BenchmarkInProcess runs the httpload traffic against the server assembled
// in-process as internal/app/serve.go assembles it (tools.NewMCPServer + httpserver.New,
// an instantly.Client on http.DefaultTransport, a text logger at info level
// writing to io.Discard with a redacting ReplaceAttr), listening on loopback
// and talking over loopback to the fake Instantly. It exists to profile the
// server; client, fake and server share the process, so read the profile
// by function:
//
//	go test ./bench/httpload -run '^$' -bench InProcess/stateless -benchtime 20000x -cpuprofile /tmp/cpu.out
//	go tool pprof -top -cum /tmp/cpu.out
//
// One op is one tools/call, made by one of 32 concurrent clients.
//
// The upstream-idle-64 variants give the Instantly client a transport that
// keeps 64 idle connections per host instead of http.DefaultTransport's 2,
// to show what connection reuse to Instantly is worth.
func BenchmarkInProcess(b *testing.B) {
	for _, stateless := range []bool{false, true} {
		name := map[bool]string{false: "stateful", true: "stateless"}[stateless]
		b.Run(name, func(b *testing.B) { benchInProcess(b, stateless, 0, 32) })
		b.Run(name+"-upstream-idle-64", func(b *testing.B) { benchInProcess(b, stateless, 64, 32) })
	}
}

// inProcess is the server of internal/app/serve.go assembled in this process, with the
// fake Instantly, both on loopback.
type inProcess struct {
	mcpURL  string
	fakeURL string
	ids     []string
}

// upstreamIdle > 0 gives the Instantly client its own transport with that
// many idle connections per host; 0 keeps http.DefaultTransport, as
// internal/app/serve.go does.
func startInProcess(tb testing.TB, stateless bool, upstreamIdle int) inProcess {
	tb.Helper()
	fakeLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	fake := &http.Server{Handler: instantlytest.NewHandler(instantlytest.DemoWorkspace(time.Now()), instantlytest.WithMaxRecorded(0))}
	go func() { _ = fake.Serve(fakeLn) }()
	tb.Cleanup(func() { _ = fake.Close() })

	const serverKey = "bench-server-key"
	opts := []instantly.Option{
		instantly.WithBaseURL("http://" + fakeLn.Addr().String()),
		instantly.WithUserAgent("instantly-status-mcp/bench"),
		instantly.WithTimeout(30 * time.Second),
	}
	if upstreamIdle > 0 {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConns = max(tr.MaxIdleConns, upstreamIdle)
		tr.MaxIdleConnsPerHost = upstreamIdle
		tb.Cleanup(tr.CloseIdleConnections)
		opts = append(opts, instantly.WithHTTPClient(&http.Client{
			Transport:     tr,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}))
	}
	client, err := instantly.NewClient(serverKey, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{
		Level: slog.LevelInfo,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Value.Kind() == slog.KindString && strings.Contains(a.Value.String(), serverKey) {
				a.Value = slog.StringValue(strings.ReplaceAll(a.Value.String(), serverKey, "[REDACTED]"))
			}
			return a
		},
	}))
	mcpSrv := tools.NewMCPServer(tools.Options{Version: "bench", GetClient: tools.ClientResolver(client), Logger: logger})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	hs, err := httpserver.New(mcpSrv, httpserver.Config{
		Addr: ln.Addr().String(), Transport: httpserver.TransportHTTP, Stateless: stateless,
		ServerHasKey: true, Logger: logger,
	})
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ctx, ln) }()
	tb.Cleanup(func() {
		cancel()
		<-served
	})

	p := inProcess{mcpURL: "http://" + ln.Addr().String() + "/mcp", fakeURL: "http://" + fakeLn.Addr().String()}
	for _, e := range instantlytest.DemoCampaigns {
		if e.Kind == instantlytest.KindCampaign {
			p.ids = append(p.ids, e.ID)
		}
	}
	return p
}

func benchInProcess(b *testing.B, stateless bool, upstreamIdle, clients int) {
	p := startInProcess(b, stateless, upstreamIdle)
	tr := newLoadTransport(clients)
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	keys := newKeyRing(1000)
	callers := make([]*mcpCaller, clients)
	for i := range callers {
		c, err := newMCPCaller(context.Background(), hc, p.mcpURL, keys)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		callers[i] = c
	}

	var next atomic.Int64
	var failed atomic.Int64
	var firstErr sync.Once
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for i, c := range callers {
		wg.Go(func() {
			for n := next.Add(1); n <= int64(b.N); n = next.Add(1) {
				if err := c.call(context.Background(), p.ids[(int(n)+i)%len(p.ids)]); err != nil {
					failed.Add(1)
					firstErr.Do(func() { b.Error(err) })
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "calls/s")
	if n := failed.Load(); n > 0 {
		b.Errorf("%d of %d calls failed", n, b.N)
	}
}
