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
	sig, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// Calls cut short by a signal carry instantly.ErrShuttingDown as the cause,
	// so what they answer names the shutdown, not the client.
	ctx, cancel := context.WithCancelCause(context.Background())
	go func() {
		<-sig.Done()
		cancel(fmt.Errorf("%w (%v)", instantly.ErrShuttingDown, context.Cause(sig)))
	}()
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
			return runVersion(args[1:], stdout, stderr)
		case "healthcheck":
			return runHealthcheck(ctx, args[1:], environ, stdout, stderr)
		case "help":
			return runHelp(args[1:], environ, stdout, stderr)
		}
	}
	return runServe(ctx, args, environ, stdin, stdout, stderr)
}

// runHelp: `help` is the top-level help, `help <command>` the command's.
func runHelp(args []string, environ map[string]string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printHelp(stdout)
		return exitOK
	}
	switch args[0] {
	case "diagnose", "overview", "healthcheck", "version":
		return run(context.Background(), []string{args[0], "-h"}, environ, nil, stdout, stderr)
	case "help":
		printHelp(stdout)
		return exitOK
	}
	fmt.Fprintf(stderr, "instantly-status-mcp: no command %s (commands: diagnose, overview, version, healthcheck, help)\n",
		quoteArg(args[0], 40, environ["INSTANTLY_API_KEY"], environ["MCP_AUTH_TOKEN"]))
	return exitUsage
}

func runServe(ctx context.Context, args []string, environ map[string]string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, cfgErr := loadConfig(environ)
	fs, showVersion := serveFlags(&cfg)
	pos, code, done := parseFlags(fs, args, "instantly-status-mcp", func(w io.Writer) { printHelp(w) }, stdout, stderr)
	if done {
		return code
	}
	if cfgErr != nil {
		fmt.Fprintf(stderr, "instantly-status-mcp: %v\n", cfgErr)
		return exitUsage
	}
	if *showVersion {
		return printVersion(stdout)
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "instantly-status-mcp: unexpected argument %s (commands: diagnose, overview, version, healthcheck, help; see -h)\n",
			quoteArg(pos[0], 40, cfg.APIKey, cfg.AuthToken))
		return exitUsage
	}
	// An error names what the person set: the flag, or else the variable.
	transportSource, addrSource := "MCP_TRANSPORT", "MCP_ADDR"
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "transport":
			transportSource = "-transport"
		case "addr":
			addrSource = "-addr"
		}
	})
	if err := cfg.validate(transportSource); err != nil {
		fmt.Fprintf(stderr, "instantly-status-mcp: %v\n", err)
		return exitUsage
	}
	if err := cfg.validateAddr(addrSource); err != nil {
		fmt.Fprintf(stderr, "instantly-status-mcp: %v\n", err)
		return exitUsage
	}
	log := newLogger(stderr, cfg.LogLevel, cfg.APIKey, cfg.AuthToken, cfg.RedisKeySecret)
	if err := serve(ctx, cfg, log, stdin, stdout, stderr); err != nil {
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
		Level:       level,
		ReplaceAttr: redactAttr(secrets),
	})
	return slog.New(h)
}
