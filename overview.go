package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/prompts"
	"github.com/instantly-status/instantly-status-mcp/tools"
)

const overviewUsage = `usage: instantly-status-mcp overview [flags]

Prints the sending status of every matching campaign, grouped: not sending
(action required), unknown / no data, waiting (normal pacing), sending. The
same report as the MCP tool get_sending_overview. Reads INSTANTLY_API_KEY,
INSTANTLY_BASE_URL, INSTANTLY_TIMEOUT. Stays within Instantly's rate limits
(100 requests/s, 6,000/min): 1,000 campaigns take about 12 s.

Exit codes: 0 all sending (or none matched), 4 any campaign needs action,
1 errors (some campaigns could not be checked, API, network, configuration),
5 worst is unknown / no data, 3 worst is waiting, 2 usage error.

Flags:
`

func runOverview(ctx context.Context, args []string, environ map[string]string, stdout, stderr io.Writer) int {
	cmd, code := newCommand("overview", overviewUsage, environ, stdout, stderr)
	if cmd == nil {
		return code
	}
	fs := cmd.fs
	status := fs.String("status", "active", "campaign status to check: draft, active, paused, completed, running_subsequences, accounts_unhealthy, bounce_protect, account_suspended, or all")
	search := fs.String("search", "", "only campaigns whose name contains this text")
	maxCampaigns := fs.Int("max", tools.DefaultOverviewMax, fmt.Sprintf("check at most this many campaigns (at most %d)", tools.OverviewHardCap))
	asJSON := fs.Bool("json", false, "print the structured result as JSON")
	deep := fs.Bool("deep", false, fmt.Sprintf("also cross-check the campaigns that need action (at most %d) to name each one's cause", tools.DefaultOverviewDeepMax))
	if code, done := cmd.parse(args); done {
		return code
	}
	if fs.NArg() != 0 {
		return cmd.fail(exitUsage, "unexpected argument %q (see overview -h)", truncate(fs.Arg(0), 40))
	}
	if _, _, err := tools.ParseCampaignStatusFilter(*status); err != nil {
		return cmd.fail(exitUsage, "-status: %v", err)
	}
	if *maxCampaigns < 1 {
		return cmd.fail(exitUsage, "-max must be between 1 and %d", tools.OverviewHardCap)
	}
	client, code := cmd.client("")
	if client == nil {
		return code
	}
	cfg := cmd.cfg

	ov, err := tools.BuildOverview(ctx, client, tools.OverviewOptions{
		Status: *status, Search: *search, MaxCampaigns: *maxCampaigns, MaxName: "-max",
		Deep: *deep, Budget: cfg.CrossCheckBudget,
	}, time.Now())
	if err != nil {
		return cmd.fail(exitError, "%s", tools.ErrorMessage("the campaign list", err))
	}
	if *asJSON {
		if code := cmd.printJSON(ov); code != exitOK {
			return code
		}
	} else {
		fmt.Fprint(stdout, instantly.Redact(tools.RenderOverview(ov), cfg.APIKey))
	}
	if ov.AllFailed() {
		return cmd.fail(exitError, "not one of the %d campaigns could be checked: %s", len(ov.Failed), ov.Failed[0].Error)
	}
	return overviewExit(ov)
}

// overviewExit: action required wins (someone must act, whatever else went
// wrong); then errors, as an incomplete check cannot say all is well; then
// the worst severity found.
func overviewExit(ov *tools.Overview) int {
	worst := ov.Worst()
	switch {
	case worst == prompts.SeverityActionRequired:
		return exitActionRequired
	case ov.Err() != nil:
		return exitError
	case worst == prompts.SeverityUnknown:
		return exitUnknown
	case worst == prompts.SeverityWaiting:
		return exitWaiting
	default:
		return exitOK
	}
}
