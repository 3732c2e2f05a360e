package catalog

import (
	"slices"
	"testing"
)

// TestCatalogSortsMisplacedEntry puts the last entry (an ok one) first in the
// literal and checks that Catalog still returns the severities in order
// (action_required, waiting, ok) with every code once.
func TestCatalogSortsMisplacedEntry(t *testing.T) {
	orig := catalog
	t.Cleanup(func() { catalog = orig })
	moved := append([]Entry{orig[len(orig)-1]}, orig[:len(orig)-1]...)
	catalog = moved
	var got, want []string
	var ranks []int
	for _, e := range Catalog() {
		got = append(got, e.Code)
		ranks = append(ranks, severityRank[e.Severity])
	}
	for _, e := range orig {
		want = append(want, e.Code)
	}
	if !slices.IsSorted(ranks) || ranks[0] == ranks[len(ranks)-1] {
		t.Errorf("Catalog() severity ranks with a misplaced entry = %v, want ascending", ranks)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Catalog() codes = %v, want %v", got, want)
	}
}
