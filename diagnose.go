package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/prompts"
	"github.com/instantly-status/instantly-status-mcp/tools"
)

// Exit codes of `diagnose`, for scripts and cron jobs: one per severity, so
// `diagnose … || alert` can tell "sending" from "waiting" from "act now".
const (
	exitWaiting        = 3 // normal pacing: daily limit met, out of schedule, follow-ups not due…
	exitActionRequired = 4 // a person must change something: paused, accounts unhealthy…
	exitUnknown        = 5 // no data yet, or a status code this version does not know
	exitAmbiguous      = 6 // a name matched several campaigns; they are listed
)

const diagnoseUsage = `usage: instantly-status-mcp diagnose [flags] <campaign-id | campaign name>

Prints why the campaign is (not) sending and what to do, the same diagnosis the
MCP tool returns. Reads INSTANTLY_API_KEY, INSTANTLY_BASE_URL, INSTANTLY_TIMEOUT.

Exit codes: 0 sending, 3 waiting (normal pacing), 4 action required,
5 unknown status or no data yet, 6 name matched several campaigns,
1 error (API, network, configuration), 2 usage error.

Flags:
`

func runDiagnose(ctx context.Context, args []string, environ map[string]string, stdout, stderr io.Writer) int {
	cfg, err := loadConfig(environ)
	if err != nil {
		fmt.Fprintf(stderr, "diagnose: %v\n", err)
		return exitUsage
	}
	fs := flag.NewFlagSet("diagnose", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, diagnoseUsage); fs.PrintDefaults() }
	asJSON := fs.Bool("json", false, "print the structured result (Instantly's answer plus the analysis) as JSON")
	aiSummary := fs.Bool("ai-summary", false, "also ask Instantly for its AI-written summary")
	subsequence := fs.Bool("subsequence", false, "the id is a subsequence id")
	fs.BoolVar(&cfg.Demo, "demo", cfg.Demo, "use the built-in demo workspace (no API key needed)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "diagnose: expected one campaign id or name, got %d arguments (see diagnose -h)\n", fs.NArg())
		return exitUsage
	}
	if err := cfg.validate(); err != nil {
		fmt.Fprintf(stderr, "diagnose: %v\n", err)
		return exitUsage
	}
	client, err := newInstantlyClient(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "diagnose: %s\n", redact(err.Error(), cfg.APIKey))
		return exitError
	}
	if !cfg.Demo && cfg.APIKey == "" {
		fmt.Fprintln(stderr, "diagnose: INSTANTLY_API_KEY is not set (or try the demo: diagnose -demo "+demoHint()+")")
		return exitError
	}

	kind := "campaign"
	if *subsequence {
		kind = "subsequence"
	}
	target := strings.TrimSpace(fs.Arg(0))
	id, err := instantly.ParseID(target)
	if err != nil {
		if *subsequence {
			fmt.Fprintf(stderr, "diagnose: %s\n", oneLineErr(tools.ErrorMessage(kind, err)))
			return exitUsage
		}
		var code int
		id, code = resolveCampaignName(ctx, client, target, stdout, stderr)
		if id == "" {
			return code
		}
	}

	opts := &instantly.SendingStatusOptions{WithAISummary: *aiSummary}
	var st *instantly.SendingStatus
	if *subsequence {
		st, err = client.GetSubsequenceSendingStatus(ctx, id, opts)
	} else {
		st, err = client.GetCampaignSendingStatus(ctx, id, opts)
	}
	if err != nil {
		fmt.Fprintf(stderr, "diagnose: %s\n", oneLineErr(redact(tools.ErrorMessage(kind+" "+id, err), cfg.APIKey)))
		return exitError
	}
	now := time.Now()
	res := tools.BuildStatusResult(kind, id, st, now)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(stderr, "diagnose: %v\n", err)
			return exitError
		}
	} else {
		fmt.Fprint(stdout, tools.RenderMarkdown(res, now))
	}
	return severityExit(res.Analysis.Severity)
}

func severityExit(sev string) int {
	switch prompts.Severity(sev) {
	case prompts.SeverityOK:
		return exitOK
	case prompts.SeverityWaiting:
		return exitWaiting
	case prompts.SeverityActionRequired:
		return exitActionRequired
	default:
		return exitUnknown
	}
}

// resolveCampaignName finds the one campaign whose name matches. Several
// matches are listed on stdout with exit code exitAmbiguous; none is an error.
func resolveCampaignName(ctx context.Context, client *instantly.Client, name string, stdout, stderr io.Writer) (string, int) {
	if name == "" {
		fmt.Fprintln(stderr, "diagnose: give a campaign id (a UUID) or a campaign name")
		return "", exitUsage
	}
	page, err := client.ListCampaigns(ctx, &instantly.ListCampaignsOptions{Search: name, Limit: 100})
	if err != nil {
		fmt.Fprintf(stderr, "diagnose: looking up campaign %q: %s\n", truncate(name, 60), oneLineErr(tools.ErrorMessage("campaigns", err)))
		return "", exitError
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
		fmt.Fprintf(stderr, "diagnose: no campaign named like %q in this workspace (give its id, or check the name)\n", truncate(name, 60))
		return "", exitError
	case 1:
		return items[0].ID, 0
	}
	fmt.Fprintf(stdout, "%q matches %d campaigns%s; run diagnose with one of these ids:\n", truncate(name, 60), len(items), moreHint(page))
	for _, c := range items {
		fmt.Fprintf(stdout, "  %s  %-12s  %s\n", c.ID, campaignStatusName(c.Status), c.Name)
	}
	return "", exitAmbiguous
}

func moreHint(p *instantly.CampaignPage) string {
	if p.NextStartingAfter != "" {
		return " (showing the first 100)"
	}
	return ""
}

func campaignStatusName(s float64) string {
	for name, n := range instantly.CampaignStatusNames {
		if float64(n) == s {
			return name
		}
	}
	return fmt.Sprintf("status %v", s)
}

func oneLineErr(s string) string { return strings.Join(strings.Fields(s), " ") }

func demoHint() string { return "<a demo id from the README>" }
