package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/demo"
	"github.com/instantly-status/instantly-status-mcp/internal/httpserver"
	"github.com/instantly-status/instantly-status-mcp/internal/rpcerr"
	"github.com/instantly-status/instantly-status-mcp/tools"
)

// NewInstantlyClient builds the API client of the configuration: the real API,
// or the built-in demo workspace.
func NewInstantlyClient(cfg Config, extra ...instantly.Option) (*instantly.Client, error) {
	ua := "instantly-status-mcp/" + BuildVersion()
	if cfg.MaxConcurrentRequests > 0 {
		extra = append([]instantly.Option{instantly.WithMaxConcurrentRequests(cfg.MaxConcurrentRequests)}, extra...)
	}
	if cfg.Demo {
		h := demo.NewHandler(demo.DemoWorkspace(time.Now()))
		return instantly.NewClient(demo.DemoAPIKey, append([]instantly.Option{
			instantly.WithBaseURL(demo.DemoBaseURL),
			instantly.WithHTTPClient(&http.Client{Transport: demo.NewTransport(h)}),
			instantly.WithUserAgent(ua),
			instantly.WithTimeout(cfg.Timeout),
		}, extra...)...)
	}
	return instantly.NewClient(cfg.APIKey, append([]instantly.Option{
		instantly.WithBaseURL(cfg.BaseURL),
		instantly.WithUserAgent(ua),
		instantly.WithTimeout(cfg.Timeout),
	}, extra...)...)
}

func NewMCPServer(cfg Config, client *instantly.Client, logger *slog.Logger, mw ...server.ToolHandlerMiddleware) *server.MCPServer {
	return tools.NewMCPServer(tools.Options{
		Version:    BuildVersion(),
		GetClient:  tools.ClientResolver(client),
		Logger:     logger,
		Redact:     func(s string) string { return instantly.Redact(s, cfg.APIKey, cfg.RedisPassword) },
		Middleware: mw,
		// On stdio the line would be written before each response.
		CallLogLevel: callLogLevel(cfg.Transport),

		CrossCheckBudget:   cfg.CrossCheckBudget,
		MaxConcurrentCalls: cfg.MaxConcurrentCalls,
		Settings:           cfg.serverSettings(),
	})
}

// callLogLevel is the level of the per-call log line: debug on stdio, where
// a desktop client runs the server for one person, info on HTTP, where an
// operator reads it beside the access log.
func callLogLevel(transport string) slog.Level {
	if transport == "stdio" {
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

// stdioGCPercent is the GC's GOGC on stdio, unless GOGC is set: the stdio
// server answers one person, its live heap is a few MB, and the default
// (100: the heap may double before a collection) made its peak RSS ~2 MB
// larger (20.2 -> 18.1 MB over 150 calls) for no per-call time one can
// measure.
const stdioGCPercent = 50

// stdioGC applies stdioGCPercent unless the environment sets GOGC (then the
// runtime already follows it); it reports whether it did.
func stdioGC(lookupEnv func(string) (string, bool)) bool {
	if _, set := lookupEnv("GOGC"); set {
		return false
	}
	debug.SetGCPercent(stdioGCPercent)
	return true
}

// Serve runs the configured transport until ctx is cancelled (SIGINT,
// SIGTERM) or, on stdio, until stdin is closed.
func Serve(ctx context.Context, cfg Config, logger *slog.Logger, stdin io.Reader, stdout, stderr io.Writer) error {
	scale, err := newScaleOut(cfg, logger)
	if err != nil {
		return UsageError{err}
	}
	defer scale.close()
	client, err := NewInstantlyClient(cfg, scale.clientOptions()...)
	if err != nil {
		return err
	}
	s := NewMCPServer(cfg, client, logger, scale.toolMiddleware()...)

	switch cfg.Transport {
	case "stdio":
		stdioGC(os.LookupEnv)
		startupWarning(cfg, logger)
		logger.Info("serving MCP over stdio", "version", BuildVersion())
		stdio := server.NewStdioServer(s)
		stdio.SetErrorLogger(log.New(slogWriter{logger}, "", 0))
		// At end of input, finish the requests already read (bounded by the
		// call timeout) before stopping: stdiodrain.go.
		drain := newStdioDrain(cfg.Timeout + 5*time.Second)
		err := stdio.Listen(ctx, drain.Reader(stdin), drain.Writer(rpcerr.Writer{W: stdout}))
		if ctx.Err() != nil {
			// A signal is a clean stop, not a failure.
			return nil
		}
		return err
	default:
		return serveHTTP(ctx, cfg, s, logger, scale, stderr)
	}
}

// startupWarning says, once the server is up, what makes its answers
// unlike a production server's: demo data, or no key. It comes after the
// listener, so a server that cannot start says only why.
func startupWarning(cfg Config, logger *slog.Logger) {
	switch {
	case cfg.Demo:
		logger.Warn("DEMO MODE: serving the built-in demo workspace, not Instantly; results are made up", "transport", cfg.Transport)
	case cfg.APIKey == "":
		logger.Warn("INSTANTLY_API_KEY is not set: tools will answer with an error that says how to set it, unless requests carry their own key")
	}
}

// slogWriter adapts mcp-go's *log.Logger output to slog.
type slogWriter struct{ l *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	w.l.Warn(string(trimNewline(p)))
	return len(p), nil
}

func trimNewline(p []byte) []byte {
	for len(p) > 0 && (p[len(p)-1] == '\n' || p[len(p)-1] == '\r') {
		p = p[:len(p)-1]
	}
	return p
}

// serveHTTP serves streamable HTTP (/mcp) or legacy SSE (/sse) with the
// safety checks of package httpserver: Origin, access token, body limit,
// per-request keys, graceful shutdown.
func serveHTTP(ctx context.Context, cfg Config, s *server.MCPServer, logger *slog.Logger, scale *scaleOut, stderr io.Writer) error {
	hs, err := httpserver.New(s, httpserver.Config{
		Addr:                  cfg.Addr,
		Transport:             cfg.Transport,
		Stateless:             cfg.Stateless,
		AuthToken:             cfg.AuthToken,
		AllowedOrigins:        cfg.AllowedOrigins,
		AllowedOriginsSetting: "MCP_ALLOWED_ORIGINS",
		MaxBodyBytes:          cfg.MaxBodyBytes,
		SessionIdleTimeout:    cfg.SessionIdleTimeout,
		MaxSessions:           cfg.MaxSessions,
		// The demo key is not a secret worth guarding with a token.
		ServerHasKey: cfg.APIKey != "" && !cfg.Demo,
		Logger:       logger,
		Metrics:      scale.metricsHandler(),
		HealthInfo:   scale.healthInfo,
	})
	if err != nil {
		return UsageError{err}
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		return UsageError{listenError(cfg.Addr, err)}
	}
	startupWarning(cfg, logger)
	if _, port, _ := net.SplitHostPort(cfg.Addr); port == "0" {
		// Whoever asked for a port the system picks needs to learn it,
		// whatever the log level: tests and scripts read this line.
		fmt.Fprintf(stderr, "instantly-status-mcp: listening on %s\n", ln.Addr())
	}
	return hs.Serve(ctx, ln)
}

// listenError is one line a person reads: "cannot listen on
// 127.0.0.1:8080: address already in use".
func listenError(addr string, err error) error {
	if se, ok := errors.AsType[*os.SyscallError](err); ok {
		return fmt.Errorf("cannot listen on %s: %v (set -addr or MCP_ADDR)", addr, se.Err)
	}
	if oe, ok := errors.AsType[*net.OpError](err); ok && oe.Err != nil {
		return fmt.Errorf("cannot listen on %s: %v (set -addr or MCP_ADDR)", addr, oe.Err)
	}
	return fmt.Errorf("cannot listen on %s: %v", addr, err)
}

// UsageError marks a configuration the server refuses to run with; main
// prints it as one plain line and exits with the usage code.
type UsageError struct{ err error }

func (e UsageError) Error() string { return e.err.Error() }
func (e UsageError) Unwrap() error { return e.err }
