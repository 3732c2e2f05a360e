// Command instantly-status-mcp is an MCP server that tells people why their
// Instantly.ai campaign is not sending, and what to do about it. It also runs
// the same diagnosis from a terminal: `instantly-status-mcp diagnose <id>`.
// The server lives in internal/app, the commands in internal/cli.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/caarlos0/env/v11"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/app"
	"github.com/instantly-status/instantly-status-mcp/internal/cli"
)

// Stamped at build time by .goreleaser.yaml and the Dockerfile:
//
//	-ldflags "-X main.version=v1.2.3 -X main.commit=<sha> -X main.date=<RFC 3339>"
//
// A `go install …@v1.2.3` or `go build` from a clone leaves them empty; the
// build info the Go toolchain embeds fills them in then (module version,
// vcs.revision, vcs.time).
var (
	version = ""
	commit  = ""
	date    = ""
)

func main() {
	app.Stamp(version, commit, date)
	sig, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// Calls cut short by a signal carry instantly.ErrShuttingDown as the cause,
	// so what they answer names the shutdown, not the client.
	ctx, cancel := context.WithCancelCause(context.Background())
	go func() {
		<-sig.Done()
		cancel(fmt.Errorf("%w (%v)", instantly.ErrShuttingDown, context.Cause(sig)))
	}()
	code := cli.Run(ctx, os.Args[1:], env.ToMap(os.Environ()), os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
