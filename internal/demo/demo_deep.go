package demo

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// The demo's data for the cross-checks: the whole Campaign object (schedule,
// limits, sequence, routing), the sending accounts with their states and
// SMTP errors, the lead counts, per-account daily counts, subsequences and
// the domains' DNS vitals. Everything agrees with each campaign's
// sending-status numbers: the unavailable accounts of accounts_summary are
// accounts here in the matching state, a campaign in schedule has a window
// open at now, the one out of schedule has its next window 14-15 h ahead.

// The demo's SMTP/IMAP errors, as Instantly stores them in status_message.
var (
	smtpAuthFailed = map[string]any{"code": "EAUTH", "command": "AUTH PLAIN", "responseCode": 535,
		"response": "535-5.7.8 Username and Password not accepted. For more information, go to https://support.google.com/mail/?p=BadCredentials"}
	smtpDailyLimit = map[string]any{"code": "EENVELOPE", "command": "DATA", "responseCode": 550,
		"response": "550-5.4.5 Daily user sending limit exceeded. For more information on Gmail sending limits go to https://support.google.com/a/answer/166852"}
	smtpSoftBounce = map[string]any{"code": "EENVELOPE", "command": "RCPT TO", "responseCode": 421,
		"response": "421 4.7.0 Temporary System Problem. Try again later (WS). Too many bounces from this sender"}
	imapAuthFailed = map[string]any{"code": "AUTHENTICATIONFAILED", "command": "LOGIN",
		"e_message": "Invalid credentials (Failure): the password was changed or an app password was revoked"}
	smtpSuspended = map[string]any{"code": "EAUTH", "command": "AUTH XOAUTH2", "responseCode": 535,
		"response": "535 5.7.139 Authentication unsuccessful, the user account is disabled (AccountDisabled)"}
)

// demoVitals fail for one sending domain.
var demoVitals = []instantly.DomainVitals{
	{Domain: "trynorthpeak.example", MX: true, SPF: false, DKIM: true, DMARC: false},
}

type demoAccount struct {
	email         string
	status        int // 1 active, -1 connection error, -2 soft bounce, -3 sending error
	message       map[string]any
	autofixFailed *bool
	warmupStatus  int
	provider      int
	dailyLimit    int
	sendingGap    int
	slowRamp      bool
	increment     string
	sentToday     int
	tags          []string
}

func bptr(b bool) *bool { return &b }

// windowAround is a schedule window open at now in tz, on Mon-Fri and today.
func windowAround(now time.Time, tz string) map[string]any {
	l := now.In(loadOr(tz))
	from := max(l.Hour()-3, 0)
	// Late in the day the window runs past midnight ("to" before "from"),
	// so that now is inside it up to 23:59:59.
	to := (from + 9) % 24
	return schedObj("Business hours", fmt.Sprintf("%02d:00", from), fmt.Sprintf("%02d:00", to), weekdaysAnd(l.Weekday()), tz)
}

// windowAfter is a window of length hours that opens next d after now (to
// the hour) in tz. d must exceed 24 h - length - 1 h, so the window's
// previous instance is over by now.
func windowAfter(now time.Time, d time.Duration, length int, name, tz string) map[string]any {
	o := now.Add(d).In(loadOr(tz))
	from := o.Hour()
	to := min(from+length, 23)
	toS := fmt.Sprintf("%02d:00", to)
	if to == 23 {
		toS = "23:59"
	}
	return schedObj(name, fmt.Sprintf("%02d:00", from), toS, weekdaysAnd(o.Weekday()), tz)
}

func weekdaysAnd(extra time.Weekday) map[string]bool {
	days := map[string]bool{"0": false, "1": true, "2": true, "3": true, "4": true, "5": true, "6": false}
	days[fmt.Sprint(int(extra))] = true
	return days
}

func schedObj(name, from, to string, days map[string]bool, tz string) map[string]any {
	return map[string]any{"name": name, "timing": map[string]string{"from": from, "to": to}, "days": days, "timezone": tz}
}

func demoSequence(code string) []any {
	v := func(subject string, disabled bool) map[string]any {
		m := map[string]any{"subject": subject, "body": "Hi {{firstName}},<br/><br/>...<br/><br/>{{sendingAccountFirstName}}"}
		if disabled {
			m["v_disabled"] = true
		}
		return m
	}
	steps := []any{
		map[string]any{"type": "email", "delay": 3, "delay_unit": "days", "variants": []any{v("Quick question, {{firstName}}", false), v("{{companyName}} + us", false)}},
		map[string]any{"type": "email", "delay": 4, "delay_unit": "days", "variants": []any{v("Re: Quick question", code == instantly.StatusCampaignDraft), v("Following up", code == instantly.StatusCampaignDraft)}},
		map[string]any{"type": "email", "delay": 0, "delay_unit": "days", "variants": []any{v("Closing the loop", false)}},
	}
	return []any{map[string]any{"steps": steps}}
}

// demoLeads is the campaigns/analytics row of a campaign: leads, contacted,
// completed, bounced, unsubscribed, emails sent.
func demoLeads(code string, s statusSpec) [6]int {
	switch code {
	case instantly.StatusWaitingForLeads:
		return [6]int{1200, 1200, 1137, 21, 42, 3540}
	case instantly.StatusCampaignCompleted:
		return [6]int{2400, 2400, 2310, 38, 52, 7150}
	case instantly.StatusCampaignDraft:
		return [6]int{0, 0, 0, 0, 0, 0}
	case instantly.StatusNoAccountsAvailable:
		return [6]int{500, 0, 0, 0, 0, 0}
	case instantly.StatusCampaignBounceProtect:
		return [6]int{1400, 930, 210, 146, 11, 1850}
	case instantly.StatusCampaignRunningSubsequences:
		return [6]int{640, 640, 596, 9, 14, 1880}
	case instantly.StatusNewLeadLimitMet:
		return [6]int{900, 610, 240, 12, 9, 1630}
	}
	leads := 800 + s.accounts*90
	return [6]int{leads, leads * 6 / 10, leads * 3 / 10, leads / 70, leads / 100, leads * 6 / 10 * 2}
}

// addDemoDeep stores the cross-check data of one demo campaign.
func addDemoDeep(w *Workspace, d demoSpec, s statusSpec, emails []string, now time.Time) {
	code := d.Code
	tz := d.timezone
	// In the order of Instantly's examples: schedules first.
	type campaignSchedule struct {
		Schedules []any  `json:"schedules"`
		StartDate string `json:"start_date,omitempty"`
		EndDate   string `json:"end_date,omitempty"`
	}
	created := now.Add(-d.created)
	sched := campaignSchedule{Schedules: []any{windowAround(now, tz)}, StartDate: created.In(loadOr(tz)).Format("2006-01-02")}
	switch code {
	case instantly.StatusOutOfSchedule:
		// A second schedule in another zone shows that the earliest wins.
		sched.Schedules = []any{
			windowAfter(now, 14*hour+20*minute, 8, "Office hours", tz),
			windowAfter(now, 18*hour+20*minute, 2, "UK afternoon", "Europe/Isle_of_Man"),
		}
	case instantly.StatusCampaignCompleted:
		sched.EndDate = now.Add(-12 * day).In(loadOr(tz)).Format("2006-01-02")
	case instantly.StatusCampaignDraft:
		sched.StartDate = ""
	}

	accounts := demoAccounts(code, s, emails, d.tags)
	obj := campaignSettings(s)
	maps.Copy(obj, map[string]any{
		"id": d.ID, "name": d.Name, "status": campaignStatusFor(code),
		"not_sending_status":   notSendingStatusFor(code),
		"campaign_schedule":    sched,
		"sequences":            demoSequence(code),
		"daily_limit":          s.dailyLimit,
		"email_list":           emails,
		"email_tag_list":       nonNil(d.tags),
		"allow_risky_contacts": false,
		"timestamp_created":    isoTime(created),
		"timestamp_updated":    isoTime(campaignUpdated(d.created, d.Code, s, now)),
	})
	if s.espRouting {
		obj["provider_routing_rules"] = []any{
			map[string]any{"action": "send", "recipient_esp": []string{"outlook"}, "sender_esp": []string{"outlook"}},
			map[string]any{"action": "send", "recipient_esp": []string{"google"}, "sender_esp": []string{"google"}},
		}
	}
	if code == instantly.StatusDomainLimitReached {
		obj["limit_emails_per_company_override"] = map[string]any{"mode": "custom", "daily_limit": 2, "scope": "across_workspace"}
	}
	raw, _ := json.Marshal(obj)
	w.SetCampaignDetails(d.ID, raw)

	for _, a := range accounts {
		w.AddAccount(accountJSON(a, created), a.tags...)
	}
	today := now.UTC().Format("2006-01-02")
	for i, a := range accounts {
		switch {
		case code == instantly.StatusCampaignBounceProtect:
			for back := 4; back >= 0; back-- {
				bounced := []int{1, 2, 1, 0, 1, 2}[i%6]
				if i == 1 || i == 4 { // the two senders that bounced most
					bounced = []int{9, 14, 22, 27, 31}[4-back] / (1 + i/4)
				}
				w.AddAccountDaily(instantly.AccountDailyAnalytics{Date: now.UTC().Add(-time.Duration(back) * day).Format("2006-01-02"),
					EmailAccount: a.email, Sent: float64(40 + 3*i), Bounced: float64(bounced), Contacted: float64(30 + i)})
			}
		case a.sentToday > 0:
			w.AddAccountDaily(instantly.AccountDailyAnalytics{Date: today, EmailAccount: a.email, Sent: float64(a.sentToday),
				Contacted: float64(a.sentToday * 2 / 3), NewLeadsContacted: float64(a.sentToday / 3)})
		}
	}
	l := demoLeads(code, s)
	an, _ := json.Marshal(map[string]any{
		"campaign_name": d.Name, "campaign_id": d.ID, "campaign_status": campaignStatusFor(code), "campaign_is_evergreen": false,
		"leads_count": l[0], "contacted_count": l[1], "completed_count": l[2], "bounced_count": l[3], "unsubscribed_count": l[4],
		"emails_sent_count": l[5], "new_leads_contacted_count": s.newLeads, "open_count": 0, "reply_count": l[1] / 25,
		"link_click_count": 0, "total_opportunities": l[1] / 90, "total_opportunity_value": 0,
	})
	w.SetCampaignAnalytics(d.ID, an)
	for _, v := range demoVitals {
		w.SetVitals(v)
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func loadOr(tz string) *time.Location {
	if l, err := time.LoadLocation(tz); err == nil {
		return l
	}
	return time.UTC
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

// demoAccounts gives each sender the state behind the campaign's numbers:
// the first dailyHit are at their daily limit, the next rampHit held by slow
// ramp, the next disconnected in error, the next gapNotMet waiting for their
// gap; the rest are fine.
func demoAccounts(code string, s statusSpec, emails, tags []string) []demoAccount {
	out := make([]demoAccount, len(emails))
	provider := func(i int) int {
		if len(s.esps) == 0 {
			return 2
		}
		p := s.esps[i%len(s.esps)]
		if p != 2 && p != 3 {
			p = 1
		}
		return p
	}
	errs := []struct {
		status  int
		msg     map[string]any
		autofix *bool
	}{
		{-1, smtpAuthFailed, bptr(true)},
		{-3, smtpDailyLimit, nil},
		{-2, smtpSoftBounce, bptr(false)},
		{-1, imapAuthFailed, bptr(true)},
	}
	for i, e := range emails {
		a := demoAccount{email: e, status: 1, warmupStatus: 1, provider: provider(i), dailyLimit: 30, sendingGap: 10, increment: "disabled"}
		switch {
		case i < s.dailyHit:
			a.sentToday = 30
		case i < s.dailyHit+s.rampHit:
			a.slowRamp, a.increment, a.dailyLimit, a.sentToday = true, "2", 40, 8+2*(i-s.dailyHit)
		case i < s.dailyHit+s.rampHit+s.disconnected:
			k := i - s.dailyHit - s.rampHit
			if code == instantly.StatusAllAccountsUnhealthy {
				k = []int{3, 2, 0}[k%3] // IMAP login, soft bounce, SMTP login
			}
			er := errs[k%len(errs)]
			a.status, a.message, a.autofixFailed = er.status, er.msg, er.autofix
			if code == instantly.StatusCampaignAccountSuspended {
				a.status, a.message, a.autofixFailed, a.warmupStatus = -1, smtpSuspended, bptr(true), -3
				a.provider = 3
			}
		case i < s.dailyHit+s.rampHit+s.disconnected+s.gapNotMet:
			a.sendingGap, a.sentToday = 30, 21
		}
		if code == instantly.StatusWaitingForESPMatch {
			a.provider = 2 // Google senders only; the leads waiting are on Outlook
		}
		// The campaign's tag is carried by its first senders (all of them
		// for a tag-only style campaign), never by another campaign's.
		if len(tags) > 0 && tags[0] != tagAcme && (i < 4 || code == instantly.StatusCampaignAccountsUnhealthy || code == instantly.StatusOutOfSchedule) {
			a.tags = tags
		}
		out[i] = a
	}
	return out
}

func accountJSON(a demoAccount, campaignCreated time.Time) []byte {
	first, _, _ := strings.Cut(a.email, "@")
	m := map[string]any{
		"email": a.email, "status": a.status, "first_name": strings.ToUpper(first[:1]) + strings.TrimRight(first[1:], "0123456789"), "last_name": "Northpeak",
		"organization": "019a0000-0000-7000-8000-0000000000aa", "warmup_status": a.warmupStatus, "provider_code": a.provider,
		"setup_pending": false, "is_managed_account": false, "daily_limit": a.dailyLimit, "sending_gap": a.sendingGap,
		"enable_slow_ramp": a.slowRamp, "warmup": map[string]any{"limit": 20, "reply_rate": 30, "increment": a.increment},
		"stat_warmup_score": 92, "timestamp_created": isoTime(campaignCreated.Add(-3 * day)), "timestamp_updated": isoTime(campaignCreated),
	}
	if a.message != nil {
		m["status_message"] = a.message
		m["stat_warmup_score"] = 61
	}
	if a.autofixFailed != nil {
		m["autofix_failed"] = *a.autofixFailed
	}
	b, _ := json.Marshal(m)
	return b
}

// addDemoSubsequence lists a demo subsequence under its parent campaign.
func addDemoSubsequence(w *Workspace, d demoSpec, s statusSpec, now time.Time) {
	tz := "America/Chicago"
	for _, p := range demoSpecs {
		if p.ID == d.ParentCampaignID {
			tz = p.timezone
		}
	}
	obj := map[string]any{
		"id": d.ID, "name": d.Name, "parent_campaign": d.ParentCampaignID, "workspace": "019a0000-0000-7000-8000-0000000000aa",
		"status": campaignStatusFor(d.Code), "timestamp_created": isoTime(now.Add(-20 * day)), "timestamp_leads_updated": isoTime(now.Add(-2 * hour)),
		"conditions":           map[string]any{"lead_activity": []int{4}},
		"subsequence_schedule": map[string]any{"schedules": []any{windowAround(now, tz)}},
		"sequences":            demoSequence(d.Code),
	}
	raw, _ := json.Marshal(obj)
	w.SetSubsequenceDetails(d.ID, d.ParentCampaignID, raw)
}
