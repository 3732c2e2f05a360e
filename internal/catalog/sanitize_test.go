package catalog

import "testing"

// TestEchoCharacterEdges: the ends of each kept range are kept, the
// characters just outside them become "?", and the limit cuts with "...".
func TestEchoCharacterEdges(t *testing.T) {
	for in, want := range map[string]string{
		"azAZ09_-.": "azAZ09_-.",
		"`{@[/:":    "??????",
		"é ":        "??",
		"":          "",
	} {
		if got := Echo(in, 20); got != want {
			t.Errorf("Echo(%q, 20) = %q, want %q", in, got, want)
		}
	}
	if got := Echo("abcdef", 3); got != "abc..." {
		t.Errorf("Echo cut = %q, want %q", got, "abc...")
	}
	if got := Echo("abc", 3); got != "abc" {
		t.Errorf("Echo at the limit = %q, want %q", got, "abc")
	}
}
