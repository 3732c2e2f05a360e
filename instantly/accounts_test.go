package instantly

import (
	"testing"
)

// A status message called directly with blank input keeps it as text and
// does not fail (json.Unmarshal never passes empty input, a caller may).
func TestAccountStatusMessageBlankInput(t *testing.T) {
	for _, in := range []string{"", "   ", "\n"} {
		var m AccountStatusMessage
		if err := m.UnmarshalJSON([]byte(in)); err != nil {
			t.Errorf("UnmarshalJSON(%q) = %v", in, err)
		}
		if m.EMessage != "" || m.Text() != "" {
			t.Errorf("UnmarshalJSON(%q): EMessage %q, Text %q; want both empty", in, m.EMessage, m.Text())
		}
	}
}

// An account email needs something on both sides of the '@' and none of the
// characters that would change the request path.
func TestLooksLikeEmail(t *testing.T) {
	for in, want := range map[string]bool{
		"a@b":              true,
		"ops@acme.example": true,
		"@acme.example":    false, // '@' first
		"ops@":             false, // '@' last
		"@":                false,
		"":                 false,
		"ops":              false,
		"o p@acme.example": false,
		"ops@acme/x":       false,
		"ops@acme?x":       false,
		"ops@acme#x":       false,
		"ops@acme\tx":      false,
	} {
		if got := looksLikeEmail(in); got != want {
			t.Errorf("looksLikeEmail(%q) = %v, want %v", in, got, want)
		}
	}
}
