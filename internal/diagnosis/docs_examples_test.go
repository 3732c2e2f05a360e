package diagnosis_test

import (
	"os"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

const diagnosisDoc = "../../docs/diagnosis.md"

// The deep-diagnosis examples of docs/diagnosis.md are real: the demo workspace at
// fixedNow, rendered as the tool renders it (UPDATE_README=1 rewrites them).
func TestDocsDeepExamples(t *testing.T) {
	raw, err := os.ReadFile(diagnosisDoc)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	c, _ := demoClient(t, instantlytest.DemoWorkspace(fixedNow))
	for _, code := range []string{instantly.StatusAccountDailyLimitMet, instantly.StatusCampaignAccountsUnhealthy} {
		start, end := "<!-- deep-example:"+code+":start -->\n", "<!-- deep-example:"+code+":end -->"
		i, j := strings.Index(readme, start), strings.Index(readme, end)
		if i < 0 || j < i {
			t.Fatalf("%s lacks the markers of the %s example", diagnosisDoc, code)
		}
		res := diagnose(t, c, entryOf(code), true, 0)
		want := "```text\n" + diagnosis.RenderMarkdown(res, fixedNow) + "```\n"
		if readme[i+len(start):j] != want {
			if os.Getenv("UPDATE_README") != "1" {
				t.Errorf("%s: the example of %s is stale; run UPDATE_README=1 go test ./internal/diagnosis -run TestDocsDeepExamples", diagnosisDoc, code)
				continue
			}
			readme = readme[:i+len(start)] + want + readme[j:]
		}
	}
	if os.Getenv("UPDATE_README") == "1" {
		if err := os.WriteFile(diagnosisDoc, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
