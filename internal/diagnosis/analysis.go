package diagnosis

import (
	"fmt"
	"strings"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

// Analysis is our reading of one sending-status answer: what it means, the
// numbers behind it, and what to do. It travels in the tool's structured
// content next to Instantly's own diagnostics and summary.
type Analysis struct {
	// Kind is "campaign" or "subsequence".
	Kind string `json:"kind"`
	ID   string `json:"id"`
	// CampaignName is the campaign's name (a subsequence's parent
	// campaign's), when the cross-checks read it.
	CampaignName string `json:"campaign_name,omitempty"`
	// SubsequenceName is a subsequence's own name, when read.
	SubsequenceName string `json:"subsequence_name,omitempty"`
	// Status is Instantly's code, passed through unchanged (a code Instantly
	// adds later too); empty when Instantly has no sending data yet.
	Status string `json:"status"`
	// KnownStatus is false for a code this server does not know yet.
	KnownStatus bool `json:"known_status"`
	// Severity: ok (sending), waiting (normal pacing, clears by itself),
	// action_required (a person must change something), unknown.
	Severity catalog.Severity `json:"severity"`
	Title    string           `json:"title"`
	Headline string           `json:"headline"`
	// StatusMessage is Instantly's human-readable message, when it sent one.
	StatusMessage string `json:"status_message,omitempty"`
	// Findings are facts derived from the numbers, most important first.
	Findings []string `json:"findings"`
	// Steps are the remediation steps for this status, in order.
	Steps []string `json:"remediation_steps"`
	// ResolvesBy says when the status clears by itself, if it does.
	ResolvesBy string `json:"resolves_by,omitempty"`
	// Confirm names the diagnostics fields that confirm the status.
	Confirm []string `json:"confirm_fields,omitempty"`

	LastUpdated            string `json:"last_updated,omitempty"`
	DataAgeSeconds         *int64 `json:"data_age_seconds,omitempty"`
	IssueFirstSeenAt       string `json:"issue_first_seen_at,omitempty"`
	IssueAgeSeconds        *int64 `json:"issue_age_seconds,omitempty"`
	LastHealthySendAt      string `json:"last_healthy_send_at,omitempty"`
	NextFollowUpDueSeconds *int64 `json:"next_follow_up_due_seconds,omitempty"`
	AISummary              string `json:"ai_summary,omitempty"`
	AvailableAccounts      *int64 `json:"available_accounts,omitempty"`
	ConnectedAccounts      *int64 `json:"connected_accounts,omitempty"`
	SentToday              *int64 `json:"sent_today,omitempty"`
	DailyLimit             *int64 `json:"daily_limit,omitempty"`

	// The cross-checks (deep diagnosis); absent from a one-request answer.
	//
	// Answer is the concrete cause and, when it clears by itself, when.
	Answer string `json:"answer,omitempty"`
	// NextSendAt is when it resumes by itself (RFC 3339 UTC); absent when it
	// needs action. NextSendTimezone is the schedule's timezone.
	NextSendAt       string             `json:"next_send_at,omitempty"`
	NextSendTimezone string             `json:"next_send_timezone,omitempty"`
	Causes           []string           `json:"causes,omitempty"`
	BlockingAccounts []BlockingAccount  `json:"blocking_accounts,omitempty"`
	Leads            *Leads             `json:"leads,omitempty"`
	Subsequences     []SubsequenceState `json:"subsequences,omitempty"`
	CrossChecks      []CrossCheck       `json:"cross_checks,omitempty"`
	// Assumptions are the readings of undocumented behaviour the answer
	// depends on (see package schedule).
	Assumptions []string `json:"assumptions,omitempty"`

	// blocks[i] is the diagnostics block Findings[i] was read from (or
	// deepBlock), so that the headline and the text quote the findings
	// that bear on the status.
	blocks []string
	// answerCause and answerWhen are the two parts of Answer: what blocks
	// sending, and when it sends again or what to do first.
	answerCause, answerWhen string
}

// staleAfter is how old Instantly's data may be before we say so: Instantly
// recomputes the status in loops of a few minutes, so an hour means the
// numbers may no longer describe the campaign.
const staleAfter = time.Hour

// Analyze reads a sending-status answer for the campaign or subsequence id.
// It never fails: missing blocks simply produce fewer findings.
func Analyze(kind, id string, st *instantly.SendingStatus, now time.Time) Analysis {
	a := Analysis{Kind: kind, ID: id, Findings: []string{}, Steps: []string{}}
	var d *instantly.Diagnostics
	var s *instantly.Summary
	if st != nil {
		d, s = st.Diagnostics, st.Summary
	}
	a.Status = statusCode(d, s)
	if s != nil && s.StatusMessage != nil {
		a.StatusMessage = *s.StatusMessage
	}
	if a.Status == "" {
		noData(&a, d, s)
		return a
	}

	entry, known := catalog.Lookup(a.Status)
	if !known {
		entry = catalog.Generic(a.Status)
	}
	a.KnownStatus = known
	a.Severity = entry.Severity
	a.Title = entry.Title
	if known {
		a.Steps = append(a.Steps, entry.StepsFor(baseFacts(kind, d))...)
	} else {
		a.Steps = append(a.Steps, entry.Steps...)
	}
	a.Confirm = entry.Confirm
	a.ResolvesBy = entry.ResolvesBy
	if s != nil && s.AISummary != nil {
		a.AISummary = *s.AISummary
	}

	if d != nil {
		findings(&a, d, now)
		if d.Status != nil && s != nil && s.Status != nil && *s.Status != *d.Status {
			a.finding("summary", "Instantly's summary says %q while its diagnostics say %q; the diagnostics code is used here", *s.Status, *d.Status)
		}
	}
	if a.IssueFirstSeenAt == "" && s != nil && s.IssueStartedAt != nil {
		a.IssueFirstSeenAt = *s.IssueStartedAt
	}
	if a.LastHealthySendAt == "" && s != nil && s.LastHealthySendAt != nil {
		a.LastHealthySendAt = *s.LastHealthySendAt
	}
	a.Headline = headline(a)
	return a
}

// statusCode prefers the diagnostics code; the summary's is a fallback for an
// answer whose diagnostics block lacks it.
func statusCode(d *instantly.Diagnostics, s *instantly.Summary) string {
	if d != nil && d.Status != nil && *d.Status != "" {
		return *d.Status
	}
	if s != nil && s.Status != nil && *s.Status != "" {
		return *s.Status
	}
	return ""
}

func noData(a *Analysis, d *instantly.Diagnostics, s *instantly.Summary) {
	a.Severity = catalog.SeverityUnknown
	a.Title = "No sending data yet"
	what := a.Kind
	a.Headline = fmt.Sprintf("Instantly has no sending data for this %s yet", what)
	if d != nil && d.LastUpdated != "" {
		a.LastUpdated = d.LastUpdated
	}
	a.finding("status", "Instantly returned no status code for this %s (diagnostics and summary are empty)", what)
	a.Steps = append(a.Steps,
		"If it was launched or resumed in the last 10-15 minutes, wait: Instantly computes the sending status after its first sending loop.",
		fmt.Sprintf("If it was never launched, it is a draft: open the %s in Instantly and press \"Launch\".", what),
		"Check the schedule (\"Schedule\" tab), the sending accounts (\"Options\") and that it has leads; then ask again in 15 minutes.",
		"If it stays empty for more than an hour on an active campaign, contact Instantly support with the campaign id.",
	)
}

func i64(f float64) *int64 { v := int64(f); return &v }

// finding appends one finding read from the diagnostics block blk.
func (a *Analysis) finding(blk, format string, args ...any) {
	a.Findings = append(a.Findings, fmt.Sprintf(format, args...))
	a.blocks = append(a.blocks, blk)
}

// findings turns the numbers into sentences, most telling first.
func findings(a *Analysis, d *instantly.Diagnostics, now time.Time) {
	if acc := d.AccountsSummary; acc != nil {
		accountFindings(a, acc)
	}
	limitFindings(a, d)
	if ss := d.ScheduleStatus; ss != nil && ss.InSchedule != nil {
		if *ss.InSchedule {
			a.finding("schedule_status", "inside its sending schedule now")
		} else {
			a.finding("schedule_status", "outside its sending schedule now: nothing is sent until the next window opens")
		}
	}
	if fu := d.FollowUpsWaiting; fu != nil && fu.Count != nil && *fu.Count > 0 {
		if fu.EarliestWaitTimeSeconds != nil && *fu.EarliestWaitTimeSeconds > 0 {
			a.NextFollowUpDueSeconds = i64(*fu.EarliestWaitTimeSeconds)
			a.finding("follow_ups_waiting", "%s %s waiting, the next due in %s", num(*fu.Count), plural(*fu.Count, "follow-up", "follow-ups"),
				humanDuration(time.Duration(*fu.EarliestWaitTimeSeconds*float64(time.Second))))
		} else {
			a.finding("follow_ups_waiting", "%s %s waiting", num(*fu.Count), plural(*fu.Count, "follow-up", "follow-ups"))
		}
	}
	routingFindings(a, d)
	leadStatusFindings(a, d)
	if sob := d.SendOneByOne; sob != nil && sob.Enabled != nil && *sob.Enabled {
		a.finding("send_one_by_one", "send one-by-one is on, which spaces emails out by design")
	}
	issueFindings(a, d, now)
	if d.LastUpdated != "" {
		a.LastUpdated = d.LastUpdated
		if t, ok := parseTime(d.LastUpdated); ok {
			age := now.Sub(t)
			a.DataAgeSeconds = i64(age.Seconds())
			if age > staleAfter {
				a.finding("last_updated", "Instantly last updated this status %s: the numbers may be out of date", ago(d.LastUpdated, now))
			}
		}
	}
}

// limitFindings: the campaign's and the new leads' daily counts.
func limitFindings(a *Analysis, d *instantly.Diagnostics) {
	if cdl := d.CampaignDailyLimit; cdl != nil && cdl.Sent != nil {
		if cdl.Limit != nil && *cdl.Limit > 0 {
			a.SentToday, a.DailyLimit = i64(*cdl.Sent), i64(*cdl.Limit)
			hit := ""
			if (cdl.LimitHit != nil && *cdl.LimitHit) || *cdl.Sent >= *cdl.Limit {
				hit = " (campaign daily limit reached)"
			}
			a.finding("campaign_daily_limit", "%s of %s sent today%s", num(*cdl.Sent), num(*cdl.Limit), hit)
		} else {
			a.SentToday = i64(*cdl.Sent)
			a.finding("campaign_daily_limit", "%s sent today", num(*cdl.Sent))
		}
	}
	if nl := d.NewLeadLimit; nl != nil && nl.Enabled != nil && *nl.Enabled {
		switch {
		case nl.Contacted != nil && nl.Limit != nil:
			hit := ""
			if (nl.LimitHit != nil && *nl.LimitHit) || *nl.Contacted >= *nl.Limit {
				hit = " (new-lead limit reached; only follow-ups can go out today)"
			}
			a.finding("new_lead_limit", "%s of %s new leads contacted today%s", num(*nl.Contacted), num(*nl.Limit), hit)
		case nl.Contacted != nil:
			a.finding("new_lead_limit", "%s new leads contacted today (new-lead limit enabled, no number set)", num(*nl.Contacted))
		}
	}
}

// routingFindings: provider matching and the per-company limit.
func routingFindings(a *Analysis, d *instantly.Diagnostics) {
	if esp := d.ESPRoutingStatus; esp != nil && esp.Enabled != nil && *esp.Enabled {
		if esp.WaitingForMatch != nil && *esp.WaitingForMatch {
			a.finding("esp_routing_status", "provider matching is on and waiting for a sending account on the lead's email provider (%d %s connected)",
				len(esp.ConnectedESPs), plural(float64(len(esp.ConnectedESPs)), "provider", "providers"))
		} else {
			a.finding("esp_routing_status", "provider matching is on")
		}
	}
	if dl := d.DomainLimiter; dl != nil && dl.Active != nil && *dl.Active && dl.DomainsAtLimit != nil && *dl.DomainsAtLimit > 0 {
		a.finding("domain_limiter", "%s company %s at the per-company daily limit", num(*dl.DomainsAtLimit), plural(*dl.DomainsAtLimit, "domain", "domains"))
	}
}

// leadStatusFindings: whether a lead is ready, and the leads skipped.
func leadStatusFindings(a *Analysis, d *instantly.Diagnostics) {
	ls := d.LeadsStatus
	if ls == nil {
		return
	}
	if ls.NoLeadsReady != nil && *ls.NoLeadsReady {
		a.finding("leads_status", "no lead is ready to receive an email right now")
	}
	if ls.AccountUnavailableSkips != nil && *ls.AccountUnavailableSkips > 0 {
		a.finding("leads_status", "%s %s skipped because no sending account was available", num(*ls.AccountUnavailableSkips), plural(*ls.AccountUnavailableSkips, "lead", "leads"))
	}
	if ls.DelayNotMetSkips != nil && *ls.DelayNotMetSkips > 0 {
		a.finding("leads_status", "%s %s skipped because their step delay is not over yet", num(*ls.DelayNotMetSkips), plural(*ls.DelayNotMetSkips, "lead", "leads"))
	}
}

// issueFindings: since when the issue lasts, and the last healthy send.
func issueFindings(a *Analysis, d *instantly.Diagnostics, now time.Time) {
	it := d.IssueTracking
	if it == nil {
		return
	}
	if it.IssueFirstSeenAt != nil && *it.IssueFirstSeenAt != "" && a.Status != instantly.StatusHealthy {
		a.IssueFirstSeenAt = *it.IssueFirstSeenAt
		if t, ok := parseTime(*it.IssueFirstSeenAt); ok {
			a.IssueAgeSeconds = i64(now.Sub(t).Seconds())
		}
		loops := ""
		if it.ConsecutiveLoopsWithIssue != nil && *it.ConsecutiveLoopsWithIssue > 0 {
			loops = fmt.Sprintf(" (%s %s in a row)", num(*it.ConsecutiveLoopsWithIssue), plural(*it.ConsecutiveLoopsWithIssue, "check", "checks"))
		}
		a.finding("issue_tracking", "issue first seen %s%s", ago(*it.IssueFirstSeenAt, now), loops)
	}
	if it.LastHealthySendAt != nil && *it.LastHealthySendAt != "" {
		a.LastHealthySendAt = *it.LastHealthySendAt
		a.finding("issue_tracking", "last healthy send %s", ago(*it.LastHealthySendAt, now))
	} else if a.Status != instantly.StatusHealthy && a.Status != instantly.StatusCampaignDraft {
		a.finding("issue_tracking", "no healthy send on record")
	}
}

func accountFindings(a *Analysis, acc *instantly.AccountsSummary) {
	if acc.TotalConnected == nil {
		return
	}
	total := *acc.TotalConnected
	a.ConnectedAccounts = i64(total)
	if total == 0 {
		a.finding("accounts_summary", "no sending account is connected to it")
		return
	}
	if acc.Available == nil {
		a.finding("accounts_summary", "%s sending %s connected", num(total), plural(total, "account", "accounts"))
		return
	}
	avail := *acc.Available
	a.AvailableAccounts = i64(avail)
	unavailable := total - avail
	if unavailable <= 0 {
		a.finding("accounts_summary", "all %s sending %s available", num(total), plural(total, "account", "accounts"))
		return
	}
	var why []string
	if u := acc.Unavailable; u != nil {
		part := func(p *float64, one, many string) {
			if p != nil && *p > 0 {
				why = append(why, num(*p)+" "+plural(*p, one, many))
			}
		}
		part(u.Disconnected, "disconnected", "disconnected")
		part(u.DailyLimitHit, "at its daily limit", "at their daily limit")
		part(u.SlowRampLimitHit, "held by slow ramp", "held by slow ramp")
		part(u.GlobalGapNotMet, "waiting for its minimum gap between emails", "waiting for their minimum gap between emails")
	}
	line := fmt.Sprintf("%s of %s %s unavailable", num(unavailable), num(total), plural(total, "account", "accounts"))
	if len(why) > 0 {
		line += ": " + strings.Join(why, ", ")
	}
	a.finding("accounts_summary", "%s", line)
}

// headline is one line a person can act on: the state, and the first thing to
// know about it.
func headline(a Analysis) string {
	var lead string
	switch a.Severity {
	case catalog.SeverityOK:
		lead = "Sending"
		if a.Status == instantly.StatusCampaignRunningSubsequences && a.IssueFirstSeenAt != "" {
			// Not "Sending": the main sequence has stopped (an open issue
			// since issue_first_seen_at); only subsequences may still send.
			lead = "Main sequence finished"
		}
	case catalog.SeverityWaiting:
		lead = "Waiting (normal pacing)"
	case catalog.SeverityActionRequired:
		lead = "Not sending, action required"
	default:
		lead = ""
	}
	h := a.Title
	if lead != "" {
		h = lead + ": " + a.Title
	}
	if a.Answer != "" {
		return h + "; " + a.Answer
	}
	if a.Severity != catalog.SeverityOK {
		if f := keyFinding(a); f != "" {
			h += "; " + f
		}
	}
	return h
}

// keyFinding is the finding read from the block that confirms the status
// (the catalog's Confirm fields), else the first finding.
func keyFinding(a Analysis) string {
	for _, path := range a.Confirm {
		blk, _, _ := strings.Cut(path, ".")
		for i, b := range a.blocks {
			if b == blk && i < len(a.Findings) {
				return a.Findings[i]
			}
		}
	}
	if len(a.Findings) > 0 {
		return a.Findings[0]
	}
	return ""
}
