package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/app"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

const overviewUsage = `usage: instantly-status-mcp overview [flags]

Prints the sending status of every matching campaign, one line each, grouped:
paused by Instantly, not sending (action required), paused by a person or
through the API, unknown / no data, waiting (normal pacing), sending. By
default every campaign meant to be sending: all but drafts and completed ones.
The same report as the MCP tool get_sending_overview. Reads INSTANTLY_API_KEY,
INSTANTLY_BASE_URL, INSTANTLY_TIMEOUT. Stays within Instantly's rate limits
(100 requests/s, 6,000/min): 1,000 campaigns take about 12 s.

Exit codes: 0 overview printed, 1 errors (some campaigns could not be checked,
API, network, configuration), 2 usage error. With -exit-code, the worst status
found: 4 any campaign needs action, then 1 errors, 5 worst is unknown / no data
or not every matching campaign was checked (-max), 3 worst is waiting, 0 all
sending (or none matched).

Flags:
`

func runOverview(ctx context.Context, args []string, environ map[string]string, stdout, stderr io.Writer) int {
	cmd, code := newCommand("overview", overviewUsage, environ, stdout, stderr)
	if cmd == nil {
		return code
	}
	fs := cmd.fs
	status := fs.String("status", diagnosis.OverviewStatusLive, "campaigns to check: live (all but drafts and completed), draft, active, paused, completed, running_subsequences, accounts_unhealthy, bounce_protect, account_suspended, or all")
	search := fs.String("search", "", "only campaigns whose name contains this text")
	maxCampaigns := fs.Int("max", diagnosis.DefaultOverviewMax, fmt.Sprintf("check at most this many campaigns (at most %d)", diagnosis.OverviewHardCap))
	asJSON := fs.Bool("json", false, "print the structured result as JSON")
	deep := fs.Bool("deep", false, fmt.Sprintf("also cross-check the campaigns that need action (at most %d) to name each one's cause", diagnosis.DefaultOverviewDeepMax))
	if code, done := cmd.parse(args); done {
		return code
	}
	if len(cmd.args) != 0 {
		return cmd.fail(ExitUsage, "unexpected argument %s (see overview -h)", app.QuoteArg(cmd.args[0], 40, cmd.cfg.APIKey))
	}
	if _, _, _, err := diagnosis.ParseOverviewStatus(*status); err != nil {
		return cmd.fail(ExitUsage, "-status: %v", err)
	}
	if *maxCampaigns < 1 {
		return cmd.fail(ExitUsage, "-max must be between 1 and %d", diagnosis.OverviewHardCap)
	}
	client, code := cmd.client("")
	if client == nil {
		return code
	}
	cfg := cmd.cfg

	opts := diagnosis.OverviewOptions{
		Status: *status, Search: *search, MaxCampaigns: *maxCampaigns, MaxName: "-max",
		Deep: *deep, Budget: cfg.CrossCheckBudget, Settings: app.CLISettings,
	}
	var progress *progressLine
	if isTerminal(stderr) {
		progress = &progressLine{w: stderr, max: *maxCampaigns}
		opts.Progress = progress.update
	}
	ov, err := diagnosis.BuildOverview(ctx, client, opts, time.Now())
	progress.done()
	if err != nil {
		return cmd.fail(ExitError, "%s", app.CLISettings.ErrorMessage("the campaign list", err))
	}
	if *asJSON {
		if code := cmd.printJSON(ov); code != ExitOK {
			return code
		}
	} else {
		cmd.print(instantly.Redact(diagnosis.CLIText(diagnosis.RenderOverview(ov)), cfg.APIKey))
	}
	if ov.AllFailed() {
		return cmd.fail(ExitError, "not one of the %d campaigns could be checked: %s", len(ov.Failed), ov.Failed[0].Error)
	}
	if !cmd.exitCode {
		if ov.Err() != nil {
			return ExitError
		}
		return ExitOK
	}
	return overviewExit(ov)
}

// overviewExit (-exit-code): action required wins (someone must act,
// whatever else went wrong); then errors, as an incomplete check cannot say
// all is well; then unknown, which a check capped by -max is too; then the
// worst severity found.
func overviewExit(ov *diagnosis.Overview) int {
	worst := ov.Worst()
	switch {
	case worst == catalog.SeverityActionRequired:
		return ExitActionRequired
	case ov.Err() != nil:
		return ExitError
	case worst == catalog.SeverityUnknown, ov.Capped, ov.MatchedMore:
		// Not every matching campaign was checked: all is not known well.
		return ExitUnknown
	case worst == catalog.SeverityWaiting:
		return ExitWaiting
	default:
		return ExitOK
	}
}

// progressLine shows the overview's progress on stderr when stderr is a
// terminal: one line, rewritten in place, erased at the end.
type progressLine struct {
	w     io.Writer
	max   int
	shown bool
}

func (p *progressLine) update(done, total, failed int) {
	var fails string
	if failed > 0 {
		fails = fmt.Sprintf(", %d failed", failed)
	}
	switch {
	case total == 0:
		fmt.Fprintf(p.w, "\r\x1b[Koverview: checked %d campaigns%s, still listing…", done, fails)
	case total == p.max:
		fmt.Fprintf(p.w, "\r\x1b[Koverview: checked %d of %d campaigns (at most -max %d)%s…", done, total, p.max, fails)
	default:
		fmt.Fprintf(p.w, "\r\x1b[Koverview: checked %d of %d campaigns%s…", done, total, fails)
	}
	p.shown = true
}

func (p *progressLine) done() {
	if p != nil && p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
