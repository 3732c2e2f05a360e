package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// command is what the terminal commands (diagnose, overview) share: the
// server's configuration, their flags, an Instantly client, and errors as
// one redacted line on stderr prefixed with the command's name.
type command struct {
	name   string
	cfg    Config
	fs     *flag.FlagSet
	stdout io.Writer
	stderr io.Writer
}

// newCommand reads the configuration and prepares the flags, with -demo
// already bound. code is non-zero when the command must stop with it.
func newCommand(name, usage string, environ map[string]string, stdout, stderr io.Writer) (c *command, code int) {
	c = &command{name: name, stdout: stdout, stderr: stderr}
	cfg, err := loadConfig(environ)
	if err != nil {
		return nil, c.fail(exitUsage, "%v", err)
	}
	c.cfg = cfg
	c.fs = flag.NewFlagSet(name, flag.ContinueOnError)
	c.fs.SetOutput(stderr)
	c.fs.Usage = func() { fmt.Fprint(stderr, usage); c.fs.PrintDefaults() }
	c.fs.BoolVar(&c.cfg.Demo, "demo", c.cfg.Demo, "use the built-in demo workspace (no API key needed)")
	return c, 0
}

// parse parses the flags; done reports that the command must stop with code
// (-h, or a bad flag, which the flag package has already reported).
func (c *command) parse(args []string) (code int, done bool) {
	if err := c.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, true
		}
		return exitUsage, true
	}
	return 0, false
}

// client validates the configuration and builds the Instantly client (the
// demo workspace with -demo).
func (c *command) client(demoArgs string) (*instantly.Client, int) {
	if err := c.cfg.validate(); err != nil {
		return nil, c.fail(exitUsage, "%v", err)
	}
	if !c.cfg.Demo && c.cfg.APIKey == "" {
		return nil, c.fail(exitError, "INSTANTLY_API_KEY is not set (or try the demo: %s -demo%s)", c.name, demoArgs)
	}
	client, err := newInstantlyClient(c.cfg)
	if err != nil {
		return nil, c.fail(exitError, "%v", err)
	}
	return client, 0
}

// fail prints one line, without the key, and returns code.
func (c *command) fail(code int, format string, args ...any) int {
	fmt.Fprintf(c.stderr, "%s: %s\n", c.name, oneLineErr(instantly.Redact(fmt.Sprintf(format, args...), c.cfg.APIKey)))
	return code
}

// printJSON writes v indented to stdout.
func (c *command) printJSON(v any) int {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return c.fail(exitError, "%v", err)
	}
	return exitOK
}
