package catalog

import (
	"strings"
	"testing"
)

func TestRulesPointAtTheirSteps(t *testing.T) {
	if bad := ruleWordsOK(); len(bad) > 0 {
		t.Fatalf("rules whose step moved: %v", bad)
	}
}

func TestStepsForUnknownFactsKeepsAll(t *testing.T) {
	for _, e := range Catalog() {
		if got := e.StepsFor(Facts{Kind: "campaign"}); len(got) != len(e.Steps) {
			t.Errorf("%s: %d of %d steps with nothing known", e.Code, len(got), len(e.Steps))
		}
	}
}

// ruleWordsOK reports the rules whose word is not in their step.
func ruleWordsOK() []string {
	var bad []string
	for code, rs := range rules {
		e, ok := Lookup(code)
		for _, r := range rs {
			if !ok || r.step >= len(e.Steps) || !strings.Contains(e.Steps[r.step], r.word) {
				bad = append(bad, code)
			}
		}
	}
	return bad
}
