package e2etest

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/app"
	"github.com/instantly-status/instantly-status-mcp/internal/cli"
)

// The container image without a container engine: the built binary run as
// the Dockerfile's ENTRYPOINT with exactly its ENV (only MCP_ADDR's port made
// free, and the fake Instantly's URL added), probed by its HEALTHCHECK
// command, then used by an MCP client over streamable HTTP with a
// per-request key. CI has no engine that can run images (see the notes in
// .ci/run), so this is where the image's configuration is exercised.
func TestContainerEntrypointAndEnvironment(t *testing.T) {
	df := readDockerfile(t)
	fake := instantlytest.NewServer(instantlytest.DemoWorkspace(time.Now()))
	defer fake.Close()
	_, port, _ := net.SplitHostPort(freeAddr(t))
	host, _, err := net.SplitHostPort(df.env["MCP_ADDR"])
	if err != nil {
		t.Fatal(err)
	}
	var env []string
	for k, v := range df.env {
		if k == "MCP_ADDR" {
			v = net.JoinHostPort(host, port)
		}
		env = append(env, k+"="+v)
	}
	env = append(env, "INSTANTLY_BASE_URL="+fake.URL, "LOG_LEVEL=warn")

	cmd := exec.Command(binPath, df.entrypoint[1:]...)
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })

	healthcheck := func() (string, error) {
		hc := exec.Command(binPath, df.healthcheck[1:]...)
		hc.Env = env
		out, err := hc.CombinedOutput()
		return string(out), err
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		out, err := healthcheck()
		if err == nil {
			if !strings.Contains(out, "healthy: http://127.0.0.1:"+port+"/healthz") {
				t.Fatalf("healthcheck output %q", out)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("HEALTHCHECK never passed: %v %s\nserver stderr:\n%s", err, out, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	key := "client-key-container-0001"
	c, err := client.NewStreamableHttpClient("http://127.0.0.1:"+port+"/mcp",
		transport.WithHTTPHeaders(map[string]string{"X-Instantly-Api-Key": key}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := startClient(t, c, "container-test")
	req := mcp.CallToolRequest{}
	req.Params.Name = "get_campaign_sending_status"
	req.Params.Arguments = map[string]any{"id": instantlytest.DemoID(instantly.StatusAccountDailyLimitMet)}
	res, err := c.CallTool(ctx, req)
	if err != nil || res.IsError || !strings.Contains(fmt.Sprint(res.Content), "Black Friday 2026 – SaaS founders: waiting, nothing to fix") {
		t.Fatalf("tools/call: %v %+v", err, res)
	}
	reqs := fake.Handler.Requests()
	if last := reqs[len(reqs)-1]; last.APIKey != key {
		t.Fatalf("upstream got key %q, want the request's own", last.APIKey)
	}

	_ = cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
	}
	if out, err := healthcheck(); err == nil {
		t.Fatalf("healthcheck passed with the server stopped: %s", out)
	}
}

// The image's environment plus a server key and no access token: the server
// refuses the public bind, as it must.
func TestContainerEnvironmentRefusesKeyWithoutToken(t *testing.T) {
	df := readDockerfile(t)
	env := map[string]string{"INSTANTLY_API_KEY": "sk_live_secret_value_123"}
	for k, v := range df.env {
		env[k] = v
	}
	_, stderr, code := runCmd(t, env)
	if code != cli.ExitUsage || !strings.Contains(stderr, "MCP_AUTH_TOKEN") || strings.Contains(stderr, "sk_live_secret_value_123") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
}

func TestHealthcheck(t *testing.T) {
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(`{"status":"ok"}`))
	}))
	defer ok.Close()
	sick := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer sick.Close()
	_, okPort, _ := net.SplitHostPort(strings.TrimPrefix(ok.URL, "http://"))
	closed := freeAddr(t)

	cases := []struct {
		name string
		env  map[string]string
		args []string
		code int
		out  string
	}{
		{"flag", nil, []string{"-addr", strings.TrimPrefix(ok.URL, "http://")}, cli.ExitOK, "healthy: " + ok.URL + "/healthz"},
		{"MCP_ADDR on every interface probes loopback", map[string]string{"MCP_ADDR": "0.0.0.0:" + okPort}, nil, cli.ExitOK, "healthy: http://127.0.0.1:" + okPort},
		{"MCP_ADDR without host", map[string]string{"MCP_ADDR": ":" + okPort}, nil, cli.ExitOK, "healthy: http://127.0.0.1:" + okPort},
		{"503", nil, []string{"-addr", strings.TrimPrefix(sick.URL, "http://")}, cli.ExitError, "status 503"},
		{"nothing listening", nil, []string{"-addr", closed}, cli.ExitError, "connection refused"},
		{"bad address", map[string]string{"MCP_ADDR": "localhost"}, nil, cli.ExitUsage, "host:port"},
		{"stray argument", nil, []string{"now"}, cli.ExitUsage, "no arguments"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// A proxy in the environment must not be used for the probe.
			t.Setenv("HTTP_PROXY", "http://127.0.0.1:1")
			stdout, stderr, code := runCmd(t, c.env, append([]string{"healthcheck"}, c.args...)...)
			if code != c.code || !strings.Contains(stdout+stderr, c.out) {
				t.Fatalf("exit %d (want %d), stdout %q, stderr %q (want %q)", code, c.code, stdout, stderr, c.out)
			}
		})
	}
}

func TestVersionOutput(t *testing.T) {
	out, _, code := runCmd(t, nil, "version")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != cli.ExitOK || len(lines) != 4 || !strings.HasPrefix(lines[0], "instantly-status-mcp ") ||
		!strings.HasPrefix(lines[3], "go:     go1.") {
		t.Fatalf("version: exit %d\n%s", code, out)
	}
	// What -ldflags -X stamps wins over the toolchain's build info.
	defer app.Stamp("", "", "")
	app.Stamp("0.9.1", "0123456789abcdef", "2026-11-30T05:00:00Z")
	out, _, _ = runCmd(t, nil, "-version")
	want := "instantly-status-mcp 0.9.1\ncommit: 0123456789abcdef\nbuilt:  2026-11-30T05:00:00Z\n"
	if !strings.HasPrefix(out, want) {
		t.Fatalf("stamped version output:\n%s\nwant prefix:\n%s", out, want)
	}
	if app.BuildVersion() != "0.9.1" {
		t.Fatalf("app.BuildVersion %q", app.BuildVersion())
	}
}
