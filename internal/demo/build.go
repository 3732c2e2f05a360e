package demo

import (
	"encoding/json"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// statusSpec is the state of one campaign or subsequence, in the few numbers
// that determine its sending-status response. build derives everything else
// (available accounts, limit_hit flags, in_schedule, ...) so the numbers of a
// response always agree with each other and with its code.
type statusSpec struct {
	code string // sending-status code; may be one Instantly has not documented

	accounts int // total_connected
	// Unavailable accounts by reason; available = accounts - all of them.
	dailyHit, rampHit, disconnected, gapNotMet int
	// otherUnavailable are unavailable for a reason Instantly added later:
	// warming up (warming_up, a field the documentation does not have).
	otherUnavailable int

	dailyLimit, sent int
	newLeadLimit     int // 0: the new-lead limit is disabled
	newLeads         int // new leads contacted today

	followUps    int // follow-ups waiting
	followUpWait int // seconds until the earliest is due (when followUps > 0)

	oneByOne       bool
	esps           []int // connected ESPs (provider codes: 2 Google, 3 Microsoft, 1 other SMTP)
	espRouting     bool  // provider matching enabled
	domainLimiter  bool  // "limit emails per company" applies to the campaign
	domainsAtLimit int

	noLeadsReady            bool
	accountSkips, delaySkip int

	issueFor    time.Duration // how long the current non-healthy code has lasted
	lastSendAgo time.Duration // since the last healthy send; < 0: never sent
	updatedAgo  time.Duration // last_updated before now
}

func (s *statusSpec) available() int {
	return s.accounts - s.dailyHit - s.rampHit - s.disconnected - s.gapNotMet - s.otherUnavailable
}

// The wire format of the sending-status response, in the order of the API
// documentation. Pointers without omitempty are the schema's nullable fields.
type wireStatus struct {
	Diagnostics *wireDiagnostics `json:"diagnostics"`
	Summary     *wireSummary     `json:"summary"`
}

type wireDiagnostics struct {
	CampaignID         string            `json:"campaign_id"`
	SubsequenceID      string            `json:"subsequence_id,omitempty"`
	LastUpdated        string            `json:"last_updated"`
	Status             string            `json:"status"`
	IssueTracking      wireIssue         `json:"issue_tracking"`
	AccountsSummary    *wireAccounts     `json:"accounts_summary,omitempty"`
	CampaignDailyLimit *wireDailyLimit   `json:"campaign_daily_limit,omitempty"`
	NewLeadLimit       *wireNewLeadLimit `json:"new_lead_limit,omitempty"`
	ScheduleStatus     wireSchedule      `json:"schedule_status"`
	SendOneByOne       *wireOneByOne     `json:"send_one_by_one,omitempty"`
	FollowUpsWaiting   *wireFollowUps    `json:"follow_ups_waiting,omitempty"`
	ESPRoutingStatus   *wireESP          `json:"esp_routing_status,omitempty"`
	DomainLimiter      *wireDomain       `json:"domain_limiter,omitempty"`
	LeadsStatus        *wireLeads        `json:"leads_status,omitempty"`
}

type wireIssue struct {
	CurrentStatusCode         string  `json:"current_status_code"`
	IssueFirstSeenAt          *string `json:"issue_first_seen_at"`
	ConsecutiveLoopsWithIssue int     `json:"consecutive_loops_with_issue"`
	LastHealthySendAt         *string `json:"last_healthy_send_at"`
}

type wireAccounts struct {
	TotalConnected int             `json:"total_connected"`
	Available      int             `json:"available"`
	Unavailable    wireUnavailable `json:"unavailable"`
}

type wireUnavailable struct {
	DailyLimitHit    int `json:"daily_limit_hit"`
	SlowRampLimitHit int `json:"slow_ramp_limit_hit"`
	Disconnected     int `json:"disconnected"`
	GlobalGapNotMet  int `json:"global_gap_not_met"`
	WarmingUp        int `json:"warming_up,omitempty"`
}

type wireDailyLimit struct {
	Limit    int  `json:"limit"`
	Sent     int  `json:"sent"`
	LimitHit bool `json:"limit_hit"`
}

type wireNewLeadLimit struct {
	Enabled   bool `json:"enabled"`
	Limit     *int `json:"limit"`
	Contacted int  `json:"contacted"`
	LimitHit  bool `json:"limit_hit"`
}

type wireSchedule struct {
	InSchedule bool `json:"in_schedule"`
}

type wireOneByOne struct {
	Enabled                 bool `json:"enabled"`
	SingleAccountPerWaitGap bool `json:"single_account_per_wait_gap"`
}

type wireFollowUps struct {
	Count                   int  `json:"count"`
	EarliestWaitTimeSeconds *int `json:"earliest_wait_time_seconds"`
}

type wireESP struct {
	Enabled         bool  `json:"enabled"`
	WaitingForMatch bool  `json:"waiting_for_match"`
	ConnectedESPs   []int `json:"connected_esps"`
}

type wireDomain struct {
	Active         bool `json:"active"`
	DomainsAtLimit int  `json:"domains_at_limit"`
}

type wireLeads struct {
	NoLeadsReady            bool `json:"no_leads_ready"`
	AccountUnavailableSkips int  `json:"account_unavailable_skips"`
	DelayNotMetSkips        int  `json:"delay_not_met_skips"`
}

type wireSummary struct {
	Status            string  `json:"status"`
	StatusMessage     string  `json:"status_message"`
	IssueStartedAt    *string `json:"issue_started_at"`
	LastHealthySendAt *string `json:"last_healthy_send_at"`
	AISummary         string  `json:"ai_summary"`
}

// loopInterval is how often Instantly re-evaluates a campaign, for
// consecutive_loops_with_issue.
const loopInterval = 5 * time.Minute

// isoTime formats t the way Instantly does: UTC with milliseconds.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func isoPtr(t time.Time) *string { s := isoTime(t); return &s }

// buildStatus returns the sending-status response (with its ai_summary) of
// the campaign campaignID, or of its subsequence subsequenceID when that is
// not empty.
func buildStatus(s statusSpec, name, campaignID, subsequenceID string, now time.Time) []byte {
	d := &wireDiagnostics{
		CampaignID:     campaignID,
		SubsequenceID:  subsequenceID,
		LastUpdated:    isoTime(now.Add(-s.updatedAgo)),
		Status:         s.code,
		ScheduleStatus: wireSchedule{InSchedule: s.code != instantly.StatusOutOfSchedule},
		IssueTracking:  wireIssue{CurrentStatusCode: s.code},
	}
	var issueStart, lastSend *string
	if s.code != instantly.StatusHealthy {
		issueStart = isoPtr(now.Add(-s.issueFor))
		d.IssueTracking.ConsecutiveLoopsWithIssue = max(1, int(s.issueFor/loopInterval))
	}
	if s.lastSendAgo >= 0 {
		lastSend = isoPtr(now.Add(-s.lastSendAgo))
	}
	d.IssueTracking.IssueFirstSeenAt, d.IssueTracking.LastHealthySendAt = issueStart, lastSend

	// Out of schedule, Instantly skips evaluating everything else.
	if s.code != instantly.StatusOutOfSchedule {
		d.AccountsSummary = &wireAccounts{
			TotalConnected: s.accounts,
			Available:      s.available(),
			Unavailable: wireUnavailable{
				DailyLimitHit: s.dailyHit, SlowRampLimitHit: s.rampHit,
				Disconnected: s.disconnected, GlobalGapNotMet: s.gapNotMet,
				WarmingUp: s.otherUnavailable,
			},
		}
		d.CampaignDailyLimit = &wireDailyLimit{Limit: s.dailyLimit, Sent: s.sent, LimitHit: s.sent >= s.dailyLimit}
		nl := &wireNewLeadLimit{Enabled: s.newLeadLimit > 0, Contacted: s.newLeads}
		if nl.Enabled {
			nl.Limit = &s.newLeadLimit
			nl.LimitHit = s.newLeads >= s.newLeadLimit
		}
		d.NewLeadLimit = nl
		d.SendOneByOne = &wireOneByOne{Enabled: s.oneByOne, SingleAccountPerWaitGap: s.oneByOne}
		fu := &wireFollowUps{Count: s.followUps}
		if s.followUps > 0 {
			fu.EarliestWaitTimeSeconds = &s.followUpWait
		}
		d.FollowUpsWaiting = fu
		esps := s.esps
		if esps == nil {
			esps = []int{}
		}
		d.ESPRoutingStatus = &wireESP{
			Enabled:         s.espRouting,
			WaitingForMatch: s.code == instantly.StatusWaitingForESPMatch,
			ConnectedESPs:   esps,
		}
		d.DomainLimiter = &wireDomain{Active: s.domainLimiter, DomainsAtLimit: s.domainsAtLimit}
		d.LeadsStatus = &wireLeads{
			NoLeadsReady:            s.noLeadsReady,
			AccountUnavailableSkips: s.accountSkips,
			DelayNotMetSkips:        s.delaySkip,
		}
	}
	sum := &wireSummary{
		Status:            s.code,
		StatusMessage:     statusMessage(s),
		IssueStartedAt:    issueStart,
		LastHealthySendAt: lastSend,
		AISummary:         aiSummary(s, name),
	}
	b, err := json.Marshal(wireStatus{Diagnostics: d, Summary: sum})
	if err != nil {
		panic("demo: " + err.Error()) // unreachable: plain structs
	}
	return b
}

// campaignStatusFor returns the numeric Campaign.status that goes with a
// sending-status code.
func campaignStatusFor(code string) instantly.CampaignStatus {
	switch code {
	case instantly.StatusCampaignDraft:
		return instantly.CampaignStatusDraft
	case instantly.StatusCampaignPaused:
		return instantly.CampaignStatusPaused
	case instantly.StatusCampaignCompleted:
		return instantly.CampaignStatusCompleted
	case instantly.StatusCampaignRunningSubsequences:
		return instantly.CampaignStatusRunningSubsequences
	case instantly.StatusCampaignBounceProtect:
		return instantly.CampaignStatusBounceProtect
	case instantly.StatusCampaignAccountsUnhealthy, instantly.StatusAllAccountsUnhealthy:
		return instantly.CampaignStatusAccountsUnhealthy
	case instantly.StatusCampaignAccountSuspended:
		return instantly.CampaignStatusAccountSuspended
	}
	return instantly.CampaignStatusActive
}

// notSendingStatusFor returns Campaign.not_sending_status for a code, or nil.
func notSendingStatusFor(code string) *float64 {
	var v float64
	switch code {
	case instantly.StatusOutOfSchedule:
		v = 1
	case instantly.StatusWaitingForLeads:
		v = 2
	case instantly.StatusDailyLimitMet:
		v = 3
	case instantly.StatusAccountDailyLimitMet:
		v = 4
	default:
		return nil
	}
	return &v
}
