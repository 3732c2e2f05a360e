package diagnosis

import (
	"fmt"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/schedule"
)

// theSchedule is the schedule that governs the diagnosed object: a
// subsequence's own, else the campaign's.
func (x *deep) theSchedule() (*instantly.CampaignSchedule, string) {
	g := x.g
	if s := g.ownSubsequence(); g.kind == "subsequence" && s != nil {
		return &s.SubsequenceSchedule, "subsequence"
	}
	if g.campaign != nil {
		return &g.campaign.CampaignSchedule, "campaign"
	}
	return nil, ""
}

// resumeFrom is the earliest instant the code lets the campaign send again,
// before the schedule has its say, and why; why is "" for a code that does
// not clear by itself.
func (x *deep) resumeFrom(zone *time.Location, zoneName string) (time.Time, string) {
	now := x.g.now
	switch x.code {
	case instantly.StatusOutOfSchedule:
		return now, "window"
	case instantly.StatusDailyLimitMet:
		return schedule.NextMidnight(now, zone), "limit"
	case instantly.StatusNewLeadLimitMet:
		return schedule.NextMidnight(now, zone), "new leads"
	case instantly.StatusAccountDailyLimitMet:
		if w := x.gapWait; w != nil && w.ready.Before(schedule.NextMidnight(now, time.UTC)) {
			return w.ready, "gap"
		}
		return schedule.NextMidnight(now, time.UTC), "accounts"
	case instantly.StatusFollowUpDelayNotMet:
		return x.followUpDue(), "follow-up"
	}
	return now, ""
}

// followUpDue is when the earliest follow-up is due: Instantly's last
// check plus the wait it reported, or now.
func (x *deep) followUpDue() time.Time {
	now, d := x.g.now, x.d
	if d == nil || d.FollowUpsWaiting == nil || d.FollowUpsWaiting.EarliestWaitTimeSeconds == nil {
		return now
	}
	base := now
	if t, ok := parseTime(d.LastUpdated); ok {
		base = t
	}
	if due := base.Add(time.Duration(*d.FollowUpsWaiting.EarliestWaitTimeSeconds * float64(time.Second))); due.After(now) {
		return due
	}
	return now
}

// scheduleChecks: when it resumes by itself, or why it will not.
func (x *deep) scheduleChecks() {
	cs, whose := x.theSchedule()
	if cs == nil {
		return
	}
	zone, zoneName, multi := schedule.CampaignZone(*cs)
	if zone == nil {
		zone, zoneName = time.UTC, "UTC"
	}
	from, why := x.resumeFrom(zone, zoneName)
	r := schedule.Next(*cs, from)
	for _, p := range r.Problems {
		x.fact("The %s's schedule: %s", whose, p)
	}
	t := true
	switch {
	case r.EndDatePassed:
		x.facts.EndDatePassed = &t
		x.endDatePassed(whose, r.EndDate)
	case r.Next == nil:
		x.facts.NoWindow = &t
		if len(r.Problems) > 0 {
			x.scheduleBlocks = true
			x.cause("the %s's schedule can never open: %s", whose, r.Problems[0])
			x.step("schedule", `Fix the "Schedule" tab: %s.`, r.Problems[0])
		}
		x.g.note("schedule", false, "read the %s's schedule: no window found in the next week", whose)
	default:
		x.windowFound(r.Next, whose, why)
	}
	if why != "" || r.EndDatePassed {
		x.a.Assumptions = append(x.a.Assumptions, r.Assumptions...)
		if multi && (x.code == instantly.StatusDailyLimitMet || x.code == instantly.StatusNewLeadLimitMet) {
			x.a.Assumptions = append(x.a.Assumptions, schedule.AssumeFirstZone)
		}
	}
}

// endDatePassed: the end date is the cause only while leads are left to
// send to; with none left, moving it would send nothing.
func (x *deep) endDatePassed(whose, end string) {
	x.g.note("schedule", true, "read the %s's schedule: end date %s reached", whose, end)
	if l := x.a.Leads; l != nil && l.NotYetContacted == 0 && x.code == instantly.StatusCampaignCompleted {
		x.fact("Its end date, %s, has passed too: new leads would not be sent until it is moved.", end)
		x.step("leads", `To send again, add new leads in the "Leads" tab and move or clear the end date in the "Schedule" tab.`)
		return
	}
	x.scheduleBlocks = true
	x.cause("the %s's end date (%s) has passed: it will not send again until the end date is moved or cleared", whose, end)
	x.step("schedule", `Move the end date in the "Schedule" tab past today, or clear it.`)
}

// windowFound: the next window, and so when it resumes, for a code that
// clears by itself.
func (x *deep) windowFound(w *schedule.Window, whose, why string) {
	now, g, d := x.g.now, x.g, x.d
	if why == "gap" && !w.Start.Before(schedule.NextMidnight(now, time.UTC)) {
		// The schedule opens only after the accounts' reset: every sender
		// can send then, not only the one waiting for its gap.
		why = "accounts"
	}
	if why != "" {
		x.a.NextSendAt = w.Start.UTC().Format(time.RFC3339)
		x.a.NextSendTimezone = w.Timezone
		x.resume = resumeWords(why, w, x.gapWait, now)
	}
	if w.Start.After(now) {
		g.note("schedule", true, "read the %s's schedule: next window %s", whose, whenText(w.Start, w.Timezone, now))
	} else {
		g.note("schedule", true, "read the %s's schedule: a window is open now, until %s", whose, whenText(w.End, w.Timezone, now))
	}
	if x.code == instantly.StatusOutOfSchedule && !w.Start.After(now) && d != nil {
		x.fact("By the schedule as it reads now, a window is open; Instantly's status is from %s, so the schedule may have changed since.", ago(d.LastUpdated, now))
	}
	cs, _ := x.theSchedule()
	if d != nil && d.ScheduleStatus != nil && d.ScheduleStatus.InSchedule != nil && *d.ScheduleStatus.InSchedule &&
		x.code != instantly.StatusOutOfSchedule {
		if n := schedule.Next(*cs, now).Next; n != nil && n.Start.After(now) {
			x.fact("Instantly says it is in schedule, but the schedule as it reads now has no window open (changed since %s?).", ago(d.LastUpdated, now))
		}
	}
}

// resumeWords is the answer's second sentence: when it sends again.
func resumeWords(why string, w *schedule.Window, gw *gapSender, now time.Time) string {
	at := whenText(w.Start, w.Timezone, now)
	switch why {
	case "gap":
		if !w.Start.After(gw.ready) {
			return fmt.Sprintf("it can send again within %s, when %s's %s-minute gap between emails is over; the other senders wait for midnight UTC",
				humanDuration(w.Start.Sub(now).Truncate(time.Minute)+time.Minute), gw.email, num(gw.gap))
		}
		return "it sends again " + at + ", when its schedule opens: " + gw.email + " can send then"
	case "new leads":
		return "new leads resume " + at + "; follow-ups can still go out meanwhile"
	case "accounts":
		return "it sends again " + at + ": account limits reset at midnight UTC, then its schedule opens"
	case "limit":
		return "it sends again " + at + ", after its limit resets at midnight in its timezone"
	case "window":
		return fmt.Sprintf("it sends again %s, when its %q window opens", at, w.Schedule)
	case "follow-up":
		return "it sends again " + at + ", when its first follow-up is due"
	}
	return "it sends again " + at
}

// whenText is "Mon 09:00 America/Detroit (14:00 UTC), in 14 h 20 min".
func whenText(t time.Time, tz string, now time.Time) string {
	loc, err := schedule.Location(tz)
	if err != nil {
		loc, tz = time.UTC, "UTC"
	}
	l, u := t.In(loc), t.UTC()
	utc := u.Format("15:04") + " UTC"
	if u.Weekday() != l.Weekday() {
		utc = u.Format("Mon 15:04") + " UTC"
	}
	s := fmt.Sprintf("%s %s (%s)", l.Format("Mon 15:04"), tz, utc)
	if tz == "UTC" {
		s = l.Format("Mon 15:04") + " UTC"
	}
	if d := t.Sub(now); d > time.Minute {
		s += ", in " + humanDuration(d.Truncate(time.Minute))
	} else {
		s += ", now"
	}
	return s
}
