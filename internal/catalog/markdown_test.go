package catalog_test

import (
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

func TestCatalogMarkdownHasEveryEntry(t *testing.T) {
	md := catalog.CatalogMarkdown()
	for _, e := range catalog.Catalog() {
		for _, want := range append([]string{"`" + e.Code + "`: " + e.Title, e.Meaning, e.ResolvesBy}, e.Steps...) {
			if !strings.Contains(md, want) {
				t.Errorf("CatalogMarkdown lacks %q of %s", want, e.Code)
			}
		}
		for _, c := range e.Confirm {
			if !strings.Contains(md, "`"+c+"`") {
				t.Errorf("CatalogMarkdown lacks confirm field %s of %s", c, e.Code)
			}
		}
	}
	if !strings.Contains(md, catalog.Generic("x").Steps[0]) {
		t.Error("CatalogMarkdown lacks the checklist for unknown codes")
	}
	// Severity groups appear in catalog order.
	a := strings.Index(md, "## Action required")
	w := strings.Index(md, "## Waiting")
	o := strings.Index(md, "## OK")
	if a < 0 || w < a || o < w {
		t.Errorf("severity sections missing or out of order: %d %d %d", a, w, o)
	}
}

func TestStatusTableMarkdown(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(catalog.StatusTableMarkdown(), "\n"), "\n")
	cat := catalog.Catalog()
	if len(lines) != 2+len(cat) {
		t.Fatalf("table has %d lines, want header, rule and %d rows:\n%s", len(lines), len(cat), strings.Join(lines, "\n"))
	}
	for i, e := range cat {
		row := lines[i+2]
		if !strings.HasPrefix(row, "| `"+e.Code+"` | "+string(e.Severity)+" | ") || !strings.Contains(row, e.Steps[0]) {
			t.Errorf("row %d is %q, want %s, its severity and its first step", i, row, e.Code)
		}
		// Four cells: five unescaped pipes.
		if n := strings.Count(strings.ReplaceAll(row, `\|`, ""), "|"); n != 5 {
			t.Errorf("row for %s has %d cell separators, want 5", e.Code, n)
		}
	}
}

func TestEntryMarkdown(t *testing.T) {
	e, _ := catalog.Lookup("out_of_schedule")
	md := catalog.EntryMarkdown(e)
	for _, want := range []string{"# `out_of_schedule`", e.Steps[1], "**Clears by itself:**", "`schedule_status.in_schedule`"} {
		if !strings.Contains(md, want) {
			t.Errorf("EntryMarkdown lacks %q:\n%s", want, md)
		}
	}
}
