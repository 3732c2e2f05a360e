package tools_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

const viewURI = "ui://instantly-status/overview.html"

// get_sending_overview names its MCP Apps view, and the server serves it:
// one self-contained HTML document of the apps profile, at most 400 KB, that
// loads nothing from any origin.
func TestOverviewView(t *testing.T) {
	e := newEnv(t)
	tools, err := e.client.ListTools(t.Context(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var meta any
	for _, tool := range tools.Tools {
		raw, _ := json.Marshal(tool)
		var m struct {
			Name string         `json:"name"`
			Meta map[string]any `json:"_meta"`
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		if m.Name == "get_sending_overview" {
			meta = m.Meta["ui"]
		} else if m.Meta["ui"] != nil {
			t.Errorf("%s names a view", m.Name)
		}
	}
	if ui, ok := meta.(map[string]any); !ok || ui["resourceUri"] != viewURI {
		t.Fatalf("get_sending_overview _meta.ui = %v", meta)
	}

	list, err := e.client.ListResources(t.Context(), mcp.ListResourcesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range list.Resources {
		found = found || (r.URI == viewURI && r.MIMEType == "text/html;profile=mcp-app")
	}
	if !found {
		t.Fatalf("resources/list lacks the view: %+v", list.Resources)
	}
	req := mcp.ReadResourceRequest{}
	req.Params.URI = viewURI
	res, err := e.client.ReadResource(t.Context(), req)
	if err != nil || len(res.Contents) != 1 {
		t.Fatalf("resources/read: %+v, %v", res, err)
	}
	doc, ok := mcp.AsTextResourceContents(res.Contents[0])
	if !ok || doc.URI != viewURI || doc.MIMEType != "text/html;profile=mcp-app" {
		t.Fatalf("contents %+v", res.Contents[0])
	}
	if n := len(doc.Text); n > 400*1024 || n < 10_000 || !strings.HasPrefix(doc.Text, "<!doctype html>") {
		t.Fatalf("document of %d bytes: %.80q", n, doc.Text)
	}
	// Everything inlined: no element that loads a file, no CSS import.
	if m := regexp.MustCompile(`(?i)<(script|link|img|iframe)\b[^>]*\b(src|href)=|@import`).FindString(doc.Text); m != "" {
		t.Errorf("the document loads something: %q", m)
	}
}

// A deep overview carries what the view shows beside the one-line answer:
// the senders that hold a campaign, as its diagnosis found them.
func TestOverviewDeepCarriesBlockingSenders(t *testing.T) {
	e := newEnv(t)
	ov := overviewOf(t, e.call(t, "get_sending_overview", map[string]any{"deep": true}))
	var withSenders int
	for _, oc := range ov.ActionRequired {
		if len(oc.BlockingAccounts) > 0 {
			withSenders++
			for _, b := range oc.BlockingAccounts {
				if b.Email == "" || b.Problem == "" {
					t.Errorf("%s: blocking account %+v", oc.Name, b)
				}
			}
		}
	}
	if withSenders == 0 {
		t.Fatalf("no campaign of the deep overview names a blocking sender: %+v", ov.ActionRequired)
	}
}
