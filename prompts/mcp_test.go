package prompts_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
	"github.com/instantly-status/instantly-status-mcp/prompts"
	"github.com/instantly-status/instantly-status-mcp/tools"
)

const testCampaignID = "019e18e2-9617-78c8-b2bf-2f764ab33d2b"

// newClient starts the MCP server main ships (tools.NewMCPServer, the
// constructor internal/app/serve.go calls), and an in-process client connected to it. A
// server assembled here from parts once hid that the shipped one did not
// complete the resource template's argument.
func newClient(t *testing.T) *client.Client {
	t.Helper()
	return newClientFor(t, func(context.Context) (*instantly.Client, error) {
		return nil, errors.New("no Instantly in prompt tests")
	})
}

// newClientFor is newClient with the server's Instantly client given.
func newClientFor(t *testing.T, getClient func(context.Context) (*instantly.Client, error)) *client.Client {
	t.Helper()
	s := tools.NewMCPServer(tools.Options{Version: "prompts-test", GetClient: getClient})
	c, err := client.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	ctx := t.Context()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ClientInfo = mcp.Implementation{Name: "prompts-test", Version: "0.0.0"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	return c
}

func getPrompt(ctx context.Context, c *client.Client, name string, args map[string]string) (*mcp.GetPromptResult, error) {
	req := mcp.GetPromptRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	return c.GetPrompt(ctx, req)
}

func promptText(t *testing.T, res *mcp.GetPromptResult) string {
	t.Helper()
	if len(res.Messages) != 1 {
		t.Fatalf("got %d messages, want 1", len(res.Messages))
	}
	tc, ok := mcp.AsTextContent(res.Messages[0].Content)
	if !ok || res.Messages[0].Role != mcp.RoleUser {
		t.Fatalf("message is %T from %s, want user text", res.Messages[0].Content, res.Messages[0].Role)
	}
	return tc.Text
}

func TestPromptsListGolden(t *testing.T) {
	c := newClient(t)
	res, err := c.ListPrompts(t.Context(), mcp.ListPromptsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(res.Prompts, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "prompts.golden.json")
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (create it with UPDATE_GOLDEN=1 go test ./prompts -run TestPromptsListGolden)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("prompts/list differs from %s; if intended, run with UPDATE_GOLDEN=1 (-want +got):\n%s", golden, diff)
	}
	for _, p := range res.Prompts {
		if p.Title == "" || len(p.Description) < 40 {
			t.Errorf("prompt %s needs a title and a description a person can pick it by", p.Name)
		}
	}
}

func TestRemediationPromptEveryCode(t *testing.T) {
	c := newClient(t)
	seen := map[string]string{}
	for _, code := range instantly.StatusCodes {
		e, _ := catalog.Lookup(code)
		for _, withID := range []bool{false, true} {
			args := map[string]string{"status": code}
			if withID {
				args["campaign_id"] = testCampaignID
			}
			res, err := getPrompt(t.Context(), c, prompts.RemediationPromptName, args)
			if err != nil {
				t.Fatalf("%s (campaign_id %v): %v", code, withID, err)
			}
			text := promptText(t, res)
			for _, want := range []string{"`" + code + "`", e.Steps[0], e.Confirm[0]} {
				if !strings.Contains(text, want) {
					t.Errorf("%s (campaign_id %v): text lacks %q", code, withID, want)
				}
			}
			hasCall := strings.Contains(text, "First call the tool `get_campaign_sending_status` with `id` = \""+testCampaignID+"\"")
			if hasCall != withID {
				t.Errorf("%s: with campaign_id=%v the text asks for the tool call: %v", code, withID, hasCall)
			}
			// Without a campaign nothing was called, so nothing is
			// called "again".
			if instructions, _, _ := strings.Cut(text, "\n---\n"); !withID && strings.Contains(instructions, "again") {
				t.Errorf("%s without campaign_id speaks of calling again:\n%s", code, text)
			}
			if prev, dup := seen[text]; dup {
				t.Errorf("%s has the same text as %s", code, prev)
			}
			seen[text] = code
			if !strings.Contains(res.Description, code) {
				t.Errorf("%s: description %q does not name the code", code, res.Description)
			}
		}
	}
}

func TestRemediationPromptNormalisesInput(t *testing.T) {
	c := newClient(t)
	res, err := getPrompt(t.Context(), c, prompts.RemediationPromptName, map[string]string{
		"status":      "  Daily_Limit_Met\n",
		"campaign_id": " " + strings.ToUpper(testCampaignID) + " ",
	})
	if err != nil {
		t.Fatal(err)
	}
	text := promptText(t, res)
	if !strings.Contains(text, "`daily_limit_met`") || !strings.Contains(text, testCampaignID) {
		t.Errorf("status or campaign id not normalised:\n%s", text)
	}
}

func TestRemediationPromptErrors(t *testing.T) {
	c := newClient(t)
	long := "<script>" + strings.Repeat("x", 500)
	tests := []struct {
		name    string
		args    map[string]string
		want    []string
		notWant []string
	}{
		{name: "missing status", args: nil, want: append([]string{"missing required argument \"status\""}, instantly.StatusCodes...)},
		{name: "blank status", args: map[string]string{"status": "   "}, want: []string{"missing required argument \"status\"", "daily_limit_met"}},
		{name: "unknown status", args: map[string]string{"status": "daily_limit"}, want: append([]string{"unknown status \"daily_limit\""}, instantly.StatusCodes...)},
		{name: "hostile status", args: map[string]string{"status": long}, want: []string{"unknown status", "healthy"}, notWant: []string{"<script>", strings.Repeat("x", 50)}},
		{name: "bad campaign_id", args: map[string]string{"status": "healthy", "campaign_id": "12345"}, want: []string{"invalid campaign_id \"12345\"", "UUID"}},
		{name: "hostile campaign_id", args: map[string]string{"status": "healthy", "campaign_id": long}, want: []string{"invalid campaign_id \"?script?xxxx...\""}, notWant: []string{"<script>", strings.Repeat("x", 13)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := getPrompt(t.Context(), c, prompts.RemediationPromptName, tt.args)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			for _, nw := range tt.notWant {
				if strings.Contains(err.Error(), nw) {
					t.Errorf("error echoes %q: %q", nw, err)
				}
			}
		})
	}
}

func TestDiagnosePrompt(t *testing.T) {
	c := newClient(t)
	res, err := getPrompt(t.Context(), c, prompts.DiagnosePromptName, map[string]string{"campaign_id": testCampaignID})
	if err != nil {
		t.Fatal(err)
	}
	text := promptText(t, res)
	wants := []string{"`get_campaign_sending_status` with `id` = \"" + testCampaignID + "\"", prompts.CatalogURI, "verify", "10-15 minutes"}
	for _, f := range prompts.DiagnoseFields {
		wants = append(wants, "`"+f+"`")
	}
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("diagnose text lacks %q:\n%s", want, text)
		}
	}
	// It reasons from the cross-checks' answer, not from the catalog
	// rebuilt in the prompt.
	for _, code := range instantly.StatusCodes {
		if strings.Contains(text, "`"+code+"`") {
			t.Errorf("diagnose text lists the code %s: the answer comes from the result, not the catalog", code)
		}
	}

	for name, args := range map[string]map[string]string{
		"missing": nil,
		"bad":     {"campaign_id": "not-a-uuid"},
	} {
		if _, err := getPrompt(t.Context(), c, prompts.DiagnosePromptName, args); err == nil || !strings.Contains(err.Error(), "campaign_id") {
			t.Errorf("%s campaign_id: error %v, want one naming campaign_id", name, err)
		}
	}
}

func TestWorkspaceCheckPrompt(t *testing.T) {
	c := newClient(t)
	res, err := getPrompt(t.Context(), c, prompts.WorkspaceCheckPromptName, nil)
	if err != nil {
		t.Fatal(err)
	}
	text := promptText(t, res)
	// The default of the overview (every campaign meant to be sending), not
	// "active" alone: that left out the campaigns paused by a person or by
	// Instantly.
	for _, want := range []string{"`get_sending_overview` without `status`", "all but drafts and completed ones",
		"get_campaign_sending_status", "action_required", "waiting", "`paused_by`"} {
		if !strings.Contains(text, want) {
			t.Errorf("workspace text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "`search` =") || strings.Contains(text, `"active"`) {
		t.Error("workspace text passes a search that was not given, or asks for active campaigns alone")
	}

	res, err = getPrompt(t.Context(), c, prompts.WorkspaceCheckPromptName, map[string]string{"search": "  Q3 outbound "})
	if err != nil {
		t.Fatal(err)
	}
	if text := promptText(t, res); !strings.Contains(text, "`search` = \"Q3 outbound\" and without `status`") {
		t.Errorf("workspace text lacks the search:\n%s", text)
	}

	for _, bad := range []string{strings.Repeat("a", 101), "line\nbreak"} {
		if _, err := getPrompt(t.Context(), c, prompts.WorkspaceCheckPromptName, map[string]string{"search": bad}); err == nil {
			t.Errorf("search %q accepted", bad)
		} else if strings.Contains(err.Error(), strings.Repeat("a", 13)) {
			t.Errorf("error echoes the whole search: %v", err)
		}
	}
}

func complete(t *testing.T, c *client.Client, ref any, arg, value string) *mcp.CompleteResult {
	t.Helper()
	req := mcp.CompleteRequest{}
	req.Params.Ref = ref
	req.Params.Argument = mcp.CompleteArgument{Name: arg, Value: value}
	res, err := c.Complete(t.Context(), req)
	if err != nil {
		t.Fatalf("complete %s=%q: %v", arg, value, err)
	}
	return res
}

func TestStatusCompletion(t *testing.T) {
	c := newClient(t)
	ref := mcp.PromptReference{Type: "ref/prompt", Name: prompts.RemediationPromptName}
	tests := []struct {
		value string
		want  []string
	}{
		{"daily", []string{"daily_limit_met", "account_daily_limit_met"}},
		{"DAILY", []string{"daily_limit_met", "account_daily_limit_met"}},
		{"limit", []string{"account_daily_limit_met", "daily_limit_met", "domain_limit_reached", "new_lead_limit_met"}},
		{"campaign_a", []string{"campaign_account_suspended", "campaign_accounts_unhealthy"}},
		{"unhealthy", []string{"all_accounts_unhealthy", "campaign_accounts_unhealthy"}},
		{"zzz", []string{}},
	}
	for _, tt := range tests {
		res := complete(t, c, ref, "status", tt.value)
		if diff := cmp.Diff(tt.want, res.Completion.Values); diff != "" {
			t.Errorf("complete %q (-want +got):\n%s", tt.value, diff)
		}
		if res.Completion.Total != len(tt.want) || res.Completion.HasMore {
			t.Errorf("complete %q: total %d hasMore %v", tt.value, res.Completion.Total, res.Completion.HasMore)
		}
	}

	all := complete(t, c, ref, "status", "")
	if len(all.Completion.Values) != 18 || all.Completion.Total != 18 {
		t.Errorf("empty value: got %d values, total %d; want all 18", len(all.Completion.Values), all.Completion.Total)
	}
}

func TestCompletionOfOtherArgumentsIsEmpty(t *testing.T) {
	c := newClient(t)
	for _, tc := range []struct {
		ref any
		arg string
	}{
		{mcp.PromptReference{Type: "ref/prompt", Name: prompts.RemediationPromptName}, "campaign_id"},
		{mcp.PromptReference{Type: "ref/prompt", Name: prompts.DiagnosePromptName}, "campaign_id"},
		{mcp.PromptReference{Type: "ref/prompt", Name: "no_such_prompt"}, "status"},
		{mcp.ResourceReference{Type: "ref/resource", URI: "instantly://other/{x}"}, "x"},
	} {
		res := complete(t, c, tc.ref, tc.arg, "da")
		if len(res.Completion.Values) != 0 {
			t.Errorf("%v %s: got %v, want none", tc.ref, tc.arg, res.Completion.Values)
		}
	}
	// The per-code resource template completes its {code}.
	res := complete(t, c, mcp.ResourceReference{Type: "ref/resource", URI: prompts.CodeURITemplate}, "code", "out")
	if diff := cmp.Diff([]string{"out_of_schedule"}, res.Completion.Values); diff != "" {
		t.Errorf("resource code completion (-want +got):\n%s", diff)
	}
}

func readResource(t *testing.T, c *client.Client, uri string) (*mcp.TextResourceContents, error) {
	t.Helper()
	req := mcp.ReadResourceRequest{}
	req.Params.URI = uri
	res, err := c.ReadResource(t.Context(), req)
	if err != nil {
		return nil, err
	}
	if len(res.Contents) != 1 {
		t.Fatalf("%s: %d contents, want 1", uri, len(res.Contents))
	}
	tc, ok := mcp.AsTextResourceContents(res.Contents[0])
	if !ok {
		t.Fatalf("%s: contents are %T, want text", uri, res.Contents[0])
	}
	return tc, nil
}

func TestCatalogResource(t *testing.T) {
	c := newClient(t)
	list, err := c.ListResources(t.Context(), mcp.ListResourcesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	// The catalog, and the overview's view (tested with the tools).
	i := slices.IndexFunc(list.Resources, func(r mcp.Resource) bool { return r.URI == prompts.CatalogURI })
	if len(list.Resources) != 2 || i < 0 || list.Resources[i].MIMEType != "text/markdown" {
		t.Fatalf("resources/list: %+v", list)
	}
	tc, err := readResource(t, c, prompts.CatalogURI)
	if err != nil {
		t.Fatal(err)
	}
	if tc.URI != prompts.CatalogURI || tc.MIMEType != "text/markdown" || tc.Text != catalog.CatalogMarkdown() {
		t.Errorf("catalog resource: uri %q mime %q, text equal to CatalogMarkdown: %v", tc.URI, tc.MIMEType, tc.Text == catalog.CatalogMarkdown())
	}
}

func TestCodeResourceTemplate(t *testing.T) {
	c := newClient(t)
	tmpls, err := c.ListResourceTemplates(t.Context(), mcp.ListResourceTemplatesRequest{})
	if err != nil || len(tmpls.ResourceTemplates) != 1 || tmpls.ResourceTemplates[0].URITemplate.Raw() != prompts.CodeURITemplate {
		t.Fatalf("resources/templates/list: %+v, %v", tmpls, err)
	}
	for _, code := range instantly.StatusCodes {
		e, _ := catalog.Lookup(code)
		tc, err := readResource(t, c, prompts.CatalogURI+"/"+code)
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		if tc.Text != catalog.EntryMarkdown(e) || tc.URI != prompts.CatalogURI+"/"+code {
			t.Errorf("%s: unexpected resource %q", code, tc.URI)
		}
	}
	if _, err := readResource(t, c, prompts.CatalogURI+"/no_such_code"); err == nil || !strings.Contains(err.Error(), "unknown sending-status code") {
		t.Errorf("unknown code: error %v", err)
	}
}
