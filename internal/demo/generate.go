package demo

import (
	"math/rand/v2"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// AddGenerated adds a campaign with the given id, name and sending-status
// code (any documented code, WarmupInProgress, or "" for a campaign without
// data yet) whose numbers, drawn from r, agree with the code as the demo's
// do. For generated workspaces (instantlytest.LargeWorkspace); the same r
// state gives the same campaign.
func (w *Workspace) AddGenerated(id, name, code string, r *rand.Rand, now time.Time) {
	s := randomSpec(code, r)
	var body []byte
	if code != "" {
		body = buildStatus(s, name, id, "", now)
	}
	c := campaignSpec{
		id: id, name: name, code: code,
		created:     time.Duration(1+r.IntN(180*24)) * time.Hour,
		timezone:    []string{"America/Detroit", "America/Chicago", "Europe/Belgrade", "Europe/Isle_of_Man"}[r.IntN(4)],
		emailOffset: r.IntN(1000),
	}
	camp, fields := campaignObject(c, s, now)
	w.AddCampaignWithFields(camp, fields, body)
}

// randomSpec returns plausible numbers that agree with code.
func randomSpec(code string, r *rand.Rand) statusSpec {
	acc := 2 + r.IntN(9)
	s := statusSpec{
		code:          code,
		accounts:      acc,
		dailyLimit:    acc * (20 + 5*r.IntN(3)),
		esps:          [][]int{{2}, {3}, {2, 3}, {1, 2, 3}}[r.IntN(4)],
		domainLimiter: r.IntN(5) != 0,
		updatedAgo:    time.Duration(60+r.IntN(300)) * time.Second,
		issueFor:      time.Duration(10+r.IntN(6*24*60)) * time.Minute,
	}
	s.lastSendAgo = s.issueFor + time.Duration(r.IntN(10))*time.Minute
	s.sent = r.IntN(s.dailyLimit)
	s.newLeads = r.IntN(s.sent + 1)
	if r.IntN(3) == 0 {
		s.newLeadLimit = s.newLeads + 1 + r.IntN(40)
	}
	idle := func() { s.sent, s.newLeads, s.followUps = 0, 0, 0 }
	switch code {
	case instantly.StatusHealthy:
		s.issueFor = 0
		s.lastSendAgo = time.Duration(1+r.IntN(15)) * time.Minute
		s.followUps = r.IntN(40)
	case instantly.StatusCampaignDraft:
		idle()
		s.lastSendAgo = -1
	case instantly.StatusCampaignPaused, instantly.StatusCampaignBounceProtect:
		s.followUps = r.IntN(40)
	case instantly.StatusCampaignCompleted, instantly.StatusCampaignRunningSubsequences:
		idle()
		s.noLeadsReady = true
	case instantly.StatusCampaignAccountsUnhealthy:
		s.disconnected = 1 + r.IntN(acc-1)
		s.accountSkips = r.IntN(100)
	case instantly.StatusAllAccountsUnhealthy:
		s.disconnected = acc
		s.accountSkips = r.IntN(100)
	case instantly.StatusCampaignAccountSuspended:
		s.disconnected = 1
	case instantly.StatusNoAccountsAvailable:
		idle()
		s.accounts, s.dailyLimit, s.lastSendAgo = 0, 50, -1
	case instantly.StatusWaitingForLeads:
		s.followUps, s.noLeadsReady = 0, true
	case instantly.StatusDailyLimitMet:
		s.sent = s.dailyLimit
	case instantly.StatusAccountDailyLimitMet:
		s.rampHit = r.IntN(acc/3 + 1)
		s.gapNotMet = r.IntN(acc - s.rampHit)
		s.dailyHit = acc - s.rampHit - s.gapNotMet
		s.accountSkips = 1 + r.IntN(300)
		s.followUps = r.IntN(80)
	case instantly.StatusNewLeadLimitMet:
		s.newLeadLimit = max(1, min(10+r.IntN(70), s.dailyLimit-1))
		s.newLeads = s.newLeadLimit
		s.sent = max(s.sent, s.newLeads)
		s.followUps = 0
	case instantly.StatusWaitingForESPMatch:
		s.espRouting, s.esps = true, []int{2}
		s.accountSkips = r.IntN(200)
	case instantly.StatusDomainLimitReached:
		s.domainLimiter, s.domainsAtLimit = true, 1+r.IntN(60)
	case instantly.StatusFollowUpDelayNotMet:
		s.followUps = 5 + r.IntN(120)
		s.followUpWait = 600 + r.IntN(86_400)
		s.noLeadsReady, s.delaySkip = true, s.followUps
	case WarmupInProgress:
		idle()
		s.otherUnavailable, s.lastSendAgo = acc, -1
	}
	if s.sent >= s.dailyLimit && code != instantly.StatusDailyLimitMet {
		s.sent = s.dailyLimit - 1
	}
	if s.newLeadLimit > 0 && s.newLeads >= s.newLeadLimit && code != instantly.StatusNewLeadLimitMet {
		s.newLeads = s.newLeadLimit - 1
	}
	return s
}
