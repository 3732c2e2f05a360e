package tools

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

// overviewCampaignSchema is one campaign in a group.
const overviewCampaignSchema = `{
        "type": "object",
        "required": ["id", "name", "campaign_status", "status", "severity", "title", "headline"],
        "properties": {
          "id": {"type": "string"},
          "name": {"type": "string"},
          "campaign_status": {"type": "string", "description": "active, paused, ..."},
          "status": {"type": "string", "description": "Instantly's sending-status code; empty when it has no data yet"},
          "severity": {"type": "string", "enum": ["action_required", "waiting", "ok", "unknown"]},
          "title": {"type": "string"},
          "headline": {"type": "string"},
          "issue_first_seen_at": {"type": "string"},
          "answer": {"type": "string", "description": "deep: the concrete cause the cross-checks found"}
        }
      }`

func overviewGroupSchema(desc string) string {
	return `{"type": "array", "description": "` + desc + `", "items": ` + overviewCampaignSchema + `}`
}

var sendingOverviewOutputSchema = json.RawMessage(`{
  "type": "object",
  "required": ["filter", "matched", "matched_more", "checked", "capped", "complete", "counts",
    "action_required", "waiting", "ok", "unknown", "failed", "notes"],
  "properties": {
    "filter": {
      "type": "object",
      "required": ["status", "search", "max_campaigns"],
      "properties": {
        "status": {"type": "string"},
        "search": {"type": "string"},
        "max_campaigns": {"type": "integer"}
      }
    },
    "matched": {"type": "integer", "description": "Campaigns that match the filter (a lower bound when matched_more)"},
    "matched_more": {"type": "boolean"},
    "checked": {"type": "integer", "description": "Campaigns whose sending status was read"},
    "capped": {"type": "boolean", "description": "More campaigns matched than max_campaigns"},
    "cross_checked": {"type": "integer", "description": "deep: campaigns needing action that were cross-checked"},
    "complete": {"type": "boolean", "description": "Every matching campaign was checked"},
    "counts": {
      "type": "object",
      "required": ["action_required", "waiting", "ok", "unknown", "failed", "not_checked"],
      "properties": {
        "action_required": {"type": "integer"},
        "waiting": {"type": "integer"},
        "ok": {"type": "integer"},
        "unknown": {"type": "integer"},
        "failed": {"type": "integer"},
        "not_checked": {"type": "integer"}
      }
    },
    "action_required": ` + overviewGroupSchema("Not sending: a person must act. Oldest issue first.") + `,
    "waiting": ` + overviewGroupSchema("Normal pacing (limits, schedule, follow-up delays); clears by itself. Oldest issue first.") + `,
    "ok": ` + overviewGroupSchema("Sending.") + `,
    "unknown": ` + overviewGroupSchema("No sending data yet, or a code this server does not know.") + `,
    "failed": {
      "type": "array",
      "description": "Campaigns whose status could not be read, with why",
      "items": {
        "type": "object",
        "required": ["id", "name", "campaign_status", "error"],
        "properties": {
          "id": {"type": "string"},
          "name": {"type": "string"},
          "campaign_status": {"type": "string"},
          "error": {"type": "string"}
        }
      }
    },
    "notes": {"type": "array", "items": {"type": "string"}, "description": "Caps hit, early stops, failures"}
  }
}`)

// sendingOverview returns the get_sending_overview tool and its handler.
func (h handlers) sendingOverview() (mcp.Tool, server.ToolHandlerFunc) {
	const title = "Which Instantly campaigns are not sending?"
	tool := mcp.NewTool(catalog.ToolOverview,
		mcp.WithDescription("Checks the sending status of every Instantly.ai campaign that matches (by default every active "+
			"campaign) and groups them: not sending and why (action required), waiting (normal pacing: limits, schedule, "+
			"follow-up delays), sending, and no data. Use it when someone asks which campaigns are not sending, for a health "+
			"check of the workspace, or before drilling into one campaign with get_campaign_sending_status. Each campaign "+
			"comes with its name, id, sending-status code and a one-line headline. Checks up to max_campaigns campaigns "+
			"(default 200, at most 1000) within Instantly's rate limits: about 100 campaigns per second. Read-only."),
		readOnly(title),
		mcp.WithString("status",
			mcp.Description("Only campaigns with this campaign status; \"all\" for every status. Default \"active\"."),
			mcp.Enum(diagnosis.StatusFilterNames...),
			mcp.DefaultString("active"),
		),
		mcp.WithString("search",
			mcp.Description("Only campaigns whose name contains this text."),
			mcp.MaxLength(instantly.MaxSearchLen),
		),
		mcp.WithInteger("max_campaigns",
			mcp.Description(fmt.Sprintf("Check at most this many campaigns, the first in list order. Default %d, at most %d.",
				diagnosis.DefaultOverviewMax, diagnosis.OverviewHardCap)),
			mcp.Min(1), mcp.Max(diagnosis.OverviewHardCap), mcp.DefaultNumber(diagnosis.DefaultOverviewMax),
		),
		mcp.WithBoolean("deep",
			mcp.Description(fmt.Sprintf("Also cross-check the campaigns that need action (at most %d, oldest issue first) against "+
				"their settings, senders and leads, to name each one's concrete cause. A few more requests per such campaign. "+
				"Default false: one request per campaign.", diagnosis.DefaultOverviewDeepMax)),
			mcp.DefaultBool(false),
		),
		mcp.WithRawOutputSchema(sendingOverviewOutputSchema),
		mcp.WithToolTitle(title),
	)

	handler := func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		o, errRes := parseOverviewArgs(req.GetArguments())
		if errRes != nil {
			return errRes, nil
		}
		client, err := h.getClient(ctx)
		if err != nil {
			return h.errorResult("campaigns", err), nil
		}
		o.Progress = progressNotifier(ctx, req)
		o.Settings = h.words
		ov, err := diagnosis.BuildOverview(ctx, client, o, h.now())
		if err != nil {
			return h.errorResult("the campaign list", err), nil
		}
		if ov.AllFailed() {
			return mcp.NewToolResultError(fmt.Sprintf("Not one of the %d campaigns could be checked. %s",
				len(ov.Failed), h.words.ErrorMessage("campaign "+ov.Failed[0].ID, ov.Err()))), nil
		}
		return mcp.NewToolResultStructured(ov, diagnosis.RenderOverview(ov)), nil
	}
	return tool, handler
}

func parseOverviewArgs(args map[string]any) (diagnosis.OverviewOptions, *mcp.CallToolResult) {
	var o diagnosis.OverviewOptions
	var errRes *mcp.CallToolResult
	if o.Status, errRes = statusArgument(args); errRes != nil {
		return o, errRes
	}
	if o.Search, errRes = searchArgument(args); errRes != nil {
		return o, errRes
	}
	// Above the hard cap is lowered with a note rather than refused.
	if o.MaxCampaigns, errRes = intArgument(args, "max_campaigns", diagnosis.DefaultOverviewMax, 1, 1<<30); errRes != nil {
		return o, mcp.NewToolResultError(fmt.Sprintf("Argument \"max_campaigns\" must be a whole number from 1 to %d.", diagnosis.OverviewHardCap))
	}
	o.Deep, errRes = boolArgument(args, "deep", false)
	return o, errRes
}

// progressMessage is the text of a progress notification: "Checked 7 of 14
// campaigns, 1 failed".
func progressMessage(done, total, failed int) string {
	var msg string
	if total > 0 {
		msg = fmt.Sprintf("Checked %d of %d campaigns", done, total)
	} else {
		msg = fmt.Sprintf("Checked %d campaigns", done)
	}
	if failed > 0 {
		msg += fmt.Sprintf(", %d failed", failed)
	}
	if total == 0 {
		msg += ", still listing"
	}
	return msg
}

// progressNotifier sends notifications/progress for the request when the
// client asked for them with a progress token.
func progressNotifier(ctx context.Context, req mcp.CallToolRequest) func(done, total, failed int) {
	if req.Params.Meta == nil || req.Params.Meta.ProgressToken == nil {
		return nil
	}
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return nil
	}
	token := req.Params.Meta.ProgressToken
	return func(done, total, failed int) {
		p := map[string]any{"progressToken": token, "progress": done}
		if total > 0 {
			p["total"] = total
		}
		p["message"] = progressMessage(done, total, failed)
		// A client that reads notifications too slowly loses some; the
		// result does not depend on them.
		_ = srv.SendNotificationToClient(ctx, string(mcp.MethodNotificationProgress), p)
	}
}
