package instantly

import "encoding/json"

// SendingStatus is the answer of GET /api/v2/campaigns/{id}/sending-status and
// GET /api/v2/subsequences/{id}/sending-status. Instantly returns null for both
// Diagnostics and Summary when it has no sending data yet.
//
// Every object type in this file keeps the fields Instantly adds after this was
// written in Extra (the schema says additionalProperties: true), and writes them
// back out when marshalled, so they survive a round trip through this project.
type SendingStatus struct {
	Diagnostics *Diagnostics `json:"diagnostics"`
	Summary     *Summary     `json:"summary"`

	Extra map[string]json.RawMessage `json:"-"`
}

// Diagnostics is the raw sending-status data. Only CampaignID, LastUpdated,
// Status and IssueTracking are always present; every other block may be missing,
// notably while the campaign is out of schedule.
type Diagnostics struct {
	CampaignID    string  `json:"campaign_id"`
	SubsequenceID *string `json:"subsequence_id,omitempty"`
	LastUpdated   string  `json:"last_updated"`
	// Status is one of the codes in the Status* constants, or a code Instantly
	// added later; nil when Instantly sends null.
	Status        *string        `json:"status"`
	IssueTracking *IssueTracking `json:"issue_tracking,omitempty"`

	AccountsSummary    *AccountsSummary    `json:"accounts_summary,omitempty"`
	CampaignDailyLimit *CampaignDailyLimit `json:"campaign_daily_limit,omitempty"`
	NewLeadLimit       *NewLeadLimit       `json:"new_lead_limit,omitempty"`
	ScheduleStatus     *ScheduleStatus     `json:"schedule_status,omitempty"`
	SendOneByOne       *SendOneByOne       `json:"send_one_by_one,omitempty"`
	FollowUpsWaiting   *FollowUpsWaiting   `json:"follow_ups_waiting,omitempty"`
	ESPRoutingStatus   *ESPRoutingStatus   `json:"esp_routing_status,omitempty"`
	DomainLimiter      *DomainLimiter      `json:"domain_limiter,omitempty"`
	LeadsStatus        *LeadsStatus        `json:"leads_status,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// IssueTracking tracks how long the current issue has persisted.
type IssueTracking struct {
	CurrentStatusCode         *string  `json:"current_status_code,omitempty"`
	IssueFirstSeenAt          *string  `json:"issue_first_seen_at,omitempty"`
	ConsecutiveLoopsWithIssue *float64 `json:"consecutive_loops_with_issue,omitempty"`
	LastHealthySendAt         *string  `json:"last_healthy_send_at,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// AccountsSummary tells how many of the campaign's sending accounts can send.
type AccountsSummary struct {
	TotalConnected *float64             `json:"total_connected,omitempty"`
	Available      *float64             `json:"available,omitempty"`
	Unavailable    *UnavailableAccounts `json:"unavailable,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// UnavailableAccounts splits the unavailable accounts by reason.
type UnavailableAccounts struct {
	DailyLimitHit    *float64 `json:"daily_limit_hit,omitempty"`
	SlowRampLimitHit *float64 `json:"slow_ramp_limit_hit,omitempty"`
	Disconnected     *float64 `json:"disconnected,omitempty"`
	GlobalGapNotMet  *float64 `json:"global_gap_not_met,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// CampaignDailyLimit is the campaign's own daily cap and today's count.
type CampaignDailyLimit struct {
	Limit    *float64 `json:"limit,omitempty"`
	Sent     *float64 `json:"sent,omitempty"`
	LimitHit *bool    `json:"limit_hit,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// NewLeadLimit is the cap on new leads contacted per day.
type NewLeadLimit struct {
	Enabled   *bool    `json:"enabled,omitempty"`
	Limit     *float64 `json:"limit,omitempty"`
	Contacted *float64 `json:"contacted,omitempty"`
	LimitHit  *bool    `json:"limit_hit,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// ScheduleStatus tells whether the campaign is inside its sending window.
type ScheduleStatus struct {
	InSchedule *bool `json:"in_schedule,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// SendOneByOne holds the send one-by-one settings.
type SendOneByOne struct {
	Enabled                 *bool `json:"enabled,omitempty"`
	SingleAccountPerWaitGap *bool `json:"single_account_per_wait_gap,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// FollowUpsWaiting counts follow-ups not yet due.
type FollowUpsWaiting struct {
	Count                   *float64 `json:"count,omitempty"`
	EarliestWaitTimeSeconds *float64 `json:"earliest_wait_time_seconds,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// ESPRoutingStatus is the provider-matching (ESP routing) state.
type ESPRoutingStatus struct {
	Enabled         *bool     `json:"enabled,omitempty"`
	WaitingForMatch *bool     `json:"waiting_for_match,omitempty"`
	ConnectedESPs   []float64 `json:"connected_esps,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// DomainLimiter is the per-company-domain limit state.
type DomainLimiter struct {
	Active         *bool    `json:"active,omitempty"`
	DomainsAtLimit *float64 `json:"domains_at_limit,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// LeadsStatus tells whether any lead is ready and why leads were skipped.
type LeadsStatus struct {
	NoLeadsReady            *bool    `json:"no_leads_ready,omitempty"`
	AccountUnavailableSkips *float64 `json:"account_unavailable_skips,omitempty"`
	DelayNotMetSkips        *float64 `json:"delay_not_met_skips,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
}

// Summary is Instantly's human-readable summary of the status.
type Summary struct {
	Status            *string `json:"status,omitempty"`
	StatusMessage     *string `json:"status_message,omitempty"`
	IssueStartedAt    *string `json:"issue_started_at,omitempty"`
	LastHealthySendAt *string `json:"last_healthy_send_at,omitempty"`
	// AISummary is filled only when the request asked for with_ai_summary=true.
	AISummary *string `json:"ai_summary,omitempty"`

	Extra map[string]json.RawMessage `json:"-"`
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
