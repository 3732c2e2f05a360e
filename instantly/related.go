package instantly

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// The related endpoints a deep diagnosis consults for three causes the
// sending status only hints at: who paused a campaign (the audit log), which
// other campaigns share a sending account's daily quota (the account's
// campaign mappings), and what the campaign's account tags are called (the
// custom tags). Their shapes are those of Instantly's OpenAPI (split per tag
// at github.com/api-evangelist/instantly-ai,
// openapi/instantly-ai-auditlog-api-openapi.yml, -accountcampaignmapping-,
// -customtag-); only the fields a diagnosis reads are decoded.

const (
	opListAuditLogs       = "GET /api/v2/audit-logs"
	opAccountCampaignMaps = "GET /api/v2/account-campaign-mappings/{email}"
	opListCustomTags      = "GET /api/v2/custom-tags"
)

// Audit log activity types a diagnosis reads (AuditLog.activity_type's
// x-enumDescriptions).
const (
	AuditCampaignLaunch = 4  // "Campaign launch"
	AuditCampaignPause  = 5  // "Campaign pause"
	AuditCampaignUpdate = 11 // "Campaign update"
)

// AuditLog is one record of GET /api/v2/audit-logs (components.schemas.
// AuditLog). The spec also defines ip_address, user_agent, audit_metadata
// and more; a diagnosis does not read them (an IP address has no place in
// an answer). Whether Instantly writes a record when it pauses a campaign by
// itself (rather than a user or an API key) is not documented.
type AuditLog struct {
	ID string `json:"id"`
	// Timestamp: "When the activity occurred" (date-time).
	Timestamp    string  `json:"timestamp"`
	ActivityType float64 `json:"activity_type"`
	// UserName / UserID: who performed it (nullable).
	UserName *string `json:"user_name"`
	UserID   *string `json:"user_id"`
	// FromAPI: "Whether the activity was performed via API".
	FromAPI bool `json:"from_api"`
	// APIKeyID: "API key ID that performed the activity, when available".
	APIKeyID      *string `json:"api_key_id"`
	CampaignID    *string `json:"campaign_id"`
	SubsequenceID *string `json:"subsequence_id"`
}

// AuditLogPage is one page of GET /api/v2/audit-logs.
type AuditLogPage struct {
	Items             []AuditLog `json:"items"`
	NextStartingAfter string     `json:"next_starting_after,omitempty"`
}

// ListAuditLogsOptions are the documented query parameters of ListAuditLogs.
// Zero values are not sent. There is no campaign filter: a caller looking
// for one campaign's records filters Items by CampaignID.
type ListAuditLogsOptions struct {
	Limit         int // 1..1000; 0 leaves it to the API
	StartingAfter string
	ActivityType  int // 0: every type
	// Search: "Search term to filter logs" (what it matches is not documented).
	Search string
	// StartDate, EndDate: "Start/End date to filter logs", YYYY-MM-DD in the
	// spec's example (the timezone and inclusivity are not documented).
	StartDate, EndDate string
}

// MaxAuditLogLimit is the largest page GET /api/v2/audit-logs gives.
const MaxAuditLogLimit = 1000

// ListAuditLogs returns one page of the workspace's audit log. Scopes:
// audit_logs:read (or audit_logs:all, all:read, all:all).
//
// Instantly API: GET /api/v2/audit-logs
func (c *Client) ListAuditLogs(ctx context.Context, opts *ListAuditLogsOptions) (*AuditLogPage, error) {
	q := url.Values{}
	if opts != nil {
		if opts.Limit < 0 || opts.Limit > MaxAuditLogLimit {
			return nil, fmt.Errorf("instantly: ListAuditLogs: limit must be between 1 and %d (0 for the API's default), got %d", MaxAuditLogLimit, opts.Limit)
		}
		setQuery(q, "limit", count(opts.Limit), "starting_after", opts.StartingAfter, "activity_type", count(opts.ActivityType),
			"search", opts.Search, "start_date", opts.StartDate, "end_date", opts.EndDate)
	}
	return getJSON[AuditLogPage](ctx, c, opListAuditLogs, "/api/v2/audit-logs", q, json.Unmarshal)
}

// AccountCampaignMapping is one campaign an account sends for (components.
// schemas.AccountCampaignMapping).
type AccountCampaignMapping struct {
	CampaignID   string `json:"campaign_id"`
	CampaignName string `json:"campaign_name"`
	// TimestampCreated: "Timestamp when the campaign was created".
	TimestampCreated string `json:"timestamp_created"`
	// Status is the campaign's status (optional in the schema).
	Status *CampaignStatus `json:"status"`
}

// AccountCampaignMappingPage is one page of GET
// /api/v2/account-campaign-mappings/{email}. The cursor is a timestamp.
type AccountCampaignMappingPage struct {
	Items             []AccountCampaignMapping `json:"items"`
	NextStartingAfter string                   `json:"next_starting_after,omitempty"`
}

// GetAccountCampaignMappings returns one page of the campaigns a sending
// account is attached to, i.e. the campaigns sharing its daily quota. limit
// is "a plain number" with no documented bound (0 leaves it to the API);
// startingAfter is the previous page's cursor. Scopes:
// account_campaign_mappings:read (or account_campaign_mappings:all,
// all:read, all:all).
//
// Instantly API: GET /api/v2/account-campaign-mappings/{email}
func (c *Client) GetAccountCampaignMappings(ctx context.Context, email string, limit int, startingAfter string) (*AccountCampaignMappingPage, error) {
	email = strings.TrimSpace(email)
	if !looksLikeEmail(email) {
		return nil, errBadEmail
	}
	if limit < 0 {
		return nil, errors.New("instantly: GetAccountCampaignMappings: limit must not be negative")
	}
	q := setQuery(url.Values{}, "limit", count(limit), "starting_after", startingAfter)
	return getJSON[AccountCampaignMappingPage](ctx, c, opAccountCampaignMaps, "/api/v2/account-campaign-mappings/"+email, q, json.Unmarshal)
}

// CustomTag is one custom tag (components.schemas.CustomTag): the label
// behind an id of a campaign's email_tag_list.
type CustomTag struct {
	ID string `json:"id"`
	// Label: "Must be unique per workspace after trimming whitespace".
	Label       string  `json:"label"`
	Description *string `json:"description"`
}

// CustomTagPage is one page of GET /api/v2/custom-tags.
type CustomTagPage struct {
	Items             []CustomTag `json:"items"`
	NextStartingAfter string      `json:"next_starting_after,omitempty"`
}

// ListCustomTagsOptions are the documented query parameters of
// ListCustomTags. Zero values are not sent.
type ListCustomTagsOptions struct {
	Limit         int // 1..100; 0 leaves it to the API
	StartingAfter string
	Search        string
	// TagIDs: only these tags (tag_ids, comma-separated).
	TagIDs []string
	// ResourceIDs: the tags of these accounts or campaigns (resource_ids).
	ResourceIDs []string
}

// ListCustomTags returns one page of the workspace's custom tags. Scopes:
// custom_tags:read (or custom_tags:all, all:read, all:all).
//
// Instantly API: GET /api/v2/custom-tags
func (c *Client) ListCustomTags(ctx context.Context, opts *ListCustomTagsOptions) (*CustomTagPage, error) {
	q := url.Values{}
	if opts != nil {
		if opts.Limit < 0 || opts.Limit > 100 {
			return nil, fmt.Errorf("instantly: ListCustomTags: limit must be between 1 and 100 (0 for the API's default), got %d", opts.Limit)
		}
		setQuery(q, "limit", count(opts.Limit), "starting_after", opts.StartingAfter, "search", opts.Search)
		if len(opts.TagIDs) > 0 {
			for _, t := range opts.TagIDs {
				if _, err := ParseID(t); err != nil {
					return nil, err
				}
			}
			q.Set("tag_ids", strings.Join(opts.TagIDs, ","))
		}
		if len(opts.ResourceIDs) > 0 {
			q.Set("resource_ids", strings.Join(opts.ResourceIDs, ","))
		}
	}
	return getJSON[CustomTagPage](ctx, c, opListCustomTags, "/api/v2/custom-tags", q, json.Unmarshal)
}

// KeyHash is the SHA-256 of the client's API key: the name its rate budget
// is kept under, and what callers key per-workspace caches by. The key
// itself never leaves the client.
func (c *Client) KeyHash() [32]byte { return c.keyHash }
