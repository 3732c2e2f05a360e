package diagnosis

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

// oneLineAnswer is a campaign's answer in one line, from the same analysis as
// its single-campaign answer: the title of its status and the finding that
// bears on it, or the concrete cause when the cross-checks found one. The
// overview's group already says the severity.
func oneLineAnswer(a Analysis) string {
	if a.Status == "" {
		return "no sending data yet (launched in the last 15 minutes, or never launched)"
	}
	if a.Answer != "" {
		return a.Title + "; " + a.Answer
	}
	s := a.Title
	if a.Severity != catalog.SeverityOK {
		if f := withoutTitle(a.Title, overviewFinding(a)); f == "" {
			return s
		} else if saysAll(f, a.Title) {
			return capitalize(f)
		} else {
			s += "; " + f
		}
	}
	return s
}

// withoutTitle is finding f without a parenthesis whose first clause says
// title again ("150 of 150 sent today (campaign daily limit reached)"
// under "Campaign daily limit reached"): one line says each fact once.
func withoutTitle(title, f string) string {
	open := strings.LastIndex(f, " (")
	if open < 0 || !strings.HasSuffix(f, ")") {
		return f
	}
	inner := f[open+2 : len(f)-1]
	first, rest, _ := strings.Cut(inner, "; ")
	if !saysAll(first, title) {
		return f
	}
	if rest == "" {
		return f[:open]
	}
	return f[:open] + " (" + rest + ")"
}

// saysAll reports whether text holds every word of title longer than three
// letters, a word also matching its longer forms ("match" in "matching").
// A title with fewer than two such words ("Follow-ups not due yet") is never
// said by text: its short words carry the meaning.
func saysAll(text, title string) bool {
	words := strings.Fields(strings.ToLower(text))
	n := 0
	for _, w := range strings.Fields(strings.ToLower(title)) {
		if len(w) <= 3 {
			continue
		}
		n++
		if !slices.ContainsFunc(words, func(t string) bool {
			return strings.HasPrefix(t, w) || strings.HasPrefix(w, t) && len(t) > 3
		}) {
			return false
		}
	}
	return n >= 2
}

// overviewFinding is the finding that bears on the status, as the single
// answer has it; when that is the issue's age, the line keeps the age and
// leaves the count of Instantly's checks to the structured content.
func overviewFinding(a Analysis) string {
	f := keyFinding(a)
	for i, b := range a.blocks {
		if b == "issue_tracking" && i < len(a.Findings) && a.Findings[i] == f && a.IssueAgeSeconds != nil && *a.IssueAgeSeconds >= 60 &&
			strings.HasPrefix(f, "issue first seen ") {
			return "first seen " + humanDuration(time.Duration(*a.IssueAgeSeconds)*time.Second) + " ago"
		}
	}
	return f
}

// pausedStates are the states of the campaigns taken out of sending, in
// the words of Instantly's campaign statuses.
var pausedStates = map[instantly.CampaignStatus]string{
	instantly.CampaignStatusPaused:            "paused",
	instantly.CampaignStatusAccountsUnhealthy: "accounts unhealthy",
	instantly.CampaignStatusBounceProtect:     "bounce protect",
	instantly.CampaignStatusAccountSuspended:  "account suspended",
}

// overviewCampaign is campaign c's line of the overview, from its analysis.
func overviewCampaign(c instantly.Campaign, a Analysis) OverviewCampaign {
	oc := OverviewCampaign{
		ID: c.ID, Name: c.Name, CampaignStatus: CampaignStatusName(c.Status),
		Status: a.Status, Severity: a.Severity, Title: a.Title, Headline: a.Headline,
		IssueFirstSeenAt: a.IssueFirstSeenAt, Summary: oneLineAnswer(a),
	}
	switch oc.Severity {
	case catalog.SeverityActionRequired:
		oc.PausedBy = pausedBy(c.Status)
		oc.State = cmp.Or(pausedStates[c.Status], "not sending")
	case catalog.SeverityWaiting:
		oc.State = "waiting"
	case catalog.SeverityOK:
		oc.State = "sending"
	default:
		oc.Severity = catalog.SeverityUnknown
		oc.State = "unknown status"
		if a.Status == "" {
			oc.State = "no data yet"
		}
	}
	return oc
}

// RenderOverview is the overview as compact markdown: the counts first, then
// each group, worst first, one line per campaign. It is the tool's text and
// what `overview` prints.
func RenderOverview(o *Overview) string {
	var b strings.Builder
	what := overviewWhat(o.Filter)
	fmt.Fprintf(&b, "## Sending overview: checked %d of %d %s\n\n", o.Checked, o.Matched, what)
	if o.Matched == 0 {
		fmt.Fprintf(&b, "No %s in this workspace.\n", what)
		return b.String()
	}
	b.WriteString(overviewCounts(o.Counts) + "\n")
	for _, n := range o.Notes {
		fmt.Fprintf(&b, "\n> %s", n)
	}
	if len(o.Notes) > 0 {
		b.WriteString("\n")
	}
	byPause := func(who string) []OverviewCampaign {
		var list []OverviewCampaign
		for _, oc := range o.ActionRequired {
			if oc.PausedBy == who {
				list = append(list, oc)
			}
		}
		return list
	}
	overviewGroup(&b, "Paused by Instantly", byPause(PausedByInstantly), 200, true)
	overviewGroup(&b, "Not sending: action required", byPause(""), 200, false)
	overviewGroup(&b, "Paused by a person or through the API", byPause(PausedByPerson), 200, false)
	overviewGroup(&b, "Unknown / no data", o.Unknown, 100, false)
	overviewGroup(&b, "Waiting: normal pacing, clears by itself", o.Waiting, 50, false)
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
	overviewGroup(&b, sendingGroup, o.OK, 20, false)
	if o.Counts.ActionRequired+o.Counts.Unknown > 0 {
		b.WriteString("\nFor the cause in numbers and the steps to fix one, call get_campaign_sending_status with its id.\n")
	}
	return b.String()
}

const sendingGroup = "Sending"

// overviewWhat names the campaigns the filter selects.
func overviewWhat(f OverviewFilter) string {
	what := "campaigns"
	switch f.Status {
	case CampaignStatusAll:
	case OverviewStatusLive:
		what = "campaigns meant to be sending (all but drafts and completed)"
	default:
		what = f.Status + " campaigns"
	}
	if f.Search != "" {
		what += fmt.Sprintf(" matching %q", f.Search)
	}
	return what
}

// overviewCounts is the line of counts under the title.
func overviewCounts(c OverviewCounts) string {
	lead := fmt.Sprintf("**%d not sending (action required)**", c.ActionRequired)
	var paused []string
	if c.PausedByInstantly > 0 {
		paused = append(paused, fmt.Sprintf("%d paused by Instantly", c.PausedByInstantly))
	}
	if c.PausedByPerson > 0 {
		paused = append(paused, fmt.Sprintf("%d paused by a person or through the API", c.PausedByPerson))
	}
	if len(paused) > 0 {
		lead += ", of them " + strings.Join(paused, " and ")
	}
	counts := []string{
		lead,
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
	return strings.Join(counts, " · ")
}

// overviewGroup writes one group, a line per campaign: its name, its id,
// its state where the heading does not say it, and the one-line answer. In
// the Sending group a campaign sending normally is its name alone.
func overviewGroup(b *strings.Builder, title string, list []OverviewCampaign, limit int, withState bool) {
	sending := title == sendingGroup
	if len(list) == 0 {
		return
	}
	fmt.Fprintf(b, "\n### %s (%d)\n", title, len(list))
	for i, oc := range list {
		if i == limit {
			fmt.Fprintf(b, "- … and %d more (all are in the structured result)\n", len(list)-limit)
			return
		}
		if sending {
			if oc.Status == instantly.StatusHealthy || oc.Summary == "" {
				fmt.Fprintf(b, "- %s (`%s`)\n", oneLine(oc.Name), oc.ID)
			} else {
				fmt.Fprintf(b, "- %s (`%s`): %s\n", oneLine(oc.Name), oc.ID, oneLine(oc.Summary))
			}
			continue
		}
		state := ""
		if withState {
			state = ", " + oc.State
		}
		fmt.Fprintf(b, "- **%s** (`%s`%s): %s\n", oneLine(oc.Name), oc.ID, state, oneLine(oc.Summary))
	}
}
