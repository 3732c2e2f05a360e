package diagnosis

import (
	"strings"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// The facts a deep diagnosis reads, one value each: nil until it is read,
// so no "loaded" flag travels beside it.

// leadsRead is the campaign's row of campaigns/analytics; row is nil when
// Instantly returned none for it.
type leadsRead struct{ row *instantly.CampaignAnalytics }

// subsequencesRead is a campaign's subsequences and the sending statuses
// read of them, by subsequence id.
type subsequencesRead struct {
	items  []instantly.SubsequenceInfo
	status map[string]*instantly.SendingStatus
}

// dailyRead is the per-account daily counts read: the rows, the senders
// they were asked for and the code whose window (today, or seven days for
// bounce protect) was asked.
type dailyRead struct {
	rows    []instantly.AccountDailyAnalytics
	senders []string
	code    string
}

// pausesRead is the audit log's pauses of the diagnosed campaign, newest
// first.
type pausesRead struct{ items []instantly.AuditLog }

// senderPool is every account read so far, by lowercase email, and how far
// the workspace's accounts were read. Its fields are guarded by gather.mu.
type senderPool struct {
	// first is the first page of the workspace's accounts; nil until it
	// is read (the senders cannot be named without it).
	first    *instantly.AccountPage
	byEmail  map[string]*instantly.Account
	seen     int    // accounts read from the list
	next     string // the list's next cursor
	all      bool   // the whole list (or filter) was read
	tagsDone bool   // every account of the campaign's tags was read
	tagged   map[string]bool
	gone     map[string]bool // listed senders Instantly answered 404 for
}

func newSenderPool() senderPool {
	return senderPool{byEmail: map[string]*instantly.Account{}, tagged: map[string]bool{}, gone: map[string]bool{}}
}

// subsequenceList is the campaign's subsequences, nil when not read.
func (g *gather) subsequenceList() []instantly.SubsequenceInfo {
	if g.subs == nil {
		return nil
	}
	return g.subs.items
}

// dailyRows are the per-account daily counts, nil when not read.
func (g *gather) dailyRows() []instantly.AccountDailyAnalytics {
	if g.daily == nil {
		return nil
	}
	return g.daily.rows
}

// analyticsRow is the campaign's analytics row, nil when not read.
func (g *gather) analyticsRow() *instantly.CampaignAnalytics {
	if g.leads == nil {
		return nil
	}
	return g.leads.row
}

// ownSubsequence is the diagnosed subsequence among its campaign's, nil
// when not read.
func (g *gather) ownSubsequence() *instantly.SubsequenceInfo {
	for i, s := range g.subsequenceList() {
		if strings.EqualFold(s.ID, g.id) {
			return &g.subs.items[i]
		}
	}
	return nil
}
