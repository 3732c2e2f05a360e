package diagnosis

import (
	"fmt"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

// renderNow is the clock of the render value tests.
var renderNow = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)

// The whole text of RenderMarkdown for a diagnosis with every part: the
// answer cut from the headline, Instantly's words on one line, the causes
// after the one the answer starts with, ten senders then "and 1 more", the
// lead counts in their order, steps numbered from 1, the times, the checks.
func TestRenderMarkdownFull(t *testing.T) {
	var blocking []BlockingAccount
	for i := range 11 {
		b := BlockingAccount{Email: fmt.Sprintf("s%d@x.io", i), Problem: "in error"}
		if i == 1 {
			b.Detail = " smtp\n  refused "
		}
		blocking = append(blocking, b)
	}
	a := Analysis{
		Kind: "campaign", ID: "c-1", Status: "all_accounts_unhealthy", KnownStatus: true,
		Severity:         catalog.SeverityActionRequired,
		Headline:         "Not sending: all sending accounts unhealthy; every sender is in error",
		Answer:           "every sender is in error",
		StatusMessage:    "  All   accounts\n are down ",
		ResolvesBy:       "never",
		Causes:           []string{"every sender", "leads  are\nfinished", "second cause"},
		BlockingAccounts: blocking,
		Leads:            &Leads{Total: 5, NotYetContacted: 4, Completed: 3, Bounced: 2, Unsubscribed: 1},
		Subsequences:     []SubsequenceState{{ID: "ss-1", Name: "Follow\n up", Status: "paused"}},
		Findings:         []string{"f one", "f two"},
		Steps:            []string{"step one", "step two"},
		AISummary:        "ai\n text",
		LastUpdated:      "2026-11-25T14:00:00Z",
		IssueFirstSeenAt: "yesterday",
		Confirm:          []string{"a.b", "c.d"},
		CrossChecks: []CrossCheck{
			{Check: "accounts", OK: true, Note: "n1"},
			{Check: "leads", OK: false, Note: "timed out"},
			{Check: "schedule", OK: true, Note: "n2"},
			{Check: "vitals", OK: false, Note: "no access"},
		},
		Assumptions: []string{"as1", "as2"},
	}
	want := "## Campaign c-1: Not sending: all sending accounts unhealthy\n\n" +
		"**Answer:** Every sender is in error.\n\n" +
		"**Status:** `all_accounts_unhealthy` (not sending: action required)\n" +
		"**Instantly says:** All accounts are down\n" +
		"**What it means:** Every sending account of the campaign has an error, so nothing can be sent until at least one is healthy again.\n" +
		"**Clears by itself:** never\n" +
		"\n### What the cross-checks found\n" +
		"- Leads are finished\n" +
		"- Second cause\n" +
		"- `s0@x.io`: in error\n" +
		"- `s1@x.io`: in error (smtp refused)\n" +
		"- `s2@x.io`: in error\n- `s3@x.io`: in error\n- `s4@x.io`: in error\n- `s5@x.io`: in error\n" +
		"- `s6@x.io`: in error\n- `s7@x.io`: in error\n- `s8@x.io`: in error\n- `s9@x.io`: in error\n" +
		"- and 1 more senders (structuredContent.analysis.blocking_accounts)\n" +
		"- leads: 5 in all, 4 not yet contacted, 3 completed, 2 bounced, 1 unsubscribed\n" +
		"- subsequence \"Follow up\" (`ss-1`): paused\n" +
		"\n### The numbers\n- f one\n- f two\n" +
		"\n### What to do\n1. step one\n2. step two\n" +
		"\n### Instantly's AI summary\nai text\n" +
		"\n_Data updated 1 h ago (2026-11-25T14:00:00Z); issue first seen yesterday (yesterday)._\n" +
		"_Fields that confirm it: a.b, c.d._\n" +
		"_Cross-checked: n1; n2._\n" +
		"_Could not check: leads: timed out; vitals: no access._\n" +
		"_Assumed where Instantly's docs are silent: as1; as2._\n"
	if got := RenderMarkdown(StatusResult{Analysis: a}, renderNow); got != want {
		t.Errorf("RenderMarkdown:\n%s\nwant:\n%s", got, want)
	}
}

// Each part of the text at its edge: present alone, absent, the one that
// decides between two headings.
func TestRenderMarkdownParts(t *testing.T) {
	base := func() Analysis {
		return Analysis{Kind: "subsequence", ID: "s-9", Headline: "No data yet", Severity: catalog.SeverityUnknown}
	}
	const noData = "## Subsequence s-9: No data yet\n\n" +
		"**Status:** none yet (Instantly returned `diagnostics: null`, `summary: null`)\n"
	const found = "\n### What the cross-checks found\n"
	cases := []struct {
		name string
		edit func(a *Analysis)
		want string
	}{
		{"nothing", func(*Analysis) {}, noData},
		{"answer not in the headline", func(a *Analysis) { a.Answer = "x" },
			"## Subsequence s-9: No data yet\n\n**Answer:** X.\n\n" +
				"**Status:** none yet (Instantly returned `diagnostics: null`, `summary: null`)\n"},
		{"message without a status", func(a *Analysis) { a.StatusMessage = "m" }, noData + "**Instantly says:** m\n"},
		{"only a cause, no answer", func(a *Analysis) { a.Causes = []string{"c"} }, noData + found + "- C\n"},
		{"a cause the answer does not start with", func(a *Analysis) { a.Answer = "b"; a.Causes = []string{"c"} },
			"## Subsequence s-9: No data yet\n\n**Answer:** B.\n\n" +
				"**Status:** none yet (Instantly returned `diagnostics: null`, `summary: null`)\n" + found + "- C\n"},
		{"the answer's cause only", func(a *Analysis) { a.Answer = "c and more"; a.Causes = []string{"c"} },
			"## Subsequence s-9: No data yet\n\n**Answer:** C and more.\n\n" +
				"**Status:** none yet (Instantly returned `diagnostics: null`, `summary: null`)\n"},
		{"only a sender", func(a *Analysis) { a.BlockingAccounts = []BlockingAccount{{Email: "e", Problem: "p"}} },
			noData + found + "- `e`: p\n"},
		{"only leads, all zero", func(a *Analysis) { a.Leads = &Leads{} },
			noData + found + "- leads: 0 in all, 0 not yet contacted, 0 completed, 0 bounced, 0 unsubscribed\n"},
		{"only a subsequence", func(a *Analysis) { a.Subsequences = []SubsequenceState{{ID: "i", Name: "n", Status: "s"}} },
			noData + found + "- subsequence \"n\" (`i`): s\n"},
		{"only the last of the three times", func(a *Analysis) { a.LastHealthySendAt = "2026-11-25T15:00:30Z" },
			noData + "\n_Last healthy send in 30 s (2026-11-25T15:00:30Z)._\n"},
		{"only a failed check", func(a *Analysis) { a.CrossChecks = []CrossCheck{{Check: "k", Note: "n"}} },
			noData + "_Could not check: k: n._\n"},
		{"only a passed check", func(a *Analysis) { a.CrossChecks = []CrossCheck{{Check: "k", OK: true, Note: "n"}} },
			noData + "_Cross-checked: n._\n"},
		{"only an assumption", func(a *Analysis) { a.Assumptions = []string{"z"} },
			noData + "_Assumed where Instantly's docs are silent: z._\n"},
		{"unknown code, steps", func(a *Analysis) {
			a.Status, a.Steps = "brand_new", []string{"look"}
		}, "## Subsequence s-9: No data yet\n\n" +
			"**Status:** `brand_new` (unknown) - a code this server does not know yet, passed through unchanged\n" +
			"**What it means:** Instantly reported brand_new, a sending-status code this catalog does not describe yet. " +
			"Instantly's own summary.status_message is the best explanation until the catalog is updated.\n" +
			"\n### What to do\n1. look\n"},
		{"known ok code, steps", func(a *Analysis) {
			a.Status, a.KnownStatus, a.Severity, a.Steps = "campaign_draft", true, catalog.SeverityOK, []string{"more"}
		}, "## Subsequence s-9: No data yet\n\n" +
			"**Status:** `campaign_draft` (sending)\n" +
			"**What it means:** The campaign has never been launched, so Instantly sends nothing from it.\n" +
			"\n### Nothing to fix; to send more\n1. more\n"},
		{"waiting", func(a *Analysis) {
			a.Status, a.KnownStatus, a.Severity = "campaign_draft", true, catalog.SeverityWaiting
		},
			"## Subsequence s-9: No data yet\n\n" +
				"**Status:** `campaign_draft` (waiting: normal pacing, clears by itself)\n" +
				"**What it means:** The campaign has never been launched, so Instantly sends nothing from it.\n"},
	}
	for _, c := range cases {
		a := base()
		c.edit(&a)
		if got := RenderMarkdown(StatusResult{Analysis: a}, renderNow); got != c.want {
			t.Errorf("%s:\n%q\nwant\n%q", c.name, got, c.want)
		}
	}
}

// Exactly maxBlockingInText senders are all listed, with no "more" line.
func TestRenderMarkdownTenSenders(t *testing.T) {
	a := Analysis{Kind: "campaign", ID: "c", Headline: "h"}
	want := "## Campaign c: h\n\n**Status:** none yet (Instantly returned `diagnostics: null`, `summary: null`)\n" +
		"\n### What the cross-checks found\n"
	for i := range maxBlockingInText {
		a.BlockingAccounts = append(a.BlockingAccounts, BlockingAccount{Email: fmt.Sprint(i), Problem: "p"})
		want += fmt.Sprintf("- `%d`: p\n", i)
	}
	if got := RenderMarkdown(StatusResult{Analysis: a}, renderNow); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestCapitalizeAndOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "a": "A", "ab c": "Ab c", "1x": "1x",
		// A non-ASCII first letter is upper-cased whole (it used to be
		// cut: its first byte upper-cased alone came out as U+FFFD).
		"émile sent": "Émile sent", "über": "Über", "\xffx": "\xffx",
	} {
		if got := capitalize(in); got != want {
			t.Errorf("capitalize(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"": "", " a \n\tb  c ": "a b c", "x": "x"} {
		if got := oneLine(in); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", in, got, want)
		}
	}
}
