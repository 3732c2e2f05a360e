package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/prompts"
)

// Limits of the sending overview.
const (
	// DefaultOverviewMax is how many campaigns an overview checks unless told
	// otherwise.
	DefaultOverviewMax = 200
	// OverviewHardCap is the most campaigns one overview checks: 1,000
	// status calls take about 12 s within Instantly's 100 requests/s.
	OverviewHardCap = 1000
	// DefaultOverviewWorkers is how many sending statuses are fetched at
	// once. The client's per-key rate limiter, not this number, keeps the
	// overview within Instantly's limits; enough workers keep the limiter's
	// budget busy while answers are on their way.
	DefaultOverviewWorkers = 16
	// DefaultOverviewRetryPause is the pause before campaigns that failed
	// on a temporary error (instantly.IsTemporary) are tried once more.
	DefaultOverviewRetryPause = time.Second

	overviewPageSize = 100
	// overviewMaxPages bounds the listing: past 10,000 matching campaigns
	// the count is "more than".
	overviewMaxPages = 100
	// maxRetryAfterWait is the longest Retry-After the overview waits out
	// before its retry pass; beyond it the campaigns are reported failed.
	maxRetryAfterWait = 5 * time.Second
)

// OverviewOptions select the campaigns of BuildOverview.
type OverviewOptions struct {
	// Status is a campaign status name (see ParseCampaignStatusFilter), or
	// "all"; "" means "active".
	Status string
	// Search keeps the campaigns whose name contains it.
	Search string
	// MaxCampaigns is how many campaigns to check at most: 0 means
	// DefaultOverviewMax, more than OverviewHardCap is lowered to it (with a
	// note), negative is an error.
	MaxCampaigns int
	// MaxName is how the cap is called in the note when it is hit
	// ("max_campaigns" by default; the command line says "-max").
	MaxName string
	// Workers is how many statuses are fetched at once (default
	// DefaultOverviewWorkers).
	Workers int
	// RetryPause is the pause before the retry pass (default
	// DefaultOverviewRetryPause).
	RetryPause time.Duration
	// Progress, when set, is called from a single goroutine each time a few
	// more campaigns are done (checked or given up), with how many are done
	// and how many will be checked (0 while the campaigns are still being
	// listed). done only grows.
	Progress func(done, total int)
	// Deep cross-checks the campaigns that need action (oldest issue
	// first, at most DeepMax of them, default DefaultOverviewDeepMax) within
	// Budget requests each (default DefaultCrossCheckBudget). Off by
	// default: the overview stays one request per campaign.
	Deep    bool
	DeepMax int
	Budget  int
}

// DefaultOverviewDeepMax is how many campaigns a deep overview cross-checks.
const DefaultOverviewDeepMax = 10

// OverviewCampaign is one checked campaign of an overview.
type OverviewCampaign struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// CampaignStatus is the campaign's status name (active, paused, ...).
	CampaignStatus string `json:"campaign_status"`
	// Status is Instantly's sending-status code, "" when it has no data yet.
	Status   string           `json:"status"`
	Severity prompts.Severity `json:"severity"`
	Title    string           `json:"title"`
	Headline string           `json:"headline"`
	// IssueFirstSeenAt is when Instantly first saw the current issue.
	IssueFirstSeenAt string `json:"issue_first_seen_at,omitempty"`
	// Answer is the concrete cause a deep overview found (cross-checks).
	Answer string `json:"answer,omitempty"`

	brief string // the headline without its severity lead, for the text
}

// OverviewFailure is a campaign whose sending status could not be read.
type OverviewFailure struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	CampaignStatus string `json:"campaign_status"`
	Error          string `json:"error"`

	err error
}

// OverviewCounts are the sizes of the groups.
type OverviewCounts struct {
	ActionRequired int `json:"action_required"`
	Waiting        int `json:"waiting"`
	OK             int `json:"ok"`
	Unknown        int `json:"unknown"`
	Failed         int `json:"failed"`
	// NotChecked are matching campaigns left out: over the cap, or not
	// reached before a cancellation or a listing failure.
	NotChecked int `json:"not_checked"`
}

// OverviewFilter echoes what was asked.
type OverviewFilter struct {
	Status       string `json:"status"`
	Search       string `json:"search"`
	MaxCampaigns int    `json:"max_campaigns"`
}

// Overview is the sending status of every campaign that matched, grouped by
// severity. It is the structured content of get_sending_overview and what the
// overview command prints.
type Overview struct {
	Filter OverviewFilter `json:"filter"`
	// Matched is how many campaigns match the filter; a lower bound when
	// MatchedMore is set (the listing stopped early).
	Matched     int  `json:"matched"`
	MatchedMore bool `json:"matched_more"`
	// Checked is how many sending statuses were read (the four groups).
	Checked int `json:"checked"`
	// Capped is set when more campaigns matched than were checked because
	// of MaxCampaigns.
	Capped bool `json:"capped"`
	// CrossChecked is how many campaigns a deep overview cross-checked.
	CrossChecked int `json:"cross_checked,omitempty"`
	// Complete is set when every matching campaign was checked.
	Complete       bool               `json:"complete"`
	Counts         OverviewCounts     `json:"counts"`
	ActionRequired []OverviewCampaign `json:"action_required"`
	Waiting        []OverviewCampaign `json:"waiting"`
	OK             []OverviewCampaign `json:"ok"`
	Unknown        []OverviewCampaign `json:"unknown"`
	Failed         []OverviewFailure  `json:"failed"`
	Notes          []string           `json:"notes"`

	listErr error // a page after the first failed
	ctxErr  error // cancelled or out of time
}

// Err says why the overview is incomplete through no choice of the caller:
// the first campaign that could not be checked, a listing that failed
// part-way, or the cancellation. nil when only the cap left campaigns out.
func (o *Overview) Err() error {
	switch {
	case len(o.Failed) > 0:
		return o.Failed[0].err
	case o.listErr != nil:
		return o.listErr
	default:
		return o.ctxErr
	}
}

// AllFailed reports whether campaigns matched but not one could be checked
// because of errors; the overview then says nothing useful.
func (o *Overview) AllFailed() bool {
	return o.Checked == 0 && len(o.Failed) > 0
}

// Worst is the most severe group with a campaign in it, in the order
// action_required, unknown, waiting, ok; "" when nothing was checked.
func (o *Overview) Worst() prompts.Severity {
	switch {
	case o.Counts.ActionRequired > 0:
		return prompts.SeverityActionRequired
	case o.Counts.Unknown > 0:
		return prompts.SeverityUnknown
	case o.Counts.Waiting > 0:
		return prompts.SeverityWaiting
	case o.Counts.OK > 0:
		return prompts.SeverityOK
	}
	return ""
}

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

// GetSendingOverview returns the get_sending_overview tool and its handler.
func GetSendingOverview(getClient ClientFunc, now func() time.Time) (mcp.Tool, server.ToolHandlerFunc) {
	const title = "Which Instantly campaigns are not sending?"
	tool := mcp.NewTool("get_sending_overview",
		mcp.WithDescription("Checks the sending status of every Instantly.ai campaign that matches (by default every active "+
			"campaign) and groups them: not sending and why (action required), waiting (normal pacing: limits, schedule, "+
			"follow-up delays), sending, and no data. Use it when someone asks which campaigns are not sending, for a health "+
			"check of the workspace, or before drilling into one campaign with get_campaign_sending_status. Each campaign "+
			"comes with its name, id, sending-status code and a one-line headline. Checks up to max_campaigns campaigns "+
			"(default 200, at most 1000) within Instantly's rate limits: about 100 campaigns per second. Read-only."),
		readOnly(title),
		mcp.WithString("status",
			mcp.Description("Only campaigns with this campaign status; \"all\" for every status. Default \"active\"."),
			mcp.Enum(statusFilterEnum...),
			mcp.DefaultString("active"),
		),
		mcp.WithString("search",
			mcp.Description("Only campaigns whose name contains this text."),
			mcp.MaxLength(instantly.MaxSearchLen),
		),
		mcp.WithInteger("max_campaigns",
			mcp.Description(fmt.Sprintf("Check at most this many campaigns, the first in list order. Default %d, at most %d.",
				DefaultOverviewMax, OverviewHardCap)),
			mcp.Min(1), mcp.Max(OverviewHardCap), mcp.DefaultNumber(DefaultOverviewMax),
		),
		mcp.WithBoolean("deep",
			mcp.Description(fmt.Sprintf("Also cross-check the campaigns that need action (at most %d, oldest issue first) against "+
				"their settings, senders and leads, to name each one's concrete cause. A few more requests per such campaign. "+
				"Default false: one request per campaign.", DefaultOverviewDeepMax)),
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
		client, err := getClient(ctx)
		if err != nil {
			return ErrorResult("campaigns", err), nil
		}
		o.Progress = progressNotifier(ctx, req)
		ov, err := BuildOverview(ctx, client, o, now())
		if err != nil {
			return ErrorResult("the campaign list", err), nil
		}
		if ov.AllFailed() {
			return mcp.NewToolResultError(fmt.Sprintf("Not one of the %d campaigns could be checked. %s",
				len(ov.Failed), ErrorMessage("campaign "+ov.Failed[0].ID, ov.Failed[0].err))), nil
		}
		return mcp.NewToolResultStructured(ov, RenderOverview(ov)), nil
	}
	return tool, handler
}

func parseOverviewArgs(args map[string]any) (OverviewOptions, *mcp.CallToolResult) {
	var o OverviewOptions
	if v, ok := args["status"]; ok && v != nil {
		s, ok := v.(string)
		if !ok {
			return o, mcp.NewToolResultError(fmt.Sprintf("Argument \"status\" must be a string, one of %s; not %s.",
				strings.Join(statusFilterEnum, ", "), jsonTypeName(v)))
		}
		if strings.TrimSpace(s) != "" {
			if _, _, err := ParseCampaignStatusFilter(s); err != nil {
				return o, mcp.NewToolResultError("Argument \"status\": " + err.Error() + ".")
			}
		}
		o.Status = s
	}
	search, errRes := searchArgument(args)
	if errRes != nil {
		return o, errRes
	}
	o.Search = search
	// Above the hard cap is lowered with a note rather than refused.
	n, errRes := intArgument(args, "max_campaigns", DefaultOverviewMax, 1, 1<<30)
	if errRes != nil {
		return o, mcp.NewToolResultError(fmt.Sprintf("Argument \"max_campaigns\" must be a whole number from 1 to %d.", OverviewHardCap))
	}
	o.MaxCampaigns = n
	if v, ok := args["deep"]; ok && v != nil {
		b, ok := v.(bool)
		if !ok {
			return o, mcp.NewToolResultError(fmt.Sprintf("Argument \"deep\" must be true or false, not %s.", jsonTypeName(v)))
		}
		o.Deep = b
	}
	return o, nil
}

// progressNotifier sends notifications/progress for the request when the
// client asked for them with a progress token.
func progressNotifier(ctx context.Context, req mcp.CallToolRequest) func(done, total int) {
	if req.Params.Meta == nil || req.Params.Meta.ProgressToken == nil {
		return nil
	}
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return nil
	}
	token := req.Params.Meta.ProgressToken
	return func(done, total int) {
		p := map[string]any{"progressToken": token, "progress": done}
		if total > 0 {
			p["total"] = total
			p["message"] = fmt.Sprintf("Checked %d of %d campaigns", done, total)
		} else {
			p["message"] = fmt.Sprintf("Checked %d campaigns, still listing", done)
		}
		// A client that reads notifications too slowly loses some; the
		// result does not depend on them.
		_ = srv.SendNotificationToClient(ctx, string(mcp.MethodNotificationProgress), p)
	}
}
