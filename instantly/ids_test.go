package instantly

import (
	"errors"
	"strings"
	"testing"
)

func TestParseID(t *testing.T) {
	valid := map[string]string{
		testID:                                 testID,
		strings.ToUpper(testID):                testID,
		" " + testID + "\n":                    testID,
		"{" + testID + "}":                     testID,
		"urn:uuid:" + testID:                   testID,
		strings.ReplaceAll(testID, "-", ""):    testID,
		"00000000-0000-0000-0000-000000000000": "00000000-0000-0000-0000-000000000000",
		"f9cc070d-8dba-4341-b847-f083c358e460": "f9cc070d-8dba-4341-b847-f083c358e460",
	}
	for in, want := range valid {
		got, err := ParseID(in)
		if err != nil || got != want {
			t.Errorf("ParseID(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	invalid := map[string]string{ // input -> the prefix the error may show
		"":                        "",
		"campaign-42":             "campaign…",
		"My Summer Campaign":      "My?Summe…",
		"../etc/passwd":           "???etc?p…",
		testID + "x":              "019e18e2…",
		"019e18e2-a52f-78e7-96f2": "019e18e2…",
		"<script>":                "?script?",
		"ünïcödé-ïd":              "?n?c?d?-…",
	}
	for in, want := range invalid {
		_, err := ParseID(in)
		var ie *InvalidIDError
		if !errors.As(err, &ie) {
			t.Fatalf("ParseID(%q): err = %v", in, err)
		}
		shown := ie.Prefix
		if ie.Truncated {
			shown += "…"
		}
		if shown != want {
			t.Errorf("ParseID(%q): shows %q, want %q", in, shown, want)
		}
		if !strings.Contains(err.Error(), "must be a UUID") {
			t.Errorf("%q", err)
		}
	}
}
