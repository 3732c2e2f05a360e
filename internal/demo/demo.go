package demo

import (
	"fmt"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// DemoAPIKey is an API key for the demo mode. The Handler accepts any
// non-empty key unless WithAPIKeys restricts them.
const DemoAPIKey = "demo-instantly-api-key"

// DemoBaseURL is the base URL the demo mode gives its client. It is never
// dialled (NewTransport serves the requests in process) and cannot resolve
// (.invalid, RFC 2606).
const DemoBaseURL = "http://demo.instantly.invalid"

// Kinds of DemoEntry.
const (
	KindCampaign    = "campaign"
	KindSubsequence = "subsequence"
)

// DemoEntry describes one campaign or subsequence of DemoWorkspace.
type DemoEntry struct {
	ID   string
	Name string
	// Code is the sending-status code it reports; "" when Instantly has no
	// data yet ({"diagnostics":null,"summary":null}).
	Code string
	Kind string // KindCampaign or KindSubsequence
	// ParentCampaignID is the campaign a subsequence belongs to; "" for a
	// campaign.
	ParentCampaignID string
}

// WarmupInProgress is the sending-status code of the demo campaign that shows
// a code Instantly might add after this project was written.
const WarmupInProgress = "warmup_in_progress"

const (
	minute = time.Minute
	hour   = time.Hour
	day    = 24 * time.Hour
)

// Ids of the demo tags (email_tag_list).
const (
	tagPrimary = "019a3b7e-52c1-7d04-9e6a-8f1d2c3b4a50"
	tagEU      = "019a3b7e-5a20-7b9f-a1c4-0e7d6f5b3c21"
	// Each tag is carried by accounts of one campaign only (see demo_deep.go);
	// tagAcme is carried by none.
	tagEnterprise = "019a3b7e-6c0e-7a51-8d2f-4b9e1f0a7c33"
	tagRecruiting = "019a3b7e-7d3a-7e12-9c40-5a8b2e1d6f44"
	tagAcme       = "019a3b7e-8e57-7c83-b1d5-6f2a9c4e8b55"
)

// demoSpec is one entry of the demo workspace.
type demoSpec struct {
	DemoEntry
	status   statusSpec
	created  time.Duration
	timezone string
	tags     []string
	// extras returns members Instantly might add later (see statusSpec).
	extras func(now time.Time) []extraMember
}

// demoSpecs is the demo workspace: campaigns in list order (ascending id),
// then subsequences. The numbers of each status agree with its code.
var demoSpecs = []demoSpec{
	{
		DemoEntry: campaign("019a0000-0000-7000-8000-000000000001", "Black Friday 2026 – SaaS founders", instantly.StatusAccountDailyLimitMet),
		status: statusSpec{
			accounts: 10, dailyHit: 7, rampHit: 2, gapNotMet: 1,
			dailyLimit: 300, sent: 184, newLeadLimit: 150, newLeads: 97,
			followUps: 63, esps: []int{2, 3}, domainLimiter: true, accountSkips: 211,
			issueFor: 3*hour + 10*minute, lastSendAgo: 3*hour + 12*minute, updatedAgo: 2 * minute,
		},
		created: 41 * day, timezone: "America/Detroit", tags: []string{tagPrimary},
	},
	{
		DemoEntry: campaign("019a6d64-37ed-7247-b88f-20dcba6074fb", "Q1 Agency Outreach", instantly.StatusHealthy),
		status: statusSpec{
			accounts: 8, dailyLimit: 240, sent: 117, newLeadLimit: 80, newLeads: 41,
			followUps: 14, esps: []int{2, 3}, domainLimiter: true, delaySkip: 3,
			lastSendAgo: 2 * minute, updatedAgo: 3 * minute,
		},
		created: 120 * day, timezone: "America/Chicago",
	},
	{
		DemoEntry: campaign("019a8f3f-dc6d-7940-a3b5-1247195a30e7", "Webinar Invite – RevOps leaders", instantly.StatusFollowUpDelayNotMet),
		status: statusSpec{
			accounts: 5, dailyLimit: 150, sent: 43,
			followUps: 86, followUpWait: 4 * 3600, esps: []int{2}, domainLimiter: true,
			noLeadsReady: true, delaySkip: 86,
			issueFor: 50 * minute, lastSendAgo: 52 * minute, updatedAgo: 4 * minute,
		},
		created: 23 * day, timezone: "America/Detroit",
	},
	{
		DemoEntry: campaign("019abfef-e84c-7b12-81a7-3008861307fc", "Cold Intro – Fintech CFOs (EU)", instantly.StatusOutOfSchedule),
		status: statusSpec{
			accounts: 6, dailyLimit: 180,
			issueFor: 6*hour + 5*minute, lastSendAgo: 6*hour + 7*minute, updatedAgo: 4 * minute,
		},
		created: 64 * day, timezone: "Europe/Belgrade", tags: []string{tagEU},
	},
	{
		DemoEntry: campaign("019aea6d-1a50-7d18-b1c8-e691cb7ab17e", "Partner Program – Shopify agencies", instantly.StatusDailyLimitMet),
		status: statusSpec{
			accounts: 6, dailyLimit: 150, sent: 150, newLeads: 58,
			followUps: 22, esps: []int{2, 3}, domainLimiter: true,
			issueFor: 2*hour + 10*minute, lastSendAgo: 2*hour + 11*minute, updatedAgo: 3 * minute,
		},
		created: 57 * day, timezone: "America/Chicago",
	},
	{
		DemoEntry: campaign("019b0efd-7c17-7f99-ab4f-956eff2b0674", "Series A CEOs – LinkedIn warm follow-up", instantly.StatusNewLeadLimitMet),
		status: statusSpec{
			accounts: 5, dailyLimit: 150, sent: 64, newLeadLimit: 40, newLeads: 40,
			esps: []int{2}, domainLimiter: true,
			issueFor: 95 * minute, lastSendAgo: 96 * minute, updatedAgo: 2 * minute,
		},
		created: 34 * day, timezone: "Australia/Melbourne",
	},
	{
		DemoEntry: campaign("019b3088-01af-7aeb-b14a-683e6fb9954e", "Re-engagement – Closed-lost Q4 2025", instantly.StatusWaitingForLeads),
		status: statusSpec{
			accounts: 4, dailyLimit: 120, esps: []int{2, 3}, domainLimiter: true,
			noLeadsReady: true,
			issueFor:     2*day + 3*hour, lastSendAgo: 2*day + 3*hour, updatedAgo: 5 * minute,
		},
		created: 48 * day, timezone: "America/Chicago",
	},
	{
		DemoEntry: campaign("019b52c0-aaa3-7150-97ec-c69a93cb3f0f", "Enterprise ABM – Fortune 500 IT", instantly.StatusDomainLimitReached),
		status: statusSpec{
			accounts: 6, dailyLimit: 180, sent: 24, newLeadLimit: 60, newLeads: 24,
			esps: []int{2, 3}, domainLimiter: true, domainsAtLimit: 37,
			issueFor: 4 * hour, lastSendAgo: 4*hour + 2*minute, updatedAgo: 3 * minute,
		},
		created: 29 * day, timezone: "America/Detroit", tags: []string{tagEnterprise},
	},
	{
		DemoEntry: campaign("019b75a6-688b-7276-b1b1-3ed9177587bf", "Healthcare IT directors – Outlook leads", instantly.StatusWaitingForESPMatch),
		status: statusSpec{
			accounts: 4, dailyLimit: 120, sent: 9, newLeads: 9,
			esps: []int{2}, espRouting: true, domainLimiter: true, accountSkips: 142,
			issueFor: 26 * hour, lastSendAgo: 26 * hour, updatedAgo: 4 * minute,
		},
		created: 19 * day, timezone: "Asia/Kolkata",
	},
	{
		DemoEntry: campaign("019b8f6b-460f-795d-b6f3-79a358fa0b1e", "Product Hunt Launch – Early adopters", instantly.StatusCampaignPaused),
		status: statusSpec{
			accounts: 5, dailyLimit: 150, followUps: 31, esps: []int{2, 3}, domainLimiter: true,
			issueFor: 3 * day, lastSendAgo: 3*day + 20*minute, updatedAgo: 5 * minute,
		},
		created: 26 * day, timezone: "America/Detroit",
	},
	{
		DemoEntry: campaign("019bbe51-d566-7c60-aadc-622f33913139", "Case Study Drip – Logistics VPs", instantly.StatusCampaignDraft),
		status: statusSpec{
			accounts: 3, dailyLimit: 90, esps: []int{2}, domainLimiter: true,
			issueFor: 22 * hour, lastSendAgo: -1, updatedAgo: 3 * minute,
		},
		created: 1 * day, timezone: "America/Chicago",
	},
	{
		DemoEntry: campaign("019bd4ae-b32e-7a9f-971c-07e3aadfceec", "Holiday Promo 2025 – E-commerce brands", instantly.StatusCampaignCompleted),
		status: statusSpec{
			accounts: 6, dailyLimit: 180, esps: []int{2, 3}, domainLimiter: true,
			noLeadsReady: true,
			issueFor:     12 * day, lastSendAgo: 12 * day, updatedAgo: 4 * minute,
		},
		created: 160 * day, timezone: "America/Detroit",
	},
	{
		DemoEntry: campaign("019c016d-3b04-7431-a68a-53952c89b170", "SaaStr 2026 – Conference follow-up", instantly.StatusCampaignRunningSubsequences),
		status: statusSpec{
			accounts: 5, dailyLimit: 150, esps: []int{2, 3}, domainLimiter: true,
			noLeadsReady: true,
			issueFor:     5 * day, lastSendAgo: 5 * day, updatedAgo: 2 * minute,
		},
		created: 38 * day, timezone: "America/Chicago",
	},
	{
		DemoEntry: campaign("019c32e2-6682-7403-92d6-d67a6a5026e6", "Real estate brokers (US) – Cold outreach", instantly.StatusCampaignBounceProtect),
		status: statusSpec{
			accounts: 6, dailyLimit: 180, sent: 71, newLeads: 48, esps: []int{2, 3}, domainLimiter: true,
			issueFor: 7 * hour, lastSendAgo: 7*hour + 1*minute, updatedAgo: 3 * minute,
		},
		created: 15 * day, timezone: "America/Chicago",
	},
	{
		DemoEntry: campaign("019c4c07-b0d1-7560-85da-54703bc91696", "Recruiting – Senior Go engineers", instantly.StatusCampaignAccountsUnhealthy),
		status: statusSpec{
			accounts: 6, disconnected: 2, dailyLimit: 180, sent: 52, newLeads: 30,
			esps: []int{2, 3}, domainLimiter: true, accountSkips: 18,
			issueFor: 20 * hour, lastSendAgo: 20 * hour, updatedAgo: 4 * minute,
		},
		created: 33 * day, timezone: "Europe/Belgrade", tags: []string{tagRecruiting},
	},
	{
		DemoEntry: campaign("019c721a-cb0c-79a3-924d-c999f76e1766", "Lead Magnet – Marketing agencies (UK)", instantly.StatusAllAccountsUnhealthy),
		status: statusSpec{
			accounts: 3, disconnected: 3, dailyLimit: 90, esps: []int{3}, domainLimiter: true,
			accountSkips: 64,
			issueFor:     2 * day, lastSendAgo: 2*day + 15*minute, updatedAgo: 5 * minute,
		},
		created: 52 * day, timezone: "Europe/Isle_of_Man",
	},
	{
		DemoEntry: campaign("019c9c62-73dc-786b-a2ef-da73e4cd074a", "Founder-led sales – DTC brands", instantly.StatusCampaignAccountSuspended),
		status: statusSpec{
			accounts: 4, disconnected: 1, dailyLimit: 120, esps: []int{2, 3}, domainLimiter: true,
			issueFor: 9 * hour, lastSendAgo: 9 * hour, updatedAgo: 2 * minute,
		},
		created: 21 * day, timezone: "America/Detroit",
	},
	{
		DemoEntry: campaign("019ccc49-82b9-7d98-8d0e-c401753d78ec", "Acme Corp – ICP test (new client)", instantly.StatusNoAccountsAvailable),
		status: statusSpec{
			dailyLimit: 50, domainLimiter: true,
			issueFor: 26 * hour, lastSendAgo: -1, updatedAgo: 3 * minute,
		},
		created: 2 * day, timezone: "America/Chicago", tags: []string{tagAcme},
	},
	{
		DemoEntry: campaign("019ce2cd-6a38-7bbe-9e92-e71c6f721654", "Agency retainer upsell – Existing clients", instantly.StatusHealthy),
		status: statusSpec{
			accounts: 3, dailyLimit: 60, sent: 22, newLeads: 9, followUps: 5,
			esps: []int{2}, domainLimiter: true,
			lastSendAgo: 6 * minute, updatedAgo: 4 * minute,
		},
		created: 90 * day, timezone: "America/Detroit",
	},
	{
		DemoEntry: campaign("019cf3cf-75e1-7ce4-a6bd-327325eedb04", "Podcast guest outreach – B2B SaaS hosts", instantly.StatusHealthy),
		status: statusSpec{
			accounts: 2, dailyLimit: 40, sent: 17, newLeadLimit: 25, newLeads: 11, followUps: 3,
			followUpWait: 1800, oneByOne: true, esps: []int{2}, domainLimiter: true,
			lastSendAgo: 11 * minute, updatedAgo: 2 * minute,
		},
		created: 12 * day, timezone: "America/Chicago",
	},
	{
		// Launched a few minutes ago: Instantly has no sending data yet.
		DemoEntry: campaign("019d0498-cc42-7070-9d33-e6685c9983c5", "Spring Launch 2026 – Sales ops managers", ""),
		status:    statusSpec{accounts: 4, dailyLimit: 120},
		created:   9 * minute, timezone: "America/Detroit",
	},
	{
		// A code and fields Instantly might add later: they must pass through.
		DemoEntry: campaign("019d1932-9ac8-75cd-9648-fd71c6f4e21c", "AI SDR pilot – Mid-market SaaS", WarmupInProgress),
		status: statusSpec{
			accounts: 4, otherUnavailable: 4, dailyLimit: 120, esps: []int{2, 3}, domainLimiter: true,
			issueFor: 2 * day, lastSendAgo: -1, updatedAgo: 3 * minute,
		},
		created: 3 * day, timezone: "America/Chicago",
		extras: func(now time.Time) []extraMember {
			return []extraMember{
				{nil, "schema_version", `"2026-06"`},
				{[]string{"diagnostics"}, "warmup_status", fmt.Sprintf(
					`{"accounts_warming":4,"average_health_score":71,"estimated_ready_at":%q}`, isoTime(now.Add(3*day)))},
				{[]string{"diagnostics", "accounts_summary", "unavailable"}, "warming_up", `4`},
				{[]string{"summary"}, "severity", `"info"`},
			}
		},
	},

	// Subsequences. They send from their parent's accounts.
	{
		DemoEntry: subsequence("019d34c1-6504-70a6-8528-0c39da18458b", "SaaStr 2026 – Interested, book a call", instantly.StatusHealthy, "019c016d-3b04-7431-a68a-53952c89b170"),
		status: statusSpec{
			accounts: 5, dailyLimit: 150, sent: 12, followUps: 4, esps: []int{2, 3}, domainLimiter: true,
			lastSendAgo: 8 * minute, updatedAgo: 2 * minute,
		},
	},
	{
		DemoEntry: subsequence("019d5526-c798-728e-b11a-b561fc1a16ca", "Q1 Agency Outreach – Opened, no reply", instantly.StatusFollowUpDelayNotMet, "019a6d64-37ed-7247-b88f-20dcba6074fb"),
		status: statusSpec{
			accounts: 8, dailyLimit: 240, sent: 19, followUps: 27, followUpWait: 19 * 3600,
			esps: []int{2, 3}, domainLimiter: true, noLeadsReady: true, delaySkip: 27,
			issueFor: 3 * hour, lastSendAgo: 3 * hour, updatedAgo: 3 * minute,
		},
	},
	{
		DemoEntry: subsequence("019d824a-3687-7948-89bc-d2697b082504", "Webinar Invite – Registered, did not attend", instantly.StatusWaitingForLeads, "019a8f3f-dc6d-7940-a3b5-1247195a30e7"),
		status: statusSpec{
			accounts: 5, dailyLimit: 150, esps: []int{2}, domainLimiter: true, noLeadsReady: true,
			issueFor: 6 * day, lastSendAgo: -1, updatedAgo: 4 * minute,
		},
	},
	{
		DemoEntry: subsequence("019db263-c893-7ed1-947f-a5da36ad7214", "Product Hunt Launch – Not now, nurture", instantly.StatusCampaignPaused, "019b8f6b-460f-795d-b6f3-79a358fa0b1e"),
		status: statusSpec{
			accounts: 5, dailyLimit: 150, followUps: 9, esps: []int{2, 3}, domainLimiter: true,
			issueFor: 3 * day, lastSendAgo: 4 * day, updatedAgo: 5 * minute,
		},
	},
}

func campaign(id, name, code string) DemoEntry {
	return DemoEntry{ID: id, Name: name, Code: code, Kind: KindCampaign}
}

func subsequence(id, name, code, parent string) DemoEntry {
	return DemoEntry{ID: id, Name: name, Code: code, Kind: KindSubsequence, ParentCampaignID: parent}
}

// DemoCampaigns lists the entries of DemoWorkspace: the campaigns in the order
// GET /api/v2/campaigns returns them, then the subsequences. Every one of the
// 18 documented codes has at least one campaign; there is also a campaign
// with no data yet (Code "") and one with the undocumented code
// WarmupInProgress and fields Instantly might add later. Treat it as
// read-only.
var DemoCampaigns = func() []DemoEntry {
	out := make([]DemoEntry, len(demoSpecs))
	for i, s := range demoSpecs {
		out[i] = s.DemoEntry
	}
	return out
}()

// DemoID returns the id of the first demo campaign whose sending-status code
// is code ("" for the campaign with no data yet), or of the first
// subsequence if no campaign has it; "" if no entry has it. The headline
// campaign, DemoCampaigns[0], is 019a0000-0000-7000-8000-000000000001.
func DemoID(code string) string {
	for _, kind := range []string{KindCampaign, KindSubsequence} {
		for _, e := range DemoCampaigns {
			if e.Kind == kind && e.Code == code {
				return e.ID
			}
		}
	}
	return ""
}

// DemoWorkspace returns a new workspace with the demo campaigns and
// subsequences of DemoCampaigns, as an agency doing outbound would see them
// at now: timestamps (last_updated, issue_first_seen_at, ...) are relative to
// now, everything else is fixed. Each call returns an independent workspace.
func DemoWorkspace(now time.Time) *Workspace {
	w := NewWorkspace()
	offset := 0
	for _, d := range demoSpecs {
		s := d.status
		s.code = d.Code
		if d.extras != nil {
			s.extras = d.extras(now)
		}
		var body []byte
		switch {
		case d.Code == "":
			body = nil // {"diagnostics":null,"summary":null}
		case d.Kind == KindSubsequence:
			body = buildStatus(s, d.Name, d.ParentCampaignID, d.ID, now)
		default:
			body = buildStatus(s, d.Name, d.ID, "", now)
		}
		if d.Kind == KindSubsequence {
			w.AddSubsequence(Subsequence{ID: d.ID, ParentCampaignID: d.ParentCampaignID, Name: d.Name}, body)
			addDemoSubsequence(w, d, s, now)
			continue
		}
		c := campaignSpec{id: d.ID, name: d.Name, code: d.Code, created: d.created, timezone: d.timezone, emailOffset: offset, tags: d.tags}
		offset += s.accounts
		camp, fields := campaignObject(c, s, now)
		w.AddCampaignWithFields(camp, fields, body)
		addDemoDeep(w, d, s, camp.EmailList, now)
	}
	addDemoRelated(w, now)
	return w
}
