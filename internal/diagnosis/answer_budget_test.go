package diagnosis_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

// Answer budgets a chat answer keeps, over every demo campaign, as the
// model reads it and as the person reads it: at most 1,800 bytes, a median
// of at most 1,200; no address and no campaign name more than twice; no
// API field path; the name first; at most 4 steps.
func TestAnswerBudgets(t *testing.T) {
	const maxBytes, maxMedian = 1800, 1200
	address := regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]+`)
	fieldPath := regexp.MustCompile(`\b[a-z]+_[a-z_]+\.[a-z_]+\b`)
	step := regexp.MustCompile(`(?m)^\d+\. `)
	c, _ := demoClient(t, instantlytest.DemoWorkspace(fixedNow))
	var sizes []int
	for _, e := range instantlytest.DemoCampaigns {
		res := diagnose(t, c, e, true, 0)
		tool := diagnosis.RenderMarkdown(res, fixedNow)
		for _, txt := range []string{tool, diagnosis.CLIText(tool)} {
			if len(txt) > maxBytes {
				t.Errorf("%s (%s): %d bytes, budget %d:\n%s", e.Name, e.Code, len(txt), maxBytes, txt)
			}
			if m := fieldPath.FindString(txt); m != "" {
				t.Errorf("%s: API field path %q in the text", e.Name, m)
			}
			if n := len(step.FindAllString(txt, -1)); n > 4 {
				t.Errorf("%s: %d steps", e.Name, n)
			}
			counts := map[string]int{}
			for _, a := range address.FindAllString(txt, -1) {
				counts[strings.ToLower(a)]++
			}
			for a, n := range counts {
				if n > 2 {
					t.Errorf("%s: %s appears %d times:\n%s", e.Name, a, n, txt)
				}
			}
			if name := res.Analysis.CampaignName; name != "" {
				if n := strings.Count(txt, name); n > 2 {
					t.Errorf("%s: the campaign's name appears %d times", e.Name, n)
				}
				if e.Kind == "campaign" && !strings.HasPrefix(txt, "## "+name+": ") {
					t.Errorf("%s: the first line is not the name:\n%s", e.Name, txt)
				}
			}
		}
		sizes = append(sizes, len(tool))
	}
	slices.Sort(sizes)
	if m := sizes[len(sizes)/2]; m > maxMedian {
		t.Errorf("median %d bytes, budget %d (sizes %v)", m, maxMedian, sizes)
	}
	t.Logf("sizes %v", sizes)
}
