package prompts

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
	"github.com/instantly-status/instantly-status-mcp/internal/rpcerr"
)

// The prompts' names; the tool names they point to are catalog.Tool*.
const (
	RemediationPromptName    = "sending_status_remediation"
	DiagnosePromptName       = "diagnose_campaign"
	WorkspaceCheckPromptName = "workspace_sending_check"
)

// Register adds the three prompts, the catalog resource and the per-code
// resource template to s. Completion of the status argument is a server
// option (see CompletionProvider), as mcp-go takes providers only there.
func Register(s *server.MCPServer) {
	s.AddPrompt(RemediationPrompt())
	s.AddPrompt(DiagnosePrompt())
	s.AddPrompt(WorkspaceCheckPrompt())
	s.AddResource(CatalogResource())
	s.AddResourceTemplate(CodeResourceTemplate())
}

// RemediationPrompt turns one sending-status code into its remediation. With a
// campaign_id the assistant first reads the live status, so the answer rests on
// that campaign's numbers rather than on the code alone.
func RemediationPrompt() (mcp.Prompt, server.PromptHandlerFunc) {
	prompt := mcp.NewPrompt(RemediationPromptName,
		mcp.WithPromptTitle("Fix a sending-status code"),
		mcp.WithPromptDescription("Explains an Instantly sending-status code (such as daily_limit_met, out_of_schedule or "+
			"campaign_bounce_protect): what it means, whether anyone needs to act, the steps in Instantly's settings, "+
			"and how to check the fix. Add a campaign id to have the live numbers checked first."),
		mcp.WithArgument("status",
			mcp.ArgumentTitle("Sending-status code"),
			mcp.ArgumentDescription("The code Instantly reports, e.g. daily_limit_met. One of: "+strings.Join(catalog.Codes(), ", ")+"."),
			mcp.RequiredArgument(),
		),
		mcp.WithArgument("campaign_id",
			mcp.ArgumentTitle("Campaign id (optional)"),
			mcp.ArgumentDescription("The campaign's UUID, from its URL in Instantly. When given, the assistant reads the campaign's live sending status first."),
		),
	)
	handler := func(_ context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		e, err := statusArg(req.Params.Arguments)
		if err != nil {
			return nil, err
		}
		id, err := campaignIDArg(req.Params.Arguments)
		if err != nil && !errors.Is(err, errMissing) {
			return nil, err
		}
		return mcp.NewGetPromptResult(
			fmt.Sprintf("Remediation for %s: %s", e.Code, e.Title),
			[]mcp.PromptMessage{userText(remediationText(e, id))},
		), nil
	}
	return prompt, handler
}

func remediationText(e catalog.Entry, campaignID string) string {
	var b strings.Builder
	if campaignID == "" {
		fmt.Fprintf(&b, "Explain the Instantly sending status `%s` (%s) and how to resolve it, using the catalog entry below. "+
			"No campaign is named: explain the code in general, without reading any campaign's status.\n\n", e.Code, e.Title)
	} else {
		fmt.Fprintf(&b, "Explain why Instantly campaign %s reports the sending status `%s` (%s) and how to resolve it.\n\n", campaignID, e.Code, e.Title)
		fmt.Fprintf(&b, "First call the tool `%s` with `id` = %q. Then:\n", catalog.ToolCampaignStatus, campaignID)
		fmt.Fprintf(&b, "- If `diagnostics.status` is no longer `%s`, say so and explain the current code instead (its entry is the resource `%s/{code}`).\n", e.Code, CatalogURI)
		fmt.Fprintf(&b, "- Reason from the actual values of %s and quote them; skip steps the numbers rule out. A missing block is unknown, not zero.\n", catalog.CodeList(e.Confirm))
		b.WriteString("- Use `issue_tracking` to say since when the issue has lasted and when the campaign last sent.\n\n")
	}
	b.WriteString("Answer in this order:\n")
	b.WriteString("1. What it means, in one or two sentences.\n")
	fmt.Fprintf(&b, "2. Whether anyone needs to act: %s\n", severityAdvice(e))
	b.WriteString("3. The steps, in order, naming Instantly's settings exactly as quoted in the entry. Do not invent settings it does not name.\n")
	fmt.Fprintf(&b, "4. How to verify: %s\n\n", verifyAdvice(e, campaignID != ""))
	b.WriteString("---\n\n")
	b.WriteString(catalog.EntryMarkdown(e))
	return b.String()
}

// severityAdvice is the "does anyone need to act" line for an entry.
func severityAdvice(e catalog.Entry) string {
	switch e.Severity {
	case catalog.SeverityActionRequired:
		return "yes; nothing (or less than intended) is sent until someone changes something in Instantly."
	case catalog.SeverityWaiting:
		return fmt.Sprintf("no, this is normal pacing that clears by itself: %s. The steps only matter to send more or sooner.", e.ResolvesBy)
	case catalog.SeverityOK:
		return "no, the campaign is sending; the steps only matter if volume looks lower than expected."
	default:
		return "unclear; work through the checklist in order."
	}
}

// verifyAdvice is the "how to verify" line: what to read again, and what
// should have changed. With no campaign named there is nothing to call
// "again": the line says what to read in the app, and which tool reads a
// campaign's status.
func verifyAdvice(e catalog.Entry, campaignNamed bool) string {
	fields := catalog.CodeList(e.Confirm)
	if !campaignNamed {
		switch e.Severity {
		case catalog.SeverityOK:
			return fmt.Sprintf("nothing to fix; to check a campaign, call `%s` with its id and read %s.", catalog.ToolCampaignStatus, fields)
		case catalog.SeverityWaiting:
			return fmt.Sprintf("once it should have cleared, call `%s` with the campaign's id and read %s; the status should no longer be `%s`.",
				catalog.ToolCampaignStatus, fields, e.Code)
		default:
			return fmt.Sprintf("after the change (sending starts 10-15 minutes after a launch or resume), call `%s` with the campaign's id "+
				"and read %s; the status should no longer be `%s`.", catalog.ToolCampaignStatus, fields, e.Code)
		}
	}
	switch e.Severity {
	case catalog.SeverityOK:
		return fmt.Sprintf("call `%s` for the campaign and check %s; the status should stay `%s`.", catalog.ToolCampaignStatus, fields, e.Code)
	case catalog.SeverityWaiting:
		return fmt.Sprintf("after a change, or once it should have cleared by itself, call `%s` for the campaign again and check %s; the status should no longer be `%s`.",
			catalog.ToolCampaignStatus, fields, e.Code)
	default:
		return fmt.Sprintf("after the change (sending starts 10-15 minutes after a launch or resume), call `%s` for the campaign again and check %s; the status should no longer be `%s`.",
			catalog.ToolCampaignStatus, fields, e.Code)
	}
}

// DiagnosePrompt walks a full diagnosis of one campaign, from the live status
// to a verified fix.
func DiagnosePrompt() (mcp.Prompt, server.PromptHandlerFunc) {
	prompt := mcp.NewPrompt(DiagnosePromptName,
		mcp.WithPromptTitle("Diagnose a campaign that isn't sending"),
		mcp.WithPromptDescription("Full diagnosis of one Instantly campaign that is not sending or sends less than expected: "+
			"reads its live sending status and numbers, explains the cause, gives the fix step by step in Instantly's settings, "+
			"and says how to check that it worked."),
		mcp.WithArgument("campaign_id",
			mcp.ArgumentTitle("Campaign id"),
			mcp.ArgumentDescription("The campaign's UUID, from its URL in Instantly (or from list_campaigns)."),
			mcp.RequiredArgument(),
		),
	)
	handler := func(_ context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		id, err := campaignIDArg(req.Params.Arguments)
		if errors.Is(err, errMissing) {
			return nil, rpcerr.InvalidParams("missing required argument \"campaign_id\": the campaign's UUID, such as 019e18e2-9617-78c8-b2bf-2f764ab33d2b (from the campaign's URL in Instantly)")
		}
		if err != nil {
			return nil, err
		}
		return mcp.NewGetPromptResult(
			"Diagnose why campaign "+id+" is not sending",
			[]mcp.PromptMessage{userText(diagnoseText(id))},
		), nil
	}
	return prompt, handler
}

// DiagnoseFields are the members of the tool result's
// structuredContent.analysis the diagnose prompt reasons from: the answer
// the cross-checks reached, not one rebuilt from the catalog. A test checks
// each against a real result.
var DiagnoseFields = []string{"answer", "next_send_at", "next_send_timezone", "blocking_accounts", "remediation_steps", "cross_checks"}

func diagnoseText(id string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Diagnose why Instantly campaign %s is not sending, or is sending less than expected.\n\n", id)
	fmt.Fprintf(&b, "1. Call the tool `%s` with `id` = %q. It cross-checks the campaign's settings, senders and leads "+
		"and reasons from them; build on its result, in `structuredContent.analysis`, rather than on the status code alone. "+
		"If Instantly returns no diagnostics, it has no sending data yet: say so (a campaign launched or resumed in the last "+
		"10-15 minutes has not sent yet) and stop.\n", catalog.ToolCampaignStatus, id)
	b.WriteString("2. Lead with `answer`: what blocks sending, as the cross-checks found it. Say it in your words, keeping its " +
		"names and numbers; do not replace it with a generic reading of the code.\n")
	b.WriteString("3. When it sends again: `next_send_at` (UTC), told in the schedule's timezone `next_send_timezone`. " +
		"Without it, nothing resumes by itself: a person has to act.\n")
	b.WriteString("4. Who: each of `blocking_accounts` is a sender that cannot send, with its problem and detail; name them.\n")
	b.WriteString("5. The steps: `remediation_steps`, in their order. They already leave out what the numbers rule out; " +
		"add none, and keep Instantly's setting names as written.\n")
	b.WriteString("6. What could not be checked: the `cross_checks` whose `ok` is false, with their note (a missing scope, say); " +
		"mention them in one line only when they bear on the answer.\n")
	fmt.Fprintf(&b, "7. How to verify: what should change, and when to call `%s` again (sending starts 10-15 minutes after "+
		"a launch or resume).\n\n", catalog.ToolCampaignStatus)
	fmt.Fprintf(&b, "Only when the result has no `answer` (the cross-checks were off or failed) read the code's entry in the "+
		"catalog, the resource `%s/{code}`, and reason from its \"Confirm\" numbers instead.\n", CatalogURI)
	return b.String()
}

// WorkspaceCheckPrompt scans the workspace for campaigns that are not sending
// and drills into the worst.
func WorkspaceCheckPrompt() (mcp.Prompt, server.PromptHandlerFunc) {
	prompt := mcp.NewPrompt(WorkspaceCheckPromptName,
		mcp.WithPromptTitle("Check sending across all campaigns"),
		mcp.WithPromptDescription("Scans every Instantly campaign meant to be sending (all but drafts and completed ones, "+
			"paused ones included) for any that are not sending, looks closer at the worst ones, and summarises them by "+
			"severity: needs action, waiting (normal pacing), sending."),
		mcp.WithArgument("search",
			mcp.ArgumentTitle("Campaign name filter (optional)"),
			mcp.ArgumentDescription("Only check campaigns whose name matches this text."),
		),
	)
	handler := func(_ context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		search, err := searchArg(req.Params.Arguments)
		if err != nil {
			return nil, err
		}
		desc := "Check sending across every campaign meant to be sending"
		if search != "" {
			desc += " matching " + fmt.Sprintf("%q", search)
		}
		return mcp.NewGetPromptResult(desc, []mcp.PromptMessage{userText(workspaceText(search))}), nil
	}
	return prompt, handler
}

func workspaceText(search string) string {
	var b strings.Builder
	b.WriteString("Check which Instantly campaigns in this workspace are not sending, and why.\n\n")
	if search == "" {
		fmt.Fprintf(&b, "1. Call the tool `%s` without `status`: by default it checks every campaign meant to be sending "+
			"(all but drafts and completed ones), including those paused by a person and those Instantly took out of sending.\n",
			catalog.ToolOverview)
	} else {
		fmt.Fprintf(&b, "1. Call the tool `%s` with `search` = %q and without `status`: by default it checks every matching "+
			"campaign meant to be sending (all but drafts and completed ones), paused ones included.\n", catalog.ToolOverview, search)
	}
	b.WriteString("2. Sort the campaigns by the severity of their sending-status code (listed below): action_required first, " +
		"then waiting, then ok; a code not listed is unknown and goes with action_required. Keep apart the campaigns " +
		"Instantly took out of sending (`paused_by` = \"instantly\": accounts unhealthy, bounce protect, account suspended) " +
		"and those paused by a person or through the API (`paused_by` = \"person\").\n")
	fmt.Fprintf(&b, "3. For the worst, at most 5, call `%s` with the campaign's `id`: every action_required campaign first, "+
		"longest-lasting issue first, then waiting campaigns whose issue has lasted more than a day "+
		"(a limit or schedule that never clears usually hides a setting to fix).\n", catalog.ToolCampaignStatus)
	b.WriteString("4. Summarise by severity. For each campaign that needs action: name, code, since when, the cause in the numbers, " +
		"and the first step. List waiting campaigns briefly with when they clear, and give only a count of the campaigns that are sending.\n\n")
	b.WriteString("Severity of each code:\n")
	for _, e := range catalog.Catalog() {
		fmt.Fprintf(&b, "- `%s` (%s): %s\n", e.Code, e.Severity, e.Title)
	}
	return b.String()
}

func userText(text string) mcp.PromptMessage {
	return mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(text))
}
