package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	neturl "net/url"
	"strings"
	"time"

	"github.com/instantly-status/instantly-status-mcp/internal/stdx"
)

const healthcheckUsage = `usage: instantly-status-mcp healthcheck [-addr host:port] [-timeout 3s]

Asks the HTTP server at -addr (default: MCP_ADDR, else 127.0.0.1:8080) for
GET /healthz and exits 0 when it answers 200 {"status":"ok"}, 1 otherwise.
Made for container HEALTHCHECKs: distroless images have no curl. An address
that listens on every interface (0.0.0.0, [::]) is probed on loopback.

`

// runHealthcheck is the `healthcheck` command.
func runHealthcheck(ctx context.Context, args []string, environ map[string]string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	def := environ["MCP_ADDR"]
	if def == "" {
		def = "127.0.0.1:8080"
	}
	addr := fs.String("addr", def, "host:port of the server (default: MCP_ADDR)")
	timeout := fs.Duration("timeout", 3*time.Second, "give up after this long")
	// -h on stdout and a bad flag in one line, as every other command.
	usage := func(w io.Writer) { fmt.Fprint(w, healthcheckUsage); flagList(w, fs) }
	pos, code, done := parseFlags(fs, args, "instantly-status-mcp healthcheck", usage, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 0 || *timeout <= 0 {
		fmt.Fprintln(stderr, "healthcheck: takes no arguments and a positive -timeout (run with -h)")
		return ExitUsage
	}
	url, err := healthURL(*addr)
	if err != nil {
		fmt.Fprintf(stderr, "healthcheck: %v\n", err)
		return ExitUsage
	}
	if err := probeHealth(ctx, url, *timeout); err != nil {
		fmt.Fprintf(stderr, "healthcheck: %s: %v\n", url, err)
		return ExitError
	}
	fmt.Fprintf(stdout, "healthy: %s\n", url)
	return ExitOK
}

// healthURL turns a listen address into the URL to probe: an unspecified
// host (0.0.0.0, ::, or none) becomes loopback of the same family.
func healthURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return "", fmt.Errorf("MCP_ADDR / -addr must be host:port such as 0.0.0.0:8080 (got %q)", stdx.Truncate(addr, 60))
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}

func probeHealth(ctx context.Context, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	// Straight to the server: no proxy from the environment, no redirects.
	c := &http.Client{
		Transport:     &http.Transport{Proxy: nil, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := c.Do(req)
	if err != nil {
		if ue, ok := errors.AsType[*neturl.Error](err); ok {
			return ue.Err
		}
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if !strings.Contains(string(body), `"ok"`) {
		return fmt.Errorf("unexpected body %q", stdx.Truncate(string(body), 80))
	}
	return nil
}
