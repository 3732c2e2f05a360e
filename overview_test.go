package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

func runOverviewCmd(t *testing.T, environ map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"overview"}, args...), environ, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// The demo workspace has active campaigns that need action: exit 4 with
// -exit-code (0 without: the overview was obtained), and the report lists
// them first, after the counts.
func TestOverviewDemo(t *testing.T) {
	if code, _, errs := runOverviewCmd(t, nil, "-demo", "-exit-code"); code != exitActionRequired {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitActionRequired, errs)
	}
	code, out, errs := runOverviewCmd(t, nil, "-demo")
	if code != exitOK {
		t.Fatalf("exit %d without -exit-code, want 0; stderr:\n%s", code, errs)
	}
	for _, w := range []string{
		"## Sending overview: 14 of 14 active campaigns checked",
		"**3 not sending (action required)** · 2 unknown / no data · 6 waiting (normal pacing) · 3 sending",
		"### Not sending: action required (3)",
		"`no_accounts_available`",
		"### Sending (3)",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if strings.Index(out, "action required (3)") > strings.Index(out, "### Waiting") {
		t.Errorf("action required is not listed first:\n%s", out)
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
		{"all sending", []string{"-search", "Q1 Agency Outreach"}, exitOK},
		{"worst is waiting", []string{"-search", "Partner Program"}, exitWaiting},
		{"no data", []string{"-search", "Spring Launch 2026"}, exitUnknown},
		{"nothing matches", []string{"-search", "no such campaign"}, exitOK},
		// Capped by -max: not every campaign was checked, so it cannot
		// say "waiting" (the worst of the 5 it checked).
		{"capped, waiting", []string{"-status", "all", "-max", "5"}, exitUnknown},
		{"bad status", []string{"-status", "running"}, exitUsage},
		{"bad max", []string{"-max", "0"}, exitUsage},
		{"stray argument", []string{"Black Friday"}, exitUsage},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runOverviewCmd(t, nil, append([]string{"-demo", "-exit-code"}, c.args...)...)
			if code != c.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.want, out, errs)
			}
			// Without -exit-code an overview obtained exits 0; usage stays 2.
			code, _, _ = runOverviewCmd(t, nil, append([]string{"-demo"}, c.args...)...)
			if want := map[bool]int{true: exitUsage, false: exitOK}[c.want == exitUsage]; code != want {
				t.Fatalf("without -exit-code: exit %d, want %d", code, want)
			}
		})
	}
	code, _, errs := runOverviewCmd(t, map[string]string{})
	if code != exitError || !strings.Contains(errs, "INSTANTLY_API_KEY") {
		t.Fatalf("no key: exit %d, stderr %q", code, errs)
	}
}

func TestOverviewJSON(t *testing.T) {
	code, out, errs := runOverviewCmd(t, map[string]string{"INSTANTLY_DEMO": "true"}, "-json", "-status", "all", "-max", "5")
	if code != exitOK {
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
