// Package catalog holds the remediation knowledge of this server: one
// catalog of Instantly's sending-status codes, the conditions that keep a
// step off when the facts contradict it, and the names of the MCP tools the
// words point to. The tools' text, the CLI, the MCP prompts and resources
// and the README table all read it, so a fix to an entry shows up
// everywhere at once. It knows nothing of MCP.
package catalog

import (
	"fmt"
	"slices"
	"strings"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// The MCP tool names, registered by package tools and named by the prompts
// and the diagnosis text: a prompt that names a tool wrongly fails silently
// in the model, so they live here in one place.
const (
	ToolCampaignStatus    = "get_campaign_sending_status"    // argument "id": the campaign UUID
	ToolSubsequenceStatus = "get_subsequence_sending_status" // argument "id": the subsequence UUID
	ToolOverview          = "get_sending_overview"           // arguments "status", "search"
	ToolListCampaigns     = "list_campaigns"
)

// Severity says whether a status needs a person.
type Severity string

const (
	// SeverityOK: the campaign is sending; nothing to fix.
	SeverityOK Severity = "ok"
	// SeverityWaiting: normal pacing (a limit, the schedule, a delay). It
	// resolves by itself; acting on it is a choice to send more or sooner.
	SeverityWaiting Severity = "waiting"
	// SeverityActionRequired: nothing (or less than intended) is sent until a
	// person changes something in Instantly.
	SeverityActionRequired Severity = "action_required"
	// SeverityUnknown: a code this catalog does not know (see Generic).
	SeverityUnknown Severity = "unknown"
)

// Entry is the remediation knowledge for one sending-status code.
type Entry struct {
	Code     string
	Title    string // short human name, e.g. "Daily limit reached"
	Severity Severity
	Meaning  string // one or two sentences: what it means
	// Steps are concrete remediation steps in order, naming Instantly's UI
	// settings in quotes. They are not numbered: renderers number them.
	Steps []string
	// Confirm lists the diagnostics fields that confirm the code, as dotted
	// paths relative to the diagnostics object (json names of
	// instantly.Diagnostics; a test checks every path exists).
	Confirm []string
	// ResolvesBy says when the code clears by itself; "" when it does not
	// (every action_required entry) or there is nothing to clear (ok).
	ResolvesBy string
}

// severityRank orders the catalog: the codes that need a person first.
var severityRank = map[Severity]int{
	SeverityActionRequired: 0,
	SeverityWaiting:        1,
	SeverityOK:             2,
	SeverityUnknown:        3,
}

// byCode indexes catalog by code; built once, read-only afterwards.
var byCode = func() map[string]int {
	m := make(map[string]int, len(catalog))
	for i, e := range catalog {
		if _, dup := m[e.Code]; dup {
			panic("catalog: duplicate catalog code " + e.Code)
		}
		m[e.Code] = i
	}
	return m
}()

// Catalog returns all 18 entries in a stable order: action_required first,
// then waiting, then ok. Within a severity the order is the one a support
// engineer checks in: campaign state, then accounts, then leads and limits.
// The result is a copy; callers may modify it.
func Catalog() []Entry {
	out := make([]Entry, len(catalog))
	for i, e := range catalog {
		out[i] = e.clone()
	}
	// The literal is already in this order (a test checks it); sorting keeps
	// the documented order even if an entry is later inserted in the wrong place.
	slices.SortStableFunc(out, func(a, b Entry) int {
		return severityRank[a.Severity] - severityRank[b.Severity]
	})
	return out
}

// Codes returns the 18 documented codes in Catalog order.
func Codes() []string {
	out := make([]string, 0, len(catalog))
	for _, e := range Catalog() {
		out = append(out, e.Code)
	}
	return out
}

// Lookup returns the entry of a documented code. Surrounding space and case
// are ignored, since codes reach it from people as well as from the API.
func Lookup(code string) (Entry, bool) {
	i, ok := byCode[NormalizeCode(code)]
	if !ok {
		return Entry{}, false
	}
	return catalog[i].clone(), true
}

// Generic is the checklist for a code Instantly adds after this catalog was
// written: the status is passed through, and these steps walk the usual causes
// in the order they are most often found. The code is sanitized before it is
// put in the title, as it comes from outside.
func Generic(code string) Entry {
	shown := Echo(strings.TrimSpace(code), MaxEchoCode)
	if shown == "" {
		shown = "(empty)"
	}
	return Entry{
		Code:     code,
		Title:    "Unrecognised status " + shown,
		Severity: SeverityUnknown,
		Meaning: fmt.Sprintf("Instantly reported %s, a sending-status code this catalog does not describe yet. "+
			"Instantly's own message about it is the best explanation until the catalog is updated.", shown),
		Steps: []string{
			`Read Instantly's own message about it (with_ai_summary=true asks for a longer one): it describes the new code in Instantly's words.`,
			`Check the campaign's state in the app: a campaign that is "Draft", "Paused", "Completed", in bounce protect or with unhealthy accounts sends nothing until someone acts.`,
			`Check the "Schedule" tab (today and now inside the window, in the schedule's timezone, end date not past) and "Email Accounts" (the campaign's accounts connected and healthy).`,
			`If it lasts more than a day, ask Instantly support, with the campaign's id.`,
		},
		Confirm: []string{
			"issue_tracking.issue_first_seen_at",
			"issue_tracking.last_healthy_send_at",
			"schedule_status.in_schedule",
			"accounts_summary.available",
			"campaign_daily_limit.limit_hit",
			"leads_status.no_leads_ready",
		},
	}
}

func (e Entry) clone() Entry {
	e.Steps = slices.Clone(e.Steps)
	e.Confirm = slices.Clone(e.Confirm)
	return e
}

func NormalizeCode(code string) string {
	return strings.ToLower(strings.TrimSpace(code))
}

// catalog is the single source of the remediation knowledge. Facts come from
// Instantly's help center (help.instantly.ai) and API reference; where a step
// generalises beyond them it says "check", not "will".
//
// Borderline severities:
//   - campaign_running_subsequences is ok, not waiting: emails are still going
//     out (through subsequences) and nothing is stuck; the main sequence has
//     simply finished, which is the designed end state.
//   - account_daily_limit_met is waiting: account caps reset at midnight UTC.
//     Its breakdown can show disconnected accounts, which do need a person; the
//     steps send those to the reconnect path.
//   - new_lead_limit_met and domain_limit_reached are waiting: they are per-day
//     caps someone chose (or a default); they reset daily, and raising them is a
//     choice to send more, not a repair.
//   - waiting_for_leads is action_required: not-yet-due follow-ups have their own
//     code (follow_up_delay_not_met), so this one usually means the list is used
//     up or blocked, which only new leads fix. The steps point at the counters
//     that reveal the exception.
//   - waiting_for_esp_match is action_required: it clears by itself only when an
//     account on the lead's provider is connected and merely busy; when none is
//     connected it never clears, and the code alone cannot tell the two apart.
//     A stalled campaign is worse than a needless check.
var catalog = []Entry{
	// --- action_required: campaign state ---
	{
		Code:     instantly.StatusCampaignDraft,
		Title:    "Campaign is a draft",
		Severity: SeverityActionRequired,
		Meaning:  "The campaign has never been launched, so Instantly sends nothing from it.",
		Steps: []string{
			`Add leads in the campaign's "Leads" tab.`,
			`Attach at least one sending account (or an account tag that has accounts) under the campaign's "Options".`,
			`Press "Launch": the first emails go out 10-15 minutes later, inside the "Schedule" window.`,
		},
		Confirm: []string{"issue_tracking.last_healthy_send_at", "issue_tracking.issue_first_seen_at"},
	},
	{
		Code:     instantly.StatusCampaignPaused,
		Title:    "Campaign is paused",
		Severity: SeverityActionRequired,
		Meaning:  "Someone or something paused the campaign; it sends nothing until it is resumed.",
		Steps: []string{
			`Find out who paused it and why before resuming: a pause is often deliberate.`,
			`Press "Resume" on the campaign: sending restarts 10-15 minutes later, inside the "Schedule" window.`,
		},
		Confirm: []string{"issue_tracking.issue_first_seen_at", "issue_tracking.last_healthy_send_at"},
	},
	{
		Code:     instantly.StatusCampaignCompleted,
		Title:    "Campaign completed",
		Severity: SeverityActionRequired,
		Meaning:  "Every lead has finished the sequence, so the campaign has nothing left to send.",
		Steps: []string{
			`If the campaign is meant to be over, nothing is wrong.`,
			`To send again, add new leads in the campaign's "Leads" tab, and press "Resume" if it stays completed.`,
			`Or clone the campaign and give the copy a new lead list, keeping this one's results apart.`,
		},
		Confirm: []string{"leads_status.no_leads_ready", "issue_tracking.last_healthy_send_at"},
	},
	{
		Code:     instantly.StatusCampaignBounceProtect,
		Title:    "Paused by bounce protect",
		Severity: SeverityActionRequired,
		Meaning:  "Instantly paused the campaign automatically because too many of its recent emails bounced.",
		Steps: []string{
			`Verify and clean the lead list first: remove invalid and risky addresses before another email goes out.`,
			`Check the copy and where the list came from for the cause of the bounces.`,
			`Then press "Resume": bounce protect will not pause it again for 7 days, so resume only once the list is clean.`,
			`Leave bounce protect on: turning it off lets bounces continue and risks the sending domains' reputation.`,
		},
		Confirm: []string{"issue_tracking.issue_first_seen_at", "issue_tracking.last_healthy_send_at"},
	},

	// --- action_required: sending accounts ---
	{
		Code:     instantly.StatusAllAccountsUnhealthy,
		Title:    "All sending accounts unhealthy",
		Severity: SeverityActionRequired,
		Meaning:  "Every sending account of the campaign has an error, so nothing can be sent until at least one is healthy again.",
		Steps: []string{
			`In "Email Accounts", filter by status and open the campaign's accounts that show errors.`,
			`Reconnect or fix them, starting with one: a single healthy account lets the campaign send again.`,
			`Then press "Resume campaign".`,
		},
		Confirm: []string{"accounts_summary.total_connected", "accounts_summary.available", "accounts_summary.unavailable.disconnected"},
	},
	{
		Code:     instantly.StatusCampaignAccountsUnhealthy,
		Title:    "Some sending accounts unhealthy",
		Severity: SeverityActionRequired,
		Meaning:  `Some of the campaign's sending accounts have errors, and Instantly has flagged the campaign ("Accounts unhealthy", campaign status -1).`,
		Steps: []string{
			`In "Email Accounts", filter by status and reconnect or fix the campaign's accounts with errors; remove from the campaign any that cannot be fixed.`,
			`Once they are fixed, press "Resume campaign".`,
		},
		Confirm: []string{"accounts_summary.available", "accounts_summary.total_connected", "accounts_summary.unavailable.disconnected"},
	},
	{
		Code:     instantly.StatusCampaignAccountSuspended,
		Title:    "Sending account suspended",
		Severity: SeverityActionRequired,
		Meaning:  `Instantly set the campaign to "Account suspended" (campaign status -99). Whose suspension it is, a sending mailbox's or the workspace's, is not documented.`,
		Steps: []string{
			`In "Email Accounts", look for a sender of this campaign shown as suspended or banned, and replace it under the campaign's "Options".`,
			`If no sender shows suspended, or it stays "Account suspended" once the sender is replaced, ask Instantly support, with the campaign's id.`,
		},
		Confirm: []string{"accounts_summary.available", "accounts_summary.total_connected"},
	},
	{
		Code:     instantly.StatusNoAccountsAvailable,
		Title:    "No sending account available",
		Severity: SeverityActionRequired,
		Meaning:  "The campaign has no sending account attached, or none of the attached ones can be used.",
		Steps: []string{
			`Attach at least one sending account, or an account tag that has accounts, under the campaign's "Options".`,
			`If the campaign uses an account tag, check in "Email Accounts" that the tag still has accounts: an emptied tag leaves the campaign with none.`,
			`Reconnect its disconnected accounts in "Email Accounts".`,
		},
		Confirm: []string{"accounts_summary.total_connected", "accounts_summary.available", "accounts_summary.unavailable.disconnected"},
	},

	// --- action_required: leads ---
	{
		Code:     instantly.StatusWaitingForLeads,
		Title:    "No leads ready",
		Severity: SeverityActionRequired,
		Meaning:  "No lead is ready for an email: no uncontacted leads are left, the remaining ones are finished or blocked, or they are waiting on step delays.",
		Steps: []string{
			`Add new leads in the campaign's "Leads" tab.`,
			`Check that the leads not yet contacted are not blocked (block list, risky or invalid addresses).`,
			`Leads waiting for their step's delay are not stuck: they go out when it is over.`,
		},
		Confirm: []string{"leads_status.no_leads_ready", "leads_status.delay_not_met_skips", "leads_status.account_unavailable_skips", "follow_ups_waiting.count"},
	},
	{
		Code:     instantly.StatusWaitingForESPMatch,
		Title:    "Waiting for a provider match",
		Severity: SeverityActionRequired,
		Meaning: "Provider Matching (ESP routing) holds leads until a sending account on the lead's email provider can send, and none can now. " +
			"It clears by itself only if such an account is connected and merely busy.",
		Steps: []string{
			`Add sending accounts on the waiting leads' email provider to the campaign under "Options".`,
			`Or relax the rules under "Options" -> "Advanced Options" -> "Provider Matching".`,
		},
		Confirm: []string{"esp_routing_status.enabled", "esp_routing_status.waiting_for_match", "esp_routing_status.connected_esps"},
	},

	// --- waiting: normal pacing ---
	{
		Code:     instantly.StatusOutOfSchedule,
		Title:    "Outside the sending schedule",
		Severity: SeverityWaiting,
		Meaning:  "It is outside the campaign's sending window, so nothing is sent right now. Most diagnostics blocks are omitted while out of schedule.",
		Steps: []string{
			`Nothing to fix: it sends again when its "Schedule" window opens.`,
			`To send sooner, widen the window in the "Schedule" tab (check its timezone too); sending starts 10-15 minutes after the edit.`,
		},
		Confirm:    []string{"schedule_status.in_schedule"},
		ResolvesBy: `the next opening of the campaign's "Schedule" window, in the schedule's timezone`,
	},
	{
		Code:     instantly.StatusDailyLimitMet,
		Title:    "Campaign daily limit reached",
		Severity: SeverityWaiting,
		Meaning:  "The campaign has sent as many emails today as its own daily limit allows.",
		Steps: []string{
			`Nothing to fix: the campaign's limit resets at midnight in its timezone.`,
			`To send more per day, raise "Daily Limit" under the campaign's "Options" (about 30 a day per sending account is the usual ceiling).`,
			`Its senders are at their own limits too: add sending accounts before raising the campaign's.`,
		},
		Confirm:    []string{"campaign_daily_limit.limit", "campaign_daily_limit.sent", "campaign_daily_limit.limit_hit"},
		ResolvesBy: "midnight in the campaign's timezone, when the campaign's daily limit resets",
	},
	{
		Code:     instantly.StatusAccountDailyLimitMet,
		Title:    "Account daily limits reached",
		Severity: SeverityWaiting,
		Meaning:  "The campaign's sending accounts have reached their per-account limits, which are shared by every campaign that uses them.",
		Steps: []string{
			`Nothing to fix: account limits reset at midnight UTC, not in the campaign's timezone.`,
			`Reconnect the disconnected accounts in "Email Accounts": that is not a limit.`,
			`To send more per day, add sending accounts to the campaign: each account's "Daily Campaign limit" is shared with its other campaigns, and more than about 30 is not advised.`,
		},
		Confirm: []string{
			"accounts_summary.available",
			"accounts_summary.unavailable.daily_limit_hit",
			"accounts_summary.unavailable.slow_ramp_limit_hit",
			"accounts_summary.unavailable.global_gap_not_met",
			"accounts_summary.unavailable.disconnected",
		},
		ResolvesBy: "midnight UTC, when account limits reset (accounts on slow ramp also gain 2 per day up to their max)",
	},
	{
		Code:     instantly.StatusNewLeadLimitMet,
		Title:    "New-lead limit reached",
		Severity: SeverityWaiting,
		Meaning:  "The campaign has contacted as many new leads today as its \"Max new leads\" setting allows; follow-ups to leads already contacted can still go out.",
		Steps: []string{
			`Nothing to fix: new leads are picked up again the next day, and follow-ups still go out.`,
			`To start more new leads per day, raise "Max new leads" under "Options" -> "Show advanced options", or turn on "Prioritize new leads".`,
		},
		Confirm:    []string{"new_lead_limit.enabled", "new_lead_limit.limit", "new_lead_limit.contacted", "new_lead_limit.limit_hit"},
		ResolvesBy: "the next day, as the limit counts new leads per day",
	},
	{
		Code:     instantly.StatusDomainLimitReached,
		Title:    "Per-company limit reached",
		Severity: SeverityWaiting,
		Meaning:  `The leads still to email all belong to company domains that reached "Limit emails per company" today (default 2 leads per company domain per day).`,
		Steps: []string{
			`Nothing to fix: those companies can be emailed again the next day.`,
			`To send more per company, raise "Limit emails per company" (Settings -> "Advanced Deliverability", or the campaign's own override), or add leads from other companies.`,
		},
		Confirm:    []string{"domain_limiter.active", "domain_limiter.domains_at_limit"},
		ResolvesBy: "the next day, as the limit counts leads per company domain per day",
	},
	{
		Code:     instantly.StatusFollowUpDelayNotMet,
		Title:    "Follow-ups not due yet",
		Severity: SeverityWaiting,
		Meaning:  `The emails left to send are follow-ups whose "Wait N days" delay has not passed yet.`,
		Steps: []string{
			`Nothing to fix: each follow-up goes out when its "Wait N days" is over, inside the "Schedule" window.`,
			`To keep it sending meanwhile, add new leads in the campaign's "Leads" tab.`,
		},
		Confirm:    []string{"follow_ups_waiting.count", "follow_ups_waiting.earliest_wait_time_seconds", "leads_status.delay_not_met_skips"},
		ResolvesBy: "when the earliest follow-up is due, inside the sending schedule",
	},

	// --- ok ---
	{
		Code:     instantly.StatusCampaignRunningSubsequences,
		Title:    "Only subsequences sending",
		Severity: SeverityOK,
		Meaning:  "Every lead has finished the main sequence; only subsequences are still sending. This is normal.",
		Steps: []string{
			`Nothing to fix: its subsequences keep sending.`,
			`To send main-sequence emails again, add new leads in the campaign's "Leads" tab.`,
		},
		Confirm: []string{"issue_tracking.last_healthy_send_at"},
	},
	{
		Code:     instantly.StatusHealthy,
		Title:    "Sending normally",
		Severity: SeverityOK,
		Meaning:  "Instantly sees no problem: the campaign is sending.",
		Steps: []string{
			`Nothing to fix: it is sending.`,
			`Just launched, resumed or edited? The first emails go out 10-15 minutes later.`,
		},
		Confirm: []string{"campaign_daily_limit.sent", "campaign_daily_limit.limit", "accounts_summary.available", "issue_tracking.last_healthy_send_at"},
	},
}
