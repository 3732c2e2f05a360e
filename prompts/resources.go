package prompts

import (
	"context"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
	"github.com/instantly-status/instantly-status-mcp/internal/rpcerr"
)

// The catalog as MCP resources: all of it, and one code at a time, so a model
// (or a person in a client) can read what a code means without a tool call.
const (
	CatalogURI         = "instantly://sending-status/codes"
	CodeURITemplate    = CatalogURI + "/{code}"
	markdownMIME       = "text/markdown"
	codeURIPrefix      = CatalogURI + "/"
	codeTemplateArgKey = "code"
)

// CatalogResource serves catalog.CatalogMarkdown.
func CatalogResource() (mcp.Resource, server.ResourceHandlerFunc) {
	res := mcp.NewResource(CatalogURI, "sending-status-codes",
		mcp.WithResourceTitle("Instantly sending-status codes"),
		mcp.WithResourceDescription("Every sending-status code Instantly reports: what it means, whether it needs action, "+
			"the steps to fix it and the diagnostics fields that confirm it."),
		mcp.WithMIMEType(markdownMIME),
	)
	handler := func(_ context.Context, _ mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: CatalogURI, MIMEType: markdownMIME, Text: catalog.CatalogMarkdown()}}, nil
	}
	return res, handler
}

// CodeResourceTemplate serves one catalog entry at
// instantly://sending-status/codes/{code}.
func CodeResourceTemplate() (mcp.ResourceTemplate, server.ResourceTemplateHandlerFunc) {
	tmpl := mcp.NewResourceTemplate(CodeURITemplate, "sending-status-code",
		mcp.WithTemplateTitle("One Instantly sending-status code"),
		mcp.WithTemplateDescription("What one sending-status code means and how to fix it, e.g. "+
			CatalogURI+"/daily_limit_met."),
		mcp.WithTemplateMIMEType(markdownMIME),
	)
	handler := func(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		// The code is read from the URI itself rather than from the matched
		// template variables, whose value type mcp-go leaves open.
		code := strings.TrimPrefix(req.Params.URI, codeURIPrefix)
		e, ok := catalog.Lookup(code)
		if !ok {
			return nil, rpcerr.ResourceNotFound(ctx, "unknown sending-status code %q: the catalog at %s lists the %d known codes",
				catalog.Echo(code, catalog.MaxEchoCode), CatalogURI, len(catalog.Codes()))
		}
		return []mcp.ResourceContents{mcp.TextResourceContents{
			URI: codeURIPrefix + e.Code, MIMEType: markdownMIME, Text: catalog.EntryMarkdown(e),
		}}, nil
	}
	return tmpl, handler
}
