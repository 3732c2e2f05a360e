package diagnosis

import (
	"fmt"
	"strings"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

// OverviewStatusLive is the overview's default campaign filter: every
// campaign meant to be sending, that is every status but draft (never
// launched) and completed (finished). It keeps the campaigns Instantly took
// out of "active" (accounts unhealthy, bounce protect, account suspended)
// and the paused ones: those most need a person.
const OverviewStatusLive = "live"

// OverviewStatusNames is the enum of the overview's status argument: "live"
// (the default), then the campaign status names and "all".
var OverviewStatusNames = append([]string{OverviewStatusLive}, StatusFilterNames...)

// ParseOverviewStatus reads the overview's status filter: "" or "live" is
// every campaign but drafts and completed ones (live is then true and num
// nil: the listing asks for every status and leaves those two out);
// otherwise as ParseCampaignStatusFilter.
func ParseOverviewStatus(name string) (num *instantly.CampaignStatus, canonical string, live bool, err error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" || n == OverviewStatusLive {
		return nil, OverviewStatusLive, true, nil
	}
	num, canonical, err = ParseCampaignStatusFilter(name)
	if err != nil {
		return nil, "", false, fmt.Errorf("unknown campaign status %q: use one of %s",
			catalog.Echo(name, catalog.MaxEchoCode), strings.Join(OverviewStatusNames, ", "))
	}
	return num, canonical, false, nil
}

// liveCampaign reports whether a campaign of status v is meant to be sending.
func liveCampaign(v instantly.CampaignStatus) bool {
	return v != instantly.CampaignStatusDraft && v != instantly.CampaignStatusCompleted
}

// Who took a campaign out of sending, from its campaign status
// (OverviewCampaign.PausedBy).
const (
	// PausedByPerson is campaign status Paused (2): paused in the app or
	// through the API.
	PausedByPerson = "person"
	// PausedByInstantly is a status only Instantly sets: Accounts Unhealthy
	// (-1), Bounce Protect (-2), Account Suspended (-99).
	PausedByInstantly = "instantly"
)

// pausedBy says who took a campaign of status v out of sending, "" when
// neither a person nor Instantly did.
func pausedBy(v instantly.CampaignStatus) string {
	switch v {
	case instantly.CampaignStatusPaused:
		return PausedByPerson
	case instantly.CampaignStatusAccountsUnhealthy, instantly.CampaignStatusBounceProtect, instantly.CampaignStatusAccountSuspended:
		return PausedByInstantly
	}
	return ""
}

// Limits of the sending overview.
const (
	// DefaultOverviewMax is how many campaigns an overview checks unless told
	// otherwise.
	DefaultOverviewMax = 200
	// OverviewHardCap is the most campaigns one overview checks: 1,000
	// status calls take about 12 s within Instantly's 100 requests/s.
	OverviewHardCap = 1000
	// DefaultOverviewWorkers is how many sending statuses are fetched at
	// once. The client's per-key rate limiter, not this number, keeps the
	// overview within Instantly's limits; enough workers keep the limiter's
	// budget busy while answers are on their way.
	DefaultOverviewWorkers = 16
	// DefaultOverviewRetryPause is the pause before campaigns that failed
	// on a temporary error (instantly.IsTemporary) are tried once more.
	DefaultOverviewRetryPause = time.Second

	overviewPageSize = 100
	// overviewMaxPages bounds the listing: past 10,000 matching campaigns
	// the count is "more than".
	overviewMaxPages = 100
	// maxRetryAfterWait is the longest Retry-After the overview waits out
	// before its retry pass; beyond it the campaigns are reported failed.
	maxRetryAfterWait = 5 * time.Second
)

// OverviewOptions select the campaigns of BuildOverview.
type OverviewOptions struct {
	// Status is a campaign status filter (see ParseOverviewStatus); "" means
	// "live": every campaign but drafts and completed ones.
	Status string
	// Search keeps the campaigns whose name contains it.
	Search string
	// MaxCampaigns is how many campaigns to check at most: 0 means
	// DefaultOverviewMax, more than OverviewHardCap is lowered to it (with a
	// note), negative is an error.
	MaxCampaigns int
	// MaxName is how the cap is called in the note when it is hit
	// ("max_campaigns" by default; the command line says "-max").
	MaxName string
	// Workers is how many statuses are fetched at once (default
	// DefaultOverviewWorkers).
	Workers int
	// RetryPause is the pause before the retry pass (default
	// DefaultOverviewRetryPause).
	RetryPause time.Duration
	// Progress, when set, is called from a single goroutine each time a few
	// more campaigns are done (checked or given up), with how many are done,
	// how many will be checked (0 while the campaigns are still being
	// listed) and how many of the done ones failed (could not be read, after
	// the retry pass for those that failed on something temporary). done
	// and failed only grow.
	Progress func(done, total, failed int)
	// Deep cross-checks the campaigns that need action (oldest issue
	// first, at most DeepMax of them, default DefaultOverviewDeepMax) within
	// Budget requests each (default DefaultCrossCheckBudget). Off by
	// default: the overview stays one request per campaign.
	Deep    bool
	DeepMax int
	Budget  int
	// Settings names what a failure's message points to.
	Settings Settings
}

// DefaultOverviewDeepMax is how many campaigns a deep overview cross-checks.
const DefaultOverviewDeepMax = 10

// OverviewCampaign is one checked campaign of an overview.
type OverviewCampaign struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// CampaignStatus is the campaign's status name (active, paused, ...).
	CampaignStatus string `json:"campaign_status"`
	// Status is Instantly's sending-status code, "" when it has no data yet.
	Status   string           `json:"status"`
	Severity catalog.Severity `json:"severity"`
	Title    string           `json:"title"`
	Headline string           `json:"headline"`
	// State is the campaign's state in a word or two ("not sending",
	// "paused", "bounce protect", "waiting", "sending", ...).
	State string `json:"state"`
	// PausedBy is PausedByPerson or PausedByInstantly for a campaign that
	// needs action because it was taken out of sending; absent otherwise.
	PausedBy string `json:"paused_by,omitempty"`
	// Summary is the one-line answer, as the text prints it: the title of
	// the status and the finding that bears on it (the deep answer when
	// there is one).
	Summary string `json:"summary"`
	// IssueFirstSeenAt is when Instantly first saw the current issue.
	IssueFirstSeenAt string `json:"issue_first_seen_at,omitempty"`
	// Answer is the concrete cause a deep overview found (cross-checks).
	Answer string `json:"answer,omitempty"`
	// NextSendAt (RFC 3339 UTC) and NextSendTimezone, the schedule's zone,
	// say when it resumes by itself, and BlockingAccounts which senders
	// hold it: from a deep overview's cross-checks, as the campaign's
	// analysis has them.
	NextSendAt       string            `json:"next_send_at,omitempty"`
	NextSendTimezone string            `json:"next_send_timezone,omitempty"`
	BlockingAccounts []BlockingAccount `json:"blocking_accounts,omitempty"`
}

// OverviewFailure is a campaign whose sending status could not be read.
type OverviewFailure struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	CampaignStatus string `json:"campaign_status"`
	Error          string `json:"error"`

	err error
}

// OverviewCounts are the sizes of the groups.
type OverviewCounts struct {
	ActionRequired int `json:"action_required"`
	// PausedByPerson and PausedByInstantly are the campaigns of
	// ActionRequired that a person paused or Instantly took out of sending.
	PausedByPerson    int `json:"paused_by_person"`
	PausedByInstantly int `json:"paused_by_instantly"`
	Waiting           int `json:"waiting"`
	OK                int `json:"ok"`
	Unknown           int `json:"unknown"`
	Failed            int `json:"failed"`
	// NotChecked are matching campaigns left out: over the cap, or not
	// reached before a cancellation or a listing failure.
	NotChecked int `json:"not_checked"`
}

// OverviewFilter echoes what was asked.
type OverviewFilter struct {
	Status       string `json:"status"`
	Search       string `json:"search"`
	MaxCampaigns int    `json:"max_campaigns"`
}

// Overview is the sending status of every campaign that matched, grouped by
// severity. It is the structured content of get_sending_overview and what the
// overview command prints.
type Overview struct {
	Filter OverviewFilter `json:"filter"`
	// Matched is how many campaigns match the filter; a lower bound when
	// MatchedMore is set (the listing stopped early).
	Matched     int  `json:"matched"`
	MatchedMore bool `json:"matched_more"`
	// Checked is how many sending statuses were read (the four groups).
	Checked int `json:"checked"`
	// Capped is set when more campaigns matched than were checked because
	// of MaxCampaigns.
	Capped bool `json:"capped"`
	// CrossChecked is how many campaigns a deep overview cross-checked.
	CrossChecked int `json:"cross_checked,omitempty"`
	// Complete is set when every matching campaign was checked.
	Complete       bool               `json:"complete"`
	Counts         OverviewCounts     `json:"counts"`
	ActionRequired []OverviewCampaign `json:"action_required"`
	Waiting        []OverviewCampaign `json:"waiting"`
	OK             []OverviewCampaign `json:"ok"`
	Unknown        []OverviewCampaign `json:"unknown"`
	Failed         []OverviewFailure  `json:"failed"`
	Notes          []string           `json:"notes"`

	listErr error // a page after the first failed
	ctxErr  error // cancelled or out of time
}

// Err says why the overview is incomplete through no choice of the caller:
// the first campaign that could not be checked, a listing that failed
// part-way, or the cancellation. nil when only the cap left campaigns out.
func (o *Overview) Err() error {
	switch {
	case len(o.Failed) > 0:
		return o.Failed[0].err
	case o.listErr != nil:
		return o.listErr
	default:
		return o.ctxErr
	}
}

// AllFailed reports whether campaigns matched but not one could be checked
// because of errors; the overview then says nothing useful.
func (o *Overview) AllFailed() bool {
	return o.Checked == 0 && len(o.Failed) > 0
}

// Worst is the most severe group with a campaign in it, in the order
// action_required, unknown, waiting, ok; "" when nothing was checked.
func (o *Overview) Worst() catalog.Severity {
	switch {
	case o.Counts.ActionRequired > 0:
		return catalog.SeverityActionRequired
	case o.Counts.Unknown > 0:
		return catalog.SeverityUnknown
	case o.Counts.Waiting > 0:
		return catalog.SeverityWaiting
	case o.Counts.OK > 0:
		return catalog.SeverityOK
	}
	return ""
}
