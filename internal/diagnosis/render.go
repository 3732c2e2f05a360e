package diagnosis

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

// severityLabel is how each severity reads in the text.
func severityLabel(sev catalog.Severity) string {
	switch sev {
	case catalog.SeverityOK:
		return "sending"
	case catalog.SeverityWaiting:
		return "waiting: normal pacing, clears by itself"
	case catalog.SeverityActionRequired:
		return "not sending: action required"
	default:
		return "unknown"
	}
}

// RenderMarkdown is the diagnosis as text, for the model and the person: the
// status and Instantly's message, the numbers, the steps, and how fresh the
// data is. It is what the tool returns as text and what `diagnose` prints.
func RenderMarkdown(r StatusResult, now time.Time) string {
	a := r.Analysis
	var b strings.Builder
	b.Grow(1024)
	name := a.Kind
	head := a.Headline
	if a.Answer != "" {
		head = strings.TrimSuffix(head, "; "+a.Answer)
	}
	fmt.Fprintf(&b, "## %s %s: %s\n\n", strings.ToUpper(name[:1])+name[1:], a.ID, head)
	if a.Answer != "" {
		fmt.Fprintf(&b, "**Answer:** %s.\n\n", capitalize(oneLine(a.Answer)))
	}

	if a.Status == "" {
		b.WriteString("**Status:** none yet (Instantly returned `diagnostics: null`, `summary: null`)\n")
	} else {
		fmt.Fprintf(&b, "**Status:** `%s` (%s)", a.Status, severityLabel(a.Severity))
		if !a.KnownStatus {
			b.WriteString(" - a code this server does not know yet, passed through unchanged")
		}
		b.WriteString("\n")
	}
	if a.StatusMessage != "" {
		fmt.Fprintf(&b, "**Instantly says:** %s\n", oneLine(a.StatusMessage))
	}
	if a.Status != "" {
		e, ok := catalog.Lookup(a.Status)
		if !ok {
			e = catalog.Generic(a.Status)
		}
		fmt.Fprintf(&b, "**What it means:** %s\n", e.Meaning)
	}
	if a.ResolvesBy != "" {
		fmt.Fprintf(&b, "**Clears by itself:** %s\n", a.ResolvesBy)
	}

	renderCrossChecks(&b, a)
	if len(a.Findings) > 0 {
		b.WriteString("\n### The numbers\n")
		for _, f := range a.Findings {
			fmt.Fprintf(&b, "- %s\n", f)
		}
	}
	if len(a.Steps) > 0 {
		if a.Severity == catalog.SeverityOK {
			b.WriteString("\n### Nothing to fix; to send more\n")
		} else {
			b.WriteString("\n### What to do\n")
		}
		for i, s := range a.Steps {
			fmt.Fprintf(&b, "%d. %s\n", i+1, s)
		}
	}
	if a.AISummary != "" {
		fmt.Fprintf(&b, "\n### Instantly's AI summary\n%s\n", oneLine(a.AISummary))
	}

	var when []string
	for _, t := range [][2]string{{"data updated", a.LastUpdated}, {"issue first seen", a.IssueFirstSeenAt}, {"last healthy send", a.LastHealthySendAt}} {
		if t[1] != "" {
			when = append(when, fmt.Sprintf("%s %s (%s)", t[0], ago(t[1], now), t[1]))
		}
	}
	if len(when) > 0 {
		fmt.Fprintf(&b, "\n_%s._\n", capitalize(strings.Join(when, "; ")))
	}
	if len(a.Confirm) > 0 {
		fmt.Fprintf(&b, "_Fields that confirm it: %s._\n", strings.Join(a.Confirm, ", "))
	}
	renderChecked(&b, a)
	return b.String()
}

// maxBlockingInText caps the senders listed in the text.
const maxBlockingInText = 10

// renderCrossChecks is the evidence the cross-checks found: the causes
// after the first, the senders that cannot send, the leads, the
// subsequences.
func renderCrossChecks(b *strings.Builder, a Analysis) {
	more := a.Causes
	if len(more) > 0 && strings.HasPrefix(a.Answer, more[0]) {
		more = more[1:]
	}
	if len(more) == 0 && len(a.BlockingAccounts) == 0 && a.Leads == nil && len(a.Subsequences) == 0 {
		return
	}
	b.WriteString("\n### What the cross-checks found\n")
	for _, c := range more {
		fmt.Fprintf(b, "- %s\n", capitalize(oneLine(c)))
	}
	for i, s := range a.BlockingAccounts {
		if i == maxBlockingInText {
			fmt.Fprintf(b, "- and %d more senders (structuredContent.analysis.blocking_accounts)\n", len(a.BlockingAccounts)-i)
			break
		}
		line := fmt.Sprintf("- `%s`: %s", s.Email, s.Problem)
		if s.Detail != "" {
			line += " (" + oneLine(s.Detail) + ")"
		}
		b.WriteString(line + "\n")
	}
	if l := a.Leads; l != nil {
		fmt.Fprintf(b, "- leads: %d in all, %d not yet contacted, %d completed, %d bounced, %d unsubscribed\n",
			l.Total, l.NotYetContacted, l.Completed, l.Bounced, l.Unsubscribed)
	}
	for _, s := range a.Subsequences {
		fmt.Fprintf(b, "- subsequence %q (`%s`): %s\n", oneLine(s.Name), s.ID, s.Status)
	}
}

// renderChecked says what the cross-checks consulted, what they could not,
// and the assumptions the answer rests on.
func renderChecked(b *strings.Builder, a Analysis) {
	var ok, failed []string
	for _, c := range a.CrossChecks {
		if c.OK {
			ok = append(ok, c.Note)
		} else {
			failed = append(failed, c.Check+": "+c.Note)
		}
	}
	if len(ok) > 0 {
		fmt.Fprintf(b, "_Cross-checked: %s._\n", strings.Join(ok, "; "))
	}
	if len(failed) > 0 {
		fmt.Fprintf(b, "_Could not check: %s._\n", strings.Join(failed, "; "))
	}
	if len(a.Assumptions) > 0 {
		fmt.Fprintf(b, "_Assumed where Instantly's docs are silent: %s._\n", strings.Join(a.Assumptions, "; "))
	}
}

// oneLine keeps Instantly's free text from breaking the markdown structure.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError { // "" or not UTF-8: leave it as it is
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
