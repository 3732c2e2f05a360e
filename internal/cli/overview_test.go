package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

func runOverviewCmd(t *testing.T, environ map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), append([]string{"overview"}, args...), environ, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// By default the built binary checks every demo campaign meant to be
// sending, the paused ones too (by Instantly, grouped first, and by a
// person), one line each: exit 4 with -exit-code (0 without: the overview
// was obtained). Drafts and completed campaigns are left out.
func TestOverviewDemo(t *testing.T) {
	cmd := exec.Command(binPath, "overview", "-demo", "-exit-code")
	cmd.Env = append(os.Environ(), "INSTANTLY_API_KEY=", "INSTANTLY_DEMO=")
	if err := cmd.Run(); cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != ExitActionRequired {
		t.Fatalf("binary: %v, want exit %d", err, ExitActionRequired)
	}
	cmd = exec.Command(binPath, "overview", "-demo")
	cmd.Env = append(os.Environ(), "INSTANTLY_API_KEY=", "INSTANTLY_DEMO=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("binary without -exit-code: %v; stderr:\n%s", err, stderr.String())
	}
	out, errs := stdout.String(), stderr.String()
	for _, w := range []string{
		"## Sending overview: checked 20 of 20 campaigns meant to be sending (all but drafts and completed)\n",
		"**8 not sending (action required)**, of them 4 paused by Instantly and 1 paused by a person or through the API · " +
			"2 unknown / no data · 6 waiting (normal pacing) · 4 sending\n",
		"### Paused by Instantly (4)\n",
		"- **Real estate brokers (US) – Cold outreach** (`019c32e2-6682-7403-92d6-d67a6a5026e6`, bounce protect): Paused by bounce protect",
		"(`019c9c62-73dc-786b-a2ef-da73e4cd074a`, account suspended): ",
		"### Not sending: action required (3)\n",
		"### Paused by a person or through the API (1)\n- **Product Hunt Launch – Early adopters** (`019b8f6b-460f-795d-b6f3-79a358fa0b1e`): Campaign is paused",
		"- **Acme Corp – ICP test (new client)** (`019ccc49-82b9-7d98-8d0e-c401753d78ec`): No sending account available; ",
		"### Sending (4)\n",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	for _, w := range []string{"Holiday Promo 2025", "Case Study Drip", "`no_accounts_available`"} {
		if strings.Contains(out, w) {
			t.Errorf("output has %q (a draft, a completed campaign, or a code in place of words):\n%s", w, out)
		}
	}
	order := []string{"### Paused by Instantly", "### Not sending: action required", "### Paused by a person", "### Waiting", "### Sending"}
	for i := 1; i < len(order); i++ {
		if strings.Index(out, order[i-1]) > strings.Index(out, order[i]) {
			t.Errorf("%q is not listed before %q:\n%s", order[i-1], order[i], out)
		}
	}
	if errs != "" {
		t.Errorf("stderr: %s", errs)
	}
}

func TestOverviewExitCodes(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want int
	}{
		{"all sending", []string{"-search", "Q1 Agency Outreach"}, ExitOK},
		{"worst is waiting", []string{"-search", "Partner Program"}, ExitWaiting},
		{"no data", []string{"-search", "Spring Launch 2026"}, ExitUnknown},
		{"nothing matches", []string{"-search", "no such campaign"}, ExitOK},
		// Capped by -max: not every campaign was checked, so it cannot
		// say "waiting" (the worst of the 5 it checked).
		{"capped, waiting", []string{"-status", "all", "-max", "5"}, ExitUnknown},
		{"bad status", []string{"-status", "running"}, ExitUsage},
		{"bad max", []string{"-max", "0"}, ExitUsage},
		{"stray argument", []string{"Black Friday"}, ExitUsage},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runOverviewCmd(t, nil, append([]string{"-demo", "-exit-code"}, c.args...)...)
			if code != c.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.want, out, errs)
			}
			// Without -exit-code an overview obtained exits 0; usage stays 2.
			code, _, _ = runOverviewCmd(t, nil, append([]string{"-demo"}, c.args...)...)
			if want := map[bool]int{true: ExitUsage, false: ExitOK}[c.want == ExitUsage]; code != want {
				t.Fatalf("without -exit-code: exit %d, want %d", code, want)
			}
		})
	}
	code, _, errs := runOverviewCmd(t, map[string]string{})
	if code != ExitError || !strings.Contains(errs, "INSTANTLY_API_KEY") {
		t.Fatalf("no key: exit %d, stderr %q", code, errs)
	}
}

func TestOverviewJSON(t *testing.T) {
	code, out, errs := runOverviewCmd(t, map[string]string{"INSTANTLY_DEMO": "true"}, "-json", "-status", "all", "-max", "5")
	if code != ExitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errs)
	}
	var ov diagnosis.Overview
	if err := json.Unmarshal([]byte(out), &ov); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if ov.Checked != 5 || !ov.Capped || ov.Matched <= 5 || ov.Filter.Status != "all" || len(ov.Notes) != 1 ||
		!strings.Contains(ov.Notes[0], "raise -max") {
		t.Fatalf("overview %+v", ov)
	}
}
