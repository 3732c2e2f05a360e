package cli

import (
	"debug/elf"
	"errors"
	"flag"
	"net"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/app"
)

// A port already taken is one line that names the address, and exit 2, not
// "server stopped".
func TestPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	_, stderr, code := runCmd(t, map[string]string{"LOG_LEVEL": "error"}, "-transport", "http", "-addr", addr)
	want := "instantly-status-mcp: cannot listen on " + addr + ": address already in use"
	if code != ExitUsage || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.HasPrefix(stderr, want) {
		t.Fatalf("exit %d, stderr:\n%s\nwant one line starting %q", code, stderr, want)
	}
}

// The CLI as people use it, through run (main's body).
func TestCLIForPeople(t *testing.T) {
	first := instantlytest.DemoCampaigns[0].ID
	waiting := instantlytest.DemoID(instantly.StatusDailyLimitMet)

	// The quick start (a waiting campaign) is a success, not "exit status 3".
	if _, stderr, code := runCmd(t, nil, "diagnose", "-demo", first); code != ExitOK || stderr != "" {
		t.Errorf("quick start: exit %d, stderr %q", code, stderr)
	}
	if _, _, code := runCmd(t, nil, "diagnose", "-demo", "-exit-code", waiting); code != ExitWaiting {
		t.Errorf("-exit-code: exit %d, want %d", code, ExitWaiting)
	}
	// Flags after the argument, as people type them.
	out, stderr, code := runCmd(t, nil, "diagnose", "-demo", waiting, "-json", "-exit-code")
	if code != ExitWaiting || !strings.HasPrefix(out, "{") || stderr != "" {
		t.Errorf("flags after the id: exit %d, stderr %q, out %.80q", code, stderr, out)
	}
	// "--" ends the flags: what follows is an argument, even "-json".
	if _, stderr, code := runCmd(t, nil, "diagnose", "-demo", "--", "-json"); code != ExitError || !strings.Contains(stderr, `no campaign named like "-json"`) {
		t.Errorf("-- then -json: exit %d, %s", code, stderr)
	}
	// A URL pasted from the app.
	for _, u := range []string{
		"https://app.instantly.ai/app/campaign/" + waiting + "/analytics",
		"https://app.instantly.ai/app/campaign/" + waiting + "/sequences?tab=1",
	} {
		out, stderr, code := runCmd(t, nil, "diagnose", "-demo", u)
		if code != ExitOK || !strings.Contains(out, waiting) || !strings.HasPrefix(out, "## Partner Program – Shopify agencies: waiting") {
			t.Errorf("%s: exit %d, stderr %q", u, code, stderr)
		}
	}
	if _, stderr, code := runCmd(t, nil, "diagnose", "-demo", "https://app.instantly.ai/app/campaigns"); code != ExitUsage || strings.Count(stderr, "\n") != 1 {
		t.Errorf("URL without an id: exit %d, stderr %q", code, stderr)
	}

	// Help: top level, help command, command -h. Exit 0, on stdout.
	for _, args := range [][]string{{"-h"}, {"help"}, {"--help"}} {
		out, _, code := runCmd(t, nil, args...)
		for _, w := range []string{"diagnose", "overview", "version", "-transport", "-addr", "-demo", "INSTANTLY_API_KEY", "INSTANTLY_TIMEOUT", "MCP_TRANSPORT", "MCP_AUTH_TOKEN"} {
			if !strings.Contains(out, w) {
				t.Errorf("%v: exit %d, help lacks %q:\n%s", args, code, w, out)
			}
		}
		if code != ExitOK {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	for _, args := range [][]string{{"diagnose", "-h"}, {"help", "diagnose"}, {"overview", "-h"}} {
		out, _, code := runCmd(t, nil, args...)
		for _, w := range []string{"-demo", "-exit-code", "INSTANTLY_API_KEY", "Exit codes"} {
			if !strings.Contains(out, w) || code != ExitOK {
				t.Errorf("%v: exit %d, lacks %q:\n%s", args, code, w, out)
			}
		}
	}

	// Bad flag values: one line and "see … -h", exit 2; no usage dump.
	for _, args := range [][]string{
		{"overview", "-demo", "-max", "abc"},
		{"diagnose", "-demo", "-nope", first},
		{"-log-level", "loud"},
		{"-transport"},
	} {
		_, stderr, code := runCmd(t, nil, args...)
		if code != ExitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "-h)") {
			t.Errorf("%v: exit %d, want one line pointing at -h:\n%s", args, code, stderr)
		}
	}
	_, stderr, _ = runCmd(t, nil, "overview", "-demo", "-max", "abc")
	if !strings.Contains(stderr, `-max must be a whole number, got "abc"`) {
		t.Errorf("bad -max: %s", stderr)
	}

	// Configuration errors in words, naming the variable; never Go types.
	for env, want := range map[string]string{
		"INSTANTLY_TIMEOUT=abc":          `INSTANTLY_TIMEOUT must be a duration such as 30s or 2m, got "abc"`,
		"LOG_LEVEL=loud":                 `LOG_LEVEL must be debug, info, warn or error, got "loud"`,
		"MCP_MAX_BODY_BYTES=lots":        `MCP_MAX_BODY_BYTES must be a whole number, got "lots"`,
		"INSTANTLY_DEMO=maybe":           `INSTANTLY_DEMO must be true or false, got "maybe"`,
		"MCP_TRANSPORT=carrier-pigeon":   `MCP_TRANSPORT must be stdio, http or sse, got "carrier-pigeon"`,
		"MCP_SESSION_IDLE_TIMEOUT=999ms": `MCP_SESSION_IDLE_TIMEOUT must be a duration between 1s and 24h, such as 30m, got 999ms`,
		"MCP_SESSION_IDLE_TIMEOUT=25h":   `MCP_SESSION_IDLE_TIMEOUT must be a duration between 1s and 24h, such as 30m, got 25h0m0s`,
		"MCP_SESSION_IDLE_TIMEOUT=soon":  `MCP_SESSION_IDLE_TIMEOUT must be a duration such as 30s or 2m, got "soon"`,
		"MCP_MAX_SESSIONS=0":             `MCP_MAX_SESSIONS must be between 1 and 100000, got 0`,
		"MCP_MAX_SESSIONS=100001":        `MCP_MAX_SESSIONS must be between 1 and 100000, got 100001`,
	} {
		k, v, _ := strings.Cut(env, "=")
		_, stderr, code := runCmd(t, map[string]string{k: v})
		if code != ExitUsage || stderr != "instantly-status-mcp: "+want+"\n" {
			t.Errorf("%s: exit %d, stderr %q, want %q", env, code, stderr, want)
		}
	}
	// MCP_TRANSPORT is the server's: diagnose has no transport.
	if _, stderr, code := runCmd(t, map[string]string{"MCP_TRANSPORT": "bogus"}, "diagnose", "-demo", first); code != ExitOK {
		t.Errorf("diagnose with MCP_TRANSPORT=bogus: exit %d, %s", code, stderr)
	}
}

// "One static binary": the README's build commands say CGO_ENABLED=0, and
// the binary built that way (the one the tests run) needs no dynamic
// loader or shared library.
func TestStaticBinary(t *testing.T) {
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if (strings.Contains(l, "go build -o") || strings.Contains(l, "go install github.com")) && !strings.Contains(l, "CGO_ENABLED=0") {
			t.Errorf("README builds without CGO_ENABLED=0: %s", l)
		}
	}
	f, err := elf.Open(binPath)
	if err != nil {
		t.Skipf("not an ELF binary: %v", err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Fatal("the binary asks for a dynamic loader (PT_INTERP): not static")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Fatalf("the binary needs shared libraries: %v", libs)
	}
}

// Every environment variable of Config is in the help, with words.
func TestHelpDocumentsEveryVariable(t *testing.T) {
	out, _, _ := runCmd(t, nil, "help")
	for i := range reflect.TypeFor[app.Config]().NumField() {
		name := reflect.TypeFor[app.Config]().Field(i).Tag.Get("env")
		if name == "" {
			continue
		}
		if envDoc[name] == "" || !strings.Contains(out, name) {
			t.Errorf("%s is not described in the help", name)
		}
	}
}

// parseAnywhere: flags before, between and after the arguments; "--" ends them.
func TestParseAnywhereTable(t *testing.T) {
	for _, c := range []struct {
		args []string
		pos  []string
		json bool
		max  int
	}{
		{nil, nil, false, 0},
		{[]string{"a"}, []string{"a"}, false, 0},
		{[]string{"-json", "a"}, []string{"a"}, true, 0},
		{[]string{"a", "-json"}, []string{"a"}, true, 0},
		{[]string{"a", "-max", "3", "b"}, []string{"a", "b"}, false, 3},
		{[]string{"-max", "2", "a", "b", "-json"}, []string{"a", "b"}, true, 2},
		{[]string{"--", "-json"}, []string{"-json"}, false, 0},
		{[]string{"a", "--", "-json", "b"}, []string{"a", "-json", "b"}, false, 0},
		{[]string{"-json", "--"}, nil, true, 0},
		{[]string{"a", "-json", "--", "--"}, []string{"a", "--"}, true, 0},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		json := fs.Bool("json", false, "")
		maxN := fs.Int("max", 0, "")
		pos, err := parseAnywhere(fs, c.args)
		if err != nil || !reflect.DeepEqual(pos, c.pos) || *json != c.json || *maxN != c.max {
			t.Errorf("%q: pos %q json %v max %d err %v; want %q %v %d", c.args, pos, *json, *maxN, err, c.pos, c.json, c.max)
		}
	}
}

// The flag package's errors, reworded exactly.
func TestFlagErrTextExact(t *testing.T) {
	for in, want := range map[string]string{
		`invalid value "abc" for flag -max: parse error`:                       `-max must be a whole number, got "abc"`,
		`invalid value "9x" for flag -max: strconv.ParseInt: bad`:              `-max must be a whole number, got "9x"`,
		`invalid boolean value "maybe" for -json: parse error`:                 `invalid boolean value "maybe" for -json: parse error`,
		`invalid value "maybe" for flag -json: invalid boolean flag`:           `-json is a switch (true or false), got "maybe"`,
		`invalid value "loud" for flag -log-level: must be debug, info,  warn`: `-log-level must be debug, info, warn, got "loud"`,
		`invalid value "x" for flag -z: out of range`:                          `-z: out of range (got "x")`,
		`invalid value "x" for flag -t`:                                        `-t:  (got "x")`,
		"flag provided but not defined: -nope":                                 "unknown flag -nope",
		"flag needs an argument: -max":                                         "-max needs a value",
		"something\nelse":                                                      "something else",
		`invalid value without the flag part`:                                  `invalid value without the flag part`,
	} {
		if got := flagErrText(errors.New(in)); got != want {
			t.Errorf("flagErrText(%q) = %q, want %q", in, got, want)
		}
	}
}

// flagList: one line per flag, the value name only when the flag takes one,
// the default only when it says something.
func TestFlagListExact(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.Bool("b", false, "a switch")
	fs.Bool("on", true, "on by default")
	fs.Int("n", 0, "a count")
	fs.Int("m", 5, "a `limit`")
	fs.String("s", "", "a text")
	fs.String("addr", "127.0.0.1:8080", "listen `host:port`")
	var b strings.Builder
	flagList(&b, fs)
	want := "" +
		"  -addr host:port      listen host:port (default 127.0.0.1:8080)\n" +
		"  -b                   a switch\n" +
		"  -m limit             a limit (default 5)\n" +
		"  -n int               a count\n" +
		"  -on                  on by default (default true)\n" +
		"  -s string            a text\n"
	if b.String() != want {
		t.Errorf("flagList:\n%s\nwant:\n%s", b.String(), want)
	}
}

// envHelp: the names asked for, each with its words and default, NO_COLOR
// only when asked for (or for all).
func TestEnvHelpExact(t *testing.T) {
	got := envHelp([]string{"INSTANTLY_TIMEOUT", "INSTANTLY_API_KEY", "NO_COLOR"})
	want := "\nEnvironment:\n" +
		"  INSTANTLY_API_KEY             Instantly API v2 key with the scopes campaigns:read, subsequences:read, accounts:read, audit_logs:read, account_campaign_mappings:read and custom_tags:read (or all:read); never a flag\n" +
		"  INSTANTLY_TIMEOUT             longest wait for one answer from Instantly, retries included, such as 30s (default 30s)\n" +
		"  NO_COLOR                      set: no colors or styles in terminal output\n"
	if got != want {
		t.Errorf("envHelp:\n%q\nwant\n%q", got, want)
	}
	if got := envHelp([]string{"MCP_MAX_SESSIONS"}); got != "\nEnvironment:\n  MCP_MAX_SESSIONS              "+envDoc["MCP_MAX_SESSIONS"]+" (default 1000)\n" {
		t.Errorf("envHelp(MCP_MAX_SESSIONS) = %q", got)
	}
	all := envHelp(nil)
	if n := strings.Count(all, "\n  "); n != reflect.TypeFor[app.Config]().NumField()+1 {
		t.Errorf("envHelp(nil) lists %d variables, want every field and NO_COLOR:\n%s", n, all)
	}
	if !strings.HasSuffix(all, "  NO_COLOR                      set: no colors or styles in terminal output\n") {
		t.Errorf("envHelp(nil) ends without NO_COLOR:\n%s", all)
	}
}
