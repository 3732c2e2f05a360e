package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"time"
)

// newProxy returns the baseline: a bare net/http/httputil.ReverseProxy that
// forwards GET /proxy/{id} to the fake's GET
// /api/v2/campaigns/{id}/sending-status, turning X-Instantly-Api-Key into
// "Authorization: Bearer <key>". A request without that header uses
// serverKey, as the MCP server falls back to its own INSTANTLY_API_KEY (-keys
// 0: one workspace, one budget). GET /healthz answers 200.
//
// Untuned, it uses http.DefaultTransport, as the server's Instantly client
// does: at most 2 idle connections per host are kept, so with more
// concurrent calls most of them dial a new upstream connection. Tuned, it
// keeps up to idlePerHost idle connections.
func newProxy(upstream *url.URL, idlePerHost int, serverKey string) http.Handler {
	var tr http.RoundTripper // nil: http.DefaultTransport
	if idlePerHost > 0 {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConns = max(t.MaxIdleConns, idlePerHost)
		t.MaxIdleConnsPerHost = idlePerHost
		tr = t
	}
	rp := &httputil.ReverseProxy{
		Transport: tr,
		Rewrite: func(pr *httputil.ProxyRequest) {
			id := strings.TrimPrefix(pr.In.URL.Path, "/proxy/")
			pr.Out.URL.Scheme = upstream.Scheme
			pr.Out.URL.Host = upstream.Host
			pr.Out.URL.Path = "/api/v2/campaigns/" + id + "/sending-status"
			pr.Out.URL.RawPath = ""
			pr.Out.Host = ""
			key := pr.In.Header.Get("X-Instantly-Api-Key")
			if key == "" {
				key = serverKey
			}
			pr.Out.Header.Del("X-Instantly-Api-Key")
			pr.Out.Header.Set("Authorization", "Bearer "+key)
		},
	}
	mux := http.NewServeMux()
	mux.Handle("GET /proxy/{id}", rp)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	return mux
}

// serveProxyChild is the baseline process (-serve-proxy).
func serveProxyChild(ctx context.Context, addr, upstream string, idlePerHost int) error {
	u, err := url.Parse(upstream)
	if err != nil || u.Host == "" {
		return fmt.Errorf("-upstream %q: not an absolute URL", upstream)
	}
	srv := &http.Server{Addr: addr, Handler: newProxy(u, idlePerHost, os.Getenv("INSTANTLY_API_KEY")), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
