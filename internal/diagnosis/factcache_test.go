package diagnosis

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// factcache.go as exact values: the time to live at its edge, the bound and
// what it evicts, the nil cache, which campaigns a list leaves as hints,
// and which requests each hint starts early. The helpers relGather,
// relFake and relEqual are in crosscheck_related_internal_test.go.

// A fact is reused while younger than its time to live, never when read
// "in the future", and only under its own key and name; the time to live
// is checked on both sides of its edge.
func TestFactCacheGet(t *testing.T) {
	c := NewFactCache()
	k1, k2 := [32]byte{1}, [32]byte{2}
	at := relNow
	c.put(k1, "tag:x", "EU", at)
	cases := []struct {
		name  string
		key   [32]byte
		fact  string
		ttl   time.Duration
		now   time.Time
		v     any
		reuse bool
	}{
		{"just read", k1, "tag:x", tagTTL, at, "EU", true},
		{"a nanosecond before the ttl", k1, "tag:x", tagTTL, at.Add(tagTTL - 1), "EU", true},
		{"at the ttl", k1, "tag:x", tagTTL, at.Add(tagTTL), nil, false},
		{"past the ttl", k1, "tag:x", time.Minute, at.Add(2 * time.Minute), nil, false},
		{"read after now", k1, "tag:x", tagTTL, at.Add(-time.Nanosecond), nil, false},
		{"another key", k2, "tag:x", tagTTL, at, nil, false},
		{"another name", k1, "tag:y", tagTTL, at, nil, false},
	}
	for _, tc := range cases {
		v, when, ok := c.get(tc.key, tc.fact, tc.ttl, tc.now)
		wantAt := time.Time{}
		if tc.reuse {
			wantAt = at
		}
		if v != tc.v || ok != tc.reuse || !when.Equal(wantAt) {
			t.Errorf("%s: got %v %v %v, want %v %v %v", tc.name, v, when, ok, tc.v, wantAt, tc.reuse)
		}
	}
	if c.Len() != 1 {
		t.Errorf("Len %d, want 1", c.Len())
	}
}

// A nil cache caches nothing and does not panic.
func TestNilFactCache(t *testing.T) {
	var c *FactCache
	c.put([32]byte{}, "tag:x", "EU", relNow)
	if v, at, ok := c.get([32]byte{}, "tag:x", tagTTL, relNow); v != nil || !at.IsZero() || ok {
		t.Errorf("get: %v %v %v", v, at, ok)
	}
	if c.Len() != 0 {
		t.Errorf("Len %d", c.Len())
	}
	c.RememberCampaigns([32]byte{}, []instantly.Campaign{{ID: relID}}, relNow)
}

// At maxFacts entries a put first drops the entries older than the
// longest time to live (10 min, at its edge), and when that frees nothing
// below the bound, all of them; each bound is checked on both sides.
func TestFactCacheBound(t *testing.T) {
	t0 := relNow
	fill := func(c *FactCache, n int, at time.Time) {
		for i := range n { // straight into the map: put's bound is what is tested
			c.m[factKey{[32]byte{1}, strconv.Itoa(i)}] = factEntry{v: i, at: at}
		}
	}
	cases := []struct {
		name string
		fill func(c *FactCache)
		now  time.Time
		want int
	}{
		{"below the bound: nothing dropped", func(c *FactCache) {
			fill(c, 2, t0)
		}, t0.Add(time.Hour), 3},
		{"one below the bound: nothing dropped", func(c *FactCache) {
			fill(c, maxFacts-1, t0)
		}, t0.Add(time.Hour), maxFacts},
		{"at the bound, all exactly 10 min old, but one: those go", func(c *FactCache) {
			fill(c, maxFacts-1, t0)
			c.put([32]byte{1}, "fresh", 0, t0.Add(5*time.Minute))
		}, t0.Add(vitalsTTL), 2},
		{"at the bound, all 10 min old less a nanosecond: all go", func(c *FactCache) {
			fill(c, maxFacts, t0)
		}, t0.Add(vitalsTTL - 1), 1},
		{"at the bound, one expired: it goes, the rest stay", func(c *FactCache) {
			fill(c, maxFacts-1, t0.Add(time.Minute))
			c.put([32]byte{1}, "old", 0, t0)
		}, t0.Add(vitalsTTL), maxFacts},
	}
	for _, tc := range cases {
		c := NewFactCache()
		tc.fill(c)
		c.put([32]byte{1}, "new", "v", tc.now)
		if c.Len() != tc.want {
			t.Errorf("%s: Len %d, want %d", tc.name, c.Len(), tc.want)
		}
		if v, _, ok := c.get([32]byte{1}, "new", time.Minute, tc.now); !ok || v != "v" {
			t.Errorf("%s: the new fact is lost", tc.name)
		}
	}
}

// A list's campaigns with a valid id are kept as hints, by the lowercase
// id; the others are not.
func TestRememberCampaigns(t *testing.T) {
	c := NewFactCache()
	k := [32]byte{3}
	c.RememberCampaigns(k, []instantly.Campaign{{ID: strings.ToUpper(relID), Name: "Up"}, {ID: "not an id", Name: "Bad"}}, relNow)
	if c.Len() != 1 {
		t.Fatalf("Len %d, want 1", c.Len())
	}
	if v, _, ok := c.get(k, "campaign:"+relID, hintTTL, relNow.Add(hintTTL-1)); !ok || v.(instantly.Campaign).Name != "Up" {
		t.Errorf("hint: %v %v", v, ok)
	}
	if _, _, ok := c.get(k, "campaign:"+relID, hintTTL, relNow.Add(hintTTL)); ok {
		t.Error("hint reused at its ttl")
	}
}

// prefetchRun runs prefetch of relID with the given hints in the cache
// and returns the gather (its early requests done) and the requests made.
func prefetchRun(t *testing.T, budget int, serve func(r *http.Request) (int, string), hint *instantly.Campaign, code string, lookups []string, setup func(g *gather)) (*gather, []string) {
	t.Helper()
	g, f := relGather(t, budget, serve)
	if hint != nil {
		g.cache.RememberCampaigns(g.keyHash, []instantly.Campaign{*hint}, relNow.Add(-time.Minute))
	}
	if code != "" {
		g.cache.put(g.keyHash, "code:"+relID, code, relNow.Add(-time.Minute))
	}
	if lookups != nil {
		g.cache.put(g.keyHash, "lookups:"+relID, lookups, relNow.Add(-time.Minute))
	}
	if setup != nil {
		setup(g)
	}
	var wg sync.WaitGroup
	g.prefetch(context.Background(), &wg)
	wg.Wait()
	var paths []string
	for _, r := range f.requests() {
		p, _, _ := strings.Cut(r, "?")
		if p == "/api/v2/audit-logs" {
			p = r
		}
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return g, paths
}

// Which checks a hint starts before the status is in: the list's
// campaign status (paused, running subsequences, unhealthy or suspended
// accounts, bounce protect) and the code of the last diagnosis
// (account_daily_limit_met, no_accounts_available, and the senders looked
// up one by one). Pinned: the daily counts' window, vitals only with
// senders, the 30 days of audit log, valid tags only, tags and counts asked
// once, and the lookups.
func TestPrefetch(t *testing.T) {
	const tag = "019a0000-0000-7000-8000-0000000000a1"
	two := []string{"A@x.io", "a@x.io ", "b@x.io"}
	many := make([]string, instantly.MaxDailyAnalyticsEmails+1)
	for i := range many {
		many[i] = fmt.Sprintf("s%d@x.io", i)
	}
	hint := func(st instantly.CampaignStatus, emails, tags []string) *instantly.Campaign {
		return &instantly.Campaign{ID: relID, Name: "Hinted", Status: st, EmailList: emails, EmailTagList: tags}
	}
	const (
		audit    = "/api/v2/audit-logs?activity_type=5&limit=1000&start_date=2026-10-26"
		accounts = "/api/v2/accounts"
		daily    = "/api/v2/accounts/analytics/daily"
		vitals   = "/api/v2/accounts/test/vitals"
		subs     = "/api/v2/subsequences"
	)
	cases := []struct {
		name     string
		hint     *instantly.Campaign
		code     string
		lookups  []string
		requests []string
		chans    string // which channels were made: p(auses) s(ubs) v(itals) d(aily) t(ags) l(ookups)
	}{
		{"no hint", nil, "", nil, nil, ""},
		{"active, no code", hint(instantly.CampaignStatusActive, two, []string{tag}), "", nil, nil, ""},
		{"paused", hint(instantly.CampaignStatusPaused, two, []string{tag}), "", nil, []string{audit}, "p"},
		{"running subsequences", hint(instantly.CampaignStatusRunningSubsequences, two, nil), "", nil, []string{subs}, "s"},
		{"accounts unhealthy", hint(instantly.CampaignStatusAccountsUnhealthy, two, []string{tag}), "", nil, []string{accounts, vitals}, "vt"},
		{"account suspended, no senders listed", hint(instantly.CampaignStatusAccountSuspended, nil, []string{tag}), "", nil, []string{accounts}, "t"},
		{"accounts unhealthy, no tags", hint(instantly.CampaignStatusAccountsUnhealthy, two, nil), "", nil, []string{vitals}, "v"},
		{"accounts unhealthy, an invalid tag", hint(instantly.CampaignStatusAccountsUnhealthy, two, []string{tag, "EU senders"}), "", nil, []string{vitals}, "v"},
		{"bounce protect", hint(instantly.CampaignStatusBounceProtect, two, nil), "", nil, []string{daily}, "d"},
		{"bounce protect, no senders", hint(instantly.CampaignStatusBounceProtect, []string{" "}, nil), "", nil, nil, ""},
		{"bounce protect, 200 senders", hint(instantly.CampaignStatusBounceProtect, many[:200], nil), "", nil, []string{daily}, "d"},
		{"bounce protect, 201 senders", hint(instantly.CampaignStatusBounceProtect, many, nil), "", nil, nil, ""},
		{"daily limit met before", hint(instantly.CampaignStatusActive, two, []string{tag}), instantly.StatusAccountDailyLimitMet, nil, []string{accounts, daily}, "dt"},
		{"daily limit met before, now bounce protect: counts once", hint(instantly.CampaignStatusBounceProtect, two, []string{tag}), instantly.StatusAccountDailyLimitMet, nil, []string{accounts, daily}, "dt"},
		{"no accounts available before", hint(instantly.CampaignStatusActive, two, []string{tag}), instantly.StatusNoAccountsAvailable, nil, []string{accounts}, "t"},
		{"no accounts available before, now unhealthy: tags once", hint(instantly.CampaignStatusAccountsUnhealthy, two, []string{tag}), instantly.StatusNoAccountsAvailable, nil, []string{accounts, vitals}, "vt"},
		{"healthy before", hint(instantly.CampaignStatusActive, two, []string{tag}), instantly.StatusHealthy, nil, nil, ""},
		{"senders looked up before", hint(instantly.CampaignStatusActive, nil, nil), instantly.StatusCampaignAccountsUnhealthy,
			[]string{"l1@x.io", "l2@x.io", "l3@x.io", "l4@x.io", "l5@x.io"},
			[]string{accounts + "/l1@x.io", accounts + "/l2@x.io", accounts + "/l3@x.io", accounts + "/l4@x.io"}, "l"},
		{"senders looked up before, a code that needs none", hint(instantly.CampaignStatusActive, nil, nil), instantly.StatusOutOfSchedule,
			[]string{"l1@x.io"}, nil, ""},
		{"looked up before, no code", hint(instantly.CampaignStatusActive, nil, nil), "", []string{"l1@x.io"}, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, reqs := prefetchRun(t, 20, nil, tc.hint, tc.code, tc.lookups, nil)
			relEqual(t, "requests", reqs, tc.requests)
			chans := ""
			for _, c := range []struct {
				ch   chan struct{}
				name string
			}{{g.pausesIn, "p"}, {g.subsIn, "s"}, {g.vitalsIn, "v"}, {g.dailyIn, "d"}, {g.tagsIn, "t"}, {g.lookupsIn, "l"}} {
				if c.ch != nil {
					chans += c.name
				}
			}
			if chans != tc.chans {
				t.Errorf("channels %q, want %q", chans, tc.chans)
			}
		})
	}
}

// The daily counts started early remember for which senders and code
// they were read (the bounce-protect window is a week).
func TestPrefetchDailyFor(t *testing.T) {
	ok := func(*http.Request) (int, string) { return 200, "[]" }
	g, reqs := prefetchRun(t, 20, ok, &instantly.Campaign{ID: relID, Status: instantly.CampaignStatusBounceProtect, EmailList: []string{"B@x.io", "a@x.io"}}, "", nil, nil)
	relEqual(t, "requests", reqs, []string{"/api/v2/accounts/analytics/daily"})
	if g.daily == nil || strings.Join(g.daily.senders, ",") != "b@x.io,a@x.io" || g.daily.code != instantly.StatusCampaignBounceProtect {
		t.Errorf("daily %+v", g.daily)
	}
}

// The early audit-log read goes 30 days back and keeps whether a next
// page exists; its error is kept for loadPauseRecords; a read already in
// the cache or a spent budget asks nothing.
func TestPrefetchPauses(t *testing.T) {
	paused := &instantly.Campaign{ID: relID, Status: instantly.CampaignStatusPaused}
	mine := relAudit("a1", "2026-11-24T10:00:00.000Z", 5, relID, "Ann")
	cases := []struct {
		name     string
		budget   int
		serve    func(r *http.Request) (int, string)
		setup    func(g *gather)
		requests []string
		early    string // the early read, as from/items/more
		err      bool
		notes    []string
	}{
		{"one page", 5, relAuditPage("", mine), nil,
			[]string{"/api/v2/audit-logs?activity_type=5&limit=1000&start_date=2026-10-26"}, "2026-10-26/1/false", false, nil},
		{"a next page", 5, relAuditPage("cursor", mine), nil,
			[]string{"/api/v2/audit-logs?activity_type=5&limit=1000&start_date=2026-10-26"}, "2026-10-26/1/true", false, nil},
		{"refused", 5, func(*http.Request) (int, string) { return 403, `{"statusCode":403,"error":"Forbidden","message":"no"}` }, nil,
			[]string{"/api/v2/audit-logs?activity_type=5&limit=1000&start_date=2026-10-26"}, "", true, nil},
		{"already cached", 5, relAuditPage("", mine), func(g *gather) {
			g.cache.put(g.keyHash, "audit-pauses", pauseLog{from: "2026-11-01"}, relNow.Add(-time.Minute))
		}, nil, "", false, nil},
		{"budget spent", 0, relAuditPage("", mine), nil, nil, "", false,
			[]string{"paused_by false: not checked: the diagnosis's request budget is spent (the audit log)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, reqs := prefetchRun(t, tc.budget, tc.serve, paused, "", nil, tc.setup)
			relEqual(t, "requests", reqs, tc.requests)
			early := ""
			if p := g.prefetched; p != nil {
				early = fmt.Sprintf("%s/%d/%v", p.from, len(p.items), p.more)
			}
			if early != tc.early || (g.prefetchErr != nil) != tc.err {
				t.Errorf("early read %q, error %v; want %q, error %v", early, g.prefetchErr, tc.early, tc.err)
			}
			relEqual(t, "notes", relNotes(g), tc.notes)
		})
	}
}
