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

// uuidPattern is declared beside format: uuid because mcp-go (and many clients)
// do not enforce format; the handler parses the id again in any case.
const uuidPattern = `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`

// statusKind describes the two sending-status endpoints, which share a schema.
type statusKind struct {
	kind     string // "campaign" | "subsequence"
	toolName string
	title    string
	desc     string
}

var campaignKind = statusKind{
	kind:     "campaign",
	toolName: catalog.ToolCampaignStatus,
	title:    "Why isn't my Instantly campaign sending?",
	desc: "Explains why an Instantly.ai campaign is not sending, or sending slower than expected, and what to do about it. " +
		"Use it when someone asks why a campaign is not sending, is stuck, paused, slow, or sent fewer emails than expected. " +
		"Returns Instantly's sending-status code (e.g. daily_limit_met, out_of_schedule, campaign_accounts_unhealthy), the numbers " +
		"behind it (accounts available, sent today vs limit, follow-ups waiting, how long the issue has lasted), the concrete cause " +
		"found by cross-checking the campaign's settings, sending accounts and leads (which accounts and their SMTP errors, " +
		"when it resumes in the schedule's timezone, how many leads are left) and remediation steps that fit those facts. Needs the campaign's UUID (from its URL in Instantly, or list_campaigns). " +
		"Read-only.",
}

var subsequenceKind = statusKind{
	kind:     "subsequence",
	toolName: catalog.ToolSubsequenceStatus,
	title:    "Why isn't my Instantly subsequence sending?",
	desc: "The same diagnosis as get_campaign_sending_status, for an Instantly subsequence (the follow-up sequence that " +
		"leads enter on a reply or status change). Use it when the question is about a subsequence id rather than a campaign. " +
		"Returns the sending-status code, the numbers behind it and remediation steps. Read-only.",
}

// sendingStatusTool returns get_campaign_sending_status or
// get_subsequence_sending_status and its handler.
func (h handlers) sendingStatusTool(k statusKind) (mcp.Tool, server.ToolHandlerFunc) {
	tool := mcp.NewTool(k.toolName,
		mcp.WithDescription(k.desc),
		readOnly(k.title),
		mcp.WithString("id",
			mcp.Required(),
			mcp.Description(fmt.Sprintf("The %s's id, a UUID such as 0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.", k.kind)),
			mcp.Pattern(uuidPattern),
			mcp.MinLength(36),
			mcp.MaxLength(36),
			func(m map[string]any) { m["format"] = "uuid" },
		),
		mcp.WithBoolean("with_ai_summary",
			mcp.Description("Also ask Instantly for its AI-written plain-English summary (slower). Default false."),
			mcp.DefaultBool(false),
		),
		mcp.WithBoolean("cross_check",
			mcp.Description("Cross-check the status against the campaign's settings, sending accounts and leads, to name the concrete cause "+
				"(which senders, which setting, when it resumes). Default true: a few more requests (at most "+
				fmt.Sprint(diagnosis.DefaultCrossCheckBudget)+" in all, by default), in one round trip for most codes, two or three for the rest. "+
				"false returns the one-request answer, for agents that poll."),
			mcp.DefaultBool(true),
		),
		mcp.WithRawOutputSchema(sendingStatusOutputSchema()),
		mcp.WithToolTitle(k.title),
	)

	// h.facts: slow-changing facts (domain vitals, tag names, ...) are
	// reused across diagnoses, per API key, for a few minutes; a campaign
	// just listed tells which checks to start early.
	handler := func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		args, errRes := h.parseStatusArgs(req, k.kind)
		if errRes != nil {
			return errRes, nil
		}
		what := k.kind + " " + args.id
		client, err := h.getClient(ctx)
		if err != nil {
			return h.errorResult(what, err), nil
		}
		t := h.now()
		res, err := diagnosis.Diagnose(ctx, client, k.kind, args.id, diagnosis.DiagnoseOptions{
			WithAISummary: args.withAISummary, CrossCheck: args.crossCheck, Budget: h.budget, Settings: h.words, Cache: h.facts,
		}, t)
		if err != nil {
			return h.errorResult(what, err), nil
		}
		// Encoded once here and handed on as raw JSON.
		raw, err := res.MarshalJSON()
		if err != nil {
			return h.errorResult(what, err), nil
		}
		return mcp.NewToolResultStructured(json.RawMessage(raw), diagnosis.RenderMarkdown(res, t)), nil
	}
	return tool, handler
}

type statusArgs struct {
	id            string
	withAISummary bool
	crossCheck    bool
}

// parseStatusArgs checks the arguments by hand: a wrong type or a bad id is a
// tool error the model can correct, and nothing but a canonical UUID goes on.
func (h handlers) parseStatusArgs(req mcp.CallToolRequest, kind string) (statusArgs, *mcp.CallToolResult) {
	var out statusArgs
	args := req.GetArguments()
	raw, ok := args["id"]
	if !ok || raw == nil {
		return out, mcp.NewToolResultError(fmt.Sprintf("Missing required argument \"id\": the %s's UUID. "+
			"Copy it from the %s's URL in Instantly, or find it with list_campaigns.", kind, kind))
	}
	s, ok := raw.(string)
	if !ok {
		return out, mcp.NewToolResultError(fmt.Sprintf("Argument \"id\" must be a string holding the %s's UUID, not %s.", kind, jsonTypeName(raw)))
	}
	id, err := instantly.ParseID(s)
	if err != nil {
		return out, h.errorResult(kind, err)
	}
	out.id = id
	var errRes *mcp.CallToolResult
	if out.withAISummary, errRes = boolArgument(args, "with_ai_summary", false); errRes != nil {
		return out, errRes
	}
	out.crossCheck, errRes = boolArgument(args, "cross_check", true)
	return out, errRes
}
