package catalog_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

const (
	readmePath       = "../../README.md"
	tableStartMarker = "<!-- status-table:start -->"
	tableEndMarker   = "<!-- status-table:end -->"
	addMarkersHelp   = "add these two lines to README.md where the status table belongs:\n\n" +
		tableStartMarker + "\n" + tableEndMarker + "\n\n" +
		"then fill the table in with: UPDATE_README=1 go test ./internal/catalog -run TestREADMEStatusTable"
)

// TestREADMEStatusTable keeps the README's status table equal to the
// catalog. With UPDATE_README=1 it rewrites the table between the markers
// instead; it never creates README.md or the markers itself.
func TestREADMEStatusTable(t *testing.T) {
	raw, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatalf("cannot read %s (%v): %s", readmePath, err, addMarkersHelp)
	}
	readme := string(raw)
	if strings.Count(readme, tableStartMarker) != 1 || strings.Count(readme, tableEndMarker) != 1 {
		t.Fatalf("%s must contain %q and %q exactly once each: %s", readmePath, tableStartMarker, tableEndMarker, addMarkersHelp)
	}
	start := strings.Index(readme, tableStartMarker) + len(tableStartMarker)
	end := strings.Index(readme, tableEndMarker)
	if end < start {
		t.Fatalf("%s has %q before %q: %s", readmePath, tableEndMarker, tableStartMarker, addMarkersHelp)
	}

	want := catalog.StatusTableMarkdown()
	if os.Getenv("UPDATE_README") == "1" {
		updated := readme[:start] + "\n" + want + readme[end:]
		info, err := os.Stat(readmePath)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(readmePath, []byte(updated), info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
		return
	}
	got := readme[start:end]
	if diff := cmp.Diff(strings.TrimSpace(want), strings.TrimSpace(got)); diff != "" {
		t.Errorf("README status table is out of date; run UPDATE_README=1 go test ./internal/catalog -run TestREADMEStatusTable (-want +got):\n%s", diff)
	}
}
