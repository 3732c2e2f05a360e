package diagnosis

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// crosscheck_related.go as exact values: the exact query, selection, order
// and notes of the audit-log read, the sender order of the mapping
// lookups, the tag names, who paused the campaign, and the shared-quota
// evidence, cause and step.

// relNow is the clock of these tests (fixedNow of the external tests).
var relNow = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)

const relID = "019e0000-0000-7000-8000-0000000000c1"

// relFake answers the requests of one gather with canned bodies and
// records their URLs.
type relFake struct {
	mu    sync.Mutex
	urls  []*url.URL
	serve func(r *http.Request) (int, string)
}

func (f *relFake) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.urls = append(f.urls, r.URL)
	f.mu.Unlock()
	code, body := 404, `{"statusCode":404,"error":"Not Found","message":"Resource not found"}`
	if f.serve != nil {
		code, body = f.serve(r)
	}
	return &http.Response{StatusCode: code, Header: http.Header{"Content-Type": {"application/json"}}, ContentLength: int64(len(body)),
		Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

func (f *relFake) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, u := range f.urls {
		out = append(out, u.Path+"?"+u.RawQuery)
	}
	return out
}

// relGather is a gather of relID over a canned fake, with budget requests
// and a fact cache.
func relGather(t *testing.T, budget int, serve func(r *http.Request) (int, string)) (*gather, *relFake) {
	t.Helper()
	f := &relFake{serve: serve}
	c, err := instantly.NewClient("test-key-0123456789", instantly.WithBaseURL("http://fake.invalid"),
		instantly.WithHTTPClient(&http.Client{Transport: f}), instantly.WithRateLimits(1000, 60000))
	if err != nil {
		t.Fatal(err)
	}
	g := newGather(c, "campaign", relID, budget, relNow, Settings{})
	g.cache, g.keyHash = NewFactCache(), c.KeyHash()
	return g, f
}

func relNotes(g *gather) []string {
	var out []string
	for _, c := range g.checks {
		out = append(out, fmt.Sprintf("%s %v: %s", c.Check, c.OK, c.Note))
	}
	return out
}

func relEqual(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

// relAudit is one audit-log record as JSON.
func relAudit(id, ts string, activity int, campaign, user string) string {
	c, u := "null", "null"
	if campaign != "" {
		c = fmt.Sprintf("%q", campaign)
	}
	if user != "" {
		u = fmt.Sprintf("%q", user)
	}
	return fmt.Sprintf(`{"id":%q,"timestamp":%q,"activity_type":%d,"from_api":false,"campaign_id":%s,"user_name":%s}`, id, ts, activity, c, u)
}

func relAuditPage(next string, items ...string) func(r *http.Request) (int, string) {
	return func(r *http.Request) (int, string) {
		if r.URL.Path != "/api/v2/audit-logs" {
			return 404, `{}`
		}
		n := ""
		if next != "" {
			n = fmt.Sprintf(`,"next_starting_after":%q`, next)
		}
		return 200, `{"items":[` + strings.Join(items, ",") + `]` + n + `}`
	}
}

func relStatus(firstSeen string) *instantly.SendingStatus {
	st := &instantly.SendingStatus{Diagnostics: &instantly.Diagnostics{IssueTracking: &instantly.IssueTracking{}}}
	if firstSeen != "" {
		st.Diagnostics.IssueTracking.IssueFirstSeenAt = &firstSeen
	}
	return st
}

func relAuditIDs(g *gather) []string {
	var out []string
	if g.pauses == nil {
		return nil
	}
	for _, r := range g.pauses.items {
		out = append(out, r.ID)
	}
	return out
}

// The audit log is asked from a day before the issue was first seen, or
// 30 days back; only this campaign's pauses are kept, newest first; a
// further page is noted only when the first names none of them. Pinned:
// the 30-day lookback and its sign, the next page, the order of equal
// timestamps, and when the note is due.
func TestLoadPauseRecords(t *testing.T) {
	other := "019e0000-0000-7000-8000-0000000000ff"
	upper := strings.ToUpper(relID)
	cases := []struct {
		name      string
		firstSeen string
		next      string
		items     []string
		query     string
		from      string
		ids       []string
		notes     []string
	}{
		{"no first-seen time: 30 days back", "", "",
			[]string{relAudit("a1", "2026-11-20T10:00:00.000Z", 5, relID, "Ann")},
			"activity_type=5&limit=1000&start_date=2026-10-26", "2026-10-26", []string{"a1"}, nil},
		{"first seen 3 days ago: a day before", "2026-11-22T15:00:00.000Z", "",
			[]string{relAudit("a1", "2026-11-22T14:00:00.000Z", 5, relID, "Ann")},
			"activity_type=5&limit=1000&start_date=2026-11-21", "2026-11-21", []string{"a1"}, nil},
		{"first seen just before now", "2026-11-25T14:59:59.000Z", "", nil,
			"activity_type=5&limit=1000&start_date=2026-11-24", "2026-11-24", nil, nil},
		{"first seen exactly now: 30 days back", "2026-11-25T15:00:00.000Z", "", nil,
			"activity_type=5&limit=1000&start_date=2026-10-26", "2026-10-26", nil, nil},
		{"first seen in the future: 30 days back", "2026-11-26T15:00:00.000Z", "", nil,
			"activity_type=5&limit=1000&start_date=2026-10-26", "2026-10-26", nil, nil},
		{"first seen unreadable: 30 days back", "yesterday", "", nil,
			"activity_type=5&limit=1000&start_date=2026-10-26", "2026-10-26", nil, nil},
		{"only this campaign's pauses, newest first", "", "",
			[]string{
				relAudit("older", "2026-11-20T10:00:00.000Z", 5, relID, "Ann"),
				relAudit("other", "2026-11-24T10:00:00.000Z", 5, other, "Bob"),
				relAudit("launch", "2026-11-24T11:00:00.000Z", 4, relID, "Ann"),
				relAudit("none", "2026-11-24T12:00:00.000Z", 5, "", "Ann"),
				relAudit("newer", "2026-11-23T10:00:00.000Z", 5, upper, "Cy"),
			},
			"activity_type=5&limit=1000&start_date=2026-10-26", "2026-10-26", []string{"newer", "older"}, nil},
		{"equal timestamps keep the page's order", "", "",
			[]string{
				relAudit("first", "2026-11-20T10:00:00.000Z", 5, relID, "Ann"),
				relAudit("second", "2026-11-20T10:00:00.000Z", 5, relID, "Bob"),
			},
			"activity_type=5&limit=1000&start_date=2026-10-26", "2026-10-26", []string{"first", "second"}, nil},
		{"none on the first page, no next page", "", "",
			[]string{relAudit("other", "2026-11-24T10:00:00.000Z", 5, other, "Bob")},
			"activity_type=5&limit=1000&start_date=2026-10-26", "2026-10-26", nil, nil},
		{"none on the first page, a next page", "", "cursor",
			[]string{relAudit("other", "2026-11-24T10:00:00.000Z", 5, other, "Bob"), relAudit("o2", "2026-11-24T09:00:00.000Z", 5, other, "Bob")},
			"activity_type=5&limit=1000&start_date=2026-10-26", "2026-10-26", nil,
			[]string{"paused_by false: the audit log has more than 2 pauses since 2026-10-26; the first page names no pause of this campaign"}},
		{"one on the first page, a next page", "", "cursor",
			[]string{relAudit("a1", "2026-11-24T10:00:00.000Z", 5, relID, "Ann")},
			"activity_type=5&limit=1000&start_date=2026-10-26", "2026-10-26", []string{"a1"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, f := relGather(t, 5, relAuditPage(tc.next, tc.items...))
			g.loadPauseRecords(context.Background(), relStatus(tc.firstSeen))
			relEqual(t, "requests", f.requests(), []string{"/api/v2/audit-logs?" + tc.query})
			if g.auditFrom != tc.from || g.pauses == nil {
				t.Errorf("auditFrom %q read %v, want %q true", g.auditFrom, g.pauses != nil, tc.from)
			}
			relEqual(t, "records", relAuditIDs(g), tc.ids)
			relEqual(t, "notes", relNotes(g), tc.notes)
			// What was read is kept for the next diagnosis.
			if v, _, ok := g.cached("audit-pauses", auditTTL); !ok || v.(pauseLog).from != tc.from || len(v.(pauseLog).items) != len(tc.items) || v.(pauseLog).more != (tc.next != "") {
				t.Errorf("cached %+v %v", v, ok)
			}
		})
	}
}

// A list hint's early read is used when it reaches back far enough (its
// start_date no later than the one this diagnosis would ask for); an
// earlier diagnosis's read when it was made over a minute after the issue
// began and reaches back far enough. Otherwise the audit log is asked.
// Both sides of the early read's "no later than", and each of the cache's
// conditions, are pinned.
func TestLoadPauseRecordsReuse(t *testing.T) {
	mine := relAudit("a1", "2026-11-24T10:00:00.000Z", 5, relID, "Ann")
	var item instantly.AuditLog
	item.ID, item.ActivityType, item.Timestamp = "p1", 5, "2026-11-24T11:00:00.000Z"
	id := relID
	item.CampaignID = &id
	asked := []string{"/api/v2/audit-logs?activity_type=5&limit=1000&start_date=2026-10-26"}
	cases := []struct {
		name      string
		firstSeen string
		early     *pauseLog // the hint's read
		cachedAt  time.Duration
		cached    *pauseLog // an earlier diagnosis's read, cachedAt before now
		requests  []string
		from      string
		ids       []string
		notes     []string
	}{
		{"early read from the same day", "", &pauseLog{from: "2026-10-26", items: []instantly.AuditLog{item}}, 0, nil,
			nil, "2026-10-26", []string{"p1"}, nil},
		{"early read from an earlier day", "2026-11-22T15:00:00.000Z", &pauseLog{from: "2026-10-26", items: []instantly.AuditLog{item}}, 0, nil,
			nil, "2026-10-26", []string{"p1"}, nil},
		{"early read from a later day", "", &pauseLog{from: "2026-10-27", items: []instantly.AuditLog{item}}, 0, nil,
			asked, "2026-10-26", []string{"a1"}, nil},
		{"earlier diagnosis, no first-seen time", "", nil, 30 * time.Second, &pauseLog{from: "2026-10-20", items: []instantly.AuditLog{item}},
			asked, "2026-10-26", []string{"a1"}, nil},
		{"earlier diagnosis, read 61 s after the issue began", "2026-11-25T14:57:59.000Z", nil, 60 * time.Second, &pauseLog{from: "2026-11-24", items: []instantly.AuditLog{item}},
			nil, "2026-11-24", []string{"p1"},
			[]string{"paused_by true: the audit log's campaign pauses: read 1 min ago by an earlier diagnosis (reused for up to 2 min)"}},
		{"earlier diagnosis, read 60 s after the issue began", "2026-11-25T14:58:00.000Z", nil, 60 * time.Second, &pauseLog{from: "2026-11-24", items: []instantly.AuditLog{item}},
			[]string{"/api/v2/audit-logs?activity_type=5&limit=1000&start_date=2026-11-24"}, "2026-11-24", []string{"a1"}, nil},
		{"earlier diagnosis from an earlier day", "2026-11-25T14:58:00.000Z", nil, 30 * time.Second, &pauseLog{from: "2026-11-01", items: []instantly.AuditLog{item}},
			nil, "2026-11-01", []string{"p1"},
			[]string{"paused_by true: the audit log's campaign pauses: read just now by an earlier diagnosis (reused for up to 2 min)"}},
		{"earlier diagnosis from a later day", "2026-11-25T14:58:00.000Z", nil, 30 * time.Second, &pauseLog{from: "2026-11-25", items: []instantly.AuditLog{item}},
			[]string{"/api/v2/audit-logs?activity_type=5&limit=1000&start_date=2026-11-24"}, "2026-11-24", []string{"a1"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, f := relGather(t, 5, relAuditPage("", mine))
			g.prefetched = tc.early
			if tc.cached != nil {
				g.cache.put(g.keyHash, "audit-pauses", *tc.cached, relNow.Add(-tc.cachedAt))
			}
			g.loadPauseRecords(context.Background(), relStatus(tc.firstSeen))
			relEqual(t, "requests", f.requests(), tc.requests)
			if g.auditFrom != tc.from || g.pauses == nil {
				t.Errorf("auditFrom %q read %v, want %q true", g.auditFrom, g.pauses != nil, tc.from)
			}
			relEqual(t, "records", relAuditIDs(g), tc.ids)
			relEqual(t, "notes", relNotes(g), tc.notes)
		})
	}
}

// The early read's error, the audit log's refusal and a spent budget each
// leave one note and no records.
func TestLoadPauseRecordsFailures(t *testing.T) {
	refuse := func(r *http.Request) (int, string) {
		return 403, `{"statusCode":403,"error":"Forbidden","message":"Forbidden"}`
	}
	cases := []struct {
		name     string
		budget   int
		early    error
		requests []string
		note     string
	}{
		{"early read failed", 5, &instantly.ErrorResponse{StatusCode: 401}, nil,
			"paused_by false: not checked: this API key may not read the audit log (HTTP 401); a key with the scope audit_logs:read (or all:read) would let this diagnosis say more"},
		{"refused", 5, nil, []string{"/api/v2/audit-logs?activity_type=5&limit=1000&start_date=2026-10-26"},
			"paused_by false: not checked: this API key may not read the audit log (HTTP 403); a key with the scope audit_logs:read (or all:read) would let this diagnosis say more"},
		{"budget spent", 0, nil, nil,
			"paused_by false: not checked: the diagnosis's request budget is spent (the audit log)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, f := relGather(t, tc.budget, refuse)
			g.prefetchErr = tc.early
			g.loadPauseRecords(context.Background(), relStatus(""))
			relEqual(t, "requests", f.requests(), tc.requests)
			relEqual(t, "notes", relNotes(g), []string{tc.note})
			if g.pauses != nil {
				t.Errorf("records %v", g.pauses)
			}
		})
	}
}

func relAccount(email string, status *float64, tags ...instantly.AccountTag) *instantly.Account {
	return &instantly.Account{Email: email, Status: status, Tags: tags}
}

// Active listed senders are looked up first, then the rest in list order,
// at most n; each condition of "active" counts.
func TestMappingCandidates(t *testing.T) {
	one, two := 1.0, 2.0
	g := &gather{campaign: &instantly.CampaignDetails{Campaign: instantly.Campaign{EmailList: []string{"a@x.io", "b@x.io", "c@x.io", "d@x.io", "e@x.io"}}},
		pool: senderPool{byEmail: map[string]*instantly.Account{
			"a@x.io": relAccount("a@x.io", &two),
			"b@x.io": relAccount("b@x.io", &one),
			"d@x.io": relAccount("d@x.io", nil),
			"e@x.io": relAccount("e@x.io", &one),
		}}}
	for n, want := range map[int][]string{
		-1: {}, 0: {}, 1: {"b@x.io"}, 3: {"b@x.io", "e@x.io", "a@x.io"},
		5: {"b@x.io", "e@x.io", "a@x.io", "c@x.io", "d@x.io"}, 9: {"b@x.io", "e@x.io", "a@x.io", "c@x.io", "d@x.io"},
	} {
		got := g.mappingCandidates(n)
		if got == nil || strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("n=%d: got %q, want %q", n, got, want)
		}
	}
}

// A sender's campaigns are asked with limit 100 and kept (under the
// lowercase email) for the next diagnosis, which reuses them and says so.
func TestMappings(t *testing.T) {
	g, f := relGather(t, 5, func(r *http.Request) (int, string) {
		if r.URL.Path == "/api/v2/account-campaign-mappings/Ann@X.io" {
			return 200, `{"items":[{"campaign_id":"c1","campaign_name":"One","timestamp_created":"2026-01-01T00:00:00.000Z","status":1}]}`
		}
		return 403, `{"statusCode":403,"error":"Forbidden","message":"Forbidden"}`
	})
	g.loadMappings(context.Background(), "Ann@X.io")
	g.loadMappings(context.Background(), "bob@x.io")
	relEqual(t, "requests", f.requests(), []string{"/api/v2/account-campaign-mappings/Ann@X.io?limit=100", "/api/v2/account-campaign-mappings/bob@x.io?limit=100"})
	relEqual(t, "notes", relNotes(g), []string{"shared_quota false: not checked: this API key may not read the campaigns of bob@x.io (HTTP 403); a key with the scope account_campaign_mappings:read (or all:read) would let this diagnosis say more"})
	if m := g.mappings["ann@x.io"]; len(m) != 1 || m[0].CampaignName != "One" || len(g.mappings) != 1 {
		t.Fatalf("mappings %+v", g.mappings)
	}

	// The next diagnosis, a minute later.
	next, f2 := relGather(t, 5, nil)
	next.cache, next.keyHash, next.now = g.cache, g.keyHash, relNow.Add(time.Minute)
	if !next.cachedMappings("ANN@x.io") || next.cachedMappings("bob@x.io") {
		t.Fatal("cachedMappings: want ann's reused, bob's asked")
	}
	if m := next.mappings["ann@x.io"]; len(m) != 1 || m[0].CampaignID != "c1" || len(next.mappings) != 1 {
		t.Fatalf("reused mappings %+v", next.mappings)
	}
	relEqual(t, "reuse notes", relNotes(next), []string{"shared_quota true: the campaigns of ANN@x.io: read 1 min ago by an earlier diagnosis (reused for up to 2 min)"})
	relEqual(t, "reuse requests", f2.requests(), nil)
}

// The tags no account read so far names: valid ids only, matched without
// case.
func TestUnlabeledTags(t *testing.T) {
	if got := (&gather{}).unlabeledTags(); got != nil {
		t.Errorf("no campaign: %q", got)
	}
	tA, tB, tC := "019A0000-0000-7000-8000-0000000000A1", "019a0000-0000-7000-8000-0000000000b2", "019a0000-0000-7000-8000-0000000000c3"
	g := &gather{campaign: &instantly.CampaignDetails{Campaign: instantly.Campaign{EmailTagList: []string{tA, "not-an-id", tB, tC}}},
		pool: senderPool{byEmail: map[string]*instantly.Account{
			"a@x.io": relAccount("a@x.io", nil, instantly.AccountTag{ID: strings.ToLower(tA), Label: "A"}, instantly.AccountTag{ID: tB, Label: ""}),
		}}}
	relEqual(t, "unlabeled", g.unlabeledTags(), []string{tB, tC})
}

func relStr(s string) *string { return &s }

// Who paused the campaign and when, from the newest pause record; no
// record says automatic pauses may not be logged: each branch of
// pausedChecks (user name, blank name, API, key id, unreadable time).
func TestPausedChecks(t *testing.T) {
	rec := func(user *string, api bool, key *string, ts string) instantly.AuditLog {
		return instantly.AuditLog{ID: "r", Timestamp: ts, ActivityType: 5, UserName: user, FromAPI: api, APIKeyID: key}
	}
	const ts = "2026-11-22T15:00:00.000Z"
	cases := []struct {
		name     string
		ok       bool
		audit    []instantly.AuditLog
		pausedBy string
		facts    []string
		notes    []string
	}{
		{"not read", false, []instantly.AuditLog{rec(relStr("Ann"), false, nil, ts)}, "", nil, nil},
		{"no record", true, nil, "",
			[]string{"The audit log has no pause of this campaign since 2026-11-21: Instantly may have paused it by itself (whether automatic pauses are logged is not documented), or it was paused earlier."},
			[]string{"paused_by true: read the audit log's campaign pauses since 2026-11-21: none for this campaign"}},
		{"a user in the app", true, []instantly.AuditLog{rec(relStr(" Ann Lee "), false, nil, ts), rec(relStr("Bob"), true, nil, ts)},
			"paused by Ann Lee in the app on Sun 22 Nov 15:00 UTC (3 d ago)", nil,
			[]string{"paused_by true: read the audit log: paused by Ann Lee in the app on Sun 22 Nov 15:00 UTC (3 d ago)"}},
		{"a user through the API", true, []instantly.AuditLog{rec(relStr("Ann"), true, relStr("k1"), "2026-11-25T14:00:00Z")},
			"paused by Ann through the API on Wed 25 Nov 14:00 UTC (1 h ago)", nil,
			[]string{"paused_by true: read the audit log: paused by Ann through the API on Wed 25 Nov 14:00 UTC (1 h ago)"}},
		{"a blank user name through a key", true, []instantly.AuditLog{rec(relStr("  "), true, relStr("k1"), ts)},
			"paused by the API key k1 on Sun 22 Nov 15:00 UTC (3 d ago)", nil,
			[]string{"paused_by true: read the audit log: paused by the API key k1 on Sun 22 Nov 15:00 UTC (3 d ago)"}},
		{"no user, an empty key id", true, []instantly.AuditLog{rec(nil, true, relStr(""), ts)},
			"paused by an API key on Sun 22 Nov 15:00 UTC (3 d ago)", nil,
			[]string{"paused_by true: read the audit log: paused by an API key on Sun 22 Nov 15:00 UTC (3 d ago)"}},
		{"no user, no key id", true, []instantly.AuditLog{rec(nil, true, nil, ts)},
			"paused by an API key on Sun 22 Nov 15:00 UTC (3 d ago)", nil,
			[]string{"paused_by true: read the audit log: paused by an API key on Sun 22 Nov 15:00 UTC (3 d ago)"}},
		{"no user, not through the API, unreadable time", true, []instantly.AuditLog{rec(nil, false, relStr("k1"), "last week")},
			"paused by someone in the app on last week", nil,
			[]string{"paused_by true: read the audit log: paused by someone in the app on last week"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := &gather{now: relNow}
			g.auditFrom = "2026-11-21"
			if tc.ok {
				g.pauses = &pausesRead{items: tc.audit}
			}
			x := &deep{a: &Analysis{}, g: g}
			x.pausedChecks()
			if g.pausedBy != tc.pausedBy {
				t.Errorf("pausedBy %q, want %q", g.pausedBy, tc.pausedBy)
			}
			relEqual(t, "facts", x.evidence, tc.facts)
			relEqual(t, "notes", relNotes(g), tc.notes)
		})
	}
}

func relMap(id, name string, status *instantly.CampaignStatus) instantly.AccountCampaignMapping {
	return instantly.AccountCampaignMapping{CampaignID: id, CampaignName: name, Status: status}
}

// The other campaigns of each sender (sorted by email) are evidence; the
// capped senders that share their quota with an active (or unknown-status)
// campaign are a cause and a step, naming those campaigns (theirs only) by
// id order; a zero count is no share.
func TestSharedQuota(t *testing.T) {
	active, paused := instantly.CampaignStatusActive, instantly.CampaignStatusPaused
	upper := strings.ToUpper(relID)
	capped := []BlockingAccount{{Email: "B@x.io", Problem: "at its daily limit"}, {Email: "c@x.io", Problem: "held by slow ramp"}, {Email: "a@x.io", Problem: "connection error"}}
	cases := []struct {
		name                 string
		mappings             map[string][]instantly.AccountCampaignMapping
		blocking             []BlockingAccount
		facts, causes, steps []string
		notes                []string
	}{
		{"none read", map[string][]instantly.AccountCampaignMapping{}, capped, nil, nil, nil, nil},
		{"this campaign only", map[string][]instantly.AccountCampaignMapping{"b@x.io": {relMap(upper, "Me", &active)}}, capped,
			nil, nil, nil,
			[]string{"shared_quota true: read the campaigns of 1 sender"}},
		{"capped senders share with active and unknown-status campaigns", map[string][]instantly.AccountCampaignMapping{
			"c@x.io": {relMap("id-2", "Two", &active), relMap(relID, "Me", &active)},
			"b@x.io": {relMap("id-3", "Three", nil), relMap("id-1", "One", &paused)},
			"a@x.io": {relMap("id-4", "Four", &active)},
		}, capped,
			nil,
			[]string{`b@x.io and c@x.io, at a limit, also send for "Two" and "Three", which spend the same daily quota`},
			[]string{`To send more per day: give this campaign senders of its own, or take b@x.io and c@x.io out of "Two" and "Three".`},
			[]string{"shared_quota true: read the campaigns of 3 senders"}},
		{"one capped sender, one other campaign", map[string][]instantly.AccountCampaignMapping{
			"b@x.io": {relMap("id-3", "Three", &active)},
		}, capped,
			nil,
			[]string{`b@x.io, at a limit, also sends for "Three", which spends the same daily quota`},
			[]string{`To send more per day: give this campaign senders of its own, or take b@x.io out of "Three".`},
			[]string{"shared_quota true: read the campaigns of 1 sender"}},
		{"the capped sender's other campaigns are paused", map[string][]instantly.AccountCampaignMapping{
			"b@x.io": {relMap("id-1", "One", &paused)},
		}, capped,
			nil, nil, nil,
			[]string{"shared_quota true: read the campaigns of 1 sender"}},
		// Before: a sender not at a limit lent its campaign to the cause
		// of a capped one whose other campaigns are paused.
		{"only a sender not at a limit shares with an active campaign", map[string][]instantly.AccountCampaignMapping{
			"a@x.io": {relMap("id-4", "Four", &active)},
			"b@x.io": {relMap("id-1", "One", &paused)},
		}, capped,
			nil, nil, nil,
			[]string{"shared_quota true: read the campaigns of 2 senders"}},
		{"senders not at a limit", map[string][]instantly.AccountCampaignMapping{
			"a@x.io": {relMap("id-4", "Four", &active)},
		}, capped,
			nil, nil, nil,
			[]string{"shared_quota true: read the campaigns of 1 sender"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := &gather{now: relNow, id: relID}
			g.mappings = tc.mappings
			x := &deep{a: &Analysis{}, g: g}
			x.sharedQuota(tc.blocking)
			relEqual(t, "facts", x.evidence, tc.facts)
			relEqual(t, "causes", x.causes, tc.causes)
			relEqual(t, "steps", stepTexts(x.steps), tc.steps)
			relEqual(t, "notes", relNotes(g), tc.notes)
		})
	}
}

// The tags' names: those an earlier diagnosis read come from the cache
// (one note says how many), the rest are asked in one request; the check
// says how many of the tags were found (never more than were asked).
// 217:12 (reused >= 0) is equivalent: with none reused, oldest is now and
// noteCached says nothing for a read of this diagnosis.
func TestLoadTagLabels(t *testing.T) {
	const tA, tB, tC = "019a0000-0000-7000-8000-0000000000a1", "019A0000-0000-7000-8000-0000000000B2", "019a0000-0000-7000-8000-0000000000c3"
	tags := func(items ...string) func(r *http.Request) (int, string) {
		return func(r *http.Request) (int, string) {
			if r.URL.Path != "/api/v2/custom-tags" {
				return 404, `{}`
			}
			return 200, `{"items":[` + strings.Join(items, ",") + `]}`
		}
	}
	tag := func(id, label string) string { return fmt.Sprintf(`{"id":%q,"label":%q}`, id, label) }
	cases := []struct {
		name     string
		budget   int
		cached   map[string]time.Duration // lowercase id -> read that long ago
		serve    func(r *http.Request) (int, string)
		requests []string
		labels   map[string]string
		notes    []string
	}{
		{"all asked, one missing", 5, nil, tags(tag(tA, "EU"), tag(strings.ToLower(tB), "US")),
			[]string{"/api/v2/custom-tags?limit=100&tag_ids=" + url.QueryEscape(tA+","+tB+","+tC)},
			map[string]string{tA: "EU", strings.ToLower(tB): "US"},
			[]string{"tags true: read the names of the campaign's account tags: 2 of 3 found"}},
		{"more answered than asked", 5, nil, tags(tag(tA, "EU"), tag(strings.ToLower(tB), "US"), tag(tC, "APAC"), tag("019a0000-0000-7000-8000-0000000000d4", "X")),
			[]string{"/api/v2/custom-tags?limit=100&tag_ids=" + url.QueryEscape(tA+","+tB+","+tC)},
			map[string]string{tA: "EU", strings.ToLower(tB): "US", tC: "APAC", "019a0000-0000-7000-8000-0000000000d4": "X"},
			[]string{"tags true: read the names of the campaign's account tags: 3 of 3 found"}},
		{"one from the cache", 5, map[string]time.Duration{tA: time.Minute}, tags(tag(tC, "APAC")),
			[]string{"/api/v2/custom-tags?limit=100&tag_ids=" + url.QueryEscape(tB+","+tC)},
			map[string]string{tA: "cached " + tA, tC: "APAC"},
			[]string{"tags true: the names of 1 account tag: read 1 min ago by an earlier diagnosis (reused for up to 10 min)",
				"tags true: read the names of the campaign's account tags: 2 of 3 found"}},
		{"all from the cache, the oldest named", 0, map[string]time.Duration{tA: 2 * time.Minute, strings.ToLower(tB): 5 * time.Minute, tC: time.Minute}, nil,
			nil,
			map[string]string{tA: "cached " + tA, strings.ToLower(tB): "cached " + strings.ToLower(tB), tC: "cached " + tC},
			[]string{"tags true: the names of 3 account tags: read 5 min ago by an earlier diagnosis (reused for up to 10 min)",
				"tags true: read the names of the campaign's account tags: 3 of 3 found"}},
		{"budget spent", 0, nil, nil, nil, nil,
			[]string{"tags false: not checked: the diagnosis's request budget is spent (the tags' names)"}},
		{"refused", 5, nil, func(*http.Request) (int, string) { return 403, `{"statusCode":403,"error":"Forbidden","message":"no"}` },
			[]string{"/api/v2/custom-tags?limit=100&tag_ids=" + url.QueryEscape(tA+","+tB+","+tC)}, nil,
			[]string{"tags false: not checked: this API key may not read the campaign's account tags (custom-tags) (HTTP 403); a key with the scope custom_tags:read (or all:read) would let this diagnosis say more"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, f := relGather(t, tc.budget, tc.serve)
			for id, ago := range tc.cached {
				g.cache.put(g.keyHash, "tag:"+id, "cached "+id, relNow.Add(-ago))
			}
			g.loadTagLabels(context.Background(), []string{tA, tB, tC})
			relEqual(t, "requests", f.requests(), tc.requests)
			relEqual(t, "notes", relNotes(g), tc.notes)
			if fmt.Sprint(g.tagLabels) != fmt.Sprint(tc.labels) || (g.tagLabels != nil) != (tc.labels != nil) {
				t.Errorf("labels %v (read %v), want %v", g.tagLabels, g.tagLabels != nil, tc.labels)
			}
			// What was asked is kept for the next diagnosis.
			if v, _, ok := g.cached("tag:"+tC, tagTTL); tc.labels[tC] != "" && (!ok || v.(string) != tc.labels[tC]) {
				t.Errorf("cached %q: %v %v", tC, v, ok)
			}
		})
	}
}

// A tag is named by the label the custom tags gave, else by a label an
// account carries, else by its id; tags asked for and not found are
// missing.
func TestTagNames(t *testing.T) {
	const tA, tB, tC, tD = "019a0000-0000-7000-8000-0000000000a1", "019A0000-0000-7000-8000-0000000000B2", "019a0000-0000-7000-8000-0000000000c3", "019a0000-0000-7000-8000-0000000000d4"
	g := &gather{campaign: &instantly.CampaignDetails{Campaign: instantly.Campaign{EmailTagList: []string{tA, tB, tC, tD}}},
		pool: senderPool{byEmail: map[string]*instantly.Account{
			"a@x.io": relAccount("a@x.io", nil, instantly.AccountTag{ID: strings.ToLower(tB), Label: "From an account"}, instantly.AccountTag{ID: tC, Label: ""}),
			"b@x.io": relAccount("b@x.io", nil, instantly.AccountTag{ID: tA, Label: "Account label of A"}, instantly.AccountTag{ID: "019a0000-0000-7000-8000-0000000000e5", Label: "Other"}),
		}}}
	x := &deep{a: &Analysis{}, g: g}

	names, missing := x.tagNames()
	before := `"Account label of A" (019a0000-0000-7000-8000-0000000000a1), "From an account" (019A0000-0000-7000-8000-0000000000B2), 019a0000-0000-7000-8000-0000000000c3, 019a0000-0000-7000-8000-0000000000d4`
	if names != before || missing != nil {
		t.Errorf("before the custom tags were read: %q %q\nwant %q none missing", names, missing, before)
	}
	g.tagLabels = map[string]string{tA: "Custom A"}
	want := `"Custom A" (019a0000-0000-7000-8000-0000000000a1), "From an account" (019A0000-0000-7000-8000-0000000000B2), 019a0000-0000-7000-8000-0000000000c3, 019a0000-0000-7000-8000-0000000000d4`
	names, missing = x.tagNames()
	if names != want || strings.Join(missing, ",") != tC+","+tD {
		t.Errorf("after: %q %q\nwant %q, missing %s,%s", names, missing, want, tC, tD)
	}
}
