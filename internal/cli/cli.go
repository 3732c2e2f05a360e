package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/app"
	"github.com/instantly-status/instantly-status-mcp/internal/stdx"
)

// parseAnywhere parses fs from args with flags accepted before, between and
// after the positional arguments, as people type them
// (`diagnose -demo <id> -json`). "--" ends the flags; what follows is
// positional. It returns the positional arguments.
func parseAnywhere(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		// flag stops at the first non-flag, or after "--".
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseFlags parses with parseAnywhere and prints what people need: the
// usage on -h (exit 0, on stdout), one line plus "see -h" on a bad flag or
// value (exit 2), never the whole usage after an error.
func parseFlags(fs *flag.FlagSet, args []string, prog string, usage func(io.Writer), stdout, stderr io.Writer) (pos []string, code int, done bool) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	pos, err := parseAnywhere(fs, args)
	switch {
	case err == nil:
		return pos, 0, false
	case errors.Is(err, flag.ErrHelp):
		usage(stdout)
		return nil, ExitOK, true
	default:
		fmt.Fprintf(stderr, "%s: %s (see %s -h)\n", prog, flagErrText(err), prog)
		return nil, ExitUsage, true
	}
}

// flagErrText rewrites the flag package's words for people:
// `invalid value "x" for flag -max: parse error` becomes
// `-max must be a whole number, got "x"`.
func flagErrText(err error) string {
	s := err.Error()
	if rest, ok := strings.CutPrefix(s, "invalid value "); ok {
		// invalid value "abc" for flag -max: parse error
		if i := strings.Index(rest, " for flag "); i > 0 {
			val := rest[:i]
			name := rest[i+len(" for flag "):]
			why := ""
			if j := strings.Index(name, ": "); j > 0 {
				name, why = name[:j], name[j+2:]
			}
			switch {
			case strings.Contains(why, "parse error") || strings.Contains(why, "strconv"):
				return fmt.Sprintf("%s must be a whole number, got %s", name, val)
			case strings.Contains(why, "boolean"):
				return fmt.Sprintf("%s is a switch (true or false), got %s", name, val)
			}
			if strings.HasPrefix(why, "must be ") {
				// Worded as the configuration's errors are:
				// `LOG_LEVEL must be debug, …, got "loud"`.
				return fmt.Sprintf("%s %s, got %s", name, stdx.OneLine(why), val)
			}
			return fmt.Sprintf("%s: %s (got %s)", name, stdx.OneLine(why), val)
		}
	}
	if rest, ok := strings.CutPrefix(s, "flag provided but not defined: "); ok {
		return "unknown flag " + rest
	}
	if rest, ok := strings.CutPrefix(s, "flag needs an argument: "); ok {
		return rest + " needs a value"
	}
	return stdx.OneLine(s)
}

// flagList writes the flags of fs, one per line, as "  -name value   usage".
func flagList(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		left := "  -" + f.Name
		if name != "" {
			left += " " + name
		}
		def := ""
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			def = fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "%-22s %s%s\n", left, usage, def)
	})
}

// isTerminal reports whether w is a terminal (a character device); tests
// replace it.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

const helpHead = `instantly-status-mcp explains why an Instantly.ai campaign is not sending, and what
to do about it: as an MCP server for AI assistants, or from a terminal.

Usage:
  instantly-status-mcp [flags]                   serve MCP (stdio unless -transport says otherwise)
  instantly-status-mcp diagnose [flags] <campaign id, app URL or name>
                                                 one campaign's diagnosis
  instantly-status-mcp overview [flags]          every campaign's status, grouped
  instantly-status-mcp version                   print the version, commit and Go version
  instantly-status-mcp healthcheck [-addr host:port]
                                                 exit 0 when a running HTTP server answers /healthz
  instantly-status-mcp help [command]            this help, or a command's

Try it without an API key: instantly-status-mcp diagnose -demo 019a0000-0000-7000-8000-000000000001
Flags go before or after the arguments. Run "instantly-status-mcp <command> -h" for a command's flags.

Server flags:
`

// printHelp is the top-level help: commands, the server's flags and the
// environment.
func printHelp(w io.Writer) {
	fmt.Fprint(w, helpHead)
	cfg := app.Config{}
	fs, _ := app.ServeFlags(&cfg)
	flagList(w, fs)
	fmt.Fprint(w, envHelp(nil))
}

// envDoc describes each environment variable of Config, by its name.
var envDoc = map[string]string{
	"INSTANTLY_API_KEY":                 "Instantly API v2 key with the scopes " + instantly.ScopeSentence() + "; never a flag",
	"INSTANTLY_BASE_URL":                "Instantly API base URL",
	"INSTANTLY_TIMEOUT":                 "longest wait for one answer from Instantly, retries included, such as 30s",
	"INSTANTLY_DEMO":                    "true: use the built-in demo workspace (like -demo)",
	"LOG_LEVEL":                         "debug, info, warn or error (like -log-level)",
	"MCP_TRANSPORT":                     "stdio, http or sse (like -transport)",
	"MCP_ADDR":                          "listen address of the http and sse transports (like -addr)",
	"MCP_STATELESS":                     "true: streamable HTTP without sessions (like -stateless)",
	"MCP_AUTH_TOKEN":                    "access token HTTP clients must send as Authorization: Bearer <token>",
	"MCP_ALLOWED_ORIGINS":               "comma-separated browser origins allowed besides loopback",
	"MCP_MAX_BODY_BYTES":                "largest HTTP request body accepted",
	"MCP_SESSION_IDLE_TIMEOUT":          "an HTTP session (sse: stream) unused this long ends, such as 30m",
	"MCP_MAX_CONCURRENT_CALLS":          "most tool calls served at once; more wait up to 10 s, then are told the server is busy",
	"INSTANTLY_MAX_CONCURRENT_REQUESTS": "most requests to Instantly on the wire at once, whatever the keys",
	"MCP_MAX_SESSIONS":                  "most live HTTP sessions (sse: open streams); a new one ends the least recently used if unused for a minute, else gets 503",
	"MCP_METRICS":                       "true: Prometheus metrics at /metrics (HTTP transports)",
	"REDIS_URL":                         "redis://… to share each workspace's rate budget between replicas",
	"REDIS_PASSWORD":                    "Redis password, when REDIS_URL has none",
	"REDIS_KEY_SECRET":                  "32+ random characters, the same on every replica: names the budgets in Redis (default: from MCP_AUTH_TOKEN)",
	"INSTANTLY_REPLICAS":                "replica count: each one's share of the budget while Redis is unreachable",

	"INSTANTLY_BUNDLE":             "true: started by the Claude Desktop extension; messages name its settings",
	"INSTANTLY_CROSS_CHECK_BUDGET": "most requests one deep diagnosis makes, status call included (1-50)",
}

// commandEnv are the variables the terminal commands read.
var commandEnv = []string{"INSTANTLY_API_KEY", "INSTANTLY_BASE_URL", "INSTANTLY_TIMEOUT", "INSTANTLY_DEMO", "INSTANTLY_CROSS_CHECK_BUDGET", "NO_COLOR"}

// envHelp lists the environment variables of Config (only names, when
// given), with their defaults, read from the struct tags so none is missed.
func envHelp(names []string) string {
	var b strings.Builder
	b.WriteString("\nEnvironment:\n")
	want := func(n string) bool { return names == nil || slices.Contains(names, n) }
	t := reflect.TypeFor[app.Config]()
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Tag.Get("env")
		if name == "" || !want(name) {
			continue
		}
		line := "  " + name
		if d := envDoc[name]; d != "" {
			line = fmt.Sprintf("  %-29s %s", name, d)
		}
		if def := f.Tag.Get("envDefault"); def != "" {
			line += " (default " + def + ")"
		}
		b.WriteString(line + "\n")
	}
	if want("NO_COLOR") {
		b.WriteString(fmt.Sprintf("  %-29s %s\n", "NO_COLOR", "set: no colors or styles in terminal output"))
	}
	return b.String()
}
