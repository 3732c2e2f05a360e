package schedule

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

func sp(s string) *string { return &s }

func weekdays() map[string]bool {
	return map[string]bool{"0": false, "1": true, "2": true, "3": true, "4": true, "5": true, "6": false}
}

func one(tz, from, to string, days map[string]bool) instantly.CampaignSchedule {
	return instantly.CampaignSchedule{Schedules: []instantly.Schedule{{
		Name: "S", Timing: instantly.ScheduleTiming{From: from, To: to}, Days: days, Timezone: tz,
	}}}
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestNextTable(t *testing.T) {
	bounded := func(cs instantly.CampaignSchedule, start, end string) instantly.CampaignSchedule {
		if start != "" {
			cs.StartDate = sp(start)
		}
		if end != "" {
			cs.EndDate = sp(end)
		}
		return cs
	}
	all := map[string]bool{"0": true, "1": true, "2": true, "3": true, "4": true, "5": true, "6": true}
	cases := []struct {
		name    string
		cs      instantly.CampaignSchedule
		at      string
		want    string // RFC 3339 UTC of Next.Start; "" none
		endPass bool
		problem string // substring of a problem
	}{
		// 2026-11-30 is a Monday.
		{"inside window", one("America/Detroit", "09:00", "17:00", weekdays()), "2026-11-30T15:00:00Z", "2026-11-30T15:00:00Z", false, ""},
		{"before window today", one("America/Detroit", "09:00", "17:00", weekdays()), "2026-11-30T12:00:00Z", "2026-11-30T14:00:00Z", false, ""},
		{"after window, next day", one("America/Detroit", "09:00", "17:00", weekdays()), "2026-11-30T23:00:00Z", "2026-12-01T14:00:00Z", false, ""},
		{"friday evening to monday", one("America/Detroit", "09:00", "17:00", weekdays()), "2026-12-04T23:00:00Z", "2026-12-07T14:00:00Z", false, ""},
		{"saturday to monday", one("America/Chicago", "08:30", "12:00", weekdays()), "2026-12-05T12:00:00Z", "2026-12-07T14:30:00Z", false, ""},
		{"sunday only (key 0)", one("Europe/Belgrade", "10:00", "11:00", map[string]bool{"0": true}), "2026-11-30T08:00:00Z", "2026-12-06T09:00:00Z", false, ""},
		{"window end is exclusive", one("UTC", "09:00", "17:00", all), "2026-11-30T17:00:00Z", "2026-12-01T09:00:00Z", false, "timezone"},
		{"overnight, before midnight", one("Asia/Kolkata", "22:00", "02:00", all), "2026-11-30T17:00:00Z", "2026-11-30T17:00:00Z", false, ""},
		{"overnight, after midnight, begun yesterday", one("Asia/Kolkata", "22:00", "02:00", all), "2026-11-30T19:30:00Z", "2026-11-30T19:30:00Z", false, ""},
		{"overnight, daytime", one("Asia/Kolkata", "22:00", "02:00", all), "2026-11-30T06:00:00Z", "2026-11-30T16:30:00Z", false, ""},
		{"start date ahead", bounded(one("America/Detroit", "09:00", "17:00", weekdays()), "2027-02-01", ""), "2026-11-30T15:00:00Z", "2027-02-01T14:00:00Z", false, ""},
		{"end date today, inside", bounded(one("America/Detroit", "09:00", "17:00", weekdays()), "", "2026-11-30"), "2026-11-30T15:00:00Z", "2026-11-30T15:00:00Z", false, ""},
		{"end date today, after window", bounded(one("America/Detroit", "09:00", "17:00", weekdays()), "", "2026-11-30"), "2026-11-30T23:00:00Z", "", true, ""},
		{"end date passed", bounded(one("America/Detroit", "09:00", "17:00", weekdays()), "", "2026-10-01"), "2026-11-30T15:00:00Z", "", true, ""},
		{"end date in campaign tz, not UTC", bounded(one("Pacific/Auckland", "09:00", "17:00", all), "", "2026-11-30"), "2026-11-30T12:00:00Z", "", true, ""},
		{"unknown timezone", one("Mars/Olympus_Mons", "09:00", "17:00", weekdays()), "2026-11-30T15:00:00Z", "", false, "not a zone name"},
		{"no true day", one("America/Chicago", "09:00", "17:00", map[string]bool{"1": false, "2": false}), "2026-11-30T15:00:00Z", "", false, "no day of the week"},
		{"empty window", one("America/Chicago", "09:00", "09:00", weekdays()), "2026-11-30T15:00:00Z", "", false, "empty"},
		{"bad time", one("America/Chicago", "9am", "17:00", weekdays()), "2026-11-30T15:00:00Z", "", false, "not HH:MM"},
		{"no schedule", instantly.CampaignSchedule{}, "2026-11-30T15:00:00Z", "", false, "no schedule"},
		// Edges of HH:MM: 00 and 23 hours, 59 minutes are valid.
		{"window from 00:00", one("UTC", "00:00", "01:00", all), "2026-11-30T00:30:00Z", "2026-11-30T00:30:00Z", false, ""},
		{"window 23:00-23:59", one("UTC", "23:00", "23:59", all), "2026-11-30T12:00:00Z", "2026-11-30T23:00:00Z", false, ""},
		{"hour 24 is not a time", one("UTC", "24:00", "23:00", all), "2026-11-30T12:00:00Z", "", false, "not HH:MM"},
		{"minute 60 is not a time", one("UTC", "09:60", "23:00", all), "2026-11-30T12:00:00Z", "", false, "not HH:MM"},
		// The last day of the horizon: only Wednesday, today's window is over,
		// so the next is 7 days out (the loop's 9th day, counting from yesterday).
		{"one weekday, after today's window", one("UTC", "09:00", "17:00", map[string]bool{"3": true}), "2026-12-02T20:00:00Z", "2026-12-09T09:00:00Z", false, ""},
		// Etc/GMT+N is UTC-N (POSIX sign).
		{"Etc/GMT+5 is UTC-5", one("Etc/GMT+5", "09:00", "17:00", all), "2026-11-30T12:00:00Z", "2026-11-30T14:00:00Z", false, ""},
		{"Etc/GMT-12 is UTC+12", one("Etc/GMT-12", "09:00", "17:00", all), "2026-11-30T12:00:00Z", "2026-11-30T21:00:00Z", false, ""},
		// Aliases of Instantly's list.
		{"alias America/Godthab", one("America/Godthab", "09:00", "17:00", all), "2026-11-30T05:00:00Z", "2026-11-30T11:00:00Z", false, ""},
		{"alias Asia/Rangoon", one("Asia/Rangoon", "09:00", "17:00", all), "2026-11-30T00:00:00Z", "2026-11-30T02:30:00Z", false, ""},
		{"alias Australia/Currie", one("Australia/Currie", "09:00", "17:00", all), "2026-11-29T20:00:00Z", "2026-11-29T22:00:00Z", false, ""},
		// DST: America/Chicago springs forward 2026-03-08 02:00 CST -> 03:00 CDT.
		{"chicago spring forward, window from skipped 02:30", one("America/Chicago", "02:30", "05:00", all), "2026-03-08T06:00:00Z", "2026-03-08T08:30:00Z", false, ""},
		{"chicago day after spring forward", one("America/Chicago", "09:00", "17:00", all), "2026-03-09T00:00:00Z", "2026-03-09T14:00:00Z", false, ""},
		{"chicago day before spring forward", one("America/Chicago", "09:00", "17:00", all), "2026-03-07T00:00:00Z", "2026-03-07T15:00:00Z", false, ""},
		// Falls back 2026-11-01 02:00 CDT -> 01:00 CST: 01:30 happens twice, the first counts.
		{"chicago fall back, ambiguous 01:30", one("America/Chicago", "01:30", "04:00", all), "2026-11-01T05:00:00Z", "2026-11-01T06:30:00Z", false, ""},
		{"chicago after fall back", one("America/Chicago", "09:00", "17:00", all), "2026-11-01T12:00:00Z", "2026-11-01T15:00:00Z", false, ""},
		// Australia/Melbourne springs forward 2026-10-04 02:00 AEST -> 03:00 AEDT, falls back 2026-04-05 03:00 AEDT -> 02:00 AEST.
		{"melbourne spring forward, skipped 02:30", one("Australia/Melbourne", "02:30", "06:00", all), "2026-10-03T15:00:00Z", "2026-10-03T16:30:00Z", false, ""},
		{"melbourne after spring forward", one("Australia/Melbourne", "09:00", "17:00", all), "2026-10-04T12:00:00Z", "2026-10-04T22:00:00Z", false, ""},
		{"melbourne fall back, ambiguous 02:30", one("Australia/Melbourne", "02:30", "06:00", all), "2026-04-04T14:00:00Z", "2026-04-04T15:30:00Z", false, ""},
		{"melbourne after fall back", one("Australia/Melbourne", "09:00", "17:00", all), "2026-04-05T12:00:00Z", "2026-04-05T23:00:00Z", false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Next(c.cs, utc(c.at))
			got := ""
			if r.Next != nil {
				got = r.Next.Start.UTC().Format(time.RFC3339)
			}
			if got != c.want {
				t.Errorf("Next.Start = %q, want %q (problems %v)", got, c.want, r.Problems)
			}
			if r.EndDatePassed != c.endPass {
				t.Errorf("EndDatePassed = %v, want %v", r.EndDatePassed, c.endPass)
			}
			if c.problem != "" && c.problem != "timezone" {
				if !slices.ContainsFunc(r.Problems, func(p string) bool { return strings.Contains(p, c.problem) }) {
					t.Errorf("problems %q lack %q", r.Problems, c.problem)
				}
			}
			if r.Next != nil && !r.Next.End.After(r.Next.Start) {
				t.Errorf("window ends %v before it starts %v", r.Next.End, r.Next.Start)
			}
		})
	}
}

func TestEarliestScheduleWins(t *testing.T) {
	cs := instantly.CampaignSchedule{Schedules: []instantly.Schedule{
		{Name: "US", Timing: instantly.ScheduleTiming{From: "09:00", To: "17:00"}, Days: weekdays(), Timezone: "America/Detroit"},
		{Name: "EU", Timing: instantly.ScheduleTiming{From: "09:00", To: "17:00"}, Days: weekdays(), Timezone: "Europe/Belgrade"},
	}}
	r := Next(cs, utc("2026-11-30T20:00:00Z")) // US open till 22:00 UTC
	if r.Next == nil || r.Next.Schedule != "US" || !r.Next.Start.Equal(utc("2026-11-30T20:00:00Z")) {
		t.Fatalf("got %+v", r.Next)
	}
	r = Next(cs, utc("2026-11-30T23:00:00Z")) // EU opens 08:00 UTC, US 14:00
	if r.Next == nil || r.Next.Schedule != "EU" || !r.Next.Start.Equal(utc("2026-12-01T08:00:00Z")) {
		t.Fatalf("got %+v", r.Next)
	}
	if _, name, multi := CampaignZone(cs); name != "America/Detroit" || !multi {
		t.Fatalf("CampaignZone = %q %v", name, multi)
	}
}

func TestAssumptionsStated(t *testing.T) {
	cs := one("America/Detroit", "09:00", "17:00", weekdays())
	cs.EndDate = sp("2027-01-01")
	r := Next(cs, utc("2026-11-30T12:00:00Z"))
	if !slices.Contains(r.Assumptions, AssumeDayKeys) || !slices.Contains(r.Assumptions, AssumeEndInclusive) {
		t.Fatalf("assumptions %q", r.Assumptions)
	}
	all := map[string]bool{"0": true, "1": true, "2": true, "3": true, "4": true, "5": true, "6": true}
	r = Next(one("UTC", "22:00", "02:00", all), utc("2026-11-30T23:00:00Z"))
	if slices.Contains(r.Assumptions, AssumeDayKeys) || !slices.Contains(r.Assumptions, AssumeOvernight) {
		t.Fatalf("assumptions %q", r.Assumptions)
	}
}

func TestZones(t *testing.T) {
	if len(Zones) != 102 {
		t.Fatalf("%d zones, want Instantly's 102", len(Zones))
	}
	for _, z := range Zones {
		if _, err := Location(z); err != nil {
			t.Errorf("%s: %v", z, err)
		}
	}
	loc, _ := Location("Etc/GMT+12")
	if _, off := time.Date(2026, 1, 1, 0, 0, 0, 0, loc).Zone(); off != -12*3600 {
		t.Errorf("Etc/GMT+12 offset %d, want -12 h", off)
	}
}

func TestNextMidnight(t *testing.T) {
	det, _ := Location("America/Detroit")
	if got := NextMidnight(utc("2026-11-30T15:00:00Z"), det); !got.Equal(utc("2026-12-01T05:00:00Z")) {
		t.Errorf("Detroit midnight %v", got)
	}
	if got := NextMidnight(utc("2026-11-30T23:59:00Z"), time.UTC); !got.Equal(utc("2026-12-01T00:00:00Z")) {
		t.Errorf("UTC midnight %v", got)
	}
	// America/Asuncion has had DST changes at midnight: the day's first instant counts.
	san, _ := Location("America/Santiago") // springs forward at 24:00 -> 01:00 on 2026-09-06
	got := NextMidnight(utc("2026-09-05T12:00:00Z"), san)
	if l := got.In(san); l.Day() != 6 || l.Hour() > 1 {
		t.Errorf("Santiago midnight %v", l)
	}
}

// Every instant of a week, every 7 minutes, against a weekday schedule in a
// DST zone: the answer is never before the instant, is inside an enabled
// day's window in local time, and nothing earlier qualifies.
func TestNextProperties(t *testing.T) {
	for _, tz := range []string{"America/Chicago", "Australia/Melbourne", "Asia/Kathmandu", "Etc/GMT+12"} {
		cs := one(tz, "08:15", "16:45", weekdays())
		loc, _ := Location(tz)
		for at := utc("2026-03-05T00:00:00Z"); at.Before(utc("2026-03-12T00:00:00Z")); at = at.Add(7 * time.Minute) {
			r := Next(cs, at)
			if r.Next == nil {
				t.Fatalf("%s %v: no window", tz, at)
			}
			s := r.Next.Start
			if s.Before(at) {
				t.Fatalf("%s %v: start %v before now", tz, at, s)
			}
			l := s.In(loc)
			if wd := l.Weekday(); wd == time.Saturday || wd == time.Sunday {
				t.Fatalf("%s %v: start on %v", tz, at, wd)
			}
			if m := l.Hour()*60 + l.Minute(); m < 8*60+15 || m >= 16*60+45 {
				t.Fatalf("%s %v: start %v outside 08:15-16:45", tz, at, l)
			}
			if s.After(at) { // the instant itself was not inside a window
				la := at.In(loc)
				m := la.Hour()*60 + la.Minute()
				if wd := la.Weekday(); wd != time.Saturday && wd != time.Sunday && m >= 8*60+15 && m < 16*60+45 {
					t.Fatalf("%s %v: inside a window but start %v", tz, at, s)
				}
			}
		}
	}
}

// TestUnnamedScheduleNumberedFromOne: a schedule without a name is called by
// its 1-based position in the problems.
func TestUnnamedScheduleNumberedFromOne(t *testing.T) {
	cs := instantly.CampaignSchedule{Schedules: []instantly.Schedule{
		{Name: "A", Timing: instantly.ScheduleTiming{From: "09:00", To: "17:00"}, Days: weekdays(), Timezone: "UTC"},
		{Timing: instantly.ScheduleTiming{From: "09:00", To: "17:00"}, Days: weekdays(), Timezone: "Mars/Olympus_Mons"},
	}}
	r := Next(cs, utc("2026-11-30T12:00:00Z"))
	if len(r.Problems) != 1 || !strings.HasPrefix(r.Problems[0], `"schedule 2": `) {
		t.Errorf("problems = %q, want one about \"schedule 2\"", r.Problems)
	}
}
