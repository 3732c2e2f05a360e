package demo

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// The demo workspace is data: Instantly's answers, as Instantly sends them,
// in workspace/*.json. Each campaign's entry holds the Campaign object (GET
// /api/v2/campaigns and /campaigns/{id}), its sending status, its analytics
// row, its sending accounts (with the ids of the custom tags each carries)
// and their daily counts; each subsequence's, the Campaign Subsequence
// object and its sending status; workspace.json, the custom tags, the audit
// log, the account-campaign mappings and the domains' DNS vitals.
//
// Times are relative to the moment the workspace is built: a string that is
// a whole placeholder is replaced by its value at now.
//
//	"{{now}}", "{{now-3h10m}}", "{{now+3d}}"   the time, as Instantly writes it (UTC, milliseconds)
//	"{{date now-41d Europe/Belgrade}}"       the day in that zone (UTC when none): "2026-10-15"
//	"{{hours around now America/Chicago}}"   a schedule's timing open at now: from 3 h before
//	                                           the hour (not before midnight), for 9 h
//	"{{hours 8 from now+14h20m Europe/Belgrade}}"  timing from that hour, for 8 h (to 23:59 at most)
//	"{{weekdays and now America/Chicago}}"   a schedule's days: Monday to Friday and that day
//
// An offset is days (d), hours (h), minutes (m), seconds (s) and
// milliseconds (ms) in that order, e.g. -2d3h or +14h20m.

//go:embed workspace/*.json
var workspaceFiles embed.FS

// placeholder matches a JSON string that is a whole placeholder; other
// strings with braces ({{firstName}} in a sequence) are Instantly's own.
var placeholder = regexp.MustCompile(`"\{\{((?:now|date |hours |weekdays )[^"{}]*)\}\}"`)

// text is JSON with placeholders, split once: static text and placeholders
// (without quotes and braces) in turn, so building a workspace at a given
// moment only fills them in.
type text []string

func newText(raw []byte) text {
	var t text
	last := 0
	for _, m := range placeholder.FindAllSubmatchIndex(raw, -1) {
		t = append(t, string(raw[last:m[0]]), string(raw[m[2]:m[3]]))
		last = m[1]
	}
	return append(t, string(raw[last:]))
}

// at is t with its placeholders filled in at now.
func (t text) at(now time.Time) []byte {
	if len(t) == 1 { // nothing to fill in
		return []byte(t[0])
	}
	var b []byte
	for i, part := range t {
		if i%2 == 0 {
			b = append(b, part...)
			continue
		}
		v, err := expand(part, now)
		if err != nil {
			panic(fmt.Sprintf("demo: {{%s}}: %v", part, err))
		}
		b = append(b, v...)
	}
	return b
}

// stamp is s, or the value of the placeholder s is ("{{now-3d}}" as a JSON
// string), for the fields read into Instantly's types before the times are
// known.
func stamp(s string, now time.Time) string {
	var v string
	if t := newText([]byte(strconv.Quote(s))); len(t) == 3 {
		_ = json.Unmarshal(t.at(now), &v)
		return v
	}
	return s
}

// readFixture decodes one embedded file into v: compact, with <, > and &
// escaped as encoding/json writes them, so a body is byte for byte what
// Instantly's encoder would send.
func readFixture(name string, v any) {
	raw, err := workspaceFiles.ReadFile("workspace/" + name)
	var compact, escaped bytes.Buffer
	if err == nil {
		err = json.Compact(&compact, raw)
	}
	if err == nil {
		json.HTMLEscape(&escaped, compact.Bytes())
		err = json.Unmarshal(escaped.Bytes(), v)
	}
	if err != nil {
		panic(fmt.Sprintf("demo: workspace/%s: %v", name, err))
	}
}

// expand returns the JSON value of one placeholder (without its braces).
func expand(p string, now time.Time) ([]byte, error) {
	f := strings.Fields(p)
	at := func(s string) (time.Time, error) {
		off, ok := strings.CutPrefix(s, "now")
		if !ok {
			return time.Time{}, fmt.Errorf("%q is not now, now-OFFSET or now+OFFSET", s)
		}
		d, err := parseOffset(off)
		return now.Add(d), err
	}
	zone := func(i int) (*time.Location, error) {
		if len(f) <= i {
			return time.UTC, nil
		}
		return loadLocation(f[i])
	}
	var t time.Time
	var loc *time.Location
	var err error
	switch {
	case len(f) == 1:
		if t, err = at(f[0]); err != nil {
			return nil, err
		}
		return json.Marshal(isoTime(t))
	case f[0] == "date" && len(f) <= 3:
		if t, err = at(f[1]); err == nil {
			loc, err = zone(2)
		}
		if err != nil {
			return nil, err
		}
		return json.Marshal(t.In(loc).Format(time.DateOnly))
	case f[0] == "hours" && f[1] == "around" && len(f) == 4:
		if t, err = at(f[2]); err == nil {
			loc, err = zone(3)
		}
		if err != nil {
			return nil, err
		}
		from := max(t.In(loc).Hour()-3, 0)
		return timing(from, fmt.Sprintf("%02d:00", (from+9)%24)), nil
	case f[0] == "hours" && len(f) == 5 && f[2] == "from":
		n, err := strconv.Atoi(f[1])
		if err == nil {
			t, err = at(f[3])
		}
		if err == nil {
			loc, err = zone(4)
		}
		if err != nil {
			return nil, err
		}
		from := t.In(loc).Hour()
		to := fmt.Sprintf("%02d:00", min(from+n, 23))
		if from+n >= 23 {
			to = "23:59"
		}
		return timing(from, to), nil
	case f[0] == "weekdays" && f[1] == "and" && len(f) == 4:
		if t, err = at(f[2]); err == nil {
			loc, err = zone(3)
		}
		if err != nil {
			return nil, err
		}
		days := map[string]bool{"0": false, "1": true, "2": true, "3": true, "4": true, "5": true, "6": false}
		days[strconv.Itoa(int(t.In(loc).Weekday()))] = true
		return json.Marshal(days)
	}
	return nil, fmt.Errorf("unknown placeholder")
}

func timing(from int, to string) []byte {
	b, _ := json.Marshal(map[string]string{"from": fmt.Sprintf("%02d:00", from), "to": to})
	return b
}

// parseOffset reads "", "-2d3h", "+14h20m", ...: days, then what
// time.ParseDuration reads.
func parseOffset(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	sign, rest := s[:1], s[1:]
	if sign != "-" && sign != "+" {
		return 0, fmt.Errorf("offset %q has no sign", s)
	}
	var days time.Duration
	if n, after, ok := strings.Cut(rest, "d"); ok {
		k, err := strconv.Atoi(n)
		if err != nil {
			return 0, fmt.Errorf("offset %q: %v", s, err)
		}
		days, rest = time.Duration(k)*day, after
	}
	var d time.Duration
	if rest != "" {
		var err error
		if d, err = time.ParseDuration(rest); err != nil {
			return 0, err
		}
	}
	if sign == "-" {
		return -(days + d), nil
	}
	return days + d, nil
}

// zones caches time.LoadLocation, which reads the zone database each time.
var zones sync.Map

func loadLocation(name string) (*time.Location, error) {
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err == nil {
		zones.Store(name, l)
	}
	return l, err
}

// The shapes of the files, each part as Instantly sends it.
type (
	campaignFixture struct {
		Campaign      json.RawMessage                   `json:"campaign"`
		SendingStatus json.RawMessage                   `json:"sending_status"`
		Analytics     json.RawMessage                   `json:"analytics"`
		Accounts      []json.RawMessage                 `json:"accounts"`
		AccountDaily  []instantly.AccountDailyAnalytics `json:"account_daily"`
	}
	subsequenceFixture struct {
		Subsequence   json.RawMessage `json:"subsequence"`
		SendingStatus json.RawMessage `json:"sending_status"`
	}
	workspaceFixture struct {
		CustomTags              []instantly.CustomTag                         `json:"custom_tags"`
		AuditLogs               []json.RawMessage                             `json:"audit_logs"`
		AccountCampaignMappings map[string][]instantly.AccountCampaignMapping `json:"account_campaign_mappings"`
		Vitals                  []instantly.DomainVitals                      `json:"vitals"`
	}
)

// The demo workspace read once, its times still placeholders.
type (
	demoData struct {
		campaigns    []campaignData
		subsequences []subsequenceData
		tags         []instantly.CustomTag
		audit        []text
		mappings     []mappingData
		vitals       []instantly.DomainVitals
	}
	campaignData struct {
		campaign                  instantly.Campaign // TimestampCreated and TimestampUpdated: placeholders
		object, status, analytics text
		accounts                  []accountData
		daily                     []instantly.AccountDailyAnalytics // Date: a placeholder
	}
	accountData struct {
		object text // without its tags
		tags   []string
	}
	subsequenceData struct {
		sub            Subsequence
		object, status text
	}
	mappingData struct {
		email string
		m     instantly.AccountCampaignMapping // TimestampCreated: a placeholder
	}
)

// loadDemoData reads the files through Instantly's types, once.
var loadDemoData = sync.OnceValue(func() *demoData {
	var camps []campaignFixture
	var subs []subsequenceFixture
	var ws workspaceFixture
	readFixture("campaigns.json", &camps)
	readFixture("subsequences.json", &subs)
	readFixture("workspace.json", &ws)
	d := &demoData{tags: ws.CustomTags, vitals: ws.Vitals}
	for _, f := range camps {
		d.campaigns = append(d.campaigns, readCampaign(f))
	}
	for _, f := range subs {
		// The schedule's timing is a placeholder yet: only the names.
		var info struct {
			ID             string `json:"id"`
			Name           string `json:"name"`
			ParentCampaign string `json:"parent_campaign"`
		}
		decode("subsequence", f.Subsequence, &info)
		d.subsequences = append(d.subsequences, subsequenceData{
			sub:    Subsequence{ID: info.ID, ParentCampaignID: info.ParentCampaign, Name: info.Name},
			object: newText(f.Subsequence), status: newText(f.SendingStatus),
		})
	}
	for _, a := range ws.AuditLogs {
		decode("audit log", a, new(instantly.AuditLog))
		d.audit = append(d.audit, newText(a))
	}
	for _, email := range slices.Sorted(maps.Keys(ws.AccountCampaignMappings)) {
		for _, m := range ws.AccountCampaignMappings[email] {
			d.mappings = append(d.mappings, mappingData{email, m})
		}
	}
	return d
})

func readCampaign(f campaignFixture) campaignData {
	c := campaignData{object: newText(f.Campaign), status: newText(f.SendingStatus), analytics: newText(f.Analytics), daily: f.AccountDaily}
	decode("campaign", f.Campaign, &c.campaign)
	decode(c.campaign.Name+": analytics", f.Analytics, new(instantly.CampaignAnalytics))
	for _, raw := range f.Accounts {
		var a instantly.Account
		var obj map[string]json.RawMessage
		decode(c.campaign.Name+": account", raw, &a)
		decode(a.Email, raw, &obj)
		delete(obj, "tags") // served only with include_tags=true, from the tag ids
		served, _ := json.Marshal(obj)
		acc := accountData{object: newText(served)}
		for _, t := range a.Tags {
			acc.tags = append(acc.tags, t.ID)
		}
		c.accounts = append(c.accounts, acc)
	}
	return c
}

// decode reads raw into v (one of Instantly's types), or panics: the
// embedded data is wrong.
func decode(what string, raw []byte, v any) {
	if err := json.Unmarshal(raw, v); err != nil {
		panic(fmt.Sprintf("demo: %s: %v", what, err))
	}
}

// DemoWorkspace returns a new workspace with the demo campaigns and
// subsequences of DemoCampaigns, as an agency doing outbound would see them
// at now: timestamps (last_updated, issue_first_seen_at, ...) are relative to
// now, everything else is fixed. Each call returns an independent workspace.
func DemoWorkspace(now time.Time) *Workspace {
	d := loadDemoData()
	w := NewWorkspace()
	for _, c := range d.campaigns {
		w.addCampaignData(c, now)
	}
	for _, s := range d.subsequences {
		w.AddSubsequence(s.sub, statusOrNil(s.status.at(now)))
		w.SetSubsequenceDetails(s.sub.ID, s.sub.ParentCampaignID, s.object.at(now))
	}
	for _, t := range d.tags {
		w.AddCustomTag(t)
	}
	for _, a := range d.audit {
		w.AddAuditLog(a.at(now))
	}
	for _, m := range d.mappings {
		mapping := m.m
		mapping.TimestampCreated = stamp(mapping.TimestampCreated, now)
		w.AddAccountCampaignMapping(m.email, mapping)
	}
	for _, v := range d.vitals {
		w.SetVitals(v)
	}
	return w
}

// addCampaignData stores one campaign with everything its deep diagnosis
// reads.
func (w *Workspace) addCampaignData(c campaignData, now time.Time) {
	camp := c.campaign
	camp.TimestampCreated, camp.TimestampUpdated = stamp(camp.TimestampCreated, now), stamp(camp.TimestampUpdated, now)
	object := c.object.at(now)
	w.addCampaignObject(camp, object, statusOrNil(c.status.at(now)))
	w.SetCampaignDetails(camp.ID, object)
	w.SetCampaignAnalytics(camp.ID, c.analytics.at(now))
	for _, a := range c.accounts {
		w.AddAccount(a.object.at(now), a.tags...)
	}
	for _, row := range c.daily {
		row.Date = stamp(row.Date, now)
		w.AddAccountDaily(row)
	}
}

// statusOrNil is a sending status as stored: nil for null (no data yet).
func statusOrNil(raw []byte) []byte {
	if string(raw) == "null" {
		return nil
	}
	return raw
}
