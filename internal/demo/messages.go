package demo

import (
	"fmt"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// statusMessage is summary.status_message: one short line, like Instantly's.
func statusMessage(s statusSpec) string {
	switch s.code {
	case instantly.StatusHealthy:
		return "Campaign is sending normally"
	case instantly.StatusCampaignDraft:
		return "Campaign has not been launched yet"
	case instantly.StatusCampaignPaused:
		return "Campaign is paused"
	case instantly.StatusCampaignCompleted:
		return "Campaign is completed: every lead has finished the sequence"
	case instantly.StatusCampaignRunningSubsequences:
		return "Main sequence is complete; only subsequences are sending"
	case instantly.StatusCampaignBounceProtect:
		return "Campaign was paused by bounce protection because of a high bounce rate"
	case instantly.StatusCampaignAccountsUnhealthy:
		return fmt.Sprintf("%d of %d sending accounts have errors", s.accounts-s.available(), s.accounts)
	case instantly.StatusAllAccountsUnhealthy:
		return "All sending accounts of this campaign are unhealthy"
	case instantly.StatusCampaignAccountSuspended:
		return "A sending account of this campaign is suspended"
	case instantly.StatusNoAccountsAvailable:
		return "No sending accounts are available for this campaign"
	case instantly.StatusOutOfSchedule:
		return "Campaign is outside its sending schedule"
	case instantly.StatusWaitingForLeads:
		return "No leads are ready to be contacted"
	case instantly.StatusDailyLimitMet:
		return fmt.Sprintf("Campaign daily limit reached (%d/%d emails sent today)", s.sent, s.dailyLimit)
	case instantly.StatusAccountDailyLimitMet:
		return fmt.Sprintf("All %d sending accounts have reached their daily limits", s.accounts)
	case instantly.StatusNewLeadLimitMet:
		return fmt.Sprintf("Daily new lead limit reached (%d/%d new leads contacted today)", s.newLeads, s.newLeadLimit)
	case instantly.StatusWaitingForESPMatch:
		return "Waiting for a sending account on the lead's email provider"
	case instantly.StatusDomainLimitReached:
		return fmt.Sprintf("Per-company daily limit reached for %d lead domains", s.domainsAtLimit)
	case instantly.StatusFollowUpDelayNotMet:
		return fmt.Sprintf("Waiting for follow-up delays (next follow-up due in %s)", human(time.Duration(s.followUpWait)*time.Second))
	case "warmup_in_progress":
		return "Sending accounts are still warming up"
	}
	return "Campaign is not sending"
}

// aiSummary is summary.ai_summary: a few plain-English sentences.
func aiSummary(s statusSpec, name string) string {
	since := human(s.issueFor)
	switch s.code {
	case instantly.StatusHealthy:
		return fmt.Sprintf("%q is sending normally: %d of %d emails sent today from %d healthy sending accounts. No action is needed.",
			name, s.sent, s.dailyLimit, s.available())
	case instantly.StatusCampaignDraft:
		return fmt.Sprintf("%q has never been launched, so nothing is sending. Press Launch when the sequence and leads are ready; sending starts 10-15 minutes after launch.", name)
	case instantly.StatusCampaignPaused:
		return fmt.Sprintf("%q has been paused for %s. Resume it to continue; sending restarts 10-15 minutes after resuming.", name, since)
	case instantly.StatusCampaignCompleted:
		return fmt.Sprintf("%q is complete: every lead has finished the sequence. Add new leads to keep sending, or clone the campaign for a new audience.", name)
	case instantly.StatusCampaignRunningSubsequences:
		return fmt.Sprintf("The main sequence of %q has finished; only its subsequences are still sending. This is normal and needs no action.", name)
	case instantly.StatusCampaignBounceProtect:
		return fmt.Sprintf("Instantly paused %q %s ago because of a high recent bounce rate. Verify and clean the lead list and check the copy before resuming; after you resume it will not be auto-paused again for 7 days.", name, since)
	case instantly.StatusCampaignAccountsUnhealthy:
		return fmt.Sprintf("%d of the %d sending accounts of %q have errors (%d disconnected). Open Email Accounts, filter by status, fix or reconnect them, then resume the campaign.",
			s.accounts-s.available(), s.accounts, name, s.disconnected)
	case instantly.StatusAllAccountsUnhealthy:
		return fmt.Sprintf("None of the %d sending accounts of %q is healthy, so nothing can send. Reconnect or fix the accounts on the Email Accounts page, then resume the campaign.", s.accounts, name)
	case instantly.StatusCampaignAccountSuspended:
		return fmt.Sprintf("A sending account of %q is suspended. Remove or replace it in the campaign's accounts and check it in the app; the other %d accounts are fine.", name, s.available())
	case instantly.StatusNoAccountsAvailable:
		return fmt.Sprintf("%q has no usable sending account. Add at least one account, or a tag that has accounts, under the campaign's Options.", name)
	case instantly.StatusOutOfSchedule:
		return fmt.Sprintf("%q is outside its sending window and will resume by itself when the schedule opens. To send now, include the current day and time in the Schedule tab and check the timezone.", name)
	case instantly.StatusWaitingForLeads:
		return fmt.Sprintf("%q has had no lead ready to contact for %s: the uncontacted leads are used up. Add leads, or check that the remaining leads are not all finished or blocked.", name, since)
	case instantly.StatusDailyLimitMet:
		return fmt.Sprintf("%q has sent its daily limit of %d emails and resumes at midnight in the campaign's timezone. To send more, raise Options > Daily Limit (about 30 emails a day per sending account; it has %d).",
			name, s.dailyLimit, s.accounts)
	case instantly.StatusAccountDailyLimitMet:
		return fmt.Sprintf("All %d sending accounts of %q are at their own limits (%d at their daily limit, %d at the slow-ramp limit, %d waiting for the minimum gap), so %d emails of the campaign's %d went out today. Add sending accounts, or raise each account's Daily Campaign limit (about 30 recommended); account limits reset at midnight UTC.",
			s.accounts, name, s.dailyHit, s.rampHit, s.gapNotMet, s.sent, s.dailyLimit)
	case instantly.StatusNewLeadLimitMet:
		return fmt.Sprintf("%q has contacted its maximum of %d new leads today; follow-ups still go out. Raise Max new leads under Options > Show advanced options to reach more new leads per day.", name, s.newLeadLimit)
	case instantly.StatusWaitingForESPMatch:
		return fmt.Sprintf("Provider matching is on for %q and the remaining leads need a sending account on their email provider, which the campaign does not have. Add accounts on more providers or relax the provider matching rules.", name)
	case instantly.StatusDomainLimitReached:
		return fmt.Sprintf("The remaining leads of %q belong to %d company domains that already got their daily maximum of emails. Wait for tomorrow, or raise or override Limit emails per company for this campaign.", name, s.domainsAtLimit)
	case instantly.StatusFollowUpDelayNotMet:
		return fmt.Sprintf("%q has %d follow-ups waiting for their step delay; the next is due in %s. This is normal: follow-ups go out when their delay has passed, inside the schedule.",
			name, s.followUps, human(time.Duration(s.followUpWait)*time.Second))
	case "warmup_in_progress":
		return fmt.Sprintf("The sending accounts of %q are still warming up; Instantly starts sending once they are ready.", name)
	}
	return fmt.Sprintf("%q is not sending (%s).", name, s.code)
}

// human formats d roughly: "45 minutes", "3 hours", "2 days".
func human(d time.Duration) string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case d < time.Hour:
		return plural(max(1, int(d/time.Minute)), "minute")
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d/(24*time.Hour)), "day")
}
