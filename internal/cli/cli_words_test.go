package cli

// What the binary prints to a person who got something wrong: one line in
// the words of the thing they set, no Go package name, nothing twice, and
// the terminal's words rather than the tools'.

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/internal/servertest"
)

// A listen address without a port is one line naming the setting, before
// any warning, with or without -demo.
func TestListenAddressErrorIsOneLine(t *testing.T) {
	for _, c := range []struct {
		env  []string
		args []string
		want string
	}{
		{[]string{"MCP_ADDR=garbage"}, []string{"-transport", "http"}, `instantly-status-mcp: MCP_ADDR must be host:port, such as 127.0.0.1:8080, got "garbage"` + "\n"},
		{[]string{"MCP_ADDR=garbage"}, []string{"-transport", "sse", "-demo"}, `instantly-status-mcp: MCP_ADDR must be host:port, such as 127.0.0.1:8080, got "garbage"` + "\n"},
		{nil, []string{"-transport", "http", "-addr", "garbage"}, `instantly-status-mcp: -addr must be host:port, such as 127.0.0.1:8080, got "garbage"` + "\n"},
	} {
		_, stderr, code := servertest.Exec(t, c.env, c.args...)
		if code != ExitUsage || stderr != c.want {
			t.Errorf("%v %v: exit %d, stderr %q, want %q", c.env, c.args, code, stderr, c.want)
		}
	}
}

// With -demo, a port in use is the one line too: the demo warning comes
// only once the listener is up, and then it does come.
func TestDemoWarningOnlyOnceListening(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	_, stderr, code := servertest.Exec(t, nil, "-demo", "-transport", "http", "-addr", addr)
	want := "instantly-status-mcp: cannot listen on " + addr + ": address already in use (set -addr or MCP_ADDR)\n"
	if code != ExitUsage || stderr != want {
		t.Errorf("port in use with -demo: exit %d, stderr %q, want %q", code, stderr, want)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, "-demo", "-transport", "http", "-addr", "127.0.0.1:0")
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	var warned bool
	for sc := bufio.NewScanner(pipe); sc.Scan(); {
		line := sc.Text()
		if strings.Contains(line, "DEMO MODE") {
			warned = true
		}
		if strings.Contains(line, "MCP HTTP server listening") {
			break
		}
	}
	if !warned {
		t.Error("a demo server that is up did not say it serves made-up data")
	}
}

// -log-level and LOG_LEVEL: the same words for the same mistake; -h names
// the flag's value as what it is.
func TestLogLevelWordedAlike(t *testing.T) {
	const words = `must be debug, info, warn or error, got "loud"`
	_, flagErr, code1 := servertest.Exec(t, nil, "-log-level", "loud")
	_, envErr, code2 := servertest.Exec(t, []string{"LOG_LEVEL=loud"})
	if code1 != ExitUsage || code2 != ExitUsage ||
		!strings.HasPrefix(flagErr, "instantly-status-mcp: -log-level "+words) ||
		!strings.HasPrefix(envErr, "instantly-status-mcp: LOG_LEVEL "+words) {
		t.Errorf("-log-level loud: exit %d, %q\nLOG_LEVEL=loud: exit %d, %q", code1, flagErr, code2, envErr)
	}
	help, _, _ := servertest.Exec(t, nil, "-h")
	if !strings.Contains(help, "\n  -log-level level ") || strings.Contains(help, " value ") {
		t.Errorf("-h names -log-level's value vaguely:\n%s", help)
	}
}

// `version -h` is the command's usage, as for every command; `version`
// alone is the version.
func TestVersionHelp(t *testing.T) {
	for _, args := range [][]string{{"version", "-h"}, {"help", "version"}} {
		out, stderr, code := servertest.Exec(t, nil, args...)
		if code != ExitOK || stderr != "" || !strings.HasPrefix(out, "usage: instantly-status-mcp version\n") || strings.Contains(out, "commit:") {
			t.Errorf("%v: exit %d, stderr %q, stdout %q", args, code, stderr, out)
		}
	}
	if out, _, code := servertest.Exec(t, nil, "version"); code != ExitOK || !strings.HasPrefix(out, "instantly-status-mcp ") || !strings.Contains(out, "\ncommit: ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
	if _, stderr, code := servertest.Exec(t, nil, "version", "extra"); code != ExitUsage ||
		stderr != "instantly-status-mcp version: unexpected argument \"extra\" (see instantly-status-mcp version -h)\n" {
		t.Errorf("version extra: exit %d, %q", code, stderr)
	}
}

// An id the workspace does not have: the terminal's way to find a
// campaign, not a tool's.
func TestUnknownIDInTheTerminalsWords(t *testing.T) {
	_, stderr, code := servertest.Exec(t, nil, "diagnose", "-demo", "019a0000-0000-7000-8000-0000000000ff")
	if code != ExitError || !strings.Contains(stderr, "(404)") ||
		!strings.Contains(stderr, "`instantly-status-mcp overview -status all` lists the workspace's campaigns; diagnose also takes a campaign's name") ||
		strings.Contains(stderr, "list_campaigns") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// A setting is described in the same words by -h (the binary's), the
// configuration reference (docs/configuration.md) and server.json.
func TestSettingDescribedAlike(t *testing.T) {
	help, _, _ := servertest.Exec(t, nil, "-h")
	reference, err := os.ReadFile("docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	registry, err := os.ReadFile("server.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"INSTANTLY_TIMEOUT"} {
		words := envDoc[name]
		if !strings.Contains(help, fmt.Sprintf("  %-29s %s", name, words)) {
			t.Errorf("-h does not describe %s as %q:\n%s", name, words, help)
		}
		sentence := strings.ToUpper(words[:1]) + words[1:] + "."
		row := regexp.MustCompile("(?m)^\\| `" + name + "` \\| [^|]* \\| (.*) \\|$").FindStringSubmatch(string(reference))
		if row == nil || row[1] != sentence {
			t.Errorf("docs/configuration.md describes %s as %q, -h as %q", name, row, words)
		}
		if !strings.Contains(string(registry), `"description": "`+sentence+`"`) {
			t.Errorf("server.json does not describe %s as %q", name, sentence)
		}
	}
}
