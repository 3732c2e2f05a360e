package demo

import (
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

// DemoCampaigns lists the entries of DemoWorkspace: the campaigns in the order
// GET /api/v2/campaigns returns them, then the subsequences. Every one of the
// 18 documented codes has at least one campaign; there is also a campaign
// with no data yet (Code "") and one with the undocumented code
// WarmupInProgress and fields Instantly might add later. Treat it as
// read-only.
var DemoCampaigns = []DemoEntry{
	campaign("019a0000-0000-7000-8000-000000000001", "Black Friday 2026 – SaaS founders", instantly.StatusAccountDailyLimitMet),
	campaign("019a6d64-37ed-7247-b88f-20dcba6074fb", "Q1 Agency Outreach", instantly.StatusHealthy),
	campaign("019a8f3f-dc6d-7940-a3b5-1247195a30e7", "Webinar Invite – RevOps leaders", instantly.StatusFollowUpDelayNotMet),
	campaign("019abfef-e84c-7b12-81a7-3008861307fc", "Cold Intro – Fintech CFOs (EU)", instantly.StatusOutOfSchedule),
	campaign("019aea6d-1a50-7d18-b1c8-e691cb7ab17e", "Partner Program – Shopify agencies", instantly.StatusDailyLimitMet),
	campaign("019b0efd-7c17-7f99-ab4f-956eff2b0674", "Series A CEOs – LinkedIn warm follow-up", instantly.StatusNewLeadLimitMet),
	campaign("019b3088-01af-7aeb-b14a-683e6fb9954e", "Re-engagement – Closed-lost Q4 2025", instantly.StatusWaitingForLeads),
	campaign("019b52c0-aaa3-7150-97ec-c69a93cb3f0f", "Enterprise ABM – Fortune 500 IT", instantly.StatusDomainLimitReached),
	campaign("019b75a6-688b-7276-b1b1-3ed9177587bf", "Healthcare IT directors – Outlook leads", instantly.StatusWaitingForESPMatch),
	campaign("019b8f6b-460f-795d-b6f3-79a358fa0b1e", "Product Hunt Launch – Early adopters", instantly.StatusCampaignPaused),
	campaign("019bbe51-d566-7c60-aadc-622f33913139", "Case Study Drip – Logistics VPs", instantly.StatusCampaignDraft),
	campaign("019bd4ae-b32e-7a9f-971c-07e3aadfceec", "Holiday Promo 2025 – E-commerce brands", instantly.StatusCampaignCompleted),
	campaign("019c016d-3b04-7431-a68a-53952c89b170", "SaaStr 2026 – Conference follow-up", instantly.StatusCampaignRunningSubsequences),
	campaign("019c32e2-6682-7403-92d6-d67a6a5026e6", "Real estate brokers (US) – Cold outreach", instantly.StatusCampaignBounceProtect),
	campaign("019c4c07-b0d1-7560-85da-54703bc91696", "Recruiting – Senior Go engineers", instantly.StatusCampaignAccountsUnhealthy),
	campaign("019c721a-cb0c-79a3-924d-c999f76e1766", "Lead Magnet – Marketing agencies (UK)", instantly.StatusAllAccountsUnhealthy),
	campaign("019c9c62-73dc-786b-a2ef-da73e4cd074a", "Founder-led sales – DTC brands", instantly.StatusCampaignAccountSuspended),
	campaign("019ccc49-82b9-7d98-8d0e-c401753d78ec", "Acme Corp – ICP test (new client)", instantly.StatusNoAccountsAvailable),
	campaign("019ce2cd-6a38-7bbe-9e92-e71c6f721654", "Agency retainer upsell – Existing clients", instantly.StatusHealthy),
	campaign("019cf3cf-75e1-7ce4-a6bd-327325eedb04", "Podcast guest outreach – B2B SaaS hosts", instantly.StatusHealthy),
	campaign("019d0498-cc42-7070-9d33-e6685c9983c5", "Spring Launch 2026 – Sales ops managers", ""),
	campaign("019d1932-9ac8-75cd-9648-fd71c6f4e21c", "AI SDR pilot – Mid-market SaaS", WarmupInProgress),
	subsequence("019d34c1-6504-70a6-8528-0c39da18458b", "SaaStr 2026 – Interested, book a call", instantly.StatusHealthy, "019c016d-3b04-7431-a68a-53952c89b170"),
	subsequence("019d5526-c798-728e-b11a-b561fc1a16ca", "Q1 Agency Outreach – Opened, no reply", instantly.StatusFollowUpDelayNotMet, "019a6d64-37ed-7247-b88f-20dcba6074fb"),
	subsequence("019d824a-3687-7948-89bc-d2697b082504", "Webinar Invite – Registered, did not attend", instantly.StatusWaitingForLeads, "019a8f3f-dc6d-7940-a3b5-1247195a30e7"),
	subsequence("019db263-c893-7ed1-947f-a5da36ad7214", "Product Hunt Launch – Not now, nurture", instantly.StatusCampaignPaused, "019b8f6b-460f-795d-b6f3-79a358fa0b1e"),
}

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

func campaign(id, name, code string) DemoEntry {
	return DemoEntry{ID: id, Name: name, Code: code, Kind: KindCampaign}
}

func subsequence(id, name, code, parent string) DemoEntry {
	return DemoEntry{ID: id, Name: name, Code: code, Kind: KindSubsequence, ParentCampaignID: parent}
}
