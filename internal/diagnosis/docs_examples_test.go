package diagnosis_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

const diagnosisDoc = "../../docs/diagnosis.md"

// The deep-diagnosis examples of docs/diagnosis.md are the golden texts of
// their demo campaigns (TestGoldenTexts keeps those true): the tool's text,
// up to the CLI's copy (UPDATE_README=1 rewrites them).
func TestDocsDeepExamples(t *testing.T) {
	raw, err := os.ReadFile(diagnosisDoc)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	for _, code := range []string{instantly.StatusAccountDailyLimitMet, instantly.StatusCampaignAccountsUnhealthy} {
		start, end := "<!-- deep-example:"+code+":start -->\n", "<!-- deep-example:"+code+":end -->"
		i, j := strings.Index(readme, start), strings.Index(readme, end)
		if i < 0 || j < i {
			t.Fatalf("%s lacks the markers of the %s example", diagnosisDoc, code)
		}
		e := entryOf(code)
		golden, err := os.ReadFile(filepath.Join("testdata", "golden", "campaign-"+code+"-"+e.ID[len(e.ID)-4:]+".deep.md"))
		if err != nil {
			t.Fatal(err)
		}
		text, _, ok := strings.Cut(string(golden), "\n<!-- cli")
		if !ok {
			t.Fatalf("the golden text of %s has no CLI part", code)
		}
		want := "```text\n" + text + "```\n"
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
