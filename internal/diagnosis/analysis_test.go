package diagnosis_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

// answer builds a sending-status answer from its JSON (fixedNow is
// 2026-11-25T15:00:00Z).
func answer(t *testing.T, js string) *instantly.SendingStatus {
	t.Helper()
	var st instantly.SendingStatus
	if err := json.Unmarshal([]byte(js), &st); err != nil {
		t.Fatalf("%v: %s", err, js)
	}
	return &st
}

func i64p(v int64) *int64 { return &v }

func eqp(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// Analyze, value by value: the exact findings (words and numbers, in order),
// the headline, the severity and the numbers it copies out, for a table of
// answers that each exercise one block at its edges.
func TestAnalyzeExactFindings(t *testing.T) {
	type nums struct{ avail, connected, sent, limit, nextDue, issueAge, dataAge *int64 }
	cases := []struct {
		name     string
		js       string
		severity catalog.Severity
		findings []string
		headline string
		nums     nums
	}{
		{
			name: "accounts: some unavailable, each reason counted, singular and plural",
			js: `{"diagnostics":{"status":"account_daily_limit_met","accounts_summary":{"total_connected":5,"available":1,
				"unavailable":{"disconnected":1,"daily_limit_hit":2,"slow_ramp_limit_hit":0,"global_gap_not_met":1}}}}`,
			severity: catalog.SeverityWaiting,
			findings: []string{"4 of 5 accounts unavailable: 1 disconnected, 2 at their daily limit, 1 waiting for its minimum gap between emails"},
			headline: "Waiting (normal pacing): Account daily limits reached; 4 of 5 accounts unavailable: 1 disconnected, 2 at their daily limit, 1 waiting for its minimum gap between emails",
			nums:     nums{avail: i64p(1), connected: i64p(5)},
		},
		{
			name: "accounts: one unavailable of one, slow ramp",
			js: `{"diagnostics":{"status":"no_accounts_available","accounts_summary":{"total_connected":1,"available":0,
				"unavailable":{"slow_ramp_limit_hit":1,"daily_limit_hit":1}}}}`,
			severity: catalog.SeverityActionRequired,
			findings: []string{"1 of 1 account unavailable: 1 at its daily limit, 1 held by slow ramp"},
			headline: "Not sending, action required: No sending account available; 1 of 1 account unavailable: 1 at its daily limit, 1 held by slow ramp",
			nums:     nums{avail: i64p(0), connected: i64p(1)},
		},
		{
			name:     "accounts: unavailable without reasons",
			js:       `{"diagnostics":{"status":"campaign_accounts_unhealthy","accounts_summary":{"total_connected":3,"available":1}}}`,
			severity: catalog.SeverityActionRequired,
			findings: []string{"2 of 3 accounts unavailable"},
			headline: "Not sending, action required: Some sending accounts unhealthy; 2 of 3 accounts unavailable",
			nums:     nums{avail: i64p(1), connected: i64p(3)},
		},
		{
			name:     "accounts: all available (available equal to total)",
			js:       `{"diagnostics":{"status":"healthy","accounts_summary":{"total_connected":4,"available":4}}}`,
			severity: catalog.SeverityOK,
			findings: []string{"all 4 sending accounts available"},
			headline: "Sending: Sending normally",
			nums:     nums{avail: i64p(4), connected: i64p(4)},
		},
		{
			name:     "accounts: one connected, availability unknown",
			js:       `{"diagnostics":{"status":"healthy","accounts_summary":{"total_connected":1}}}`,
			severity: catalog.SeverityOK,
			findings: []string{"1 sending account connected"},
			headline: "Sending: Sending normally",
			nums:     nums{connected: i64p(1)},
		},
		{
			name:     "accounts: none connected",
			js:       `{"diagnostics":{"status":"all_accounts_unhealthy","accounts_summary":{"total_connected":0,"available":0}}}`,
			severity: catalog.SeverityActionRequired,
			findings: []string{"no sending account is connected to it"},
			headline: "Not sending, action required: All sending accounts unhealthy; no sending account is connected to it",
			nums:     nums{connected: i64p(0)},
		},
		{
			name:     "campaign daily limit: reached by count",
			js:       `{"diagnostics":{"status":"daily_limit_met","campaign_daily_limit":{"limit":30,"sent":30,"limit_hit":false}}}`,
			severity: catalog.SeverityWaiting,
			findings: []string{"30 of 30 sent today (campaign daily limit reached)"},
			headline: "Waiting (normal pacing): Campaign daily limit reached; 30 of 30 sent today (campaign daily limit reached)",
			nums:     nums{sent: i64p(30), limit: i64p(30)},
		},
		{
			name:     "campaign daily limit: one below, not flagged",
			js:       `{"diagnostics":{"status":"healthy","campaign_daily_limit":{"limit":30,"sent":29}}}`,
			severity: catalog.SeverityOK,
			findings: []string{"29 of 30 sent today"},
			headline: "Sending: Sending normally",
			nums:     nums{sent: i64p(29), limit: i64p(30)},
		},
		{
			name:     "campaign daily limit: flagged by Instantly below the count",
			js:       `{"diagnostics":{"status":"daily_limit_met","campaign_daily_limit":{"limit":30,"sent":12.5,"limit_hit":true}}}`,
			severity: catalog.SeverityWaiting,
			findings: []string{"12.5 of 30 sent today (campaign daily limit reached)"},
			headline: "Waiting (normal pacing): Campaign daily limit reached; 12.5 of 30 sent today (campaign daily limit reached)",
			nums:     nums{sent: i64p(12), limit: i64p(30)},
		},
		{
			name:     "campaign daily limit: no limit set",
			js:       `{"diagnostics":{"status":"healthy","campaign_daily_limit":{"limit":0,"sent":7}}}`,
			severity: catalog.SeverityOK,
			findings: []string{"7 sent today"},
			headline: "Sending: Sending normally",
			nums:     nums{sent: i64p(7)},
		},
		{
			name:     "new-lead limit: reached by count, then one below, then no number",
			js:       `{"diagnostics":{"status":"new_lead_limit_met","new_lead_limit":{"enabled":true,"limit":50,"contacted":50}}}`,
			severity: catalog.SeverityWaiting,
			findings: []string{"50 of 50 new leads contacted today (new-lead limit reached; only follow-ups can go out today)"},
			headline: "Waiting (normal pacing): New-lead limit reached; 50 of 50 new leads contacted today (new-lead limit reached; only follow-ups can go out today)",
		},
		{
			name:     "new-lead limit: below, not flagged",
			js:       `{"diagnostics":{"status":"healthy","new_lead_limit":{"enabled":true,"limit":50,"contacted":49,"limit_hit":false}}}`,
			severity: catalog.SeverityOK,
			findings: []string{"49 of 50 new leads contacted today"},
			headline: "Sending: Sending normally",
		},
		{
			name:     "new-lead limit: flagged",
			js:       `{"diagnostics":{"status":"new_lead_limit_met","new_lead_limit":{"enabled":true,"limit":50,"contacted":3,"limit_hit":true}}}`,
			severity: catalog.SeverityWaiting,
			findings: []string{"3 of 50 new leads contacted today (new-lead limit reached; only follow-ups can go out today)"},
			headline: "Waiting (normal pacing): New-lead limit reached; 3 of 50 new leads contacted today (new-lead limit reached; only follow-ups can go out today)",
		},
		{
			name:     "new-lead limit: no number set; disabled limits say nothing",
			js:       `{"diagnostics":{"status":"healthy","new_lead_limit":{"enabled":true,"contacted":8},"send_one_by_one":{"enabled":false},"esp_routing_status":{"enabled":false,"waiting_for_match":true}}}`,
			severity: catalog.SeverityOK,
			findings: []string{"8 new leads contacted today (new-lead limit enabled, no number set)"},
			headline: "Sending: Sending normally",
		},
		{
			name:     "new-lead limit disabled",
			js:       `{"diagnostics":{"status":"healthy","new_lead_limit":{"enabled":false,"limit":50,"contacted":50}}}`,
			severity: catalog.SeverityOK,
			findings: []string{},
			headline: "Sending: Sending normally",
		},
		{
			name:     "schedule: outside",
			js:       `{"diagnostics":{"status":"out_of_schedule","schedule_status":{"in_schedule":false}}}`,
			severity: catalog.SeverityWaiting,
			findings: []string{"outside its sending schedule now: nothing is sent until the next window opens"},
			headline: "Waiting (normal pacing): Outside the sending schedule; outside its sending schedule now: nothing is sent until the next window opens",
		},
		{
			name:     "schedule: inside; one-by-one on",
			js:       `{"diagnostics":{"status":"healthy","schedule_status":{"in_schedule":true},"send_one_by_one":{"enabled":true}}}`,
			severity: catalog.SeverityOK,
			findings: []string{"inside its sending schedule now", "send one-by-one is on, which spaces emails out by design"},
			headline: "Sending: Sending normally",
		},
		{
			name:     "follow-ups: several, next due in 1 h 30 min",
			js:       `{"diagnostics":{"status":"follow_up_delay_not_met","follow_ups_waiting":{"count":3,"earliest_wait_time_seconds":5400}}}`,
			severity: catalog.SeverityWaiting,
			findings: []string{"3 follow-ups waiting, the next due in 1 h 30 min"},
			headline: "Waiting (normal pacing): Follow-ups not due yet; 3 follow-ups waiting, the next due in 1 h 30 min",
			nums:     nums{nextDue: i64p(5400)},
		},
		{
			name:     "follow-ups: one, no wait given; none waiting says nothing",
			js:       `{"diagnostics":{"status":"follow_up_delay_not_met","follow_ups_waiting":{"count":1,"earliest_wait_time_seconds":0}}}`,
			severity: catalog.SeverityWaiting,
			findings: []string{"1 follow-up waiting"},
			headline: "Waiting (normal pacing): Follow-ups not due yet; 1 follow-up waiting",
		},
		{
			name:     "follow-ups: zero",
			js:       `{"diagnostics":{"status":"healthy","follow_ups_waiting":{"count":0,"earliest_wait_time_seconds":60}}}`,
			severity: catalog.SeverityOK,
			findings: []string{},
			headline: "Sending: Sending normally",
		},
		{
			name:     "provider matching: waiting, two providers",
			js:       `{"diagnostics":{"status":"waiting_for_esp_match","esp_routing_status":{"enabled":true,"waiting_for_match":true,"connected_esps":[1,2]}}}`,
			severity: catalog.SeverityActionRequired,
			findings: []string{"provider matching is on and waiting for a sending account on the lead's email provider (2 providers connected)"},
			headline: "Not sending, action required: Waiting for a provider match; provider matching is on and waiting for a sending account on the lead's email provider (2 providers connected)",
		},
		{
			name:     "provider matching: waiting, one provider",
			js:       `{"diagnostics":{"status":"waiting_for_esp_match","esp_routing_status":{"enabled":true,"waiting_for_match":true,"connected_esps":[3]}}}`,
			severity: catalog.SeverityActionRequired,
			findings: []string{"provider matching is on and waiting for a sending account on the lead's email provider (1 provider connected)"},
			headline: "Not sending, action required: Waiting for a provider match; provider matching is on and waiting for a sending account on the lead's email provider (1 provider connected)",
		},
		{
			name:     "provider matching: on, not waiting",
			js:       `{"diagnostics":{"status":"healthy","esp_routing_status":{"enabled":true,"waiting_for_match":false}}}`,
			severity: catalog.SeverityOK,
			findings: []string{"provider matching is on"},
			headline: "Sending: Sending normally",
		},
		{
			name:     "domain limiter: one, then two domains; inactive or zero says nothing",
			js:       `{"diagnostics":{"status":"domain_limit_reached","domain_limiter":{"active":true,"domains_at_limit":1}}}`,
			severity: catalog.SeverityWaiting,
			findings: []string{"1 company domain at the per-company daily limit"},
			headline: "Waiting (normal pacing): Per-company limit reached; 1 company domain at the per-company daily limit",
		},
		{
			name:     "domain limiter: two",
			js:       `{"diagnostics":{"status":"domain_limit_reached","domain_limiter":{"active":true,"domains_at_limit":2}}}`,
			severity: catalog.SeverityWaiting,
			findings: []string{"2 company domains at the per-company daily limit"},
			headline: "Waiting (normal pacing): Per-company limit reached; 2 company domains at the per-company daily limit",
		},
		{
			name:     "domain limiter: inactive, or active with none at the limit",
			js:       `{"diagnostics":{"status":"healthy","domain_limiter":{"active":false,"domains_at_limit":4}}}`,
			severity: catalog.SeverityOK,
			findings: []string{},
			headline: "Sending: Sending normally",
		},
		{
			name:     "domain limiter: active, zero",
			js:       `{"diagnostics":{"status":"healthy","domain_limiter":{"active":true,"domains_at_limit":0}}}`,
			severity: catalog.SeverityOK,
			findings: []string{},
			headline: "Sending: Sending normally",
		},
		{
			name:     "leads: none ready, skips counted",
			js:       `{"diagnostics":{"status":"waiting_for_leads","leads_status":{"no_leads_ready":true,"account_unavailable_skips":1,"delay_not_met_skips":12}}}`,
			severity: catalog.SeverityActionRequired,
			findings: []string{"no lead is ready to receive an email right now", "1 lead skipped because no sending account was available", "12 leads skipped because their step delay is not over yet"},
			headline: "Not sending, action required: No leads ready; no lead is ready to receive an email right now",
		},
		{
			name:     "leads: ready, two skipped for accounts, none for delay",
			js:       `{"diagnostics":{"status":"healthy","leads_status":{"no_leads_ready":false,"account_unavailable_skips":2,"delay_not_met_skips":0}}}`,
			severity: catalog.SeverityOK,
			findings: []string{"2 leads skipped because no sending account was available"},
			headline: "Sending: Sending normally",
		},
		{
			name: "issue tracking: first seen 3 h ago, 4 checks; last healthy send 2 d ago",
			js: `{"diagnostics":{"status":"campaign_paused","issue_tracking":{"issue_first_seen_at":"2026-11-25T12:00:00Z",
				"consecutive_loops_with_issue":4,"last_healthy_send_at":"2026-11-23T14:00:00Z"}}}`,
			severity: catalog.SeverityActionRequired,
			findings: []string{"issue first seen 3 h ago (4 checks in a row)", "last healthy send 2 d 1 h ago"},
			headline: "Not sending, action required: Campaign is paused; issue first seen 3 h ago (4 checks in a row)",
			nums:     nums{issueAge: i64p(3 * 3600)},
		},
		{
			name:     "issue tracking: one check; no healthy send",
			js:       `{"diagnostics":{"status":"campaign_bounce_protect","issue_tracking":{"issue_first_seen_at":"2026-11-25T14:59:30Z","consecutive_loops_with_issue":1}}}`,
			severity: catalog.SeverityActionRequired,
			findings: []string{"issue first seen just now (1 check in a row)", "no healthy send on record"},
			headline: "Not sending, action required: Paused by bounce protect; issue first seen just now (1 check in a row)",
			nums:     nums{issueAge: i64p(30)},
		},
		{
			name:     "issue tracking: zero loops; unparsable time is quoted",
			js:       `{"diagnostics":{"status":"campaign_paused","issue_tracking":{"issue_first_seen_at":"yesterday","consecutive_loops_with_issue":0,"last_healthy_send_at":""}}}`,
			severity: catalog.SeverityActionRequired,
			findings: []string{"issue first seen yesterday", "no healthy send on record"},
			headline: "Not sending, action required: Campaign is paused; issue first seen yesterday",
		},
		{
			name:     "issue tracking: healthy has no issue and needs no healthy send",
			js:       `{"diagnostics":{"status":"healthy","issue_tracking":{"issue_first_seen_at":"2026-11-25T12:00:00Z"}}}`,
			severity: catalog.SeverityOK,
			findings: []string{},
			headline: "Sending: Sending normally",
		},
		{
			name:     "issue tracking: a draft never sent",
			js:       `{"diagnostics":{"status":"campaign_draft","issue_tracking":{}}}`,
			severity: catalog.SeverityActionRequired,
			findings: []string{},
			headline: "Not sending, action required: Campaign is a draft",
		},
		{
			name:     "last updated 2 h ago: stale",
			js:       `{"diagnostics":{"status":"healthy","last_updated":"2026-11-25T13:00:00Z"}}`,
			severity: catalog.SeverityOK,
			findings: []string{"Instantly last updated this status 2 h ago: the numbers may be out of date"},
			headline: "Sending: Sending normally",
			nums:     nums{dataAge: i64p(7200)},
		},
		{
			name:     "last updated exactly 1 h ago: not stale yet",
			js:       `{"diagnostics":{"status":"healthy","last_updated":"2026-11-25T14:00:00Z"}}`,
			severity: catalog.SeverityOK,
			findings: []string{},
			headline: "Sending: Sending normally",
			nums:     nums{dataAge: i64p(3600)},
		},
		{
			name:     "last updated 1 h 0 min 1 s ago: stale",
			js:       `{"diagnostics":{"status":"out_of_schedule","last_updated":"2026-11-25T13:59:59Z"}}`,
			severity: catalog.SeverityWaiting,
			findings: []string{"Instantly last updated this status 1 h ago: the numbers may be out of date"},
			headline: "Waiting (normal pacing): Outside the sending schedule; Instantly last updated this status 1 h ago: the numbers may be out of date",
			nums:     nums{dataAge: i64p(3601)},
		},
		{
			name:     "summary and diagnostics disagree",
			js:       `{"diagnostics":{"status":"out_of_schedule"},"summary":{"status":"healthy"}}`,
			severity: catalog.SeverityWaiting,
			findings: []string{`Instantly's summary says "healthy" while its diagnostics say "out_of_schedule"; the diagnostics code is used here`},
			headline: `Waiting (normal pacing): Outside the sending schedule; Instantly's summary says "healthy" while its diagnostics say "out_of_schedule"; the diagnostics code is used here`,
		},
		{
			name:     "summary and diagnostics agree: nothing to say",
			js:       `{"diagnostics":{"status":"healthy"},"summary":{"status":"healthy"}}`,
			severity: catalog.SeverityOK,
			findings: []string{},
			headline: "Sending: Sending normally",
		},
		{
			name:     "the confirming block's finding leads the headline, not the first finding",
			js:       `{"diagnostics":{"status":"out_of_schedule","accounts_summary":{"total_connected":2,"available":2},"schedule_status":{"in_schedule":false}}}`,
			severity: catalog.SeverityWaiting,
			findings: []string{"all 2 sending accounts available", "outside its sending schedule now: nothing is sent until the next window opens"},
			headline: "Waiting (normal pacing): Outside the sending schedule; outside its sending schedule now: nothing is sent until the next window opens",
			nums:     nums{avail: i64p(2), connected: i64p(2)},
		},
		{
			name:     "running subsequences with an open issue: main sequence finished",
			js:       `{"diagnostics":{"status":"campaign_running_subsequences","issue_tracking":{"issue_first_seen_at":"2026-11-25T14:00:00Z","last_healthy_send_at":"2026-11-25T13:30:00Z"}}}`,
			severity: catalog.SeverityOK,
			findings: []string{"issue first seen 1 h ago", "last healthy send 1 h 30 min ago"},
			headline: "Main sequence finished: Only subsequences sending",
			nums:     nums{issueAge: i64p(3600)},
		},
		{
			name:     "running subsequences without an issue: sending",
			js:       `{"diagnostics":{"status":"campaign_running_subsequences"}}`,
			severity: catalog.SeverityOK,
			findings: []string{},
			headline: "Sending: Only subsequences sending",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := diagnosis.Analyze("campaign", "c1", answer(t, c.js), fixedNow)
			if a.Severity != c.severity {
				t.Errorf("severity %s, want %s", a.Severity, c.severity)
			}
			if !slices.Equal(a.Findings, c.findings) {
				t.Errorf("findings\n got %q\nwant %q", a.Findings, c.findings)
			}
			if a.Headline != c.headline {
				t.Errorf("headline\n got %q\nwant %q", a.Headline, c.headline)
			}
			got := nums{a.AvailableAccounts, a.ConnectedAccounts, a.SentToday, a.DailyLimit, a.NextFollowUpDueSeconds, a.IssueAgeSeconds, a.DataAgeSeconds}
			for i, p := range [][2]*int64{{got.avail, c.nums.avail}, {got.connected, c.nums.connected}, {got.sent, c.nums.sent}, {got.limit, c.nums.limit},
				{got.nextDue, c.nums.nextDue}, {got.issueAge, c.nums.issueAge}, {got.dataAge, c.nums.dataAge}} {
				if !eqp(p[0], p[1]) {
					t.Errorf("number %d (avail, connected, sent, limit, nextDue, issueAge, dataAge): got %v, want %v", i, deref(p[0]), deref(p[1]))
				}
			}
		})
	}
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// What Analyze copies besides the findings: no data (for a campaign and a
// subsequence), the summary's code when the diagnostics have none, an
// unknown code's generic entry, the summary's texts and timestamps, and the
// catalog's steps, confirm fields and resolution for a known code.
func TestAnalyzeCopies(t *testing.T) {
	for _, kind := range []string{"campaign", "subsequence"} {
		a := diagnosis.Analyze(kind, "x", nil, fixedNow)
		if a.Status != "" || a.KnownStatus || a.Severity != catalog.SeverityUnknown || a.Title != "No sending data yet" ||
			a.Headline != "Instantly has no sending data for this "+kind+" yet" ||
			!slices.Equal(a.Findings, []string{"Instantly returned no status code for this " + kind + " (diagnostics and summary are empty)"}) ||
			len(a.Steps) != 4 || a.Steps[1] != "If it was never launched, it is a draft: open the "+kind+" in Instantly and press \"Launch\"." ||
			a.Kind != kind || a.ID != "x" {
			t.Errorf("no data (%s): %+v", kind, a)
		}
	}
	a := diagnosis.Analyze("campaign", "x", answer(t, `{"diagnostics":{"status":"","last_updated":"2026-11-25T14:55:00Z"},"summary":{"status":"","status_message":"Nothing yet"}}`), fixedNow)
	if a.Status != "" || a.LastUpdated != "2026-11-25T14:55:00Z" || a.StatusMessage != "Nothing yet" || a.Title != "No sending data yet" {
		t.Errorf("empty codes: %+v", a)
	}
	a = diagnosis.Analyze("campaign", "x", answer(t, `{"diagnostics":{"status":null},"summary":{"status":"daily_limit_met","status_message":"Limit hit",
		"ai_summary":"The campaign hit its limit.","issue_started_at":"2026-11-25T10:00:00Z","last_healthy_send_at":"2026-11-25T09:00:00Z"}}`), fixedNow)
	daily, _ := catalog.Lookup("daily_limit_met")
	if a.Status != "daily_limit_met" || !a.KnownStatus || a.StatusMessage != "Limit hit" || a.AISummary != "The campaign hit its limit." ||
		a.IssueFirstSeenAt != "2026-11-25T10:00:00Z" || a.LastHealthySendAt != "2026-11-25T09:00:00Z" ||
		!slices.Equal(a.Steps, daily.StepsFor(catalog.Facts{Kind: "campaign"})) || !slices.Equal(a.Confirm, daily.Confirm) || a.ResolvesBy != daily.ResolvesBy || a.ResolvesBy == "" {
		t.Errorf("summary fallback: %+v", a)
	}
	// The diagnostics' issue tracking wins over the summary's timestamps.
	a = diagnosis.Analyze("campaign", "x", answer(t, `{"diagnostics":{"status":"campaign_paused","issue_tracking":{"issue_first_seen_at":"2026-11-25T12:00:00Z",
		"last_healthy_send_at":"2026-11-25T11:00:00Z"}},"summary":{"issue_started_at":"2026-11-25T10:00:00Z","last_healthy_send_at":"2026-11-25T09:00:00Z"}}`), fixedNow)
	if a.IssueFirstSeenAt != "2026-11-25T12:00:00Z" || a.LastHealthySendAt != "2026-11-25T11:00:00Z" {
		t.Errorf("issue tracking vs summary: %q %q", a.IssueFirstSeenAt, a.LastHealthySendAt)
	}
	a = diagnosis.Analyze("campaign", "x", answer(t, `{"diagnostics":{"status":"brand_new_code","schedule_status":{"in_schedule":true}}}`), fixedNow)
	gen := catalog.Generic("brand_new_code")
	if a.Status != "brand_new_code" || a.KnownStatus || a.Severity != catalog.SeverityUnknown || a.Title != gen.Title ||
		!slices.Equal(a.Steps, gen.Steps) || a.Headline != gen.Title+"; inside its sending schedule now" {
		t.Errorf("unknown code: %+v", a)
	}
}
