package instantly

// Campaign is the part of Instantly's Campaign object this project reads, from
// GET /api/v2/campaigns. Fields not named here are not read.
type Campaign struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Status           float64  `json:"status"`
	TimestampCreated string   `json:"timestamp_created"`
	TimestampUpdated string   `json:"timestamp_updated"`
	DailyLimit       *float64 `json:"daily_limit,omitempty"`
	EmailList        []string `json:"email_list,omitempty"`
	EmailTagList     []string `json:"email_tag_list,omitempty"`
	NotSendingStatus *float64 `json:"not_sending_status,omitempty"`
}

// CampaignPage is one page of GET /api/v2/campaigns. NextStartingAfter is empty
// on the last page; pass it back as ListCampaignsOptions.StartingAfter.
type CampaignPage struct {
	Items             []Campaign `json:"items"`
	NextStartingAfter string     `json:"next_starting_after"`
}

// Campaign status values (the numeric `status` of a Campaign).
const (
	CampaignStatusAccountSuspended    = -99
	CampaignStatusBounceProtect       = -2
	CampaignStatusAccountsUnhealthy   = -1
	CampaignStatusDraft               = 0
	CampaignStatusActive              = 1
	CampaignStatusPaused              = 2
	CampaignStatusCompleted           = 3
	CampaignStatusRunningSubsequences = 4
)

// CampaignStatusNames maps the names users type to Instantly's numbers.
var CampaignStatusNames = map[string]int{
	"draft":                0,
	"active":               1,
	"paused":               2,
	"completed":            3,
	"running_subsequences": 4,
	"accounts_unhealthy":   -1,
	"bounce_protect":       -2,
	"account_suspended":    -99,
}
