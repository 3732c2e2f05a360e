package prompts

import (
	"context"
	"slices"
	"strings"

	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// maxCompletionValues is the MCP limit on values in one completion answer.
const maxCompletionValues = 100

// CompletionProvider completes the status argument of
// sending_status_remediation and the {code} of the per-code resource. Pass it
// with server.WithPromptCompletionProvider (and, for the resource,
// server.WithResourceCompletionProvider), plus server.WithCompletions(), which
// mcp-go needs before it answers completion/complete at all.
//
// Anything else gets an empty completion rather than an error: a client asks
// for every argument it shows, and an error there would surface as a failure.
type CompletionProvider struct{}

var (
	_ server.PromptCompletionProvider   = CompletionProvider{}
	_ server.ResourceCompletionProvider = CompletionProvider{}
)

// CompletePromptArgument implements server.PromptCompletionProvider.
func (CompletionProvider) CompletePromptArgument(_ context.Context, promptName string, arg mcp.CompleteArgument, _ mcp.CompleteContext) (*mcp.Completion, error) {
	if promptName != RemediationPromptName || arg.Name != "status" {
		return &mcp.Completion{Values: []string{}}, nil
	}
	return completeCode(arg.Value), nil
}

// CompleteResourceArgument implements server.ResourceCompletionProvider.
func (CompletionProvider) CompleteResourceArgument(_ context.Context, uri string, arg mcp.CompleteArgument, _ mcp.CompleteContext) (*mcp.Completion, error) {
	if uri != CodeURITemplate || arg.Name != codeTemplateArgKey {
		return &mcp.Completion{Values: []string{}}, nil
	}
	return completeCode(arg.Value), nil
}

// completeCode returns the codes that start with value, then those that merely
// contain it, each group alphabetical, ignoring case and surrounding space.
// An empty value matches every code.
func completeCode(value string) *mcp.Completion {
	v := catalog.NormalizeCode(value)
	var prefix, inner []string
	for _, code := range catalog.Codes() {
		switch {
		case strings.HasPrefix(code, v):
			prefix = append(prefix, code)
		case strings.Contains(code, v):
			inner = append(inner, code)
		}
	}
	slices.Sort(prefix)
	slices.Sort(inner)
	all := append(prefix, inner...)
	c := &mcp.Completion{Values: all, Total: len(all)}
	if len(all) > maxCompletionValues {
		c.Values, c.HasMore = all[:maxCompletionValues], true
	}
	if c.Values == nil {
		c.Values = []string{}
	}
	return c
}
