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
	"github.com/instantly-status/instantly-status-mcp/internal/view"
)

// overviewCampaignSchema is one campaign in a group.
const overviewCampaignSchema = `{
        "type": "object",
        "required": ["id", "name", "campaign_status", "status", "severity", "title", "headline", "state", "summary"],
        "properties": {
          "id": {"type": "string"},
          "name": {"type": "string"},
          "campaign_status": {"type": "string", "description": "active, paused, ..."},
          "status": {"type": "string", "description": "Instantly's sending-status code; empty when it has no data yet"},
          "severity": {"$ref": "#/$defs/severity"},
          "title": {"type": "string"},
          "headline": {"type": "string"},
          "state": {"type": "string", "description": "The state in words: not sending, paused, accounts unhealthy, bounce protect, account suspended, waiting, sending, unknown status, no data yet"},
          "paused_by": {"type": "string", "enum": ["person", "instantly"], "description": "Set when a person (campaign status paused) or Instantly (accounts unhealthy, bounce protect, account suspended) took it out of sending"},
          "summary": {"type": "string", "description": "The one-line answer, as the text prints it"},
          "issue_first_seen_at": {"type": "string"},
          "answer": {"type": "string", "description": "deep: the concrete cause the cross-checks found"},
          "next_send_at": {"type": "string", "description": "deep: when it resumes by itself (RFC 3339 UTC)"},
          "next_send_timezone": {"type": "string", "description": "deep: the schedule's timezone"},
          "blocking_accounts": {
            "type": "array",
            "description": "deep: the senders that hold it",
            "items": {
              "type": "object",
              "required": ["email", "problem"],
              "properties": {"email": {"type": "string"}, "problem": {"type": "string"}, "detail": {"type": "string"}}
            }
          }
        }
      }`

// overviewGroupSchema is one group: its campaigns are described once, in
// $defs, for the four groups (a client compiles the schema on tools/list,
// and four copies made it 4.4 KB). The campaign's severity is a $ref too:
// AJV inlines a referenced schema that holds no $ref of its own, which
// would compile the campaign four times over; with it, once.
func overviewGroupSchema(desc string) string {
	return `{"type": "array", "description": "` + desc + `", "items": {"$ref": "#/$defs/campaign"}}`
}

var sendingOverviewOutputSchema = json.RawMessage(`{
  "type": "object",
  "$defs": {
    "campaign": ` + overviewCampaignSchema + `,
    "severity": {"type": "string", "enum": ["action_required", "waiting", "ok", "unknown"]}
  },
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
      "required": ["action_required", "paused_by_person", "paused_by_instantly", "waiting", "ok", "unknown", "failed", "not_checked"],
      "properties": {
        "action_required": {"type": "integer"},
        "paused_by_person": {"type": "integer", "description": "Of action_required: paused by a person or through the API"},
        "paused_by_instantly": {"type": "integer", "description": "Of action_required: taken out of sending by Instantly"},
        "waiting": {"type": "integer"},
        "ok": {"type": "integer"},
        "unknown": {"type": "integer"},
        "failed": {"type": "integer"},
        "not_checked": {"type": "integer"}
      }
    },
    "action_required": ` + overviewGroupSchema("Not sending: a person must act (paused_by says who stopped it, when someone did). Oldest issue first.") + `,
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
		mcp.WithDescription("Checks the sending status of every Instantly.ai campaign that matches (by default every campaign "+
			"meant to be sending: all but drafts and completed ones) and groups them: not sending and why (action required; "+
			"those paused by Instantly or by a person apart), waiting (normal pacing: limits, schedule, follow-up delays), "+
			"sending, and no data. Use it when someone asks which campaigns are not sending, for a health "+
			"check of the workspace, or before drilling into one campaign with get_campaign_sending_status. Each campaign "+
			"comes with its name, id, state, sending-status code and a one-line answer. Checks up to max_campaigns campaigns "+
			"(default 200, at most 1000) within Instantly's rate limits: about 100 campaigns per second. Read-only."),
		readOnly(title),
		mcp.WithString("status",
			mcp.Description("Only campaigns with this campaign status; \"all\" for every status. Default \"live\": "+
				"every campaign but drafts and completed ones (active, paused, running subsequences, and those Instantly took "+
				"out of sending: accounts unhealthy, bounce protect, account suspended)."),
			mcp.Enum(diagnosis.OverviewStatusNames...),
			mcp.DefaultString(diagnosis.OverviewStatusLive),
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
	// Hosts with MCP Apps show the result in this view; the others use the
	// text and structured content, which do not depend on it.
	tool.Meta = view.ToolMeta()

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
	if o.Status, errRes = overviewStatusArgument(args); errRes != nil {
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

// overviewStatusArgument reads the optional "status" filter (a name of
// diagnosis.OverviewStatusNames); "" (live) when it is not given.
func overviewStatusArgument(args map[string]any) (string, *mcp.CallToolResult) {
	return namedStatusArgument(args, diagnosis.OverviewStatusNames, func(s string) error {
		_, _, _, err := diagnosis.ParseOverviewStatus(s)
		return err
	})
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
	send := progressSender(ctx, req)
	if send == nil {
		return nil
	}
	return func(done, total, failed int) {
		p := map[string]any{"progress": done}
		if total > 0 {
			p["total"] = total
		}
		p["message"] = progressMessage(done, total, failed)
		send(p)
	}
}

// progressSender sends notifications/progress with the request's progress
// token added to p; nil when the client asked for no progress. A client
// that reads notifications too slowly loses some; no result depends on
// them.
func progressSender(ctx context.Context, req mcp.CallToolRequest) func(p map[string]any) {
	if req.Params.Meta == nil || req.Params.Meta.ProgressToken == nil {
		return nil
	}
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return nil
	}
	token := req.Params.Meta.ProgressToken
	return func(p map[string]any) {
		p["progressToken"] = token
		_ = srv.SendNotificationToClient(ctx, string(mcp.MethodNotificationProgress), p)
	}
}
