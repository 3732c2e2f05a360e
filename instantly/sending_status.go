package instantly

import "github.com/go-json-experiment/json/jsontext"

// SendingStatus is the answer of GET /api/v2/campaigns/{id}/sending-status and
// GET /api/v2/subsequences/{id}/sending-status. Instantly returns null for both
// Diagnostics and Summary when it has no sending data yet.
//
// Diagnostics and Summary are a typed view of the fields this project reads.
// Raw is the answer exactly as Instantly sent it (invalid UTF-8 repaired): the
// schema says additionalProperties: true, so a caller that passes Instantly's
// data on passes Raw, with every field Instantly adds later and every null
// and [] where Instantly sent them.
type SendingStatus struct {
	Diagnostics *Diagnostics `json:"diagnostics"`
	Summary     *Summary     `json:"summary"`

	Raw jsontext.Value `json:"-"`
}

// Diagnostics is the raw sending-status data. Only CampaignID, LastUpdated,
// Status and IssueTracking are always present; every other block may be missing,
// notably while the campaign is out of schedule.
type Diagnostics struct {
	CampaignID    string  `json:"campaign_id"`
	SubsequenceID *string `json:"subsequence_id"`
	LastUpdated   string  `json:"last_updated"`
	// Status is one of the codes in the Status* constants, or a code Instantly
	// added later; nil when Instantly sends null.
	Status        *string        `json:"status"`
	IssueTracking *IssueTracking `json:"issue_tracking"`

	AccountsSummary    *AccountsSummary    `json:"accounts_summary"`
	CampaignDailyLimit *CampaignDailyLimit `json:"campaign_daily_limit"`
	NewLeadLimit       *NewLeadLimit       `json:"new_lead_limit"`
	ScheduleStatus     *ScheduleStatus     `json:"schedule_status"`
	SendOneByOne       *SendOneByOne       `json:"send_one_by_one"`
	FollowUpsWaiting   *FollowUpsWaiting   `json:"follow_ups_waiting"`
	ESPRoutingStatus   *ESPRoutingStatus   `json:"esp_routing_status"`
	DomainLimiter      *DomainLimiter      `json:"domain_limiter"`
	LeadsStatus        *LeadsStatus        `json:"leads_status"`
}

// IssueTracking tracks how long the current issue has persisted.
type IssueTracking struct {
	CurrentStatusCode         *string  `json:"current_status_code"`
	IssueFirstSeenAt          *string  `json:"issue_first_seen_at"`
	ConsecutiveLoopsWithIssue *float64 `json:"consecutive_loops_with_issue"`
	LastHealthySendAt         *string  `json:"last_healthy_send_at"`
}

// AccountsSummary tells how many of the campaign's sending accounts can send.
type AccountsSummary struct {
	TotalConnected *float64             `json:"total_connected"`
	Available      *float64             `json:"available"`
	Unavailable    *UnavailableAccounts `json:"unavailable"`
}

// UnavailableAccounts splits the unavailable accounts by reason.
type UnavailableAccounts struct {
	DailyLimitHit    *float64 `json:"daily_limit_hit"`
	SlowRampLimitHit *float64 `json:"slow_ramp_limit_hit"`
	Disconnected     *float64 `json:"disconnected"`
	GlobalGapNotMet  *float64 `json:"global_gap_not_met"`
}

// CampaignDailyLimit is the campaign's own daily cap and today's count.
type CampaignDailyLimit struct {
	Limit    *float64 `json:"limit"`
	Sent     *float64 `json:"sent"`
	LimitHit *bool    `json:"limit_hit"`
}

// NewLeadLimit is the cap on new leads contacted per day.
type NewLeadLimit struct {
	Enabled   *bool    `json:"enabled"`
	Limit     *float64 `json:"limit"`
	Contacted *float64 `json:"contacted"`
	LimitHit  *bool    `json:"limit_hit"`
}

// ScheduleStatus tells whether the campaign is inside its sending window.
type ScheduleStatus struct {
	InSchedule *bool `json:"in_schedule"`
}

// SendOneByOne holds the send one-by-one settings.
type SendOneByOne struct {
	Enabled                 *bool `json:"enabled"`
	SingleAccountPerWaitGap *bool `json:"single_account_per_wait_gap"`
}

// FollowUpsWaiting counts follow-ups not yet due.
type FollowUpsWaiting struct {
	Count                   *float64 `json:"count"`
	EarliestWaitTimeSeconds *float64 `json:"earliest_wait_time_seconds"`
}

// ESPRoutingStatus is the provider-matching (ESP routing) state.
type ESPRoutingStatus struct {
	Enabled         *bool     `json:"enabled"`
	WaitingForMatch *bool     `json:"waiting_for_match"`
	ConnectedESPs   []float64 `json:"connected_esps"`
}

// DomainLimiter is the per-company-domain limit state.
type DomainLimiter struct {
	Active         *bool    `json:"active"`
	DomainsAtLimit *float64 `json:"domains_at_limit"`
}

// LeadsStatus tells whether any lead is ready and why leads were skipped.
type LeadsStatus struct {
	NoLeadsReady            *bool    `json:"no_leads_ready"`
	AccountUnavailableSkips *float64 `json:"account_unavailable_skips"`
	DelayNotMetSkips        *float64 `json:"delay_not_met_skips"`
}

// Summary is Instantly's human-readable summary of the status.
type Summary struct {
	Status            *string `json:"status"`
	StatusMessage     *string `json:"status_message"`
	IssueStartedAt    *string `json:"issue_started_at"`
	LastHealthySendAt *string `json:"last_healthy_send_at"`
	// AISummary is filled only when the request asked for with_ai_summary=true.
	AISummary *string `json:"ai_summary"`
}

// The sending-status codes Instantly documents. A code Instantly adds later is
// passed through unchanged.
const (
	StatusHealthy                     = "healthy"
	StatusCampaignDraft               = "campaign_draft"
	StatusCampaignPaused              = "campaign_paused"
	StatusCampaignCompleted           = "campaign_completed"
	StatusCampaignRunningSubsequences = "campaign_running_subsequences"
	StatusCampaignBounceProtect       = "campaign_bounce_protect"
	StatusCampaignAccountsUnhealthy   = "campaign_accounts_unhealthy"
	StatusAllAccountsUnhealthy        = "all_accounts_unhealthy"
	StatusCampaignAccountSuspended    = "campaign_account_suspended"
	StatusNoAccountsAvailable         = "no_accounts_available"
	StatusOutOfSchedule               = "out_of_schedule"
	StatusWaitingForLeads             = "waiting_for_leads"
	StatusDailyLimitMet               = "daily_limit_met"
	StatusAccountDailyLimitMet        = "account_daily_limit_met"
	StatusNewLeadLimitMet             = "new_lead_limit_met"
	StatusWaitingForESPMatch          = "waiting_for_esp_match"
	StatusDomainLimitReached          = "domain_limit_reached"
	StatusFollowUpDelayNotMet         = "follow_up_delay_not_met"
)

// StatusCodes lists the 18 documented codes in the order of the API's enum.
var StatusCodes = []string{
	StatusCampaignPaused, StatusCampaignDraft, StatusCampaignCompleted,
	StatusCampaignRunningSubsequences, StatusCampaignBounceProtect,
	StatusCampaignAccountsUnhealthy, StatusCampaignAccountSuspended,
	StatusOutOfSchedule, StatusWaitingForLeads, StatusDailyLimitMet,
	StatusAccountDailyLimitMet, StatusNewLeadLimitMet, StatusAllAccountsUnhealthy,
	StatusWaitingForESPMatch, StatusDomainLimitReached, StatusFollowUpDelayNotMet,
	StatusNoAccountsAvailable, StatusHealthy,
}
