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
	invalid := map[string]InvalidIDError{ // input -> what the error says of it
		"":                                       {Empty: true},
		" \t ":                                   {Empty: true},
		"campaign-42":                            {},
		"My Summer Campaign":                     {LooksLikeName: true},
		"Black Friday":                           {LooksLikeName: true},
		"../etc/passwd":                          {},
		testID + "x":                             {},
		"019e18e2-a52f-78e7-96f2":                {},
		"<script>":                               {},
		"ünïcödé-ïd":                             {},
		"sk_live_Zq8wV3mK1pR7tY2uX9eB4nL6":       {},
		"https://app.instantly.ai/app/campaigns": {URL: true},
		"https://app.instantly.ai/app/campaign/" + testID + "/x/" + otherID:   {URL: true},
		"https://app.instantly.ai/app/campaign/" + testID[:30] + "/analytics": {URL: true},
	}
	for in, want := range invalid {
		_, err := ParseID(in)
		var ie *InvalidIDError
		if !errors.As(err, &ie) {
			t.Fatalf("ParseID(%q): err = %v", in, err)
		}
		if *ie != want {
			t.Errorf("ParseID(%q): %+v, want %+v", in, *ie, want)
		}
		if !strings.Contains(err.Error(), "must be a UUID") || strings.HasPrefix(err.Error(), "instantly:") {
			t.Errorf("%q", err)
		}
		if !isFixedIDMessage(err.Error()) {
			t.Errorf("ParseID(%q): error depends on the input beyond its kind: %s", in, err)
		}
	}
	// URLs from the app that hold one id.
	for _, in := range []string{
		"https://app.instantly.ai/app/campaign/" + testID + "/analytics",
		"https://app.instantly.ai/app/campaign/" + strings.ToUpper(testID) + "/sequences",
		" https://app.instantly.ai/app/campaigns?id=" + testID + " ",
		"http://app.instantly.ai/app/campaign/" + testID,
		"https://app.instantly.ai/app/campaign/" + testID + "/analytics#" + testID,
	} {
		if got, err := ParseID(in); err != nil || got != testID {
			t.Errorf("ParseID(%q) = %q, %v; want %s", in, got, err, testID)
		}
	}
}

const otherID = "019e18e2-a52f-78e7-96f2-b33ee19bb50b"

// isFixedIDMessage reports whether msg is one of the fixed texts of
// InvalidIDError: then it repeats nothing of the input, in any form.
func isFixedIDMessage(msg string) bool {
	for _, e := range []InvalidIDError{{}, {Empty: true}, {LooksLikeName: true}, {URL: true}} {
		if msg == e.Error() {
			return true
		}
	}
	return false
}

// leaksPart reports whether msg repeats any 5 consecutive characters of
// secret, as written or with every character other than a letter, digit or
// '-' replaced by '?' or '_' (how earlier errors "sanitized" an echo).
func leaksPart(msg, secret string) bool {
	const w = 5
	forms := []string{secret}
	for _, sub := range []rune{'?', '_'} {
		forms = append(forms, strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' {
				return r
			}
			return sub
		}, secret))
	}
	for _, f := range forms {
		rs := []rune(f)
		for i := 0; i+w <= len(rs); i++ {
			part := string(rs[i : i+w])
			if strings.Trim(part, "?_- ") == "" || len(strings.TrimLeft(part, "0123456789abcdef-")) == 0 {
				continue // separators only, or hex that the example UUID in every message holds
			}
			if strings.Contains(msg, part) {
				return true
			}
		}
	}
	return false
}

// An id argument that holds the client's key echoes nothing, not even what
// kind of value it looked like; without a key the kind is said.
func TestParseIDForHidesTheKey(t *testing.T) {
	const plain = "invalid id: it must be a UUID such as 019e18e2-a52f-78e7-96f2-b33ee19bb50a (the value is not repeated here, in case it was a secret)"
	const name = "invalid id: that looks like a campaign name, not an id; the id must be a UUID such as 019e18e2-a52f-78e7-96f2-b33ee19bb50a"
	for _, tc := range []struct{ in, key, want string }{
		{"my key " + testKey, testKey, plain},      // holds the key
		{" " + testKey[:20] + " ", testKey, plain}, // part of the key
		{"my key " + testKey, "", name},            // no key to hide
		{"Black Friday", testKey, name},            // an ordinary name
	} {
		_, err := parseIDFor(tc.in, NewRedactor(tc.key))
		if err == nil || err.Error() != tc.want {
			t.Errorf("parseIDFor(%q, key %v): %v, want %q", tc.in, tc.key != "", err, tc.want)
		}
		if err != nil && tc.key != "" && strings.Contains(err.Error(), tc.key[:8]) {
			t.Errorf("the key shows in %q", err)
		}
	}
}
