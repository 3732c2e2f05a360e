package tools_test

import (
	"strings"
	"testing"
)

// The edges of the argument ranges: the bounds themselves are accepted, one
// past them is refused.
func TestArgumentEdges(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name string
		args map[string]any
		ok   bool
	}{
		{"limit at its minimum", map[string]any{"limit": 1}, true},
		{"limit at its maximum", map[string]any{"limit": 100}, true},
		{"limit below", map[string]any{"limit": 0}, false},
		{"limit above", map[string]any{"limit": 101}, false},
		{"cursor at the length limit", map[string]any{"starting_after": strings.Repeat("a", 200)}, true},
		{"cursor one past the limit", map[string]any{"starting_after": strings.Repeat("a", 201)}, false},
		{"cursor with a control character first", map[string]any{"starting_after": "\x01abc"}, false},
		{"cursor with a control character last", map[string]any{"starting_after": "abc\x01"}, false},
	} {
		res := e.call(t, "list_campaigns", tc.args)
		if res.IsError == tc.ok {
			t.Errorf("%s: isError=%v, want %v (%s)", tc.name, res.IsError, !tc.ok, text(res))
		}
	}
}
