package demo

import (
	"strconv"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// campaignSpec is what the generated Campaign object of a campaign needs
// beside its statusSpec.
type campaignSpec struct {
	id, name, code string
	created        time.Duration // before now
	timezone       string        // one of Instantly's schedule timezones
	emailOffset    int           // picks the sending accounts
	tags           []string      // email_tag_list
}

// The agency's sending accounts live on secondary domains (reserved .example
// names, so nothing real is ever emailed).
var (
	senderNames   = []string{"alex", "jordan", "sam", "taylor", "morgan", "casey", "riley", "jamie", "drew", "avery", "quinn", "reese"}
	senderDomains = []string{"northpeakhq.example", "getnorthpeak.example", "northpeak-growth.example", "trynorthpeak.example"}
)

// senderEmails returns n sending accounts; distinct offset ranges give
// distinct addresses, so each demo campaign has its own senders and an
// account's state never contradicts another campaign's numbers.
func senderEmails(n, offset int) []string {
	out := make([]string, n)
	for i := range n {
		k := offset + i
		name := senderNames[k%len(senderNames)]
		if r := k / (len(senderNames) * len(senderDomains)); r > 0 {
			name += strconv.Itoa(r + 1)
		}
		out[i] = name + "@" + senderDomains[(k/len(senderNames))%len(senderDomains)]
	}
	return out
}

// campaignObject returns the Campaign object of a campaign in the state s:
// the fields instantly.Campaign names, and the other fields.
func campaignObject(c campaignSpec, s statusSpec, now time.Time) (instantly.Campaign, map[string]any) {
	limit := float64(s.dailyLimit)
	extra := campaignSettings(s)
	extra["campaign_schedule"] = map[string]any{
		"schedules": []any{map[string]any{
			"name":     "Weekdays",
			"timing":   map[string]string{"from": "09:00", "to": "17:00"},
			"days":     map[string]bool{"1": true, "2": true, "3": true, "4": true, "5": true},
			"timezone": c.timezone,
		}},
	}
	return instantly.Campaign{
		ID:               c.id,
		Name:             c.name,
		Status:           campaignStatusFor(c.code),
		TimestampCreated: isoTime(now.Add(-c.created)),
		TimestampUpdated: isoTime(campaignUpdated(c.created, c.code, s, now)),
		DailyLimit:       &limit,
		EmailList:        senderEmails(s.accounts, c.emailOffset),
		EmailTagList:     c.tags,
		NotSendingStatus: notSendingStatusFor(c.code),
	}, extra
}

// campaignSettings are the settings of a demo Campaign object in the state
// s that campaignObject and the deep data's whole object share.
func campaignSettings(s statusSpec) map[string]any {
	var dailyMaxLeads any
	if s.newLeadLimit > 0 {
		dailyMaxLeads = s.newLeadLimit
	}
	return map[string]any{
		"daily_max_leads": dailyMaxLeads, "match_lead_esp": s.espRouting, "stop_on_reply": true,
		"stop_on_auto_reply": false, "open_tracking": false, "link_tracking": false, "text_only": false,
		"email_gap": 10, "random_wait_max": 10, "prioritize_new_leads": false,
		"disable_bounce_protect": false, "is_evergreen": false,
	}
}

// campaignUpdated is when a campaign created age ago was last edited: when
// its current state began (paused, launched, ...), or some time after
// creation.
func campaignUpdated(age time.Duration, code string, s statusSpec, now time.Time) time.Time {
	if code != "" && code != instantly.StatusHealthy && s.issueFor > 0 && s.issueFor < age {
		return now.Add(-s.issueFor)
	}
	return now.Add(-age).Add(age * 3 / 4)
}
