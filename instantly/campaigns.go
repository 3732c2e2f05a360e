package instantly

// Campaign is the part of Instantly's Campaign object this project reads, from
// GET /api/v2/campaigns. Fields not named here are not read.
type Campaign struct {
	ID               string         `json:"id"`
	Name             string         `json:"name"`
	Status           CampaignStatus `json:"status"`
	TimestampCreated string         `json:"timestamp_created"`
	TimestampUpdated string         `json:"timestamp_updated"`
	DailyLimit       *float64       `json:"daily_limit,omitempty"`
	EmailList        []string       `json:"email_list,omitempty"`
	EmailTagList     []string       `json:"email_tag_list,omitempty"`
	NotSendingStatus *float64       `json:"not_sending_status,omitempty"`
}

// CampaignPage is one page of GET /api/v2/campaigns. NextStartingAfter is empty
// on the last page; pass it back as ListCampaignsOptions.StartingAfter.
type CampaignPage struct {
	Items             []Campaign `json:"items"`
	NextStartingAfter string     `json:"next_starting_after"`
}

// CampaignStatus is the numeric status of a Campaign.
type CampaignStatus int

// Campaign status values.
const (
	CampaignStatusAccountSuspended    CampaignStatus = -99
	CampaignStatusBounceProtect       CampaignStatus = -2
	CampaignStatusAccountsUnhealthy   CampaignStatus = -1
	CampaignStatusDraft               CampaignStatus = 0
	CampaignStatusActive              CampaignStatus = 1
	CampaignStatusPaused              CampaignStatus = 2
	CampaignStatusCompleted           CampaignStatus = 3
	CampaignStatusRunningSubsequences CampaignStatus = 4
)

// CampaignStatusNames maps the names users type to Instantly's numbers.
var CampaignStatusNames = map[string]CampaignStatus{
	"draft":                CampaignStatusDraft,
	"active":               CampaignStatusActive,
	"paused":               CampaignStatusPaused,
	"completed":            CampaignStatusCompleted,
	"running_subsequences": CampaignStatusRunningSubsequences,
	"accounts_unhealthy":   CampaignStatusAccountsUnhealthy,
	"bounce_protect":       CampaignStatusBounceProtect,
	"account_suspended":    CampaignStatusAccountSuspended,
}
