package tools

import (
	"context"
	"fmt"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// DefaultMaxConcurrentCalls bounds the tool calls one process serves at
// once (Options.MaxConcurrentCalls). A deep diagnosis holds a few requests
// to Instantly and some memory; past this many, a shared server gains
// nothing by taking more at once and would only grow.
const DefaultMaxConcurrentCalls = 32

// busyWait is how long a call waits for a free slot before it is told the
// server is busy (its own deadline, if sooner, wins).
var busyWait = 10 * time.Second

// boundCalls lets at most max tool calls run at once. A call that finds
// every slot taken waits up to busyWait, with a progress notification
// saying so when the client asked for progress, and then gets a tool error
// that says the server is busy and when to try again: never a crash, never
// an unbounded pile of calls.
func boundCalls(max int) server.ToolHandlerMiddleware {
	if max <= 0 {
		max = DefaultMaxConcurrentCalls
	}
	slots := make(chan struct{}, max)
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			select {
			case slots <- struct{}{}:
			default:
				if send := progressSender(ctx, req); send != nil {
					send(map[string]any{"progress": 0, "message": fmt.Sprintf(
						"Waiting: this server is already serving %d calls, its limit; yours starts as soon as one ends.", max)})
				}
				wait, cancel := context.WithTimeout(ctx, busyWait)
				defer cancel()
				select {
				case slots <- struct{}{}:
				case <-wait.Done():
					if ctx.Err() != nil {
						return nil, ctx.Err()
					}
					return mcp.NewToolResultError(fmt.Sprintf("This server is busy: it is serving %d calls at once, its limit, "+
						"and none ended within %s. Try again in a few seconds.", max, busyWait)), nil
				}
			}
			defer func() { <-slots }()
			return next(ctx, req)
		}
	}
}
