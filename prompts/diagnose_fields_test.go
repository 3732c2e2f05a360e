package prompts_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/prompts"
)

// Every member of the analysis the diagnose prompt tells the model to read
// is one the shipped server's get_campaign_sending_status does return: the
// demo workspace's campaigns, through a real client, between them show each.
func TestDiagnoseFieldsAreInTheResult(t *testing.T) {
	fake := instantlytest.NewServer(instantlytest.DemoWorkspace(time.Now()))
	t.Cleanup(fake.Close)
	api, err := instantly.NewClient("sk_test_prompt_fields_0000", instantly.WithBaseURL(fake.URL))
	if err != nil {
		t.Fatal(err)
	}
	c := newClientFor(t, func(context.Context) (*instantly.Client, error) { return api, nil })

	seen := map[string]bool{}
	for _, d := range instantlytest.DemoCampaigns {
		if d.Kind != "campaign" {
			continue
		}
		req := mcp.CallToolRequest{}
		req.Params.Name = "get_campaign_sending_status"
		req.Params.Arguments = map[string]any{"id": d.ID}
		res, err := c.CallTool(t.Context(), req)
		if err != nil || res.IsError {
			t.Fatalf("%s: %v %v", d.ID, err, res)
		}
		raw, _ := json.Marshal(res.StructuredContent)
		var sc struct {
			Analysis map[string]json.RawMessage `json:"analysis"`
		}
		if err := json.Unmarshal(raw, &sc); err != nil {
			t.Fatal(err)
		}
		for k := range sc.Analysis {
			seen[k] = true
		}
	}
	for _, f := range prompts.DiagnoseFields {
		if !seen[f] {
			t.Errorf("the diagnose prompt reads analysis.%s, which no demo result holds (members seen: %v)", f, seen)
		}
	}
}
