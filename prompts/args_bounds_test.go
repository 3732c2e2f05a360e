package prompts

import (
	"context"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// The bounds of the search argument, on both sides.
func TestSearchArgBounds(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{strings.Repeat("a", instantly.MaxSearchLen), true},
		{strings.Repeat("a", instantly.MaxSearchLen+1), false},
		{strings.Repeat("é", instantly.MaxSearchLen), true}, // runes, not bytes
		{"\x07Black Friday", false},                         // a control character first
		{"Black\tFriday", false},
		{"Black Friday", true},
		{"", true},
	} {
		_, err := searchArg(map[string]string{"search": c.in})
		if (err == nil) != c.ok {
			t.Errorf("searchArg(%.20q…): err %v, want ok=%v", c.in, err, c.ok)
		}
	}
}

// The workspace prompt's description says what it checks, search or not.
func TestWorkspaceCheckDescription(t *testing.T) {
	_, h := WorkspaceCheckPrompt()
	for search, want := range map[string]string{
		"":             "Check sending across every campaign meant to be sending",
		"Black Friday": `Check sending across every campaign meant to be sending matching "Black Friday"`,
	} {
		req := mcp.GetPromptRequest{}
		req.Params.Arguments = map[string]string{"search": search}
		res, err := h(context.Background(), req)
		if err != nil || res.Description != want {
			t.Errorf("search %q: %v, description %q, want %q", search, err, res.Description, want)
		}
	}
}
