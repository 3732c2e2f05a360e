package diagnosis

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
	"github.com/instantly-status/instantly-status-mcp/internal/schedule"
)

// RenderMarkdown is the diagnosis as text, for the model and the person,
// in the shape a support engineer answers in: the campaign's name and its
// state; the answer in at most two sentences; the evidence, each fact
// once; at most four steps in Instantly's words (or one sentence when
// nothing needs doing); one line saying what was checked. API field names
// stay in the structured content. It is what the tool returns as text and
// what `diagnose` prints.
func RenderMarkdown(r StatusResult, now time.Time) string {
	a := r.Analysis
	var b strings.Builder
	b.Grow(1024)
	fmt.Fprintf(&b, "## %s: %s\n\n", nameOf(a), stateWords(a))
	b.WriteString(answerParagraph(a) + "\n\n")
	if ev := textEvidence(a); len(ev) > 0 {
		for _, e := range ev {
			fmt.Fprintf(&b, "- %s\n", e)
		}
		b.WriteString("\n")
	}
	writeTextSteps(&b, a)
	if a.AISummary != "" {
		fmt.Fprintf(&b, "Instantly's AI summary: %s\n\n", oneLine(a.AISummary))
	}
	fmt.Fprintf(&b, "_%s_\n", footer(a, now))
	return b.String()
}

// nameOf is the campaign's name, or its id when the name was not read.
func nameOf(a Analysis) string {
	if a.Kind == "subsequence" {
		switch {
		case a.SubsequenceName != "" && a.CampaignName != "":
			return fmt.Sprintf("%s (subsequence of %s)", oneLine(a.SubsequenceName), oneLine(a.CampaignName))
		case a.CampaignName != "":
			return fmt.Sprintf("Subsequence %s of %s", a.ID, oneLine(a.CampaignName))
		}
		return "Subsequence " + a.ID
	}
	if a.CampaignName != "" {
		return oneLine(a.CampaignName)
	}
	return "Campaign " + a.ID
}

// stateWords is the state in words.
func stateWords(a Analysis) string {
	switch {
	case a.Status == "":
		return "no sending data yet"
	case !a.KnownStatus:
		return fmt.Sprintf("status `%s`, unknown to this server", a.Status)
	case a.Status == instantly.StatusCampaignRunningSubsequences && a.Severity == catalog.SeverityActionRequired:
		return "main sequence finished, nothing sending"
	case a.Status == instantly.StatusCampaignRunningSubsequences:
		return "main sequence finished, subsequences sending"
	}
	switch a.Severity {
	case catalog.SeverityOK:
		return "sending"
	case catalog.SeverityWaiting:
		return "waiting, nothing to fix"
	case catalog.SeverityActionRequired:
		return "not sending, action required"
	}
	return "status unknown"
}

// answerParagraph is the answer: what blocks sending (bold), and when it
// sends again or what to do first.
func answerParagraph(a Analysis) string {
	if a.answerCause != "" || a.answerWhen != "" {
		first, second := a.answerCause, a.answerWhen
		if first == "" {
			first, second = second, ""
		}
		s := "**" + sentence(first) + "**"
		if second != "" {
			s += " " + sentence(second)
		}
		return s
	}
	if a.Status == "" {
		return "**" + sentence(a.Headline) + "** It may have been launched in the last 15 minutes, or never."
	}
	e, ok := catalog.Lookup(a.Status)
	if !ok {
		e = catalog.Generic(a.Status)
	}
	if !a.KnownStatus && a.StatusMessage != "" {
		return "**" + sentence(a.Title) + "** Instantly says: " + sentence(a.StatusMessage)
	}
	first, _, _ := strings.Cut(e.Meaning, ". ")
	return "**" + sentence(a.Title) + "** " + sentence(first)
}

// sentence is s as a sentence: a capital first letter (unless it starts
// with an address, which is never altered) and a final period.
func sentence(s string) string {
	s = oneLine(s)
	first, _, _ := strings.Cut(s, " ")
	if !strings.ContainsAny(first, "@.") { // an address or a domain is never altered
		s = capitalize(s)
	}
	if s != "" && !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") {
		s += "."
	}
	return s
}

// textBlocks are the diagnostics blocks whose findings bear on each code's
// answer (the cross-checks' own findings always do).
var textBlocks = map[string][]string{
	instantly.StatusHealthy:                     {"send_one_by_one"},
	instantly.StatusCampaignPaused:              {"follow_ups_waiting"},
	instantly.StatusCampaignBounceProtect:       {"issue_tracking"},
	instantly.StatusAllAccountsUnhealthy:        {"leads_status", "issue_tracking"},
	instantly.StatusCampaignAccountsUnhealthy:   {"campaign_daily_limit", "leads_status", "issue_tracking"},
	instantly.StatusCampaignAccountSuspended:    {"issue_tracking"},
	instantly.StatusNoAccountsAvailable:         {"issue_tracking"},
	instantly.StatusWaitingForLeads:             {"follow_ups_waiting", "leads_status"},
	instantly.StatusWaitingForESPMatch:          {"leads_status"},
	instantly.StatusDailyLimitMet:               {"accounts_summary", "follow_ups_waiting"},
	instantly.StatusAccountDailyLimitMet:        {"campaign_daily_limit", "leads_status"},
	instantly.StatusNewLeadLimitMet:             {"campaign_daily_limit"},
	instantly.StatusDomainLimitReached:          {"new_lead_limit"},
	instantly.StatusFollowUpDelayNotMet:         {"follow_ups_waiting"},
	instantly.StatusCampaignDraft:               {},
	instantly.StatusCampaignCompleted:           {},
	instantly.StatusCampaignRunningSubsequences: {},
	instantly.StatusOutOfSchedule:               {},
}

// relevant: the finding's block bears on the answer.
func relevant(a Analysis, blk string, deep bool) bool {
	switch blk {
	case deepBlock:
		return true
	case "last_updated", "summary":
		return true
	case "status", "schedule_status":
		return false // the answer (or the state) says it
	}
	bl, known := textBlocks[a.Status]
	if !known {
		return blk != "schedule_status" || a.Status == instantly.StatusOutOfSchedule
	}
	if slices.Contains(bl, blk) {
		return true
	}
	if deep {
		return false
	}
	// The one-request answer has no cross-check: the blocks that confirm
	// the status are its evidence.
	for _, c := range a.Confirm {
		if b, _, _ := strings.Cut(c, "."); b == blk && !(blk == "schedule_status" && a.Status != instantly.StatusOutOfSchedule) {
			return true
		}
	}
	return false
}

// loops is the "(N checks in a row)" of a finding: plumbing, not evidence.
var loops = regexp.MustCompile(` \([0-9,]+ checks? in a row\)`)

// textEvidence is the evidence list: the causes after the first, the
// cross-checks' facts and the findings that bear on the answer, each once.
func textEvidence(a Analysis) []string {
	var out []string
	add := func(s string) {
		s = sentence(s)
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	deep := len(a.CrossChecks) > 0
	if !deep && strings.ContainsAny(a.StatusMessage, "0123456789") {
		// Instantly's own message, when it carries numbers; without, it
		// only repeats the title.
		add("Instantly says: " + a.StatusMessage)
	}
	if len(a.Causes) > 1 {
		for _, c := range a.Causes[1:] {
			add(c)
		}
	}
	var since []string
	for i, f := range a.Findings {
		blk := ""
		if i < len(a.blocks) {
			blk = a.blocks[i]
		}
		switch {
		case !relevant(a, blk, deep):
		case deep && strings.HasPrefix(f, "no lead is ready") && textBlocks[a.Status] != nil:
			// the cause says it, in numbers
		case blk == "issue_tracking":
			since = append([]string{loops.ReplaceAllString(f, "")}, since...)
		default:
			add(f)
		}
	}
	if len(since) > 0 {
		add(strings.Join(since, "; "))
	}
	if !deep && a.ResolvesBy != "" {
		add("Clears by itself: " + a.ResolvesBy)
	}
	return out
}

// writeTextSteps writes the steps: numbered when a person must act; one
// paragraph when nothing needs doing (the state says so).
func writeTextSteps(b *strings.Builder, a Analysis) {
	steps := a.Steps
	if len(steps) > maxSteps {
		steps = steps[:maxSteps]
	}
	if a.Severity == catalog.SeverityOK || a.Severity == catalog.SeverityWaiting {
		var rest []string
		for _, s := range steps {
			if !strings.HasPrefix(s, "Nothing to fix") {
				rest = append(rest, s)
			}
		}
		if len(rest) > 0 {
			b.WriteString(strings.Join(rest[:min(2, len(rest))], " ") + "\n\n")
		}
		return
	}
	for i, s := range steps {
		fmt.Fprintf(b, "%d. %s\n", i+1, s)
	}
	if len(steps) > 0 {
		b.WriteString("\n")
	}
}

// checkNouns are what each cross-check read, in words.
var checkNouns = map[string]string{
	"campaign":     "its settings",
	"schedule":     "its schedule",
	"senders":      "its senders",
	"leads":        "its lead counts",
	"vitals":       "their domains' DNS",
	"shared_quota": "the senders' other campaigns",
	"sent_today":   "today's counts per sender",
	"paused_by":    "the audit log",
	"subsequences": "its subsequences",
	"tags":         "its account tags",
}

// scopeIn finds the scope a refused check names.
var scopeIn = regexp.MustCompile(`scope ([a-z_]+:[a-z]+)`)

// footer is the one closing line: the id, what was checked and what could
// not be, how fresh Instantly's data is, and the assumptions that bear on
// the answer.
func footer(a Analysis, now time.Time) string {
	var parts []string
	id := a.Kind + " " + a.ID
	if len(a.CrossChecks) == 0 {
		parts = append(parts, capitalize(id)+": Instantly's sending status only, not cross-checked")
	} else {
		ok, failed := checkedLists(a.CrossChecks)
		s := capitalize(id) + ": checked " + andList(ok)
		if len(ok) == 0 {
			s = capitalize(id) + ": checked the sending status"
		}
		if len(failed) > 0 {
			s += "; could not check " + strings.Join(failed, ", ")
		}
		parts = append(parts, s)
	}
	if a.LastUpdated != "" {
		parts = append(parts, "Instantly's data "+ago(a.LastUpdated, now))
	}
	if a.NextSendAt != "" || slices.Contains(a.Assumptions, schedule.AssumeEndInclusive) {
		if s := shortAssumptions(a.Assumptions); s != "" {
			parts = append(parts, "assumed "+s)
		}
	}
	return strings.Join(parts, "; ") + "."
}

// checkedLists are the checks made and those that failed, once each.
func checkedLists(checks []CrossCheck) (ok, failed []string) {
	okSeen, failSeen := map[string]bool{}, map[string]bool{}
	for _, c := range checks {
		noun := checkNouns[c.Check]
		if noun == "" {
			noun = c.Check
		}
		if c.OK && !okSeen[noun] {
			okSeen[noun] = true
			ok = append(ok, noun)
		}
	}
	for _, c := range checks {
		noun := checkNouns[c.Check]
		if noun == "" {
			noun = c.Check
		}
		if c.OK || okSeen[noun] || failSeen[noun] {
			continue
		}
		failSeen[noun] = true
		why := "failed"
		switch {
		case scopeIn.MatchString(c.Note):
			why = "needs the scope " + scopeIn.FindStringSubmatch(c.Note)[1]
		case strings.Contains(c.Note, "budget"):
			why = "request budget spent"
		case strings.Contains(c.Note, "404"):
			why = "not found"
		case strings.Contains(c.Note, "no scope"):
			why = "refused; all:read should cover it"
		}
		failed = append(failed, noun+" ("+why+")")
	}
	return ok, failed
}

// shortAssumptions are the readings of undocumented behaviour, short.
func shortAssumptions(as []string) string {
	short := map[string]string{
		schedule.AssumeDayKeys:      "schedule days 0-6 are Sunday-Saturday",
		schedule.AssumeEndInclusive: "the end date is inclusive",
		schedule.AssumeOvernight:    "a window ending before it starts runs past midnight",
		schedule.AssumeFirstZone:    "the first schedule's timezone is the campaign's",
	}
	var out []string
	for _, s := range as {
		if v, ok := short[s]; ok {
			s = v
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return andList(out) + " (undocumented)"
}

// oneLine keeps Instantly's free text from breaking the markdown structure.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError { // "" or not UTF-8: leave it as it is
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
