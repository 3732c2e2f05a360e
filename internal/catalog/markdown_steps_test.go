package catalog

import (
	"fmt"
	"strings"
	"testing"
)

// Steps are numbered 1..n in order, in every entry's markdown and in the
// catalog's "any other code" section, each step exactly once.
func TestStepNumbering(t *testing.T) {
	check := func(name, md string, steps []string) {
		t.Helper()
		at := -1
		for i, s := range steps {
			line := fmt.Sprintf("\n%d. %s\n", i+1, s)
			j := strings.Index(md, line)
			if j < 0 || j <= at {
				t.Fatalf("%s: step %d (%q) missing or out of order:\n%s", name, i+1, s, md)
			}
			at = j
		}
		if strings.Contains(md, fmt.Sprintf("\n%d. ", len(steps)+1)) || strings.Contains(md, "\n0. ") {
			t.Errorf("%s: a step number beyond 1..%d:\n%s", name, len(steps), md)
		}
	}
	for _, e := range Catalog() {
		check(e.Code, EntryMarkdown(e), e.Steps)
	}
	var b strings.Builder
	writeSteps(&b, []string{"a", "b", "c"})
	if b.String() != "1. a\n2. b\n3. c\n" {
		t.Errorf("writeSteps = %q", b.String())
	}
	// The catalog's tail: the generic checklist, numbered from 1 again.
	cat := CatalogMarkdown()
	tail := cat[strings.Index(cat, "\n## Any other code\n"):]
	check("any other code", tail, Generic("new_code").Steps)
}

// TestEntryMarkdownWithoutConfirm: an entry with no Confirm fields has no
// "Confirm" line, one with a field has it.
func TestEntryMarkdownWithoutConfirm(t *testing.T) {
	e := Entry{Code: "x", Title: "T", Severity: "ok", Meaning: "M.", Steps: []string{"a"}}
	if md := EntryMarkdown(e); strings.Contains(md, "Confirm") {
		t.Errorf("entry without Confirm renders a Confirm line:\n%s", md)
	}
	e.Confirm = []string{"f"}
	if md := EntryMarkdown(e); !strings.Contains(md, "\n**Confirm:** `f`\n") {
		t.Errorf("entry with Confirm lacks its line:\n%s", md)
	}
}
