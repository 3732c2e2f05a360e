package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

const (
	maxCursorLen = 200 // a UUID, a timestamp or an email in Instantly's APIs
	defaultLimit = 20
)

var listCampaignsOutputSchema = json.RawMessage(`{
  "type": "object",
  "required": ["campaigns", "next_starting_after"],
  "properties": {
    "campaigns": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["id", "name", "status", "daily_limit", "timestamp_created", "timestamp_updated"],
        "properties": {
          "id": {"type": "string", "description": "The campaign's UUID, for get_campaign_sending_status"},
          "name": {"type": "string"},
          "status": {"type": "string", "description": "Campaign status: draft, active, paused, completed, running_subsequences, accounts_unhealthy, bounce_protect, account_suspended (status_<n> for a number this server does not know)"},
          "daily_limit": {"type": ["number", "null"], "description": "The campaign's daily sending limit, null when not set"},
          "timestamp_created": {"type": "string"},
          "timestamp_updated": {"type": "string"}
        }
      }
    },
    "next_starting_after": {"type": ["string", "null"], "description": "Pass as starting_after for the next page; null on the last page"}
  }
}`)

// listCampaigns returns the list_campaigns tool and its handler.
func (h handlers) listCampaigns() (mcp.Tool, server.ToolHandlerFunc) {
	const title = "Find Instantly campaigns"
	tool := mcp.NewTool(catalog.ToolListCampaigns,
		mcp.WithDescription("Lists the Instantly.ai campaigns of the workspace, to find a campaign's id by its name or to see "+
			"which campaigns are active, paused, and so on. Use it when someone names a campaign instead of giving its id, "+
			"before calling get_campaign_sending_status. Returns each campaign's id, name, status, daily limit and when it "+
			"was created and last changed, one page at a time. To check the sending status of many campaigns at once, use "+
			"get_sending_overview instead. Read-only."),
		readOnly(title),
		mcp.WithString("search",
			mcp.Description("Only campaigns whose name contains this text, e.g. \"Black Friday\"."),
			mcp.MaxLength(instantly.MaxSearchLen),
		),
		mcp.WithString("status",
			mcp.Description("Only campaigns with this status. Default: all."),
			mcp.Enum(diagnosis.StatusFilterNames...),
		),
		mcp.WithInteger("limit",
			mcp.Description("Campaigns per page, 1 to 100. Default 20."),
			mcp.Min(1), mcp.Max(100), mcp.DefaultNumber(defaultLimit),
		),
		mcp.WithString("starting_after",
			mcp.Description("The next_starting_after of the previous page, to get the next one."),
			mcp.MaxLength(maxCursorLen),
		),
		mcp.WithRawOutputSchema(listCampaignsOutputSchema),
		mcp.WithToolTitle(title),
	)

	handler := func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		opts, statusName, errRes := parseListArgs(req.GetArguments())
		if errRes != nil {
			return errRes, nil
		}
		client, err := h.getClient(ctx)
		if err != nil {
			return h.errorResult("campaigns", err), nil
		}
		page, err := client.ListCampaigns(ctx, opts)
		if err != nil {
			return h.errorResult("campaigns", err), nil
		}
		h.facts.RememberCampaigns(client.KeyHash(), page.Items, h.now())
		res := diagnosis.CampaignList{Campaigns: make([]diagnosis.CampaignListItem, 0, len(page.Items))}
		for _, c := range page.Items {
			res.Campaigns = append(res.Campaigns, diagnosis.CampaignListItem{
				ID: c.ID, Name: c.Name, Status: diagnosis.CampaignStatusName(c.Status), DailyLimit: c.DailyLimit,
				TimestampCreated: c.TimestampCreated, TimestampUpdated: c.TimestampUpdated,
			})
		}
		if page.NextStartingAfter != "" {
			next := page.NextStartingAfter
			res.NextStartingAfter = &next
		}
		return mcp.NewToolResultStructured(res, diagnosis.RenderCampaignList(res, opts, statusName, h.now())), nil
	}
	return tool, handler
}

// parseListArgs checks the arguments of list_campaigns by hand: every wrong
// value is a tool error that says what would be right.
func parseListArgs(args map[string]any) (*instantly.ListCampaignsOptions, string, *mcp.CallToolResult) {
	opts := &instantly.ListCampaignsOptions{Limit: defaultLimit}
	var errRes *mcp.CallToolResult
	if opts.Search, errRes = searchArgument(args); errRes != nil {
		return nil, "", errRes
	}

	statusName := diagnosis.CampaignStatusAll
	status, errRes := statusArgument(args)
	if errRes != nil {
		return nil, "", errRes
	}
	if status != "" {
		opts.Status, statusName, _ = diagnosis.ParseCampaignStatusFilter(status)
	}

	if opts.Limit, errRes = intArgument(args, "limit", defaultLimit, 1, 100); errRes != nil {
		return nil, "", errRes
	}

	if v, ok := args["starting_after"]; ok && v != nil {
		s, ok := v.(string)
		if !ok {
			return nil, "", mcp.NewToolResultError(fmt.Sprintf("Argument \"starting_after\" must be a string (the next_starting_after of the previous page), not %s.", jsonTypeName(v)))
		}
		s = strings.TrimSpace(s)
		if len(s) > maxCursorLen || strings.IndexFunc(s, unicode.IsControl) >= 0 {
			return nil, "", mcp.NewToolResultError("Argument \"starting_after\" is not a cursor: pass the next_starting_after of the previous page unchanged.")
		}
		opts.StartingAfter = s
	}
	return opts, statusName, nil
}
