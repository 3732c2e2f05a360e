package tools

import (
	"fmt"
	"strings"
	"time"

	"github.com/instantly-status/instantly-status-mcp/prompts"
)

// severityLabel is how each severity reads in the text.
func severityLabel(sev prompts.Severity) string {
	switch sev {
	case prompts.SeverityOK:
		return "sending"
	case prompts.SeverityWaiting:
		return "waiting: normal pacing, clears by itself"
	case prompts.SeverityActionRequired:
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
	fmt.Fprintf(&b, "## %s %s: %s\n\n", strings.ToUpper(name[:1])+name[1:], a.ID, a.Headline)

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
		if e, ok := prompts.Lookup(a.Status); ok {
			fmt.Fprintf(&b, "**What it means:** %s\n", e.Meaning)
		} else {
			fmt.Fprintf(&b, "**What it means:** %s\n", prompts.Generic(a.Status).Meaning)
		}
	}
	if a.ResolvesBy != "" {
		fmt.Fprintf(&b, "**Clears by itself:** %s\n", a.ResolvesBy)
	}

	if len(a.Findings) > 0 {
		b.WriteString("\n### The numbers\n")
		for _, f := range a.Findings {
			fmt.Fprintf(&b, "- %s\n", f)
		}
	}
	if len(a.Steps) > 0 {
		if a.Severity == prompts.SeverityOK {
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
	if a.LastUpdated != "" {
		when = append(when, fmt.Sprintf("data updated %s (%s)", ago(a.LastUpdated, now), a.LastUpdated))
	}
	if a.IssueFirstSeenAt != "" {
		when = append(when, fmt.Sprintf("issue first seen %s (%s)", ago(a.IssueFirstSeenAt, now), a.IssueFirstSeenAt))
	}
	if a.LastHealthySendAt != "" {
		when = append(when, fmt.Sprintf("last healthy send %s (%s)", ago(a.LastHealthySendAt, now), a.LastHealthySendAt))
	}
	if len(when) > 0 {
		fmt.Fprintf(&b, "\n_%s._\n", capitalize(strings.Join(when, "; ")))
	}
	if len(a.Confirm) > 0 {
		fmt.Fprintf(&b, "_Fields that confirm it: %s._\n", strings.Join(a.Confirm, ", "))
	}
	return b.String()
}

// oneLine keeps Instantly's free text from breaking the markdown structure.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
