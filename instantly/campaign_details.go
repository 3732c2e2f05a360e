package instantly

import (
	"context"
	"encoding/json"
)

// CampaignDetails is the whole Campaign object of GET /api/v2/campaigns/{id}
// as far as a diagnosis reads it: the fields of the list's Campaign (id,
// name, status, daily limit, senders, timestamps) and the settings the list
// shows no one reads — the schedule, the sequence, the routing rules. Every
// field is one Instantly's OpenAPI (components.schemas.Campaign) defines;
// fields it does not name are not read. Pointers are the schema's nullable
// or optional fields. It is decoded with encoding/json, so a field
// Instantly adds later is ignored (the list keeps its own stricter decode,
// see Campaign).
type CampaignDetails struct {
	// Campaign: ID, Name, Status, TimestampCreated, TimestampUpdated,
	// DailyLimit, NotSendingStatus (the older, coarser reason: 1 schedule,
	// 2 waiting for a lead, 3 campaign limit, 4 account limits, 99 error),
	// EmailList (the sending accounts named one by one) and EmailTagList
	// (custom-tag ids: the accounts carrying any of them send too; whether
	// Instantly ORs or ANDs several tags is not documented).
	Campaign
	IsEvergreen      *bool            `json:"is_evergreen"`
	CampaignSchedule CampaignSchedule `json:"campaign_schedule"`
	// Sequences: "only the first element is used".
	Sequences                     []Sequence            `json:"sequences"`
	EmailGap                      *float64              `json:"email_gap"`
	RandomWaitMax                 *float64              `json:"random_wait_max"`
	DailyMaxLeads                 *float64              `json:"daily_max_leads"`
	PrioritizeNewLeads            *bool                 `json:"prioritize_new_leads"`
	StopOnReply                   *bool                 `json:"stop_on_reply"`
	MatchLeadESP                  *bool                 `json:"match_lead_esp"`
	ProviderRoutingRules          []ProviderRoutingRule `json:"provider_routing_rules"`
	AllowRiskyContacts            *bool                 `json:"allow_risky_contacts"`
	DisableBounceProtect          *bool                 `json:"disable_bounce_protect"`
	LimitEmailsPerCompanyOverride *CompanyLimitOverride `json:"limit_emails_per_company_override"`
}

// CampaignSchedule is a campaign's (or a subsequence's) sending schedule.
type CampaignSchedule struct {
	// StartDate and EndDate are YYYY-MM-DD "in the campaign's timezone";
	// whether EndDate is inclusive is not documented.
	StartDate *string    `json:"start_date"`
	EndDate   *string    `json:"end_date"`
	Schedules []Schedule `json:"schedules"`
}

// Schedule is one sending window.
type Schedule struct {
	Name   string         `json:"name"`
	Timing ScheduleTiming `json:"timing"`
	// Days maps "0".."6" to whether the window is open that day. Which
	// weekday each key means is not documented (see package schedule).
	Days map[string]bool `json:"days"`
	// Timezone is one of Instantly's 102 zone names (IANA, aliases included).
	Timezone string `json:"timezone"`
}

// ScheduleTiming is a window's start and end, "HH:MM" 24 h.
type ScheduleTiming struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Sequence is the email copy: its steps.
type Sequence struct {
	Steps []SequenceStep `json:"steps"`
}

// SequenceStep is one email of the sequence and the wait before the next.
type SequenceStep struct {
	Type string `json:"type"`
	// Delay is "the delay value before sending the NEXT email", in DelayUnit
	// (minutes, hours or days; days when absent).
	Delay     *float64  `json:"delay"`
	DelayUnit *string   `json:"delay_unit"`
	Variants  []Variant `json:"variants"`
}

// Variant is one A/B variant of a step.
type Variant struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
	// VDisabled: "Whether this variant is disabled. By default, all the
	// variants are enabled."
	VDisabled *bool `json:"v_disabled"`
}

// ProviderRoutingRule is one rule of Provider Matching.
type ProviderRoutingRule struct {
	Action       string   `json:"action"` // send | do_not_send
	RecipientESP []string `json:"recipient_esp"`
	SenderESP    []string `json:"sender_esp"`
}

// CompanyLimitOverride overrides the workspace's "limit emails per company".
type CompanyLimitOverride struct {
	Mode       string   `json:"mode"` // custom | disabled
	DailyLimit *float64 `json:"daily_limit"`
	Scope      *string  `json:"scope"` // per_campaign | across_workspace
}

// GetCampaignDetails returns the whole campaign: schedule, limits, senders,
// sequence. id must be a UUID. Scopes: campaigns:read (or campaigns:all,
// all:read, all:all).
//
// Instantly API: GET /api/v2/campaigns/{id}
func (c *Client) GetCampaignDetails(ctx context.Context, id string) (*CampaignDetails, error) {
	id, err := parseIDFor(id, c.redactor)
	if err != nil {
		return nil, err
	}
	return getJSON[CampaignDetails](ctx, c, opGetCampaign, "/api/v2/campaigns/"+id, nil, json.Unmarshal)
}
