package catalog

import (
	"fmt"
	"strings"
)

// StatusTableMarkdown is the compact table for the README (code | severity |
// meaning | first step), kept in sync by TestREADMEStatusTable. Only the tests use it, so it lives
// in a test file (exported to package catalog_test).
func StatusTableMarkdown() string {
	var b strings.Builder
	b.WriteString("| Code | Severity | Meaning | First step |\n")
	b.WriteString("|---|---|---|---|\n")
	for _, e := range Catalog() {
		first := ""
		if len(e.Steps) > 0 {
			first = e.Steps[0]
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", e.Code, e.Severity, tableCell(e.Meaning), tableCell(first))
	}
	return b.String()
}

// tableCell keeps a value inside one markdown table cell.
func tableCell(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "|", `\|`)
}
