// Command instantly-status-mcp is an MCP server that tells people why their
// Instantly.ai campaign is not sending, and what to do about it. It also runs
// the same diagnosis from a terminal: `instantly-status-mcp diagnose <id>`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/caarlos0/env/v11"
	"github.com/instantly-status/instantly-status-mcp/instantly"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env.ToMap(os.Environ()), os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes of every command. diagnose adds its own for the status it found.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// run is main without the process: arguments, environment and streams come in,
// an exit code goes out, so tests drive it directly.
func run(ctx context.Context, args []string, environ map[string]string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "diagnose":
			return runDiagnose(ctx, args[1:], environ, stdout, stderr)
		case "overview":
			return runOverview(ctx, args[1:], environ, stdout, stderr)
		case "version":
			return printVersion(stdout)
		case "healthcheck":
			return runHealthcheck(ctx, args[1:], environ, stdout, stderr)
		}
	}
	return runServe(ctx, args, environ, stdin, stdout, stderr)
}

func runServe(ctx context.Context, args []string, environ map[string]string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := loadConfig(environ)
	if err != nil {
		fmt.Fprintf(stderr, "instantly-status-mcp: %v\n", err)
		return exitUsage
	}
	fs, showVersion := serveFlags(&cfg, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *showVersion {
		return printVersion(stdout)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "instantly-status-mcp: unexpected argument %q (commands: diagnose, overview, version, healthcheck; run with -h for flags)\n", truncate(fs.Arg(0), 40))
		return exitUsage
	}
	if err := cfg.validate(); err != nil {
		fmt.Fprintf(stderr, "instantly-status-mcp: %v\n", err)
		return exitUsage
	}
	log := newLogger(stderr, cfg.LogLevel, cfg.APIKey, cfg.AuthToken)
	if err := serve(ctx, cfg, log, stdin, stdout); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "instantly-status-mcp: %s\n", instantly.Redact(ue.Error(), cfg.APIKey, cfg.AuthToken))
			return exitUsage
		}
		log.Error("server stopped", "error", err.Error())
		return exitError
	}
	return exitOK
}

// newLogger writes text logs to stderr: stdout belongs to the stdio protocol.
// Every message and attribute passes through the redactor, so the key cannot
// reach a log even by accident.
func newLogger(w io.Writer, level slog.Level, secrets ...string) *slog.Logger {
	h := slog.NewTextHandler(w, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Value.Kind() == slog.KindString {
				a.Value = slog.StringValue(instantly.Redact(a.Value.String(), secrets...))
			}
			return a
		},
	})
	return slog.New(h)
}
