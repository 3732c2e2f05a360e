package catalog

import (
	"fmt"
	"strings"
)

// severityHeading names each severity group in the markdown.
var severityHeading = map[Severity]string{
	SeverityActionRequired: "Action required: nothing is sent until a person acts",
	SeverityWaiting:        "Waiting: normal pacing that clears by itself",
	SeverityOK:             "OK: sending",
	SeverityUnknown:        "Unknown",
}

// CatalogMarkdown is the whole catalog as markdown, served as the resource
// instantly://sending-status/codes: every code grouped by severity in Catalog
// order, then the checklist for codes Instantly adds later.
func CatalogMarkdown() string {
	var b strings.Builder
	b.WriteString("# Instantly sending-status codes\n\n")
	b.WriteString("What each code of Instantly's campaign sending status means and what to do about it. " +
		"Codes are grouped by severity: `action_required` (a person must change something), " +
		"`waiting` (normal pacing, clears by itself) and `ok`. " +
		"\"Confirm\" lists the fields of the sending-status `diagnostics` that show the cause; " +
		"a missing block is unknown, not zero (most blocks are omitted while a campaign is out of schedule).\n")
	var last Severity
	for _, e := range Catalog() {
		if e.Severity != last {
			fmt.Fprintf(&b, "\n## %s\n", severityHeading[e.Severity])
			last = e.Severity
		}
		b.WriteString("\n")
		writeEntry(&b, e, "###")
	}
	b.WriteString("\n## Any other code\n\n")
	b.WriteString("Instantly may add codes after this catalog was written. For one it does not list:\n\n")
	g := Generic("new_code")
	writeSteps(&b, g.Steps)
	fmt.Fprintf(&b, "\n**Confirm:** %s\n", CodeList(g.Confirm))
	return b.String()
}

// EntryMarkdown is one entry as a markdown section, served as the resource
// instantly://sending-status/codes/{code} and embedded in the catalog.
func EntryMarkdown(e Entry) string {
	var b strings.Builder
	writeEntry(&b, e, "#")
	return b.String()
}

func writeEntry(b *strings.Builder, e Entry, heading string) {
	fmt.Fprintf(b, "%s `%s`: %s\n\n", heading, e.Code, e.Title)
	fmt.Fprintf(b, "**Severity:** `%s`. %s\n\n", e.Severity, e.Meaning)
	if e.ResolvesBy != "" {
		fmt.Fprintf(b, "**Clears by itself:** %s.\n\n", e.ResolvesBy)
	}
	writeSteps(b, e.Steps)
	if len(e.Confirm) > 0 {
		fmt.Fprintf(b, "\n**Confirm:** %s\n", CodeList(e.Confirm))
	}
}

func writeSteps(b *strings.Builder, steps []string) {
	for i, s := range steps {
		fmt.Fprintf(b, "%d. %s\n", i+1, s)
	}
}

// CodeList writes items as a comma-separated list of code spans.
func CodeList(items []string) string {
	quoted := make([]string, len(items))
	for i, it := range items {
		quoted[i] = "`" + it + "`"
	}
	return strings.Join(quoted, ", ")
}
