package demo

import (
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// human rounds down to whole minutes (at least 1), hours below two days,
// then days; the singular for 1.
func TestHumanDurations(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "1 minute", 30 * time.Second: "1 minute", time.Minute: "1 minute", 2 * time.Minute: "2 minutes",
		59*time.Minute + 59*time.Second: "59 minutes", time.Hour: "1 hour", 90 * time.Minute: "1 hour",
		2 * time.Hour: "2 hours", 47*time.Hour + 59*time.Minute: "47 hours", 48 * time.Hour: "2 days",
		71 * time.Hour: "2 days", 72 * time.Hour: "3 days", 24 * 24 * time.Hour: "24 days",
	} {
		if got := human(d); got != want {
			t.Errorf("human(%v) = %q, want %q", d, got, want)
		}
	}
}

// The texts that carry numbers, exactly.
func TestStatusTextsWithNumbers(t *testing.T) {
	unhealthy := statusSpec{code: instantly.StatusCampaignAccountsUnhealthy, accounts: 7, disconnected: 2, gapNotMet: 1}
	if got := statusMessage(unhealthy); got != "3 of 7 sending accounts have errors" {
		t.Errorf("statusMessage: %q", got)
	}
	if got := aiSummary(unhealthy, "C"); got != `3 of the 7 sending accounts of "C" have errors (2 disconnected). Open Email Accounts, filter by status, fix or reconnect them, then resume the campaign.` {
		t.Errorf("aiSummary: %q", got)
	}
	fu := statusSpec{code: instantly.StatusFollowUpDelayNotMet, followUps: 12, followUpWait: 3 * 3600}
	if got := statusMessage(fu); got != "Waiting for follow-up delays (next follow-up due in 3 hours)" {
		t.Errorf("statusMessage: %q", got)
	}
	if got := aiSummary(fu, "C"); got != `"C" has 12 follow-ups waiting for their step delay; the next is due in 3 hours. This is normal: follow-ups go out when their delay has passed, inside the schedule.` {
		t.Errorf("aiSummary: %q", got)
	}
	paused := statusSpec{code: instantly.StatusCampaignPaused, issueFor: 3 * 24 * time.Hour}
	if got := aiSummary(paused, "C"); got != `"C" has been paused for 3 days. Resume it to continue; sending restarts 10-15 minutes after resuming.` {
		t.Errorf("aiSummary: %q", got)
	}
	healthy := statusSpec{code: instantly.StatusHealthy, accounts: 8, disconnected: 1, sent: 40, dailyLimit: 240}
	if got := aiSummary(healthy, "C"); got != `"C" is sending normally: 40 of 240 emails sent today from 7 healthy sending accounts. No action is needed.` {
		t.Errorf("aiSummary: %q", got)
	}
	if got := statusMessage(statusSpec{code: "something_new"}); got != "Campaign is not sending" {
		t.Errorf("unknown code: %q", got)
	}
}
