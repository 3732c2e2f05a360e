package diagnosis

import (
	"fmt"
	"strings"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

// brief is the headline without its severity lead (the group says it).
func brief(a Analysis) string {
	if a.Status == "" {
		return "no sending data yet (launched in the last 15 minutes, or never launched)"
	}
	s := a.Title
	if a.Severity != catalog.SeverityOK {
		if f := keyFinding(a); f != "" {
			s += "; " + f
		}
	}
	return s
}

// RenderOverview is the overview as compact markdown: the counts first, then
// each group, worst first. It is the tool's text and what `overview` prints.
func RenderOverview(o *Overview) string {
	var b strings.Builder
	what := "campaigns"
	if o.Filter.Status != CampaignStatusAll {
		what = o.Filter.Status + " campaigns"
	}
	if o.Filter.Search != "" {
		what += fmt.Sprintf(" matching %q", o.Filter.Search)
	}
	fmt.Fprintf(&b, "## Sending overview: %d of %d %s checked\n\n", o.Checked, o.Matched, what)
	if o.Matched == 0 {
		fmt.Fprintf(&b, "No %s in this workspace.\n", what)
		return b.String()
	}
	c := o.Counts
	counts := []string{
		fmt.Sprintf("**%d not sending (action required)**", c.ActionRequired),
		fmt.Sprintf("%d unknown / no data", c.Unknown),
		fmt.Sprintf("%d waiting (normal pacing)", c.Waiting),
		fmt.Sprintf("%d sending", c.OK),
	}
	if c.Failed > 0 {
		counts = append(counts, fmt.Sprintf("%d could not be checked", c.Failed))
	}
	if c.NotChecked > 0 {
		counts = append(counts, fmt.Sprintf("%d not checked", c.NotChecked))
	}
	b.WriteString(strings.Join(counts, " · ") + "\n")
	for _, n := range o.Notes {
		fmt.Fprintf(&b, "\n> %s", n)
	}
	if len(o.Notes) > 0 {
		b.WriteString("\n")
	}

	group := func(title string, list []OverviewCampaign, limit int, line func(OverviewCampaign) string) {
		if len(list) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n### %s (%d)\n", title, len(list))
		for i, oc := range list {
			if i == limit {
				fmt.Fprintf(&b, "- … and %d more (all are in the structured result)\n", len(list)-limit)
				break
			}
			b.WriteString(line(oc))
		}
	}
	detailed := func(oc OverviewCampaign) string {
		code := "no status yet"
		if oc.Status != "" {
			code = "`" + oc.Status + "`"
		}
		return fmt.Sprintf("- **%s** (`%s`): %s: %s\n", oneLine(oc.Name), oc.ID, code, oneLine(oc.brief))
	}
	group("Not sending: action required", o.ActionRequired, 200, detailed)
	group("Unknown / no data", o.Unknown, 100, detailed)
	group("Waiting: normal pacing, clears by itself", o.Waiting, 50, detailed)
	if len(o.Failed) > 0 {
		fmt.Fprintf(&b, "\n### Could not check (%d)\n", len(o.Failed))
		for i, f := range o.Failed {
			if i == 50 {
				fmt.Fprintf(&b, "- … and %d more\n", len(o.Failed)-50)
				break
			}
			fmt.Fprintf(&b, "- **%s** (`%s`): %s\n", oneLine(f.Name), f.ID, oneLine(f.Error))
		}
	}
	group("Sending", o.OK, 20, func(oc OverviewCampaign) string {
		if oc.Status != instantly.StatusHealthy {
			return fmt.Sprintf("- %s (`%s`): `%s`\n", oneLine(oc.Name), oc.ID, oc.Status)
		}
		return fmt.Sprintf("- %s (`%s`)\n", oneLine(oc.Name), oc.ID)
	})
	if c.ActionRequired+c.Unknown > 0 {
		b.WriteString("\nFor the cause in numbers and the steps to fix one, call get_campaign_sending_status with its id.\n")
	}
	return b.String()
}
