package instantly

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
)

const (
	opCampaignAnalytics     = "GET /api/v2/campaigns/analytics"
	opAccountDailyAnalytics = "GET /api/v2/accounts/analytics/daily"
	opListSubsequences      = "GET /api/v2/subsequences"
)

// CampaignAnalytics is one campaign's totals from GET
// /api/v2/campaigns/analytics. Counts are integers in the spec; they are
// read as numbers.
type CampaignAnalytics struct {
	CampaignID     string  `json:"campaign_id"`
	CampaignName   string  `json:"campaign_name"`
	CampaignStatus float64 `json:"campaign_status"`
	// LeadsCount: "The total number of leads".
	LeadsCount float64 `json:"leads_count"`
	// ContactedCount: "Number of leads for whom the sequence has started".
	ContactedCount         float64 `json:"contacted_count"`
	EmailsSentCount        float64 `json:"emails_sent_count"`
	NewLeadsContactedCount float64 `json:"new_leads_contacted_count"`
	// CompletedCount: "The number of leads that the campaign was completed for".
	CompletedCount    float64 `json:"completed_count"`
	BouncedCount      float64 `json:"bounced_count"`
	UnsubscribedCount float64 `json:"unsubscribed_count"`
	ReplyCount        float64 `json:"reply_count"`
}

// GetCampaignAnalytics returns the totals of one campaign (nil when
// Instantly returns no row for it). Scopes are not documented for the
// analytics endpoints.
//
// Instantly API: GET /api/v2/campaigns/analytics?id=
func (c *Client) GetCampaignAnalytics(ctx context.Context, id string) (*CampaignAnalytics, error) {
	id, err := parseIDFor(id, c.redactor)
	if err != nil {
		return nil, err
	}
	page, err := getJSON[[]CampaignAnalytics](ctx, c, opCampaignAnalytics, "/api/v2/campaigns/analytics", url.Values{"id": {id}}, json.Unmarshal)
	if err != nil {
		return nil, err
	}
	rows := *page
	for i := range rows {
		if rows[i].CampaignID == id {
			return &rows[i], nil
		}
	}
	if len(rows) == 1 && rows[0].CampaignID == "" {
		return &rows[0], nil
	}
	return nil, nil
}

// AccountDailyAnalytics is one account's counts on one day.
type AccountDailyAnalytics struct {
	Date         string `json:"date"` // YYYY-MM-DD; the bucketing timezone is not documented
	EmailAccount string `json:"email_account"`
	// Sent counts campaign emails, subsequences included.
	Sent              float64 `json:"sent"`
	Bounced           float64 `json:"bounced"`
	Contacted         float64 `json:"contacted"`
	NewLeadsContacted float64 `json:"new_leads_contacted"`
}

// MaxDailyAnalyticsEmails is the most accounts one daily-analytics call may
// name ("at most 200 unique accounts").
const MaxDailyAnalyticsEmails = 200

// GetAccountDailyAnalytics returns per-account, per-day counts for the given
// accounts (1..200; the filter is required: without it Instantly answers 413)
// between startDate and endDate (YYYY-MM-DD, at most 31 days; "" leaves each
// to the API).
//
// Instantly API: GET /api/v2/accounts/analytics/daily
func (c *Client) GetAccountDailyAnalytics(ctx context.Context, emails []string, startDate, endDate string) ([]AccountDailyAnalytics, error) {
	if len(emails) == 0 || len(emails) > MaxDailyAnalyticsEmails {
		return nil, errors.New("instantly: GetAccountDailyAnalytics needs 1 to 200 accounts, got " + strconv.Itoa(len(emails)))
	}
	q := setQuery(url.Values{"emails": emails}, "start_date", startDate, "end_date", endDate)
	rows, err := getJSON[[]AccountDailyAnalytics](ctx, c, opAccountDailyAnalytics, "/api/v2/accounts/analytics/daily", q, json.Unmarshal)
	if err != nil {
		return nil, err
	}
	return *rows, nil
}

// SubsequenceInfo is one subsequence of GET /api/v2/subsequences (the
// Campaign Subsequence schema): its own schedule and sequence, and the
// status numbers of a campaign.
type SubsequenceInfo struct {
	ID                  string           `json:"id"`
	Name                string           `json:"name"`
	ParentCampaign      string           `json:"parent_campaign"`
	Status              CampaignStatus   `json:"status"`
	SubsequenceSchedule CampaignSchedule `json:"subsequence_schedule"`
	Sequences           []Sequence       `json:"sequences"`
	TimestampCreated    string           `json:"timestamp_created"`
}

// SubsequencePage is one page of GET /api/v2/subsequences.
type SubsequencePage struct {
	Items             []SubsequenceInfo `json:"items"`
	NextStartingAfter string            `json:"next_starting_after,omitempty"`
}

// ListSubsequences returns one page (limit 1..100, 0 for the API's default)
// of a campaign's subsequences. Scopes: subsequences:read (or
// subsequences:all, all:read, all:all).
//
// Instantly API: GET /api/v2/subsequences?parent_campaign=
func (c *Client) ListSubsequences(ctx context.Context, parentCampaign string, limit int, startingAfter string) (*SubsequencePage, error) {
	id, err := parseIDFor(parentCampaign, c.redactor)
	if err != nil {
		return nil, err
	}
	q := url.Values{"parent_campaign": {id}}
	if limit < 0 || limit > 100 {
		return nil, errors.New("instantly: ListSubsequences: limit must be between 1 and 100")
	}
	setQuery(q, "limit", count(limit), "starting_after", startingAfter)
	return getJSON[SubsequencePage](ctx, c, opListSubsequences, "/api/v2/subsequences", q, json.Unmarshal)
}
