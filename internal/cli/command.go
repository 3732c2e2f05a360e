package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/app"
	"github.com/instantly-status/instantly-status-mcp/internal/stdx"
)

// command is what the terminal commands (diagnose, overview) share: the
// server's configuration, their flags, an Instantly client, and errors as
// one redacted line on stderr prefixed with the command's name.
type command struct {
	name    string
	usage   string
	cfg     app.Config
	fs      *flag.FlagSet
	args    []string // positional arguments, after parse
	stdout  io.Writer
	stderr  io.Writer
	environ map[string]string
	// exitCode is -exit-code: report the severity found in the exit code
	// (0/3/4/5/6) instead of 0 for any diagnosis obtained.
	exitCode bool
}

// newCommand reads the configuration and prepares the flags, with -demo
// already bound. code is non-zero when the command must stop with it.
func newCommand(name, usage string, environ map[string]string, stdout, stderr io.Writer) (c *command, code int) {
	c = &command{name: name, usage: usage, stdout: stdout, stderr: stderr, environ: environ}
	cfg, err := app.LoadConfig(environ)
	if err != nil {
		return nil, c.fail(ExitUsage, "%v", err)
	}
	c.cfg = cfg
	c.fs = flag.NewFlagSet(name, flag.ContinueOnError)
	c.fs.BoolVar(&c.cfg.Demo, "demo", c.cfg.Demo, "use the built-in demo workspace (no API key needed)")
	c.fs.BoolVar(&c.exitCode, "exit-code", false, "exit with the severity found: 0 sending, 3 waiting, 4 action required, 5 unknown, 6 several matches")
	return c, 0
}

// parse parses the flags, anywhere among the arguments; done reports that
// the command must stop with code (-h, or a bad flag, already reported).
func (c *command) parse(args []string) (code int, done bool) {
	pos, code, done := parseFlags(c.fs, args, "instantly-status-mcp "+c.name, c.printUsage, c.stdout, c.stderr)
	c.args = pos
	return code, done
}

func (c *command) printUsage(w io.Writer) {
	fmt.Fprint(w, c.usage)
	flagList(w, c.fs)
	fmt.Fprint(w, envHelp(commandEnv))
}

// print writes markdown in the CLI's vocabulary (diagnosis.CLIText, applied
// by the caller) as stdout wants it: markdown when piped, styled on a
// terminal, plain with NO_COLOR.
// Text from Instantly is made safe here, the last step before the
// terminal: no control characters (stdx.SafeText) and no run of the key.
func (c *command) print(md string) {
	md = instantly.Redact(stdx.SafeText(md), c.cfg.APIKey)
	fmt.Fprint(c.stdout, renderFor(md, outputFor(c.stdout, c.environ)))
}

// severity returns code under -exit-code, else 0: a diagnosis that was
// obtained is a success, whatever it found (git-style opt-in).
func (c *command) severity(code int) int {
	if c.exitCode {
		return code
	}
	return ExitOK
}

// client validates the configuration and builds the Instantly client (the
// demo workspace with -demo).
func (c *command) client(demoArgs string) (*instantly.Client, int) {
	if err := c.cfg.ValidateClient(); err != nil {
		return nil, c.fail(ExitUsage, "%v", err)
	}
	if !c.cfg.Demo && c.cfg.APIKey == "" {
		return nil, c.fail(ExitError, "INSTANTLY_API_KEY is not set (or try the demo: %s -demo%s)", c.name, demoArgs)
	}
	client, err := app.NewInstantlyClient(c.cfg)
	if err != nil {
		return nil, c.fail(ExitError, "%v", err)
	}
	return client, 0
}

// fail prints one line, without the key, and returns code.
func (c *command) fail(code int, format string, args ...any) int {
	fmt.Fprintf(c.stderr, "%s: %s\n", c.name, stdx.OneLine(instantly.Redact(stdx.SafeText(fmt.Sprintf(format, args...)), c.cfg.APIKey)))
	return code
}

// shown is a value the person typed, quoted for a message: redacted first,
// then cut to 60 characters (cut first, a key would no longer be recognised).
func (c *command) shown(s string) string {
	return strconv.Quote(stdx.Truncate(instantly.Redact(stdx.SafeText(s), c.cfg.APIKey), 60))
}

// printJSON writes v indented to stdout, its values exact but for a run of
// the key, and with the characters that could drive a terminal escaped.
func (c *command) printJSON(v any) int {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return c.fail(ExitError, "%v", err)
	}
	out := stdx.EscapeUnsafeJSON(instantly.NewRedactor(c.cfg.APIKey).JSON(buf.Bytes()))
	if _, err := c.stdout.Write(out); err != nil {
		return ExitError
	}
	return ExitOK
}
