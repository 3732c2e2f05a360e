// Package cli is the program's command line: the server command (serve MCP)
// and the terminal commands (diagnose, overview, version, healthcheck, help),
// their flags, help texts, exit codes and terminal styling.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/app"
)

// Exit codes of every command. diagnose adds its own for the status it found.
const (
	ExitOK    = 0
	ExitError = 1
	ExitUsage = 2
)

// Run is main without the process: arguments, environment and streams come in,
// an exit code goes out, so tests drive it directly.
func Run(ctx context.Context, args []string, environ map[string]string, stdin io.Reader, stdout, stderr io.Writer) int {
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
		return ExitOK
	}
	switch args[0] {
	case "diagnose", "overview", "healthcheck", "version":
		return Run(context.Background(), []string{args[0], "-h"}, environ, nil, stdout, stderr)
	case "help":
		printHelp(stdout)
		return ExitOK
	}
	fmt.Fprintf(stderr, "instantly-status-mcp: no command %s (commands: diagnose, overview, version, healthcheck, help)\n",
		app.QuoteArg(args[0], 40, environ["INSTANTLY_API_KEY"], environ["MCP_AUTH_TOKEN"]))
	return ExitUsage
}

func runServe(ctx context.Context, args []string, environ map[string]string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, cfgErr := app.LoadConfig(environ)
	fs, showVersion := app.ServeFlags(&cfg)
	pos, code, done := parseFlags(fs, args, "instantly-status-mcp", func(w io.Writer) { printHelp(w) }, stdout, stderr)
	if done {
		return code
	}
	if cfgErr != nil {
		fmt.Fprintf(stderr, "instantly-status-mcp: %v\n", cfgErr)
		return ExitUsage
	}
	if *showVersion {
		app.PrintVersion(stdout)
		return ExitOK
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "instantly-status-mcp: unexpected argument %s (commands: diagnose, overview, version, healthcheck, help; see -h)\n",
			app.QuoteArg(pos[0], 40, cfg.APIKey, cfg.AuthToken))
		return ExitUsage
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
	if err := cfg.Validate(transportSource); err != nil {
		fmt.Fprintf(stderr, "instantly-status-mcp: %v\n", err)
		return ExitUsage
	}
	if err := cfg.ValidateAddr(addrSource); err != nil {
		fmt.Fprintf(stderr, "instantly-status-mcp: %v\n", err)
		return ExitUsage
	}
	log := app.NewLogger(stderr, cfg.LogLevel, cfg.APIKey, cfg.AuthToken, cfg.RedisKeySecret)
	if err := app.Serve(ctx, cfg, log, stdin, stdout, stderr); err != nil {
		var ue app.UsageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "instantly-status-mcp: %s\n", instantly.Redact(ue.Error(), cfg.APIKey, cfg.AuthToken))
			return ExitUsage
		}
		log.Error("server stopped", "error", err.Error())
		return ExitError
	}
	return ExitOK
}

const versionUsage = `usage: instantly-status-mcp version

Prints the version on the first line (for scripts), then the commit, the
build time and the Go toolchain.
`

// runVersion is the version command: -h prints its usage, like every
// command's, rather than the version.
func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	pos, code, done := parseFlags(fs, args, "instantly-status-mcp version", func(w io.Writer) { fmt.Fprint(w, versionUsage) }, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "instantly-status-mcp version: unexpected argument %s (see instantly-status-mcp version -h)\n", app.QuoteArg(pos[0], 40))
		return ExitUsage
	}
	app.PrintVersion(stdout)
	return ExitOK
}
