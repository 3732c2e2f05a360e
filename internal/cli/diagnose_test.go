package cli

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

// fakeWorkspace serves the demo workspace plus the campaigns given (each with the
// healthy demo campaign's sending status), and returns the environment that
// points diagnose at it.
func fakeWorkspace(t *testing.T, extra ...instantly.Campaign) map[string]string {
	t.Helper()
	ws := instantlytest.DemoWorkspace(time.Now())
	body, ok := ws.SendingStatus(instantlytest.DemoID(instantly.StatusHealthy))
	if !ok {
		t.Fatal("no healthy demo campaign")
	}
	for _, c := range extra {
		ws.AddCampaign(c, body)
	}
	fake := instantlytest.NewServer(ws)
	t.Cleanup(fake.Close)
	return map[string]string{"INSTANTLY_API_KEY": "sk_test_key_0000", "INSTANTLY_BASE_URL": fake.URL, "INSTANTLY_TIMEOUT": "5s"}
}

// A name: an exact (case-insensitive) match wins over names that contain it;
// several matches are listed with their ids, status and name, then exit 1
// (6 with -exit-code); none is one line; more than a page says so.
func TestDiagnoseNameResolutionExact(t *testing.T) {
	q1 := "019a6d64-37ed-7247-b88f-20dcba6074fb" // "Q1 Agency Outreach"
	env := fakeWorkspace(t, instantly.Campaign{ID: "019f0000-0000-7000-8000-0000000000a1", Name: "Q1 Agency Outreach (copy)", Status: instantly.CampaignStatusActive})

	out, stderr, code := runCmd(t, env, "diagnose", "-cross-check=false", "  q1 agency OUTREACH ")
	if code != ExitOK || stderr != "" || !strings.Contains(out, q1) || strings.Contains(out, "0000000000a1") {
		t.Errorf("exact name among two matches: exit %d, stderr %q, out:\n%s", code, stderr, out)
	}

	wantList := `"2026" matches 3 campaigns; run diagnose with one of these ids:
  019a0000-0000-7000-8000-000000000001  active                Black Friday 2026 – SaaS founders
  019c016d-3b04-7431-a68a-53952c89b170  running_subsequences  SaaStr 2026 – Conference follow-up
  019d0498-cc42-7070-9d33-e6685c9983c5  active                Spring Launch 2026 – Sales ops managers
`
	out, stderr, code = runCmd(t, nil, "diagnose", "-demo", "2026")
	if code != ExitError || out != wantList ||
		stderr != "diagnose: the name matched several campaigns (listed above): run diagnose with one of their ids\n" {
		t.Errorf("ambiguous name: exit %d, stderr %q, out:\n%s", code, stderr, out)
	}
	out, stderr, code = runCmd(t, nil, "diagnose", "-demo", "-exit-code", "2026")
	if code != ExitAmbiguous || out != wantList || stderr != "" {
		t.Errorf("ambiguous name, -exit-code: exit %d, stderr %q, out:\n%s", code, stderr, out)
	}

	for _, exitCode := range [][]string{nil, {"-exit-code"}} {
		out, stderr, code = runCmd(t, nil, append(append([]string{"diagnose", "-demo"}, exitCode...), "no such campaign at all")...)
		if code != ExitError || out != "" ||
			stderr != "diagnose: no campaign named like \"no such campaign at all\" in this workspace (give its id, or check the name)\n" {
			t.Errorf("unknown name %v: exit %d, stdout %q, stderr %q", exitCode, code, out, stderr)
		}
	}

	// One campaign matching a substring is the one.
	out, stderr, code = runCmd(t, nil, "diagnose", "-demo", "-cross-check=false", "Product Hunt")
	if code != ExitOK || stderr != "" || !strings.Contains(out, "019b8f6b-460f-795d-b6f3-79a358fa0b1e") {
		t.Errorf("one substring match: exit %d, stderr %q, out:\n%s", code, stderr, out)
	}

	// 101 matches: the first page of 100, and the hint.
	var bulk []instantly.Campaign
	for i := range 101 {
		bulk = append(bulk, instantly.Campaign{ID: fmt.Sprintf("019f0000-0000-7000-8000-%012d", i+1), Name: fmt.Sprintf("Bulk %03d", i), Status: instantly.CampaignStatusPaused})
	}
	out, stderr, code = runCmd(t, fakeWorkspace(t, bulk...), "diagnose", "-exit-code", "bulk")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != ExitAmbiguous || stderr != "" || len(lines) != 101 ||
		lines[0] != `"bulk" matches 100 campaigns (showing the first 100); run diagnose with one of these ids:` ||
		lines[1] != "  019f0000-0000-7000-8000-000000000001  paused                Bulk 000" {
		t.Errorf("101 matches: exit %d, stderr %q, %d lines, first: %q / %q", code, stderr, len(lines), lines[0], lines[min(1, len(lines)-1)])
	}
}

// The command's own refusals, each exactly.
func TestDiagnoseRefusalsExact(t *testing.T) {
	first := instantlytest.DemoCampaigns[0].ID
	for _, c := range []struct {
		env  map[string]string
		args []string
		code int
		want string
	}{
		{nil, []string{"diagnose"}, ExitUsage, "diagnose: expected one campaign id, app URL or name, got 0 arguments (see diagnose -h)\n"},
		{nil, []string{"diagnose", "-demo", first, "extra"}, ExitUsage, "diagnose: expected one campaign id, app URL or name, got 2 arguments (see diagnose -h)\n"},
		{map[string]string{}, []string{"diagnose", first}, ExitError, "diagnose: INSTANTLY_API_KEY is not set (or try the demo: diagnose -demo " + first + ")\n"},
		{map[string]string{"INSTANTLY_TIMEOUT": "0s"}, []string{"diagnose", "-demo", first}, ExitUsage, "diagnose: INSTANTLY_TIMEOUT must be a duration between 1ms and 10m, such as 30s, got 0s\n"},
		{map[string]string{"INSTANTLY_DEMO": "maybe"}, []string{"diagnose", first}, ExitUsage, "diagnose: INSTANTLY_DEMO must be true or false, got \"maybe\"\n"},
		{nil, []string{"diagnose", "-demo", "-max", "3", first}, ExitUsage, "instantly-status-mcp diagnose: unknown flag -max (see instantly-status-mcp diagnose -h)\n"},
	} {
		out, stderr, code := runCmd(t, c.env, c.args...)
		if code != c.code || stderr != c.want || out != "" {
			t.Errorf("%v %v: exit %d, stdout %q, stderr %q; want %d %q", c.env, c.args, code, out, stderr, c.code, c.want)
		}
	}
	// With the key, diagnose asks Instantly (with it) and prints the answer.
	out, stderr, code := runCmd(t, fakeWorkspace(t), "diagnose", "-cross-check=false", instantlytest.DemoID(instantly.StatusHealthy))
	if code != ExitOK || stderr != "" || !strings.Contains(out, ": sending\n\n**Sending normally.**") {
		t.Errorf("with a key: exit %d, stderr %q, out:\n%s", code, stderr, out)
	}
}
