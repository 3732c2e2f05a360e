package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

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
	cfg, err := loadConfig(environ)
	if err != nil {
		fmt.Fprintf(stderr, "overview: %v\n", err)
		return exitUsage
	}
	fs := flag.NewFlagSet("overview", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, overviewUsage); fs.PrintDefaults() }
	status := fs.String("status", "active", "campaign status to check: draft, active, paused, completed, running_subsequences, accounts_unhealthy, bounce_protect, account_suspended, or all")
	search := fs.String("search", "", "only campaigns whose name contains this text")
	maxCampaigns := fs.Int("max", tools.DefaultOverviewMax, fmt.Sprintf("check at most this many campaigns (at most %d)", tools.OverviewHardCap))
	asJSON := fs.Bool("json", false, "print the structured result as JSON")
	fs.BoolVar(&cfg.Demo, "demo", cfg.Demo, "use the built-in demo workspace (no API key needed)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "overview: unexpected argument %q (see overview -h)\n", truncate(fs.Arg(0), 40))
		return exitUsage
	}
	if _, _, err := tools.ParseCampaignStatusFilter(*status); err != nil {
		fmt.Fprintf(stderr, "overview: -status: %v\n", err)
		return exitUsage
	}
	if *maxCampaigns < 1 {
		fmt.Fprintf(stderr, "overview: -max must be between 1 and %d\n", tools.OverviewHardCap)
		return exitUsage
	}
	if err := cfg.validate(); err != nil {
		fmt.Fprintf(stderr, "overview: %v\n", err)
		return exitUsage
	}
	client, err := newInstantlyClient(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "overview: %s\n", redact(err.Error(), cfg.APIKey))
		return exitError
	}
	if !cfg.Demo && cfg.APIKey == "" {
		fmt.Fprintln(stderr, "overview: INSTANTLY_API_KEY is not set (or try the demo: overview -demo)")
		return exitError
	}

	ov, err := tools.BuildOverview(ctx, client, tools.OverviewOptions{
		Status: *status, Search: *search, MaxCampaigns: *maxCampaigns, MaxName: "-max",
	}, time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "overview: %s\n", oneLineErr(redact(tools.ErrorMessage("the campaign list", err), cfg.APIKey)))
		return exitError
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(ov); err != nil {
			fmt.Fprintf(stderr, "overview: %v\n", err)
			return exitError
		}
	} else {
		fmt.Fprint(stdout, redact(tools.RenderOverview(ov), cfg.APIKey))
	}
	if ov.AllFailed() {
		fmt.Fprintf(stderr, "overview: not one of the %d campaigns could be checked: %s\n", len(ov.Failed),
			oneLineErr(redact(ov.Failed[0].Error, cfg.APIKey)))
		return exitError
	}
	return overviewExit(ov)
}

// overviewExit: action required wins (someone must act, whatever else went
// wrong); then errors, as an incomplete check cannot say all is well; then
// the worst severity found.
func overviewExit(ov *tools.Overview) int {
	worst := prompts.Severity(ov.Worst())
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
