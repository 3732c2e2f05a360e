package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// healthcheck's own refusals and answers, exactly.
func TestHealthcheckExact(t *testing.T) {
	notOK := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"status":"starting"}`))
	}))
	defer notOK.Close()
	addr := strings.TrimPrefix(notOK.URL, "http://")
	for _, c := range []struct {
		args         []string
		code         int
		stdout, want string
	}{
		{[]string{"-timeout", "0s"}, ExitUsage, "", "healthcheck: takes no arguments and a positive -timeout (run with -h)\n"},
		{[]string{"-timeout", "-1s"}, ExitUsage, "", "healthcheck: takes no arguments and a positive -timeout (run with -h)\n"},
		{[]string{"-addr", "h:"}, ExitUsage, "", "healthcheck: MCP_ADDR / -addr must be host:port such as 0.0.0.0:8080 (got \"h:\")\n"},
		{[]string{"-addr", addr, "-timeout", "5s"}, ExitError, "", "healthcheck: " + notOK.URL + "/healthz: unexpected body \"{\\\"status\\\":\\\"starting\\\"}\"\n"},
	} {
		out, stderr, code := runCmd(t, nil, append([]string{"healthcheck"}, c.args...)...)
		if code != c.code || out != c.stdout || stderr != c.want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %d %q", c.args, code, out, stderr, c.code, c.want)
		}
	}
	if _, _, code := runCmd(t, nil, "healthcheck", "-h"); code != ExitOK {
		t.Errorf("healthcheck -h: exit %d", code)
	}
	if _, stderr, code := runCmd(t, nil, "healthcheck", "-bogus"); code != ExitUsage ||
		stderr != "instantly-status-mcp healthcheck: unknown flag -bogus (see instantly-status-mcp healthcheck -h)\n" {
		t.Errorf("healthcheck -bogus: exit %d, stderr %q", code, stderr)
	}
	if _, stderr, code := runCmd(t, nil, "healthcheck", "stray"); code != ExitUsage ||
		stderr != "healthcheck: takes no arguments and a positive -timeout (run with -h)\n" {
		t.Errorf("healthcheck stray: exit %d, stderr %q", code, stderr)
	}
	for addr, want := range map[string]string{
		"0.0.0.0:80": "http://127.0.0.1:80/healthz", ":81": "http://127.0.0.1:81/healthz", "[::]:82": "http://[::1]:82/healthz",
		"10.0.0.1:83": "http://10.0.0.1:83/healthz", "[fe80::1]:84": "http://[fe80::1]:84/healthz",
	} {
		if got, err := healthURL(addr); got != want || err != nil {
			t.Errorf("healthURL(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
}
