package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
	"github.com/instantly-status/instantly-status-mcp/internal/servertest"
)

// binPath is the server built once for the tests that run it as a process,
// the way an MCP client does.
var binPath string

func TestMain(m *testing.M) {
	flag.Parse()
	// A fuzz worker runs only fuzz targets, which never start the binary:
	// building it in every worker would only slow the fuzzer down.
	if f := flag.Lookup("test.fuzzworker"); f != nil && f.Value.String() == "true" {
		os.Exit(m.Run())
	}
	// Built as the README says: one static binary (CGO_ENABLED=0). The
	// tests read the files that ship (README.md, manifest.json…) from the
	// module's root.
	cleanup, err := servertest.Build(false)
	if err == nil {
		err = servertest.ChdirModuleRoot()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = servertest.Binary
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// runCmd runs the command in-process with the given environment.
func runCmd(t *testing.T, environ map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, environ, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func TestConfigErrorsExitWithOneLine(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"INSTANTLY_TIMEOUT": "soon"}, nil, "INSTANTLY_TIMEOUT"},
		{map[string]string{"INSTANTLY_TIMEOUT": "-5s"}, nil, "INSTANTLY_TIMEOUT"},
		{map[string]string{"INSTANTLY_BASE_URL": "ftp://x"}, nil, "INSTANTLY_BASE_URL"},
		{map[string]string{"LOG_LEVEL": "loud"}, nil, "LOG_LEVEL"},
		{map[string]string{"LOG_LEVEL": strings.Repeat("x", 20000) + "\nsecond line"}, nil, "LOG_LEVEL"},
		{map[string]string{"MCP_TRANSPORT": "carrier-pigeon"}, nil, "MCP_TRANSPORT must be stdio, http or sse"},
		{nil, []string{"-transport", "tcp"}, "-transport must be stdio, http or sse"},
		{nil, []string{"stray-argument"}, "unexpected argument"},
		{map[string]string{"INSTANTLY_TIMEOUT": "soon"}, []string{"diagnose", "-demo", instantlytest.DemoID("healthy")}, "INSTANTLY_TIMEOUT"},
	}
	for _, c := range cases {
		t.Run(c.want+fmt.Sprint(c.args), func(t *testing.T) {
			env := map[string]string{"INSTANTLY_API_KEY": "sk_live_secret_value_123"}
			for k, v := range c.env {
				env[k] = v
			}
			_, stderr, code := runCmd(t, env, c.args...)
			if code != ExitUsage {
				t.Fatalf("exit %d, want %d; stderr: %s", code, ExitUsage, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if len(lines) != 1 || len(stderr) > 400 || !strings.Contains(stderr, c.want) {
				t.Fatalf("want one line naming %s, got:\n%s", c.want, stderr)
			}
			if strings.Contains(stderr, "sk_live_secret_value_123") {
				t.Fatal("key leaked")
			}
		})
	}
}

func TestVersion(t *testing.T) {
	out, _, code := runCmd(t, nil, "-version")
	if code != 0 || strings.TrimSpace(out) == "" {
		t.Fatalf("-version: exit %d, %q", code, out)
	}
}

// diagnose on every demo campaign prints the right status and exits with the
// documented code for its severity.
func TestDiagnoseEveryDemoCampaign(t *testing.T) {
	for _, d := range instantlytest.DemoCampaigns {
		t.Run(d.ID, func(t *testing.T) {
			args := []string{"diagnose", "-demo", "-exit-code"}
			if d.Kind == instantlytest.KindSubsequence {
				args = append(args, "-subsequence")
			}
			out, stderr, code := runCmd(t, nil, append(args, d.ID)...)
			want := ExitUnknown
			if e, ok := catalog.Lookup(d.Code); ok {
				want = severityExit(e.Severity)
			}
			if code != want {
				t.Fatalf("exit %d, want %d; stderr: %s", code, want, stderr)
			}
			// The state in words on the first line; the code itself stays
			// in -json's structured result.
			first, _, _ := strings.Cut(out, "\n")
			states := map[int]string{ExitOK: "sending", ExitWaiting: ": waiting, nothing to fix", ExitActionRequired: ": not sending, action required", ExitUnknown: ": "}
			if !strings.HasPrefix(first, "## ") || !strings.Contains(first, states[want]) || !strings.Contains(out, d.ID) {
				t.Fatalf("first line %q does not give the state of %s:\n%s", first, d.Code, out)
			}
			if stderr != "" {
				t.Fatalf("unexpected stderr: %s", stderr)
			}
		})
	}
}

func TestDiagnoseJSON(t *testing.T) {
	out, _, code := runCmd(t, nil, "diagnose", "-demo", "-json", "-ai-summary", "-exit-code", instantlytest.DemoID(instantly.StatusDailyLimitMet))
	if code != ExitWaiting {
		t.Fatalf("exit %d", code)
	}
	for _, w := range []string{`"diagnostics"`, `"analysis"`, `"severity": "waiting"`, `"ai_summary"`} {
		if !strings.Contains(out, w) {
			t.Fatalf("JSON lacks %s:\n%s", w, out)
		}
	}
}

func TestDiagnoseByName(t *testing.T) {
	out, stderr, code := runCmd(t, nil, "diagnose", "-demo", "-exit-code", "Product Hunt Launch")
	if code != ExitActionRequired || !strings.HasPrefix(out, "## Product Hunt Launch – Early adopters: not sending, action required") {
		t.Fatalf("exit %d, stderr %s, out:\n%s", code, stderr, out)
	}
	out, _, code = runCmd(t, nil, "diagnose", "-demo", "-exit-code", "2026")
	if code != ExitAmbiguous || strings.Count(out, "\n") < 3 {
		t.Fatalf("ambiguous name: exit %d, out:\n%s", code, out)
	}
	_, stderr, code = runCmd(t, nil, "diagnose", "-demo", "no such campaign at all")
	if code != ExitError || !strings.Contains(stderr, "no campaign named") {
		t.Fatalf("unknown name: exit %d, stderr %s", code, stderr)
	}
}

// Against an unreachable or failing Instantly, diagnose prints one clear line
// on stderr and exits non-zero, without the key.
func TestDiagnoseUpstreamFailures(t *testing.T) {
	const key = "sk_live_secret_value_123"
	fake := instantlytest.NewServer(instantlytest.DemoWorkspace(time.Now()), instantlytest.WithAPIKeys("other-key-000000"), instantlytest.WithEchoKeyIn401())
	defer fake.Close()
	failing := instantlytest.NewServer(instantlytest.DemoWorkspace(time.Now()))
	defer failing.Close()
	failing.Handler.SetFault("", instantlytest.Fault{Status: 503})

	cases := []struct {
		name, url, want string
	}{
		{"unreachable", "http://127.0.0.1:1", "reach Instantly"},
		{"401 echoing the key", fake.URL, "401"},
		{"503", failing.URL, "503"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{"INSTANTLY_API_KEY": key, "INSTANTLY_BASE_URL": c.url, "INSTANTLY_TIMEOUT": "5s"}
			out, stderr, code := runCmd(t, env, "diagnose", instantlytest.DemoID("healthy"))
			if code != ExitError {
				t.Fatalf("exit %d, want %d", code, ExitError)
			}
			if out != "" || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, c.want) {
				t.Fatalf("want one stderr line with %q; stdout %q stderr %q", c.want, out, stderr)
			}
			if strings.Contains(stderr, key) {
				t.Fatal("key leaked")
			}
		})
	}
	_, stderr, code := runCmd(t, map[string]string{}, "diagnose", instantlytest.DemoID("healthy"))
	if code != ExitError || !strings.Contains(stderr, "INSTANTLY_API_KEY") {
		t.Fatalf("no key: exit %d, %s", code, stderr)
	}
	_, stderr, code = runCmd(t, nil, "diagnose", "-demo", "-subsequence", "not-a-uuid")
	if code != ExitUsage || !strings.Contains(stderr, "UUID") {
		t.Fatalf("bad subsequence id: exit %d, %s", code, stderr)
	}
}

// A real MCP client starts the built binary over stdio, as Claude Desktop
// does, and gets a diagnosis; a failing call leaves the server serving;
// nothing but protocol reaches stdout and the key reaches neither stream.
func TestStdioProcess(t *testing.T) {
	const key = "sk_live_secret_value_123"
	fake := instantlytest.NewServer(instantlytest.DemoWorkspace(time.Now()))
	defer fake.Close()
	c, err := client.NewStdioMCPClient(binPath, []string{
		"INSTANTLY_API_KEY=" + key, "INSTANTLY_BASE_URL=" + fake.URL, "LOG_LEVEL=debug",
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "stdio-test", Version: "1"}
	ir, err := c.Initialize(ctx, init)
	if err != nil {
		t.Fatal(err)
	}
	if ir.ServerInfo.Name != "instantly-status-mcp" {
		t.Fatalf("server name %q", ir.ServerInfo.Name)
	}
	callTool := func(args map[string]any) *mcp.CallToolResult {
		req := mcp.CallToolRequest{}
		req.Params.Name = "get_campaign_sending_status"
		req.Params.Arguments = args
		res, err := c.CallTool(ctx, req)
		if err != nil {
			t.Fatalf("JSON-RPC error: %v", err)
		}
		return res
	}
	if res := callTool(map[string]any{"id": "nope"}); !res.IsError {
		t.Fatal("bad id accepted")
	}
	res := callTool(map[string]any{"id": instantlytest.DemoID(instantly.StatusOutOfSchedule), "cross_check": false})
	if res.IsError || !strings.Contains(res.Content[0].(mcp.TextContent).Text, "**Outside the sending schedule.**") {
		t.Fatalf("unexpected result: %+v", res)
	}
	if got := len(fake.Handler.Requests()); got != 1 {
		t.Fatalf("%d upstream requests, want 1 (the bad id must not reach Instantly)", got)
	}
}

// The top level: help for each command, an unknown one, a stray argument,
// -transport named when it is the flag that is wrong.
func TestTopLevelDispatchExact(t *testing.T) {
	for _, c := range []struct {
		args       []string
		code       int
		outPrefix  string
		stderrWant string
	}{
		{[]string{"help", "overview"}, ExitOK, "usage: instantly-status-mcp overview", ""},
		{[]string{"help", "diagnose"}, ExitOK, "usage: instantly-status-mcp diagnose", ""},
		{[]string{"help", "version"}, ExitOK, "usage: instantly-status-mcp version", ""},
		{[]string{"help", "help"}, ExitOK, "instantly-status-mcp explains why", ""},
		{[]string{"help"}, ExitOK, "instantly-status-mcp explains why", ""},
		{[]string{"help", "nope"}, ExitUsage, "", "instantly-status-mcp: no command \"nope\" (commands: diagnose, overview, version, healthcheck, help)\n"},
		{[]string{"stray"}, ExitUsage, "", "instantly-status-mcp: unexpected argument \"stray\" (commands: diagnose, overview, version, healthcheck, help; see -h)\n"},
		{[]string{"-transport", "tcp"}, ExitUsage, "", "instantly-status-mcp: -transport must be stdio, http or sse, got \"tcp\"\n"},
		{[]string{"-version"}, ExitOK, "instantly-status-mcp ", ""},
		{[]string{"version"}, ExitOK, "instantly-status-mcp ", ""},
	} {
		out, stderr, code := runCmd(t, map[string]string{"LOG_LEVEL": "error"}, c.args...)
		if code != c.code || stderr != c.stderrWant || !strings.HasPrefix(out, c.outPrefix) || (c.outPrefix == "" && c.code != ExitOK && out != "") {
			t.Errorf("%v: exit %d, stderr %q, stdout %.60q", c.args, code, stderr, out)
		}
	}
	// healthcheck's usage goes to stdout, as every command's (it went to
	// stderr, flag's default output).
	if out, stderr, code := runCmd(t, nil, "help", "healthcheck"); code != ExitOK || stderr != "" ||
		!strings.HasPrefix(out, "usage: instantly-status-mcp healthcheck [-addr host:port] [-timeout 3s]\n") ||
		!strings.Contains(out, "\n  -timeout duration    give up after this long (default 3s)\n") {
		t.Errorf("help healthcheck: exit %d, stdout %q, stderr %.80q", code, out, stderr)
	}
	if _, stderr, code := runCmd(t, map[string]string{"MCP_TRANSPORT": "tcp"}); code != ExitUsage ||
		stderr != "instantly-status-mcp: MCP_TRANSPORT must be stdio, http or sse, got \"tcp\"\n" {
		t.Errorf("MCP_TRANSPORT=tcp: exit %d, stderr %q", code, stderr)
	}
	// A configuration error with a flag given: the configuration's line.
	if _, stderr, code := runCmd(t, map[string]string{"INSTANTLY_TIMEOUT": "soon"}, "-demo"); code != ExitUsage ||
		stderr != "instantly-status-mcp: INSTANTLY_TIMEOUT must be a duration such as 30s or 2m, got \"soon\"\n" {
		t.Errorf("bad timeout: exit %d, stderr %q", code, stderr)
	}
}
