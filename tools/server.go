package tools

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
	"github.com/instantly-status/instantly-status-mcp/internal/view"
	"github.com/instantly-status/instantly-status-mcp/prompts"
)

// Options configure NewMCPServer.
type Options struct {
	// Version is reported in initialize.
	Version string
	// GetClient resolves the Instantly client of a request.
	GetClient ClientFunc
	// Logger receives tool-call logs (stderr in production). Never nil after defaults.
	Logger *slog.Logger
	// Now is the clock of the analysis (tests pin it). Defaults to time.Now.
	Now func() time.Time
	// ValidateOutput makes mcp-go check every structured result against the
	// tool's output schema (tests turn it on so a drift fails them).
	ValidateOutput bool
	// Redact removes secrets from text that is about to be logged.
	Redact func(string) string
	// CallLogLevel is the level of the one line logged per tool call (the
	// zero value is info). On stdio it is debug: there the line is written
	// to stderr before the response, on the caller's time, and the desktop
	// clients that run the server keep no use for it.
	CallLogLevel slog.Level
	// MaxConcurrentCalls bounds the tool calls served at once (0:
	// DefaultMaxConcurrentCalls); see boundCalls.
	MaxConcurrentCalls int
	// Middleware wraps every tool handler, outermost first (metrics).
	Middleware []server.ToolHandlerMiddleware
	// CrossCheckBudget caps the requests of one deep diagnosis, the status
	// call included (0: diagnosis.DefaultCrossCheckBudget).
	CrossCheckBudget int
	// Settings names, in error messages, what a person changes (the
	// server's environment variables, the HTTP key header).
	Settings diagnosis.Settings
}

// handlers is what every tool handler needs.
type handlers struct {
	getClient ClientFunc
	now       func() time.Time
	budget    int // cross-check requests of one diagnosis (0: the default)
	words     diagnosis.Settings
	// facts is shared by the server's tools: a campaign list's hints reach
	// the diagnoses, and a diagnosis's slow-changing facts the next one.
	facts *diagnosis.FactCache
}

// Name is the server's name in initialize.
const Name = "instantly-status-mcp"

const instructions = "This server explains why Instantly.ai campaigns or subsequences are not sending and what to do. " +
	"Call get_campaign_sending_status with the campaign's UUID (get_subsequence_sending_status for a subsequence); " +
	"when the person names a campaign instead of giving its id, find the id with list_campaigns (search by name). " +
	"For \"which of my campaigns are stuck?\" call get_sending_overview. The result's analysis.severity says " +
	"whether it is sending (ok), pacing normally (waiting) or needs a person (action_required); give the person the " +
	"headline, the numbers and the remediation steps. The prompt sending_status_remediation and the resource " +
	"instantly://sending-status/codes explain every status code."

// tools returns every tool of the server, each built with its handler.
func (h handlers) tools() []server.ServerTool {
	tool := func(t mcp.Tool, fn server.ToolHandlerFunc) server.ServerTool {
		return server.ServerTool{Tool: t, Handler: fn}
	}
	return []server.ServerTool{tool(h.sendingStatusTool(campaignKind)), tool(h.sendingStatusTool(subsequenceKind)),
		tool(h.listCampaigns()), tool(h.sendingOverview())}
}

// ListCacheTTL is the freshness hint (ttlMs) on server/discover and the
// list and read results: the tools, prompts, resources and the catalog are
// fixed for a given binary and the same for every caller and key (hence
// cacheScope "public"), so a client may reuse them for a while; it is short
// enough that an upgraded deployment is seen within minutes. (mcp-go's own
// default, ttlMs 0 and "private", would ask clients to re-fetch every time.)
const ListCacheTTL = 5 * time.Minute

// NewMCPServer builds the MCP server with all tools, prompts, resources and
// completions. Transports (stdio, SSE, streamable HTTP) wrap the result.
func NewMCPServer(o Options) *server.MCPServer {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Redact == nil {
		o.Redact = func(s string) string { return s }
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	opts := []server.ServerOption{
		server.WithToolCapabilities(false),
		server.WithPromptCapabilities(false),
		server.WithResourceCapabilities(false, false),
		server.WithCompletions(),
		// Clients may set a log level (logging/setLevel); the server sends
		// no log notifications of its own, its logs go to stderr.
		server.WithLogging(),
		server.WithPromptCompletionProvider(&prompts.CompletionProvider{}),
		// The code of the resource template instantly://sending-status/codes/{code}.
		server.WithResourceCompletionProvider(&prompts.CompletionProvider{}),
		server.WithInstructions(instructions),
		server.WithTitle("Instantly sending status"),
		// MCP 2026-07-28 (SEP-2549): list and read results, and
		// server/discover, carry ttlMs and cacheScope (mcp-go sends them
		// to 2026-07-28 clients only). See ListCacheTTL.
		server.WithCacheHints(ListCacheTTL.Milliseconds(), mcp.CacheScopePublic),
	}
	for _, mw := range o.Middleware {
		opts = append(opts, server.WithToolHandlerMiddleware(mw))
	}
	opts = append(opts,
		// A process-wide bound: waiting callers are told, never piled up.
		server.WithToolHandlerMiddleware(boundCalls(o.MaxConcurrentCalls)),
		server.WithToolHandlerMiddleware(logCalls(o.Logger, o.CallLogLevel)),
		// A panic becomes a tool error, never a crash or a JSON-RPC
		// internal error.
		server.WithToolHandlerMiddleware(recoverPanics(o.Logger, o.Redact)),
		// Innermost: what leaves has no terminal controls in its text and
		// no secret anywhere.
		server.WithToolHandlerMiddleware(safeResults(o.GetClient)),
	)
	if o.ValidateOutput {
		opts = append(opts, server.WithOutputSchemaValidation())
	}
	s := server.NewMCPServer(Name, o.Version, opts...)
	s.AddTools(handlers{o.GetClient, o.Now, o.CrossCheckBudget, o.Settings, diagnosis.NewFactCache()}.tools()...)
	prompts.Register(s)
	s.AddResource(view.OverviewResource())
	return s
}

// recoverPanics turns a panic in a handler into an isError result. The panic
// value goes to the log (redacted) with the stack, not to the client.
func recoverPanics(log *slog.Logger, redact func(string) string) server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (res *mcp.CallToolResult, err error) {
			defer func() {
				if r := recover(); r != nil {
					log.Error("tool handler panicked", "tool", req.Params.Name,
						"panic", redact(fmt.Sprint(r)), "stack", redact(string(debug.Stack())))
					res, err = mcp.NewToolResultError(fmt.Sprintf(
						"Internal error in %s; the server is still running. Try again, and report it if it repeats.", req.Params.Name)), nil
				}
			}()
			return next(ctx, req)
		}
	}
}

// logCalls logs one line per tool call at level: name, outcome and
// duration. Arguments are not logged (they are the caller's business), keys
// never are.
func logCalls(log *slog.Logger, level slog.Level) server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			if !log.Enabled(ctx, level) {
				return next(ctx, req)
			}
			start := time.Now()
			res, err := next(ctx, req)
			isErr := err != nil || (res != nil && res.IsError)
			log.LogAttrs(ctx, level, "tool call", slog.String("tool", req.Params.Name),
				slog.Bool("is_error", isErr), slog.Duration("duration", time.Since(start)))
			return res, err
		}
	}
}

// readOnly sets the title and all four hints of a tool that only reads from
// Instantly. mcp.NewTool's defaults would call it destructive and not
// idempotent, so every hint is set explicitly (TestToolAnnotations checks).
func readOnly(title string) mcp.ToolOption {
	return mcp.WithToolAnnotation(mcp.ToolAnnotation{
		Title:           title,
		ReadOnlyHint:    mcp.ToBoolPtr(true),
		DestructiveHint: mcp.ToBoolPtr(false),
		IdempotentHint:  mcp.ToBoolPtr(true),
		OpenWorldHint:   mcp.ToBoolPtr(true),
	})
}
