package diagnosis

import (
	"fmt"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

// The one-line answer drops the severity lead: no data, ok (title only), not
// ok with the finding that bears on it, not ok without findings, and the deep
// answer in place of the finding.
func TestOneLineAnswer(t *testing.T) {
	cases := []struct {
		a    Analysis
		want string
	}{
		{Analysis{Title: "T", Findings: []string{"f"}}, "no sending data yet (launched in the last 15 minutes, or never launched)"},
		{Analysis{Status: "healthy", Severity: catalog.SeverityOK, Title: "T", Findings: []string{"f"}}, "T"},
		{Analysis{Status: "x", Severity: catalog.SeverityWaiting, Title: "T", Findings: []string{"f", "g"}}, "T; f"},
		{Analysis{Status: "x", Severity: catalog.SeverityActionRequired, Title: "T"}, "T"},
		{Analysis{Status: "x", Severity: catalog.SeverityActionRequired, Title: "T", Findings: []string{"f"}, Answer: "A"}, "T; A"},
		// The issue's age without the count of Instantly's checks; another
		// finding of the same block as it is.
		{Analysis{Status: "x", Severity: catalog.SeverityActionRequired, Title: "T", IssueAgeSeconds: i64(3 * 86400),
			Findings: []string{"issue first seen 3 d ago (864 checks in a row)"}, blocks: []string{"issue_tracking"},
			Confirm: []string{"issue_tracking.issue_first_seen_at"}}, "T; first seen 3 d ago"},
		{Analysis{Status: "x", Severity: catalog.SeverityActionRequired, Title: "T", IssueAgeSeconds: i64(3 * 86400),
			Findings: []string{"last healthy send 2 d ago"}, blocks: []string{"issue_tracking"}}, "T; last healthy send 2 d ago"},
	}
	for _, c := range cases {
		if got := oneLineAnswer(c.a); got != c.want {
			t.Errorf("oneLineAnswer(%+v) = %q, want %q", c.a, got, c.want)
		}
	}
}

func ovc(name, id, status, brief string) OverviewCampaign {
	return OverviewCampaign{ID: id, Name: name, Status: status, Summary: brief}
}

// The whole text of an overview with every group: counts with failures and
// campaigns not checked, notes, each group's lines, the Sending group cut
// after 20, and the closing pointer to the diagnosis.
func TestRenderOverviewFull(t *testing.T) {
	paused := ovc("P", "p1", "campaign_paused", "Campaign is paused")
	paused.PausedBy = PausedByPerson
	bounce := ovc("B", "b1", "campaign_bounce_protect", "Paused by bounce protect")
	bounce.PausedBy, bounce.State = PausedByInstantly, "bounce protect"
	o := &Overview{
		Filter:  OverviewFilter{Status: "active", Search: "Q"},
		Matched: 32, Checked: 26,
		Counts: OverviewCounts{ActionRequired: 3, PausedByPerson: 1, PausedByInstantly: 1, Unknown: 1, Waiting: 1, OK: 21,
			Failed: 2, NotChecked: 3},
		ActionRequired: []OverviewCampaign{paused, ovc("A\n one", "a1", "all_accounts_unhealthy", "Title;  finding"), bounce},
		Unknown:        []OverviewCampaign{ovc("U", "u1", "", "no data")},
		Waiting:        []OverviewCampaign{ovc("W", "w1", "out_of_schedule", "wait")},
		Failed: []OverviewFailure{
			{ID: "f1", Name: "F\tone", Error: "boom\n now"},
			{ID: "f2", Name: "F2", Error: "e2"},
		},
		Notes: []string{"n1", "n2"},
	}
	o.OK = append(o.OK, ovc("O x", "o0", "subsequence_sending", "Only subsequences"))
	for i := 1; i < 21; i++ {
		o.OK = append(o.OK, ovc(fmt.Sprintf("O%02d", i), fmt.Sprintf("o%d", i), "healthy", "Sending normally"))
	}
	var want strings.Builder
	want.WriteString("## Sending overview: checked 26 of 32 active campaigns matching \"Q\"\n\n" +
		"**3 not sending (action required)**, of them 1 paused by Instantly and 1 paused by a person or through the API · " +
		"1 unknown / no data · 1 waiting (normal pacing) · 21 sending · 2 could not be checked · 3 not checked\n" +
		"\n> n1\n> n2\n" +
		"\n### Paused by Instantly (1)\n- **B** (`b1`, bounce protect): Paused by bounce protect\n" +
		"\n### Not sending: action required (1)\n- **A one** (`a1`): Title; finding\n" +
		"\n### Paused by a person or through the API (1)\n- **P** (`p1`): Campaign is paused\n" +
		"\n### Unknown / no data (1)\n- **U** (`u1`): no data\n" +
		"\n### Waiting: normal pacing, clears by itself (1)\n- **W** (`w1`): wait\n" +
		"\n### Could not check (2)\n- **F one** (`f1`): boom now\n- **F2** (`f2`): e2\n" +
		"\n### Sending (21)\n- O x (`o0`): Only subsequences\n")
	for i := 1; i < 20; i++ {
		fmt.Fprintf(&want, "- O%02d (`o%d`)\n", i, i)
	}
	want.WriteString("- … and 1 more (all are in the structured result)\n" +
		"\nFor the cause in numbers and the steps to fix one, call get_campaign_sending_status with its id.\n")
	if got := RenderOverview(o); got != want.String() {
		t.Errorf("RenderOverview:\n%s\nwant:\n%s", got, want.String())
	}
}

// The counts line and the closing pointer at their edges; 51 failures are
// cut after 50; an empty workspace says so.
func TestRenderOverviewEdges(t *testing.T) {
	head := func(what string, checked, matched int) string {
		return fmt.Sprintf("## Sending overview: checked %d of %d %s\n\n", checked, matched, what)
	}
	counts := func(ar, u, w, ok int) string {
		return fmt.Sprintf("**%d not sending (action required)** · %d unknown / no data · %d waiting (normal pacing) · %d sending", ar, u, w, ok)
	}
	const pointer = "\nFor the cause in numbers and the steps to fix one, call get_campaign_sending_status with its id.\n"
	var many []OverviewFailure
	manyText := "\n### Could not check (51)\n"
	for i := range 51 {
		many = append(many, OverviewFailure{ID: fmt.Sprint(i), Name: "n", Error: "e"})
		if i < 50 {
			manyText += fmt.Sprintf("- **n** (`%d`): e\n", i)
		}
	}
	manyText += "- … and 1 more\n"
	cases := []struct {
		name string
		o    Overview
		want string
	}{
		{"nothing matched, all statuses", Overview{Filter: OverviewFilter{Status: "all"}},
			head("campaigns", 0, 0) + "No campaigns in this workspace.\n"},
		{"nothing matched, a status and a search", Overview{Filter: OverviewFilter{Status: "paused", Search: "x"}},
			head("paused campaigns matching \"x\"", 0, 0) + "No paused campaigns matching \"x\" in this workspace.\n"},
		{"one sending, nothing else", Overview{Filter: OverviewFilter{Status: "all"}, Matched: 1, Checked: 1,
			Counts: OverviewCounts{OK: 1}, OK: []OverviewCampaign{ovc("o", "i", "healthy", "")}},
			head("campaigns", 1, 1) + counts(0, 0, 0, 1) + "\n\n### Sending (1)\n- o (`i`)\n"},
		{"one unknown, no action required", Overview{Filter: OverviewFilter{Status: "all"}, Matched: 1, Checked: 1,
			Counts: OverviewCounts{Unknown: 1}, Unknown: []OverviewCampaign{ovc("u", "i", "", "b")}},
			head("campaigns", 1, 1) + counts(0, 1, 0, 0) + "\n\n### Unknown / no data (1)\n- **u** (`i`): b\n" + pointer},
		{"nothing matched, live", Overview{Filter: OverviewFilter{Status: "live"}},
			head("campaigns meant to be sending (all but drafts and completed)", 0, 0) +
				"No campaigns meant to be sending (all but drafts and completed) in this workspace.\n"},
		{"51 failures", Overview{Filter: OverviewFilter{Status: "all"}, Matched: 51, Counts: OverviewCounts{Failed: 51}, Failed: many},
			head("campaigns", 0, 51) + counts(0, 0, 0, 0) + " · 51 could not be checked\n" + manyText},
		{"only not checked", Overview{Filter: OverviewFilter{Status: "all"}, Matched: 2, Counts: OverviewCounts{NotChecked: 2}},
			head("campaigns", 0, 2) + counts(0, 0, 0, 0) + " · 2 not checked\n"},
	}
	for _, c := range cases {
		if got := RenderOverview(&c.o); got != c.want {
			t.Errorf("%s:\n%q\nwant\n%q", c.name, got, c.want)
		}
	}
}

// Err names the first failure, then the listing's, then the context's;
// AllFailed needs failures and nothing checked; Worst takes the groups in
// the order action_required, unknown, waiting, ok.
func TestOverviewErrAllFailedWorst(t *testing.T) {
	fail, list, ctx := fmt.Errorf("fail"), fmt.Errorf("list"), fmt.Errorf("ctx")
	for _, c := range []struct {
		o    Overview
		want error
	}{
		{Overview{Failed: []OverviewFailure{{err: fail}}, listErr: list, ctxErr: ctx}, fail},
		{Overview{listErr: list, ctxErr: ctx}, list},
		{Overview{ctxErr: ctx}, ctx},
		{Overview{}, nil},
	} {
		if got := c.o.Err(); got != c.want {
			t.Errorf("Err() = %v, want %v", got, c.want)
		}
	}
	for _, c := range []struct {
		checked, failed int
		want            bool
	}{{0, 0, false}, {0, 1, true}, {1, 1, false}, {1, 0, false}} {
		o := Overview{Checked: c.checked, Failed: make([]OverviewFailure, c.failed)}
		if got := o.AllFailed(); got != c.want {
			t.Errorf("AllFailed(checked %d, failed %d) = %v", c.checked, c.failed, got)
		}
	}
	for _, c := range []struct {
		counts OverviewCounts
		want   catalog.Severity
	}{
		{OverviewCounts{}, ""},
		{OverviewCounts{Failed: 3, NotChecked: 2}, ""},
		{OverviewCounts{OK: 1}, catalog.SeverityOK},
		{OverviewCounts{OK: 1, Waiting: 1}, catalog.SeverityWaiting},
		{OverviewCounts{OK: 1, Waiting: 1, Unknown: 1}, catalog.SeverityUnknown},
		{OverviewCounts{OK: 1, Waiting: 1, Unknown: 1, ActionRequired: 1}, catalog.SeverityActionRequired},
		{OverviewCounts{ActionRequired: 1}, catalog.SeverityActionRequired},
		{OverviewCounts{Unknown: 1}, catalog.SeverityUnknown},
		{OverviewCounts{Waiting: 1}, catalog.SeverityWaiting},
	} {
		o := Overview{Counts: c.counts}
		if got := o.Worst(); got != c.want {
			t.Errorf("Worst(%+v) = %q, want %q", c.counts, got, c.want)
		}
	}
}

// One line says each fact once: a parenthesis that says the title again goes,
// and a finding that says the whole title stands alone; a title of one long
// word, or one the finding does not cover, stays.
func TestOverviewLineSaysEachFactOnce(t *testing.T) {
	cases := []struct{ title, finding, want string }{
		{"Campaign daily limit reached", "150 of 150 sent today (campaign daily limit reached)",
			"Campaign daily limit reached; 150 of 150 sent today"},
		{"New-lead limit reached", "40 of 40 new leads contacted today (new-lead limit reached; only follow-ups can go out today)",
			"New-lead limit reached; 40 of 40 new leads contacted today (only follow-ups can go out today)"},
		{"Outside the sending schedule", "outside its sending schedule now: nothing is sent until the next window opens",
			"Outside its sending schedule now: nothing is sent until the next window opens"},
		{"Waiting for a provider match", "provider matching is on and waiting for a sending account (1 provider connected)",
			"Provider matching is on and waiting for a sending account (1 provider connected)"},
		{"Follow-ups not due yet", "86 follow-ups waiting, the next due in 4 h",
			"Follow-ups not due yet; 86 follow-ups waiting, the next due in 4 h"},
		{"No sending account available", "no sending account is connected to it",
			"No sending account available; no sending account is connected to it"},
		{"Per-company limit reached", "37 company domains at the per-company daily limit (see the override)",
			"Per-company limit reached; 37 company domains at the per-company daily limit (see the override)"},
	}
	for _, c := range cases {
		a := Analysis{Status: "x", Severity: catalog.SeverityWaiting, Title: c.title, Findings: []string{c.finding}}
		if got := oneLineAnswer(a); got != c.want {
			t.Errorf("%q + %q:\n got %q\nwant %q", c.title, c.finding, got, c.want)
		}
	}
}
