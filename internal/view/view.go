// Package view holds the sending overview as an MCP Apps view: one
// self-contained HTML document (built from app/ by app/build.mjs and
// committed, so building the server needs no Node) that hosts with the apps
// extension render in the conversation when get_sending_overview is called.
package view

import (
	"context"
	_ "embed"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// OverviewURI is the view's resource, named by get_sending_overview's
// _meta.ui.resourceUri.
const OverviewURI = "ui://instantly-status/overview.html"

// MIMEType is the MCP Apps profile of HTML: hosts render only resources of
// this type as views.
const MIMEType = "text/html;profile=mcp-app"

// overviewHTML is embedded as a string: it lives in the binary's read-only
// data, so the server does no work for it at start.
//
//go:embed overview.html
var overviewHTML string

// ToolMeta is the _meta a tool carries to name the view that shows its
// result.
func ToolMeta() *mcp.Meta {
	return &mcp.Meta{AdditionalFields: map[string]any{"ui": map[string]any{"resourceUri": OverviewURI}}}
}

// OverviewResource serves the view. It declares no CSP domains: the
// document loads nothing from any origin, everything is inlined.
func OverviewResource() (mcp.Resource, server.ResourceHandlerFunc) {
	res := mcp.NewResource(OverviewURI, "sending-overview-view",
		mcp.WithResourceTitle("Sending overview (interactive view)"),
		mcp.WithResourceDescription("The workspace's sending overview as an interactive view for hosts with MCP Apps: "+
			"counts per group, a table worst first, and each campaign's diagnosis on demand."),
		mcp.WithMIMEType(MIMEType),
	)
	handler := func(_ context.Context, _ mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: OverviewURI, MIMEType: MIMEType, Text: overviewHTML}}, nil
	}
	return res, handler
}
