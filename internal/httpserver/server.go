// Package httpserver serves an MCP server over HTTP: the streamable HTTP
// transport (MCP spec 2025-11-25) at /mcp, or the legacy HTTP+SSE transport
// at /sse + /message. It adds what a network-facing deployment needs around
// mcp-go's handlers: Origin validation, an optional bearer access token,
// per-request Instantly API keys, request-body limits, timeouts, an access
// log, a health check and graceful shutdown.
//
// Request pipeline (outermost first):
//
//	access log -> Host check -> Origin check -> /healthz | access token -> body limit
//	-> in-flight tracking -> mcp-go (Host check, MCP processing; the
//	Instantly key is put into the request context by a context func)
package httpserver

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/rpcerr"
	"github.com/instantly-status/instantly-status-mcp/internal/stdx"
)

// Transport names accepted in Config.Transport.
const (
	TransportHTTP = "http" // streamable HTTP at /mcp
	TransportSSE  = "sse"  // legacy HTTP+SSE at /sse and /message
)

// DefaultAddr is the listen address used when Config.Addr is empty.
const DefaultAddr = "127.0.0.1:8080"

const (
	defaultMaxBodyBytes    = 1 << 20
	defaultShutdownTimeout = 10 * time.Second

	pathMCP     = "/mcp"
	pathSSE     = "/sse"
	pathMessage = "/message"
	pathHealth  = "/healthz"

	// Connection timeouts. ReadTimeout bounds reading the request line,
	// headers and body (slowloris); it does not cut off long tool calls or
	// SSE streams, because net/http clears the read deadline once the body
	// has been consumed (connReader.startBackgroundRead).
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
	// writeTimeout bounds each write to the client instead of the whole
	// response (http.Server.WriteTimeout would kill SSE streams): a client
	// that stops reading is disconnected after this long.
	writeTimeout = 30 * time.Second
)

// Config configures the HTTP transports.
type Config struct {
	// Addr is the TCP listen address; default DefaultAddr (127.0.0.1:8080).
	Addr string
	// Transport is TransportHTTP ("http", the default when empty) or
	// TransportSSE ("sse").
	Transport string
	// Stateless makes the streamable HTTP transport keep no session state
	// (mcp-go WithStateLess), so replicas can sit behind a load balancer
	// without sticky sessions. The standalone GET stream is then disabled
	// (405). Not available for the SSE transport, which is stateful.
	Stateless bool
	// AuthToken, when set, must be presented as "Authorization: Bearer
	// <token>" on every request except GET /healthz. The Instantly key then
	// travels only in X-Instantly-Api-Key.
	AuthToken string
	// AllowedOrigins lists browser origins (e.g. "https://app.example.com")
	// allowed in addition to loopback origins; "*" allows every origin.
	AllowedOrigins []string
	// AllowedOriginsSetting names, in the 403 of a refused Origin, where
	// an operator lists allowed origins (e.g. "MCP_ALLOWED_ORIGINS").
	AllowedOriginsSetting string
	// MaxBodyBytes caps request bodies; default 1 MiB.
	MaxBodyBytes int64
	// ServerHasKey reports that the process holds INSTANTLY_API_KEY. New
	// then refuses a non-loopback Addr without AuthToken (open relay).
	ServerHasKey bool
	// SessionIdleTimeout expires a stateful streamable HTTP session, or
	// closes an SSE stream, unused for this long; default 30m.
	SessionIdleTimeout time.Duration
	// MaxSessions bounds the live stateful sessions (SSE: open streams).
	// At the limit a new session evicts the least recently used one if it
	// has been unused for a minute, and is refused (503) otherwise.
	// Default 1000.
	MaxSessions int
	// ShutdownTimeout bounds graceful shutdown; default 10s.
	ShutdownTimeout time.Duration
	// Logger receives the access log and server events; default
	// slog.Default().
	Logger *slog.Logger
	// Metrics, when set, is served at /metrics behind the same Host and
	// Origin checks and access token as the MCP endpoint.
	Metrics http.Handler
	// HealthInfo, when set, adds its entries to the /healthz body (e.g.
	// the rate budget's state).
	HealthInfo func() map[string]string
}

// Server is an MCP HTTP server. Create it with New; run it with Serve or
// ListenAndServe (once).
type Server struct {
	cfg      Config
	log      *slog.Logger
	handler  http.Handler
	srv      *http.Server
	endpoint string // "/mcp" or "/sse", for the startup log

	streamable *server.StreamableHTTPServer
	sessions   *sessions // stateful streamable HTTP only
	sse        *server.SSEServer

	tokenSum [sha256.Size]byte // SHA-256 of AuthToken, when set
	hasToken bool

	maxBody     int64
	tooLargeMsg []byte // precomputed 413 body

	// baseCtx is the parent of every request context; cancelling it ends
	// long-lived streams during shutdown.
	baseCtx    context.Context
	baseCancel context.CancelFunc

	inflight atomic.Int64 // requests other than long-lived GET streams
	streams  *sseStreams  // SSE transport only: open streams and pending replies
	started  atomic.Bool
}

// New validates cfg and builds the server around mcp. It returns an error
// for an unknown transport, a malformed address or origin, or an open relay
// (ServerHasKey on a non-loopback address without AuthToken).
func New(mcp *server.MCPServer, cfg Config) (*Server, error) {
	if mcp == nil {
		return nil, errors.New("httpserver: nil MCP server")
	}
	cfg = cfg.withDefaults()
	origins, err := cfg.check()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:         cfg,
		log:         cfg.Logger,
		hasToken:    cfg.AuthToken != "",
		maxBody:     cfg.MaxBodyBytes,
		tooLargeMsg: jsonRPCError(-32600, "request body too large (limit "+stdx.FormatBytes(cfg.MaxBodyBytes)+")"),
	}
	if s.hasToken {
		s.tokenSum = sha256.Sum256([]byte(cfg.AuthToken))
	}
	// Calls still running when shutdown gives up on them learn why: a tool
	// then says the server is stopping, not that the client cancelled.
	baseCtx, cancelBase := context.WithCancelCause(context.Background())
	s.baseCtx, s.baseCancel = baseCtx, func() { cancelBase(instantly.ErrShuttingDown) }

	mcpHandler, err := s.transportHandler(mcp)
	if err != nil {
		return nil, err
	}
	s.handler = s.middleware(mcpHandler, origins)
	s.srv = &http.Server{
		Addr:              cfg.Addr,
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		BaseContext:       func(net.Listener) context.Context { return s.baseCtx },
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	if !IsLoopbackAddr(cfg.Addr) && !s.hasToken {
		s.log.Warn("MCP HTTP server bound to a non-loopback address without MCP_AUTH_TOKEN: anyone who can reach it can call its tools with their own Instantly key",
			"addr", cfg.Addr)
	}
	return s, nil
}

// withDefaults fills in what cfg leaves unset.
func (cfg Config) withDefaults() Config {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.Transport == "" {
		cfg.Transport = TransportHTTP
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = defaultMaxBodyBytes
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = defaultShutdownTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.AuthToken = strings.TrimSpace(cfg.AuthToken)
	return cfg
}

// check refuses a malformed address or origin and an open relay, and
// returns the Origin policy.
func (cfg Config) check() (*originPolicy, error) {
	if _, _, err := net.SplitHostPort(cfg.Addr); err != nil {
		return nil, fmt.Errorf("httpserver: invalid listen address %q (want host:port, e.g. %s): %w", cfg.Addr, DefaultAddr, err)
	}
	origins, err := newOriginPolicy(cfg.AllowedOrigins)
	if err != nil {
		return nil, err
	}
	origins.refusal = originRefusal(cfg.AllowedOriginsSetting)
	if cfg.ServerHasKey && !IsLoopbackAddr(cfg.Addr) && cfg.AuthToken == "" {
		return nil, fmt.Errorf("httpserver: refusing to listen on non-loopback address %q without an access token: "+
			"this server holds INSTANTLY_API_KEY, so anyone who can reach it could use that Instantly account (open relay). "+
			"Set MCP_AUTH_TOKEN (clients then send \"Authorization: Bearer <token>\"), "+
			"or bind to a loopback address such as 127.0.0.1:8080", cfg.Addr)
	}
	return origins, nil
}

// transportHandler builds mcp-go's handler of the configured transport.
func (s *Server) transportHandler(mcp *server.MCPServer) (http.Handler, error) {
	switch s.cfg.Transport {
	case TransportHTTP:
		return s.streamableHandler(mcp), nil
	case TransportSSE:
		if s.cfg.Stateless {
			return nil, errors.New("httpserver: stateless mode needs the streamable HTTP transport (-transport http); the SSE transport is stateful by design")
		}
		s.endpoint = pathSSE
		s.streams = newSSEStreams(s.cfg.SessionIdleTimeout, s.cfg.MaxSessions)
		s.sse = server.NewSSEServer(mcp,
			server.WithSSEEndpoint(pathSSE),
			server.WithMessageEndpoint(pathMessage),
			// The context func runs on every POST /message, with that POST's
			// headers: the key of each call comes from its own POST.
			server.WithSSEContextFunc(s.apiKeyContext),
			server.WithSessionIDGenerator(s.newSSESessionID),
		)
		return s.sse, nil
	}
	return nil, fmt.Errorf("httpserver: unknown transport %q (want %q or %q)", s.cfg.Transport, TransportHTTP, TransportSSE)
}

// streamableHandler is the streamable HTTP transport at /mcp, stateful
// (our session ids) unless Stateless.
func (s *Server) streamableHandler(mcp *server.MCPServer) http.Handler {
	cfg := s.cfg
	s.endpoint = pathMCP
	opts := []server.StreamableHTTPOption{
		server.WithEndpointPath(pathMCP),
		server.WithStateLess(cfg.Stateless),
		// Stateless: a standalone GET stream has no session to attach
		// notifications to (and would not survive load balancing), so
		// answer GET with 405 as the spec allows.
		server.WithDisableStreaming(cfg.Stateless),
		server.WithHTTPContextFunc(s.apiKeyContext),
		server.WithStreamableHTTPLogger(cfg.Logger),
	}
	if !cfg.Stateless {
		// Ids this process issued and still holds, nothing else
		// (sessions.go). After WithStateLess, which would override it.
		s.sessions = newSessions(cfg.SessionIdleTimeout, cfg.MaxSessions)
		opts = append(opts, server.WithSessionIdManager(s.sessions))
	}
	s.streamable = server.NewStreamableHTTPServer(mcp, opts...)
	st := s.streamable
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != pathMCP {
			http.NotFound(w, r)
			return
		}
		st.ServeHTTP(w, r)
	})
	if s.sessions != nil {
		s.sessions.release = releaseVia(st)
		h = s.sessions.requireSession(h)
	}
	return h
}

// middleware wraps the transport's handler in the checks every request
// passes, innermost first.
func (s *Server) middleware(mcpHandler http.Handler, origins *originPolicy) http.Handler {
	// Bad params and unknown resources get their spec codes (rpcerr).
	h := s.track(rpcerr.Handler(mcpHandler))
	if s.cfg.Metrics != nil {
		h = withMetrics(s.cfg.Metrics, h)
	}
	h = s.limitBody(h)
	if s.hasToken {
		h = requireToken(s.tokenSum, h)
	} else {
		h = refuseJWTBearer(h)
	}
	// One Host and Origin policy for every route, /healthz included
	// (probes send no Origin).
	return s.accessLog(checkHost(checkOrigin(origins, routeWith(h, healthHandler(s.cfg.HealthInfo)))))
}

// route sends GET /healthz to the health handler (no auth, no Origin check)
// and everything else to mcp.
func route(mcp http.Handler) http.Handler { return routeWith(mcp, health) }

func routeWith(mcp http.Handler, health http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == pathHealth {
			health(w, r)
			return
		}
		mcp.ServeHTTP(w, r)
	})
}

// Handler returns the complete HTTP handler (all middleware included), e.g.
// for httptest.NewServer. Graceful shutdown is only provided by Serve.
func (s *Server) Handler() http.Handler { return s.handler }

// ListenAndServe listens on Config.Addr and calls Serve.
func (s *Server) ListenAndServe(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("httpserver: listen on %s: %w", s.cfg.Addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx is cancelled, then shuts down gracefully:
// it stops accepting connections, lets in-flight calls finish (bounded by
// Config.ShutdownTimeout), ends SSE streams and sessions, and returns nil.
// It returns an error only if serving fails before ctx is cancelled. Serve
// closes ln and may be called only once per Server.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if !s.started.CompareAndSwap(false, true) {
		_ = ln.Close()
		return errors.New("httpserver: Serve called more than once")
	}
	s.log.Info("MCP HTTP server listening",
		"addr", ln.Addr().String(), "transport", s.cfg.Transport, "endpoint", s.endpoint,
		"stateless", s.cfg.Stateless, "auth_token", s.hasToken)

	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(ln) }()

	select {
	case err := <-errc:
		s.baseCancel()
		s.closeSessions(context.Background())
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("httpserver: serve: %w", err)
	case <-ctx.Done():
	}
	s.shutdown()
	<-errc // http.ErrServerClosed, returned as soon as the listener closed
	return nil
}

// shutdown stops the listener, waits for in-flight calls, then ends the
// long-lived streams and closes what is left once ShutdownTimeout expires.
func (s *Server) shutdown() {
	start := time.Now()
	timeout := s.cfg.ShutdownTimeout
	drain := drainTime(timeout)
	ctx, cancel := context.WithDeadline(context.Background(), start.Add(timeout))
	defer cancel()
	s.log.Info("MCP HTTP server shutting down", "timeout", timeout)

	// Closes the listener and idle connections at once, then waits for
	// active connections (finished calls, streams ended below).
	done := make(chan error, 1)
	go func() { done <- s.srv.Shutdown(ctx) }()

	drainCtx, drainCancel := context.WithDeadline(ctx, start.Add(drain))
	drained := s.waitIdle(drainCtx)
	drainCancel()
	if !drained {
		s.log.Warn("shutdown timeout: cancelling calls still in flight",
			"in_flight", s.inflight.Load(), "sse_pending", s.streams.pending())
	}

	// End SSE / listening streams (their handlers return on context
	// cancellation) and release session state. Also cancels calls that did
	// not finish in time.
	s.baseCancel()
	s.closeSessions(ctx)

	if err := <-done; err != nil {
		s.log.Warn("shutdown timeout: closing remaining connections", "err", err)
		_ = s.srv.Close()
	}
	s.log.Info("MCP HTTP server stopped", "duration", time.Since(start).Round(time.Millisecond))
}

// drainTime is how long shutdown waits for calls to finish: the timeout less
// a grace period (a tenth of it, at most 1s) left for handlers to react to
// the cancellation that follows.
func drainTime(timeout time.Duration) time.Duration {
	return timeout - min(time.Second, timeout/10)
}

// waitIdle polls until no call is in flight, or ctx ends. It reports
// whether the server went idle.
func (s *Server) waitIdle(ctx context.Context) bool {
	if s.idle() {
		return true
	}
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return s.idle()
		case <-t.C:
			if s.idle() {
				return true
			}
		}
	}
}

func (s *Server) idle() bool {
	return s.inflight.Load() <= 0 && s.streams.pending() <= 0
}

func (s *Server) closeSessions(ctx context.Context) {
	if s.streamable != nil {
		s.streamable.CloseSessions(ctx)
	}
	if s.sse != nil {
		s.sse.CloseSessions()
	}
}

// track counts in-flight calls for graceful shutdown; long-lived GET
// streams are not calls (shutdown ends them instead of waiting).
func (s *Server) track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			// Streamable listening stream or SSE stream: long-lived, not a
			// call; ended by shutdown rather than waited for.
			if s.streams != nil && r.URL.Path == pathSSE {
				s.serveSSEStream(w, r, next)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		s.inflight.Add(1)
		defer s.inflight.Add(-1)
		if s.streams != nil && r.Method == http.MethodPost && r.URL.Path == pathMessage {
			s.serveSSEMessage(w, r, next)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// IsLoopbackAddr reports whether a listen address (host:port or bare host)
// only accepts connections from this machine: localhost, 127.0.0.0/8 or
// ::1. An empty host (":8080"), 0.0.0.0, ::, LAN IPs and any other hostname
// (not resolved) are not loopback.
func IsLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr // bare host, e.g. "::1" or "localhost"
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "" {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	return ip.Unmap().IsLoopback()
}

// unwrapResponseWriter returns the innermost ResponseWriter (net/http's own),
// following Unwrap methods of middleware wrappers.
func unwrapResponseWriter(w http.ResponseWriter) http.ResponseWriter {
	for {
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return w
		}
		w = u.Unwrap()
	}
}
