package catalog

import "testing"

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
