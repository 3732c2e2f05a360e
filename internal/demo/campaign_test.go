package demo

import (
	"reflect"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// senderEmails: 12 names on 4 domains, then numbered.
func TestSenderEmailsTable(t *testing.T) {
	for _, c := range []struct {
		n, offset int
		want      []string
	}{
		{3, 0, []string{"alex@northpeakhq.example", "jordan@northpeakhq.example", "sam@northpeakhq.example"}},
		{2, 11, []string{"reese@northpeakhq.example", "alex@getnorthpeak.example"}},
		{2, 47, []string{"reese@trynorthpeak.example", "alex2@northpeakhq.example"}},
		{1, 96, []string{"alex3@northpeakhq.example"}},
		{1, 13, []string{"jordan@getnorthpeak.example"}},
		{0, 5, []string{}},
	} {
		if got := senderEmails(c.n, c.offset); !reflect.DeepEqual(got, c.want) {
			t.Errorf("senderEmails(%d, %d) = %q, want %q", c.n, c.offset, got, c.want)
		}
	}
	if got := campaignSettings(statusSpec{newLeadLimit: 0})["daily_max_leads"]; got != nil {
		t.Errorf("no new-lead limit: daily_max_leads %v", got)
	}
	if got := campaignSettings(statusSpec{newLeadLimit: 1})["daily_max_leads"]; got != 1 {
		t.Errorf("new-lead limit 1: daily_max_leads %v", got)
	}
}

// campaignUpdated: when the current state began (a known issue younger than
// the campaign), else three quarters of the way from creation to now.
func TestCampaignUpdatedTable(t *testing.T) {
	age := 40 * day
	for _, c := range []struct {
		code     string
		issueFor time.Duration
		want     time.Duration // before testNow
	}{
		{instantly.StatusCampaignPaused, 3 * day, 3 * day},
		{instantly.StatusCampaignPaused, age - time.Nanosecond, age - time.Nanosecond},
		{instantly.StatusCampaignPaused, age, 10 * day},
		{instantly.StatusCampaignPaused, 0, 10 * day},
		{instantly.StatusHealthy, 3 * day, 10 * day},
		{"", 3 * day, 10 * day},
	} {
		got := testNow.Sub(campaignUpdated(age, c.code, statusSpec{issueFor: c.issueFor}, testNow))
		if got != c.want {
			t.Errorf("%q, issue for %v: updated %v ago, want %v", c.code, c.issueFor, got, c.want)
		}
	}
}
