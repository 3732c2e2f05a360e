package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/app"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
	"github.com/instantly-status/instantly-status-mcp/internal/demo"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
	"github.com/instantly-status/instantly-status-mcp/internal/stdx"
)

// Exit codes of `diagnose`, for scripts and cron jobs: one per severity, so
// `diagnose … || alert` can tell "sending" from "waiting" from "act now".
const (
	ExitWaiting        = 3 // normal pacing: daily limit met, out of schedule, follow-ups not due…
	ExitActionRequired = 4 // a person must change something: paused, accounts unhealthy…
	ExitUnknown        = 5 // no data yet, or a status code this version does not know
	ExitAmbiguous      = 6 // a name matched several campaigns; they are listed
)

const diagnoseUsage = `usage: instantly-status-mcp diagnose [flags] <campaign id | app URL | campaign name>

Prints why the campaign is (not) sending and what to do, the same diagnosis the
MCP tool returns: by default cross-checked against the campaign's settings,
senders and leads (at most INSTANTLY_CROSS_CHECK_BUDGET requests, default 8).
The campaign is its id, the URL of any of its pages in the app
(https://app.instantly.ai/app/campaign/<id>/analytics), or its name.

Exit codes: 0 diagnosis printed, 1 error (API, network, configuration; or a name
that matched several campaigns, which are listed), 2 usage error.
With -exit-code, the status found instead of 0: 0 sending, 3 waiting (normal
pacing), 4 action required, 5 unknown status or no data yet, 6 name matched
several campaigns.

Flags:
`

func runDiagnose(ctx context.Context, args []string, environ map[string]string, stdout, stderr io.Writer) int {
	cmd, code := newCommand("diagnose", diagnoseUsage, environ, stdout, stderr)
	if cmd == nil {
		return code
	}
	asJSON := cmd.fs.Bool("json", false, "print the structured result (Instantly's answer plus the analysis) as JSON")
	aiSummary := cmd.fs.Bool("ai-summary", false, "also ask Instantly for its AI-written summary")
	subsequence := cmd.fs.Bool("subsequence", false, "the id is a subsequence id")
	crossCheck := cmd.fs.Bool("cross-check", true, "cross-check the campaign's settings, senders and leads to name the concrete cause (-cross-check=false: the one-request answer)")
	if code, done := cmd.parse(args); done {
		return code
	}
	if len(cmd.args) != 1 {
		return cmd.fail(ExitUsage, "expected one campaign id, app URL or name, got %d arguments (see diagnose -h)", len(cmd.args))
	}
	client, code := cmd.client(" " + demo.DemoCampaigns[0].ID)
	if client == nil {
		return code
	}

	kind := "campaign"
	if *subsequence {
		kind = "subsequence"
	}
	target := strings.TrimSpace(cmd.args[0])
	id, err := instantly.ParseID(target)
	if err != nil {
		var ie *instantly.InvalidIDError
		if *subsequence || (errors.As(err, &ie) && (ie.URL || ie.Empty)) {
			return cmd.fail(ExitUsage, "%s (see diagnose -h)", err)
		}
		var code int
		id, code = resolveCampaignName(ctx, cmd, client, target)
		if code == ExitAmbiguous && !cmd.exitCode {
			return cmd.fail(ExitError, "the name matched several campaigns (listed above): run diagnose with one of their ids")
		}
		if id == "" {
			return code
		}
	}

	now := time.Now()
	res, err := diagnosis.Diagnose(ctx, client, kind, id, diagnosis.DiagnoseOptions{
		WithAISummary: *aiSummary, CrossCheck: *crossCheck, Budget: cmd.cfg.CrossCheckBudget, Settings: app.CLISettings,
	}, now)
	if err != nil {
		return cmd.fail(ExitError, "%s", app.CLISettings.ErrorMessage(kind+" "+id, err))
	}
	if *asJSON {
		if code := cmd.printJSON(res); code != ExitOK {
			return code
		}
	} else {
		cmd.print(diagnosis.CLIText(diagnosis.RenderMarkdown(res, now)))
	}
	return cmd.severity(severityExit(res.Analysis.Severity))
}

func severityExit(sev catalog.Severity) int {
	switch sev {
	case catalog.SeverityOK:
		return ExitOK
	case catalog.SeverityWaiting:
		return ExitWaiting
	case catalog.SeverityActionRequired:
		return ExitActionRequired
	default:
		return ExitUnknown
	}
}

// resolveCampaignName finds the one campaign whose name matches. Several
// matches are listed on stdout with exit code ExitAmbiguous; none is an error.
func resolveCampaignName(ctx context.Context, cmd *command, client *instantly.Client, name string) (string, int) {
	stdout := cmd.stdout
	if name == "" {
		return "", cmd.fail(ExitUsage, "give a campaign id (a UUID) or a campaign name")
	}
	if instantly.LooksLikeSecret(name) || client.Redactor().Redacts(name) || instantly.Redact(name, cmd.cfg.APIKey) != name {
		return "", cmd.fail(ExitUsage, "that argument looks like a secret (an API key or a token), not a campaign id or name, "+
			"so it was not searched for, sent to Instantly or repeated; give the campaign's id or its name")
	}
	page, err := client.ListCampaigns(ctx, &instantly.ListCampaignsOptions{Search: name, Limit: 100})
	if err != nil {
		return "", cmd.fail(ExitError, "looking up campaign %s: %s", cmd.shown(name), app.CLISettings.ErrorMessage("campaigns", err))
	}
	items := page.Items
	// An exact (case-insensitive) name match wins over substring matches.
	var exact []instantly.Campaign
	for _, c := range items {
		if strings.EqualFold(strings.TrimSpace(c.Name), name) {
			exact = append(exact, c)
		}
	}
	if len(exact) == 1 {
		return exact[0].ID, 0
	}
	switch len(items) {
	case 0:
		return "", cmd.fail(ExitError, "no campaign named like %s in this workspace (give its id, or check the name)", cmd.shown(name))
	case 1:
		return items[0].ID, 0
	}
	fmt.Fprintf(stdout, "%s matches %d campaigns%s; run diagnose with one of these ids:\n", cmd.shown(name), len(items), moreHint(page))
	for _, c := range items {
		fmt.Fprintf(stdout, "  %s  %-20s  %s\n", c.ID, diagnosis.CampaignStatusName(c.Status),
			instantly.Redact(stdx.OneLine(stdx.SafeText(c.Name)), cmd.cfg.APIKey))
	}
	return "", ExitAmbiguous
}

func moreHint(p *instantly.CampaignPage) string {
	if p.NextStartingAfter != "" {
		return " (showing the first 100)"
	}
	return ""
}
