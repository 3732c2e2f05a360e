package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

// The model's words, which a person at a terminal cannot act on.
var modelWords = regexp.MustCompile(`get_campaign_sending_status|get_subsequence_sending_status|get_sending_overview|list_campaigns|with_ai_summary|max_campaigns|starting_after|narrow with search|\bcall (it|get|list)`)

// The CLI speaks commands and flags; the same analysis, not a copy.
func TestCLISpeaksCommandsNotTools(t *testing.T) {
	for _, d := range instantlytest.DemoCampaigns {
		args := []string{"diagnose", "-demo", "-ai-summary"}
		if d.Kind == instantlytest.KindSubsequence {
			args = append(args, "-subsequence")
		}
		out, _, _ := runCmd(t, nil, append(args, d.ID)...)
		if m := modelWords.FindString(out); m != "" {
			t.Errorf("diagnose %s says %q:\n%s", d.ID, m, out)
		}
	}
	for _, args := range [][]string{{"overview", "-demo"}, {"overview", "-demo", "-status", "all", "-max", "3"}} {
		out, _, _ := runCmd(t, nil, args...)
		if m := modelWords.FindString(out); m != "" {
			t.Errorf("%v says %q:\n%s", args, m, out)
		}
		if len(args) == 2 && !strings.Contains(out, "instantly-status-mcp diagnose <id>") {
			t.Errorf("%v does not say how to diagnose one:\n%s", args, out)
		}
	}
	out, _, _ := runCmd(t, nil, "overview", "-demo", "-status", "all", "-max", "3")
	if !strings.Contains(out, "raise -max") || !strings.Contains(out, "narrow with -search") {
		t.Errorf("capped overview does not name the flags:\n%s", out)
	}
}

// runTTY runs with stdout and stderr taken for terminals.
func runTTY(t *testing.T, environ map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	old := isTerminal
	isTerminal = func(w io.Writer) bool { return w == &out || w == &errb }
	defer func() { isTerminal = old }()
	code = Run(context.Background(), args, environ, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

// On a terminal: no raw markdown marks; styled unless NO_COLOR; piped: the
// markdown as is.
func TestTerminalRendering(t *testing.T) {
	id := instantlytest.DemoCampaigns[0].ID
	marks := regexp.MustCompile("(?m)^#|\\*\\*|`|^_")

	styled, _, code := runTTY(t, nil, "diagnose", "-demo", id)
	if code != ExitOK || marks.MatchString(styled) || !strings.Contains(styled, "\x1b[1m") || !strings.Contains(styled, "Black Friday 2026") {
		t.Errorf("terminal: exit %d:\n%s", code, styled)
	}
	plain, _, _ := runTTY(t, map[string]string{"NO_COLOR": "1"}, "diagnose", "-demo", id)
	if marks.MatchString(plain) || strings.Contains(plain, "\x1b") || !strings.Contains(plain, "Black Friday 2026 – SaaS founders: waiting, nothing to fix") {
		t.Errorf("NO_COLOR:\n%s", plain)
	}
	for _, want := range []string{"  • "} {
		if !strings.Contains(plain, want) {
			t.Errorf("NO_COLOR output lacks %q:\n%s", want, plain)
		}
	}
	piped, _, _ := runCmd(t, nil, "diagnose", "-demo", id)
	if !strings.HasPrefix(piped, "## Black Friday 2026 – SaaS founders: waiting, nothing to fix\n") || strings.Contains(piped, "\x1b") {
		t.Errorf("piped:\n%s", piped)
	}
	// -json is never styled.
	js, _, _ := runTTY(t, nil, "diagnose", "-demo", "-json", id)
	if !strings.HasPrefix(js, "{") || strings.Contains(js, "\x1b") {
		t.Errorf("-json on a terminal:\n%.200s", js)
	}

	// overview: progress on a terminal's stderr, erased at the end; none
	// when stderr is not a terminal.
	_, stderr, _ := runTTY(t, map[string]string{"NO_COLOR": "1"}, "overview", "-demo", "-status", "all", "-max", "12")
	if !strings.Contains(stderr, "overview: checked 12 of 12 campaigns (at most -max 12)") || !strings.HasSuffix(stderr, "\r\x1b[K") {
		t.Errorf("progress: %q", stderr)
	}
	if _, stderr, _ := runCmd(t, nil, "overview", "-demo"); stderr != "" {
		t.Errorf("progress when stderr is not a terminal: %q", stderr)
	}
}

// overview's progress line on a terminal counts the campaigns that failed
// too: "checked 14 of 14 campaigns, 1 failed", and says nothing of failures
// while there are none.
func TestOverviewProgressCountsFailures(t *testing.T) {
	fake := instantlytest.NewServer(instantlytest.DemoWorkspace(time.Now()))
	defer fake.Close()
	env := map[string]string{"INSTANTLY_API_KEY": "test-key-0000000000", "INSTANTLY_BASE_URL": fake.URL, "NO_COLOR": "1"}
	out, _, _ := runCmd(t, env, "overview", "-json")
	var ov struct {
		Checked int `json:"checked"`
		OK      []struct {
			ID string `json:"id"`
		} `json:"ok"`
	}
	if err := json.Unmarshal([]byte(out), &ov); err != nil || len(ov.OK) == 0 {
		t.Fatalf("overview -json: %v\n%.300s", err, out)
	}
	_, stderr, _ := runTTY(t, env, "overview")
	if want := fmt.Sprintf("overview: checked %d of %d campaigns…", ov.Checked, ov.Checked); !strings.Contains(stderr, want) || strings.Contains(stderr, "failed") {
		t.Errorf("no failures: want %q, got %q", want, stderr)
	}

	// Not found is not temporary: failed at once, no retry pass.
	fake.Handler.SetFault(ov.OK[0].ID, instantlytest.Fault{Status: 404})
	_, stderr, _ = runTTY(t, env, "overview")
	if want := fmt.Sprintf("overview: checked %d of %d campaigns, 1 failed…", ov.Checked, ov.Checked); !strings.Contains(stderr, want) || !strings.HasSuffix(stderr, "\r\x1b[K") {
		t.Errorf("one failure: want %q, got %q", want, stderr)
	}
	_, stderr, _ = runTTY(t, env, "overview", "-max", fmt.Sprint(ov.Checked))
	if want := fmt.Sprintf("overview: checked %d of %d campaigns (at most -max %d), 1 failed…", ov.Checked, ov.Checked, ov.Checked); !strings.Contains(stderr, want) {
		t.Errorf("capped, one failure: want %q, got %q", want, stderr)
	}
}

// The progress line's exact texts.
func TestProgressLineTexts(t *testing.T) {
	for _, c := range []struct {
		done, total, failed int
		want                string
	}{
		{3, 0, 0, "\r\x1b[Koverview: checked 3 campaigns, still listing…"},
		{3, 0, 2, "\r\x1b[Koverview: checked 3 campaigns, 2 failed, still listing…"},
		{7, 14, 0, "\r\x1b[Koverview: checked 7 of 14 campaigns…"},
		{7, 14, 1, "\r\x1b[Koverview: checked 7 of 14 campaigns, 1 failed…"},
		{5, 50, 0, "\r\x1b[Koverview: checked 5 of 50 campaigns (at most -max 50)…"},
		{50, 50, 4, "\r\x1b[Koverview: checked 50 of 50 campaigns (at most -max 50), 4 failed…"},
	} {
		var b strings.Builder
		p := &progressLine{w: &b, max: 50}
		p.update(c.done, c.total, c.failed)
		if b.String() != c.want {
			t.Errorf("update(%d, %d, %d) = %q, want %q", c.done, c.total, c.failed, b.String(), c.want)
		}
		b.Reset()
		p.done()
		if b.String() != "\r\x1b[K" {
			t.Errorf("done after a line: %q", b.String())
		}
	}
	var b strings.Builder
	(&progressLine{w: &b}).done()
	var nilLine *progressLine
	nilLine.done()
	if b.String() != "" {
		t.Errorf("done without a line: %q", b.String())
	}
}

// The answers a person reads from the binary: the name first, the
// earliest resume time, the cause that blocks sending first, the remedy
// that fits the error, addresses as they are, within a chat's length.
func TestDiagnoseAnswersThroughTheBinary(t *testing.T) {
	fieldPath := regexp.MustCompile(`\b[a-z]+_[a-z_]+\.[a-z_]+\b`)
	cases := []struct {
		code       string
		want, bans []string
	}{
		{instantly.StatusAccountDailyLimitMet, []string{"## Black Friday 2026 – SaaS founders: ", "can send again within", "avery@northpeakhq.example's 30-minute gap"},
			[]string{"accounts_summary", "Avery@"}},
		{instantly.StatusCampaignCompleted, []string{"**All 2,400 leads finished the sequence"},
			[]string{"1. Move the end date"}},
		{instantly.StatusCampaignBounceProtect, []string{"146 of its 930 contacted leads bounced (15.7%)", "every campaign they send for"},
			[]string{"emails bounced (7.9%)"}},
		{instantly.StatusCampaignAccountsUnhealthy, []string{"reconnect jamie2@northpeak-growth.example", "wait for the provider's daily limit to reset (reconnecting does nothing)"},
			[]string{"Reconnect or fix drew2", "mark it fixed"}},
		{instantly.StatusCampaignAccountSuspended, []string{"without documenting whose suspension", "morgan2@trynorthpeak.example: the mailbox is disabled", "ask Instantly support"},
			[]string{"Morgan2@", "Reconnect or fix morgan2"}},
		{instantly.StatusFollowUpDelayNotMet, []string{"500 of 1,250 leads were never contacted"}, []string{"add new leads"}},
		{instantly.StatusDailyLimitMet, []string{"its 6 senders can take about 180 a day"}, []string{"5 accounts about 150"}},
		{instantly.StatusNoAccountsAvailable, nil, []string{"If accounts are attached"}},
		{instantly.StatusHealthy, nil, []string{"compare"}},
		{instantly.StatusCampaignDraft, []string{"a launch would send nothing: it has no leads"}, []string{"would not send: step 2"}},
	}
	for _, c := range cases {
		out, _, code := runCmd(t, nil, "diagnose", "-demo", instantlytest.DemoID(c.code))
		if code != ExitOK || len(out) > 1800 || fieldPath.MatchString(out) {
			t.Errorf("%s: exit %d, %d bytes, field path %q:\n%s", c.code, code, len(out), fieldPath.FindString(out), out)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: lacks %q:\n%s", c.code, w, out)
			}
		}
		for _, b := range c.bans {
			if strings.Contains(out, b) {
				t.Errorf("%s: has %q:\n%s", c.code, b, out)
			}
		}
	}
}
