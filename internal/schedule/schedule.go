// Package schedule computes when an Instantly campaign can send next: the next
// open window of its schedules, in each schedule's own timezone, within its
// start and end dates. It is pure (no I/O, the clock is an argument) and
// embeds the tz database so it gives the same answer on every OS.
//
// The API leaves some things open; the choices made here are the Assumption*
// constants, and Result.Assumptions repeats those that mattered for an
// answer so the caller can say them.
package schedule

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Instantly's zone names, aliases included, on every OS

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// The assumptions this package makes where Instantly's documentation is
// silent. They are stated once, here, and quoted in results.
const (
	// AssumeDayKeys: the OpenAPI does not say which weekday each key of
	// schedules[].days means; Instantly's own skill writes Monday-Friday as
	// "1".."5", so "0" is read as Sunday and "6" as Saturday.
	AssumeDayKeys = `schedule days "0".."6" are read as Sunday..Saturday (Instantly's docs do not define them; its own examples write Mon-Fri as "1".."5")`
	// AssumeEndInclusive: the end date is a day the campaign still sends on.
	AssumeEndInclusive = "the end date is read as inclusive (the campaign still sends on that day; Instantly's docs do not say)"
	// AssumeOvernight: a window whose "to" is before its "from" runs past
	// midnight into the next day.
	AssumeOvernight = `a window whose "to" is before its "from" is read as running past midnight (Instantly's docs do not say whether that is allowed)`
	// AssumeFirstZone: the campaign limit resets at midnight in the first
	// schedule's timezone when schedules carry different ones.
	AssumeFirstZone = "with schedules in several timezones, the campaign's timezone is read as the first schedule's (Instantly's docs do not say which applies)"
)

// Zones is Instantly's closed list of schedule timezones (the 102 values of
// the OpenAPI enum of schedules[].timezone). Some are tz aliases
// (America/Godthab, Asia/Rangoon, Australia/Currie); Etc/GMT+N follows POSIX,
// so Etc/GMT+12 is UTC-12.
var Zones = []string{
	"Etc/GMT+12", "Etc/GMT+11", "Etc/GMT+10", "America/Anchorage", "America/Dawson", "America/Creston",
	"America/Chihuahua", "America/Boise", "America/Belize", "America/Chicago", "America/Bahia_Banderas",
	"America/Regina", "America/Bogota", "America/Detroit", "America/Indiana/Marengo", "America/Caracas",
	"America/Asuncion", "America/Glace_Bay", "America/Campo_Grande", "America/Anguilla", "America/Santiago",
	"America/St_Johns", "America/Sao_Paulo", "America/Argentina/La_Rioja", "America/Araguaina",
	"America/Godthab", "America/Montevideo", "America/Bahia", "America/Noronha", "America/Scoresbysund",
	"Atlantic/Cape_Verde", "Africa/Casablanca", "America/Danmarkshavn", "Europe/Isle_of_Man", "Atlantic/Canary",
	"Africa/Abidjan", "Arctic/Longyearbyen", "Europe/Belgrade", "Africa/Ceuta", "Europe/Sarajevo",
	"Africa/Algiers", "Africa/Windhoek", "Asia/Nicosia", "Asia/Beirut", "Africa/Cairo", "Asia/Damascus",
	"Europe/Bucharest", "Africa/Blantyre", "Europe/Helsinki", "Europe/Istanbul", "Asia/Jerusalem",
	"Africa/Tripoli", "Asia/Amman", "Asia/Baghdad", "Europe/Kaliningrad", "Asia/Aden", "Africa/Addis_Ababa",
	"Europe/Kirov", "Europe/Astrakhan", "Asia/Tehran", "Asia/Dubai", "Asia/Baku", "Indian/Mahe", "Asia/Tbilisi",
	"Asia/Yerevan", "Asia/Kabul", "Antarctica/Mawson", "Asia/Yekaterinburg", "Asia/Karachi", "Asia/Kolkata",
	"Asia/Colombo", "Asia/Kathmandu", "Antarctica/Vostok", "Asia/Dhaka", "Asia/Rangoon", "Antarctica/Davis",
	"Asia/Novokuznetsk", "Asia/Hong_Kong", "Asia/Krasnoyarsk", "Asia/Brunei", "Australia/Perth", "Asia/Taipei",
	"Asia/Choibalsan", "Asia/Irkutsk", "Asia/Dili", "Asia/Pyongyang", "Australia/Adelaide", "Australia/Darwin",
	"Australia/Brisbane", "Australia/Melbourne", "Antarctica/DumontDUrville", "Australia/Currie", "Asia/Chita",
	"Antarctica/Macquarie", "Asia/Sakhalin", "Pacific/Auckland", "Etc/GMT-12", "Pacific/Fiji", "Asia/Anadyr",
	"Asia/Kamchatka", "Etc/GMT-13", "Pacific/Apia",
}

// Window is one open sending window.
type Window struct {
	Schedule string // the schedule's name
	Timezone string
	// Start is when sending can begin: the window's start, or the instant
	// asked about when that is inside the window. End is when it closes.
	Start, End time.Time
}

// Result is the answer of Next.
type Result struct {
	// Next is the earliest window at or after the instant asked about; nil
	// when there is none (end date passed, no day enabled, ...).
	Next *Window
	// EndDatePassed: the schedule's end date is over, so it never sends
	// again by itself. A cause of its own.
	EndDatePassed bool
	// EndDate is the end date when it bounds the answer.
	EndDate string
	// Problems are settings that stop a schedule from ever opening, in words:
	// an unknown timezone, no day enabled, a malformed time.
	Problems []string
	// Assumptions are the Assume* constants the answer depends on.
	Assumptions []string
}

// horizon is how far ahead Next looks: every weekday comes up within a week,
// a start date can be further out (handled separately).
const horizon = 8

type parsed struct {
	name       string
	tz         string
	loc        *time.Location
	from, to   int // minutes after midnight
	days       [7]bool
	overnight  bool
	start, end string // YYYY-MM-DD or ""
}

// Location loads one of Instantly's zone names (or any IANA name). The error
// says what is wrong in words.
func Location(tz string) (*time.Location, error) {
	if strings.TrimSpace(tz) == "" {
		return nil, fmt.Errorf("no timezone set")
	}
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "Local" {
		return nil, fmt.Errorf("timezone %q is not a zone name Instantly or the tz database knows", tz)
	}
	return loc, nil
}

func parseHM(s string) (int, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, false
	}
	return hh*60 + mm, true
}

// Next returns the earliest moment at or after from when one of the
// campaign's schedules is open, within its start and end dates. It never
// fails: what stops a schedule from opening is in Result.Problems.
func Next(cs instantly.CampaignSchedule, from time.Time) Result {
	var r Result
	var ps []parsed
	date := func(what string, d *string) string {
		if d == nil || *d == "" {
			return ""
		}
		if _, err := time.Parse("2006-01-02", *d); err != nil {
			r.Problems = append(r.Problems, fmt.Sprintf("%s date %q is not a YYYY-MM-DD date; it is ignored", what, *d))
			return ""
		}
		return *d
	}
	start, end := date("start", cs.StartDate), date("end", cs.EndDate)
	if len(cs.Schedules) == 0 {
		r.Problems = append(r.Problems, "the campaign has no schedule")
	}
	for i, s := range cs.Schedules {
		name := s.Name
		if name == "" {
			name = fmt.Sprintf("schedule %d", i+1)
		}
		p := parsed{name: name, tz: s.Timezone, start: start, end: end}
		loc, err := Location(s.Timezone)
		if err != nil {
			r.Problems = append(r.Problems, fmt.Sprintf("%q: %v, so this schedule never opens", name, err))
			continue
		}
		p.loc = loc
		f, ok1 := parseHM(s.Timing.From)
		t, ok2 := parseHM(s.Timing.To)
		if !ok1 || !ok2 {
			r.Problems = append(r.Problems, fmt.Sprintf("%q: times %q-%q are not HH:MM, so this schedule never opens", name, s.Timing.From, s.Timing.To))
			continue
		}
		if f == t {
			r.Problems = append(r.Problems, fmt.Sprintf("%q: the window %s-%s is empty", name, s.Timing.From, s.Timing.To))
			continue
		}
		p.from, p.to, p.overnight = f, t, t < f
		for k, on := range s.Days {
			if on && len(k) == 1 && k[0] >= '0' && k[0] <= '6' {
				p.days[k[0]-'0'] = true
			}
		}
		if p.days == [7]bool{} {
			r.Problems = append(r.Problems, fmt.Sprintf("%q: no day of the week is enabled, so this schedule never opens", name))
			continue
		}
		ps = append(ps, p)
	}

	var best *Window
	endBound, overnightUsed := false, false
	for _, p := range ps {
		w, bound := p.next(from)
		endBound = endBound || bound
		if w != nil && (best == nil || w.Start.Before(best.Start)) {
			best = w
			overnightUsed = p.overnight
		}
	}
	r.Next = best
	r.EndDatePassed = end != "" && best == nil && endBound
	if end != "" && (r.EndDatePassed || best != nil) {
		r.EndDate = end
		r.Assumptions = append(r.Assumptions, AssumeEndInclusive)
	}
	allWeek := [7]bool{true, true, true, true, true, true, true}
	if slices.ContainsFunc(ps, func(p parsed) bool { return p.days != allWeek }) {
		r.Assumptions = append(r.Assumptions, AssumeDayKeys)
	}
	if overnightUsed {
		r.Assumptions = append(r.Assumptions, AssumeOvernight)
	}
	return r
}

// next is the earliest window of p at or after from; endBound reports that
// the end date cut a window off.
func (p parsed) next(from time.Time) (w *Window, endBound bool) {
	local := from.In(p.loc)
	y, m, d := local.Date()
	// Start a day early for an overnight window begun yesterday; jump ahead
	// to the start date when it is later. Every day the loop visits is then
	// on or after the start date (p.start was validated as YYYY-MM-DD), so
	// the loop needs no start check of its own.
	first := time.Date(y, m, d-1, 12, 0, 0, 0, p.loc)
	if p.start != "" {
		sd, _ := time.ParseInLocation("2006-01-02", p.start, p.loc)
		if sd.After(first) {
			first = time.Date(sd.Year(), sd.Month(), sd.Day(), 12, 0, 0, 0, p.loc)
		}
	}
	for i := 0; i <= horizon; i++ {
		day := time.Date(first.Year(), first.Month(), first.Day()+i, 12, 0, 0, 0, p.loc)
		date := day.Format("2006-01-02")
		if p.end != "" && date > p.end {
			return nil, true
		}
		if !p.days[day.Weekday()] {
			continue
		}
		ws := Wall(day.Year(), day.Month(), day.Day(), p.from, p.loc)
		endDay := day.Day()
		if p.overnight {
			endDay++
		}
		we := Wall(day.Year(), day.Month(), endDay, p.to, p.loc)
		if !we.After(from) || !we.After(ws) {
			continue
		}
		if ws.Before(from) {
			ws = from
		}
		return &Window{Schedule: p.name, Timezone: p.tz, Start: ws, End: we}, false
	}
	return nil, false
}

// NextMidnight is the first midnight after t in loc (the campaign limit's
// reset in the schedule's timezone; pass time.UTC for account limits). On a
// day whose midnight does not exist (a DST change at 00:00) it is the first
// instant of that day.
func NextMidnight(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return Wall(l.Year(), l.Month(), l.Day()+1, 0, loc)
}

// Wall is the instant the clocks in loc show the given date and minute of
// the day (day may overflow, as in time.Date). time.Date leaves open which
// side of a DST change it picks; this does not:
//   - a time skipped by spring-forward (02:30 in America/Chicago on the
//     change day) is read with the offset before the change, so it is the
//     same distance past the change (03:30 CDT): a window "from 02:30" opens
//     at 03:30 that day;
//   - a time that occurs twice at fall-back (01:30) is its first occurrence.
func Wall(year int, month time.Month, day, minuteOfDay int, loc *time.Location) time.Time {
	u := time.Date(year, month, day, minuteOfDay/60, minuteOfDay%60, 0, 0, time.UTC)
	_, before := u.Add(-36 * time.Hour).In(loc).Zone()
	_, after := u.Add(36 * time.Hour).In(loc).Zone()
	want := func(t time.Time) bool {
		l := t.In(loc)
		return l.Year() == u.Year() && l.YearDay() == u.YearDay() && l.Hour() == u.Hour() && l.Minute() == u.Minute()
	}
	c1 := u.Add(-time.Duration(before) * time.Second)
	c2 := u.Add(-time.Duration(after) * time.Second)
	ok1, ok2 := want(c1), want(c2)
	switch {
	case ok1 && ok2:
		if c2.Before(c1) {
			return c2
		}
		return c1
	case ok1:
		return c1
	case ok2:
		return c2
	}
	// Neither offset shows it: a skipped time (or two changes within 36 h,
	// which no zone has). time.Date's own reading settles the second case.
	if before != after {
		return c1
	}
	return time.Date(year, month, day, minuteOfDay/60, minuteOfDay%60, 0, 0, loc)
}

// CampaignZone is the zone the campaign's limits reset in: the first
// schedule's whose timezone loads. multi reports that schedules disagree
// (AssumeFirstZone applies).
func CampaignZone(cs instantly.CampaignSchedule) (loc *time.Location, name string, multi bool) {
	for _, s := range cs.Schedules {
		if l, err := Location(s.Timezone); err == nil {
			if loc == nil {
				loc, name = l, s.Timezone
			} else if s.Timezone != name {
				multi = true
			}
		}
	}
	return loc, name, multi
}
