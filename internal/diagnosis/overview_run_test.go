package diagnosis

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

// ovNow is the clock of the overview run tests.
var ovNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// ovID is the n-th campaign id of the overview fakes.
func ovID(n int) string { return fmt.Sprintf("019a0000-0000-7000-8000-%012d", n) }

// ovCamp is one campaign of ovFake: its listing and its sending status
// ("" code: no data yet).
type ovCamp struct {
	id, name  string
	status    instantly.CampaignStatus
	code      string
	firstSeen string
}

// ovFault is a scripted failure: an HTTP status and its Retry-After.
type ovFault struct {
	code       int
	retryAfter string
}

// ovFake is an in-memory Instantly (an http.RoundTripper, no socket) for
// the overview: the campaign listing paged by limit/starting_after, each
// campaign's sending status, and scripted failures per list request or per
// campaign attempt.
type ovFake struct {
	mu    sync.Mutex
	camps []ovCamp
	// perPage, when > 0, overrides the requested page size.
	perPage int
	// emptyNext answers every list page with no items and a cursor.
	emptyNext bool
	// hold lists the campaigns whose status request answers only when
	// its context ends.
	hold map[string]bool
	// onHold, when set, is called as a held request arrives.
	onHold    func()
	listFault map[int]ovFault      // list request number (1-based) -> failure
	stFault   map[string][]ovFault // id -> failure of its 1st, 2nd, ... attempt (0 code: answer)
	lists     []string             // raw queries of the list requests
	statuses  map[string]int       // id -> status requests
}

func (f *ovFake) client(t *testing.T) *instantly.Client {
	t.Helper()
	c, err := instantly.NewClient("k-0123456789abcdef", instantly.WithBaseURL("http://overview.invalid"),
		instantly.WithHTTPClient(&http.Client{Transport: f}), instantly.WithMaxAttempts(1), instantly.WithoutRateLimit())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ovAnswer(code int, body, retryAfter string) *http.Response {
	h := http.Header{"Content-Type": {"application/json"}}
	if retryAfter != "" {
		h.Set("Retry-After", retryAfter)
	}
	return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}
}

func (f *ovFake) RoundTrip(r *http.Request) (*http.Response, error) {
	for id := range f.hold {
		if strings.Contains(r.URL.Path, id) {
			if f.onHold != nil {
				f.onHold()
			}
			// A watchdog, not a synchronisation: the test ends the context
			// at once; if it never does, the request fails after 10 s so a
			// broken overview fails the test instead of hanging it.
			select {
			case <-r.Context().Done():
				return nil, r.Context().Err()
			case <-time.After(10 * time.Second):
				return nil, errors.New("held request: the context never ended")
			}
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.statuses == nil {
		f.statuses = map[string]int{}
	}
	if r.URL.Path == "/api/v2/campaigns" {
		f.lists = append(f.lists, r.URL.RawQuery)
		if e, ok := f.listFault[len(f.lists)]; ok {
			return ovAnswer(e.code, `{"message":"list failed"}`, e.retryAfter), nil
		}
		if f.emptyNext {
			return ovAnswer(200, `{"items":[],"next_starting_after":"cursor"}`, ""), nil
		}
		q := r.URL.Query()
		start := 0
		if after := q.Get("starting_after"); after != "" {
			start = slices.IndexFunc(f.camps, func(c ovCamp) bool { return c.id == after }) + 1
		}
		n, _ := strconv.Atoi(q.Get("limit"))
		if f.perPage > 0 {
			n = f.perPage
		}
		end := min(start+n, len(f.camps))
		var page struct {
			Items []map[string]any `json:"items"`
			Next  string           `json:"next_starting_after,omitempty"`
		}
		page.Items = []map[string]any{}
		for _, c := range f.camps[start:end] {
			page.Items = append(page.Items, map[string]any{"id": c.id, "name": c.name, "status": int(c.status)})
		}
		if end < len(f.camps) {
			page.Next = f.camps[end-1].id
		}
		b, _ := json.Marshal(page)
		return ovAnswer(200, string(b), ""), nil
	}
	id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v2/campaigns/"), "/sending-status")
	f.statuses[id]++
	if faults := f.stFault[id]; len(faults) >= f.statuses[id] {
		if e := faults[f.statuses[id]-1]; e.code != 0 {
			return ovAnswer(e.code, `{"message":"status failed"}`, e.retryAfter), nil
		}
	}
	i := slices.IndexFunc(f.camps, func(c ovCamp) bool { return strings.EqualFold(c.id, id) })
	if i < 0 {
		return ovAnswer(404, `{"message":"no such campaign"}`, ""), nil
	}
	c := f.camps[i]
	if c.code == "" {
		return ovAnswer(200, `{"diagnostics":null,"summary":null}`, ""), nil
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"diagnostics":{"campaign_id":%q,"last_updated":"2026-11-30T11:59:00Z","status":%q`, c.id, c.code)
	if c.firstSeen != "" {
		fmt.Fprintf(&b, `,"issue_tracking":{"issue_first_seen_at":%q}`, c.firstSeen)
	}
	fmt.Fprintf(&b, `},"summary":{"status":%q,"status_message":"m"}}`, c.code)
	return ovAnswer(200, b.String(), ""), nil
}

func (f *ovFake) statusCalls(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.statuses[id]
}

func (f *ovFake) listQueries() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.lists)
}

// ovCamps is n active, healthy campaigns named c000, c001, ...
func ovCamps(n int) []ovCamp {
	var cs []ovCamp
	for i := range n {
		cs = append(cs, ovCamp{id: ovID(i), name: fmt.Sprintf("c%03d", i), status: instantly.CampaignStatusActive, code: instantly.StatusHealthy})
	}
	return cs
}

func ovIDs(list []OverviewCampaign) []string {
	var ids []string
	for _, oc := range list {
		ids = append(ids, oc.ID)
	}
	return ids
}

// Invalid options are refused before any request, with their words; the cap
// is 1000, 0 means 200, 1000 is kept as asked and 1001 lowered with a note.
func TestBuildOverviewOptions(t *testing.T) {
	for _, c := range []struct {
		o    OverviewOptions
		want string
	}{
		{OverviewOptions{Status: "bogus"}, `unknown campaign status "bogus": use one of live, draft, active, paused, completed, running_subsequences, accounts_unhealthy, bounce_protect, account_suspended, all`},
		{OverviewOptions{Search: strings.Repeat("x", 101)}, "search: "},
		{OverviewOptions{MaxCampaigns: -1}, "max_campaigns must be between 1 and 1000, got -1"},
		{OverviewOptions{MaxCampaigns: -7, MaxName: "-max"}, "-max must be between 1 and 1000, got -7"},
	} {
		f := &ovFake{}
		ov, err := BuildOverview(context.Background(), f.client(t), c.o, ovNow)
		if ov != nil || err == nil || !strings.HasPrefix(err.Error(), c.want) || (!strings.HasSuffix(c.want, ": ") && err.Error() != c.want) {
			t.Errorf("%+v: %v, %v; want the error %q", c.o, ov, err, c.want)
		}
		if n := len(f.listQueries()); n != 0 {
			t.Errorf("%+v: %d list requests, want none", c.o, n)
		}
	}
	for _, c := range []struct {
		max, want int
		notes     []string
	}{
		{0, 200, []string{}},
		{1, 1, []string{}},
		{1000, 1000, []string{}},
		{1001, 1000, []string{"max_campaigns 1001 lowered to the hard cap of 1000."}},
	} {
		f := &ovFake{}
		ov, err := BuildOverview(context.Background(), f.client(t), OverviewOptions{MaxCampaigns: c.max, Search: " Q "}, ovNow)
		if err != nil {
			t.Fatal(err)
		}
		want := OverviewFilter{Status: "live", Search: "Q", MaxCampaigns: c.want}
		if ov.Filter != want || !slices.Equal(ov.Notes, c.notes) || !ov.Complete || ov.Matched != 0 {
			t.Errorf("max %d: filter %+v notes %q complete %v; want %+v, %q", c.max, ov.Filter, ov.Notes, ov.Complete, want, c.notes)
		}
		// live: every status is listed; drafts and completed ones are left out here.
		if q := f.listQueries(); len(q) != 1 || q[0] != "limit=100&search=Q" {
			t.Errorf("max %d: list queries %q", c.max, q)
		}
	}
}

// Every group filled from its severity, sorted (oldest issue first, no date
// last, then by name; the others by name), the counts, the failure's message,
// the fields of each campaign as the analysis gave them.
func TestBuildOverviewGroups(t *testing.T) {
	act := instantly.StatusAllAccountsUnhealthy
	camps := []ovCamp{
		{ovID(1), "Zed", instantly.CampaignStatusActive, act, "2026-11-20T00:00:00Z"},
		{ovID(2), "Beta", instantly.CampaignStatusAccountsUnhealthy, act, ""},
		{ovID(3), "Alpha", instantly.CampaignStatusActive, act, "2026-11-22T00:00:00Z"},
		{ovID(4), "Able", instantly.CampaignStatusPaused, act, ""},
		{ovID(5), "Beta", instantly.CampaignStatusActive, act, ""},
		{ovID(6), "W2", instantly.CampaignStatusActive, instantly.StatusOutOfSchedule, ""},
		{ovID(7), "W1", instantly.CampaignStatusActive, instantly.StatusOutOfSchedule, "2026-11-29T00:00:00Z"},
		{ovID(8), "Ok b", instantly.CampaignStatusActive, instantly.StatusHealthy, ""},
		{ovID(9), "Ok a", instantly.CampaignStatusActive, instantly.StatusHealthy, ""},
		{ovID(10), "New", instantly.CampaignStatusDraft, "", ""},
		{ovID(11), "Odd", instantly.CampaignStatusActive, "brand_new_code", ""},
		{ovID(12), "Gone", instantly.CampaignStatusRunningSubsequences, instantly.StatusHealthy, ""},
		{ovID(13), "Gone too", instantly.CampaignStatusCompleted, instantly.StatusHealthy, ""},
	}
	f := &ovFake{camps: camps, stFault: map[string][]ovFault{ovID(12): {{code: 404}}, ovID(13): {{code: 403}}}}
	ov, err := BuildOverview(context.Background(), f.client(t), OverviewOptions{Status: "all", Workers: 3}, ovNow)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string][]string{
		"action_required": ovIDs(ov.ActionRequired), "waiting": ovIDs(ov.Waiting), "ok": ovIDs(ov.OK), "unknown": ovIDs(ov.Unknown),
	}
	want := map[string][]string{
		"action_required": {ovID(1), ovID(3), ovID(4), ovID(2), ovID(5)},
		"waiting":         {ovID(7), ovID(6)},
		"ok":              {ovID(9), ovID(8)},
		"unknown":         {ovID(10), ovID(11)},
	}
	for g, ids := range want {
		if !slices.Equal(groups[g], ids) {
			t.Errorf("%s: %q, want %q", g, groups[g], ids)
		}
	}
	if len(ov.Failed) != 2 || ov.Failed[0].ID != ovID(12) || ov.Failed[1].ID != ovID(13) {
		t.Fatalf("failed %+v", ov.Failed)
	}
	wantFail := OverviewFailure{ID: ovID(12), Name: "Gone", CampaignStatus: "running_subsequences",
		Error: "Instantly has no campaign " + ovID(12) + ` in the workspace this server reads (404). Instantly said: "status failed". ` +
			"Check the id, and that it belongs to this workspace (list_campaigns lists the workspace's campaigns and finds one by name)."}
	if got := ov.Failed[0]; got.ID != wantFail.ID || got.Name != wantFail.Name || got.CampaignStatus != wantFail.CampaignStatus || got.Error != wantFail.Error {
		t.Errorf("failure %+v\nwant %+v", got, wantFail)
	}
	var er *instantly.ErrorResponse
	if err := ov.Err(); !errors.As(err, &er) || er.StatusCode != 404 {
		t.Errorf("Err() = %v, want the 404 of the first failure by name", err)
	}
	wantCounts := OverviewCounts{ActionRequired: 5, PausedByPerson: 1, PausedByInstantly: 1, Waiting: 2, OK: 2, Unknown: 2, Failed: 2}
	if ov.Counts != wantCounts || ov.Matched != 13 || ov.Checked != 11 || ov.MatchedMore || ov.Capped || ov.Complete {
		t.Errorf("counts %+v matched %d checked %d more %v capped %v complete %v", ov.Counts, ov.Matched, ov.Checked, ov.MatchedMore, ov.Capped, ov.Complete)
	}
	if want := []string{`2 campaigns could not be checked (listed under "Could not check"); try those again in a minute.`}; !slices.Equal(ov.Notes, want) {
		t.Errorf("notes %q, want %q", ov.Notes, want)
	}
	// Each campaign carries its analysis.
	c := f.client(t)
	for _, list := range [][]OverviewCampaign{ov.ActionRequired, ov.Waiting, ov.OK, ov.Unknown} {
		for _, oc := range list {
			i := slices.IndexFunc(camps, func(c ovCamp) bool { return c.id == oc.ID })
			st, err := c.GetCampaignSendingStatus(context.Background(), oc.ID, nil)
			if err != nil {
				t.Fatal(err)
			}
			a := Analyze("campaign", oc.ID, st, ovNow)
			sev := a.Severity
			if sev != catalog.SeverityActionRequired && sev != catalog.SeverityWaiting && sev != catalog.SeverityOK {
				sev = catalog.SeverityUnknown
			}
			want := OverviewCampaign{ID: oc.ID, Name: camps[i].name, CampaignStatus: CampaignStatusName(camps[i].status),
				Status: camps[i].code, Severity: sev, Title: a.Title, Headline: a.Headline, IssueFirstSeenAt: camps[i].firstSeen,
				State: oc.State, PausedBy: oc.PausedBy, Summary: oneLineAnswer(a)}
			if !reflect.DeepEqual(oc, want) {
				t.Errorf("%s:\n got %+v\nwant %+v", oc.ID, oc, want)
			}
		}
	}
}

// The first MaxCampaigns listed are checked and the rest counted: capped,
// not complete, a note in the caller's name for the cap.
func TestBuildOverviewCap(t *testing.T) {
	f := &ovFake{camps: ovCamps(5)}
	ov, err := BuildOverview(context.Background(), f.client(t), OverviewOptions{MaxCampaigns: 2, MaxName: "-max"}, ovNow)
	if err != nil {
		t.Fatal(err)
	}
	if got := ovIDs(ov.OK); !slices.Equal(got, []string{ovID(0), ovID(1)}) {
		t.Errorf("checked %q, want the first two", got)
	}
	for i := range 5 {
		if n, want := f.statusCalls(ovID(i)), map[bool]int{true: 1, false: 0}[i < 2]; n != want {
			t.Errorf("campaign %d: %d status calls, want %d", i, n, want)
		}
	}
	wantCounts := OverviewCounts{OK: 2, NotChecked: 3}
	if ov.Counts != wantCounts || ov.Matched != 5 || ov.Checked != 2 || !ov.Capped || ov.Complete || ov.MatchedMore || ov.Err() != nil {
		t.Errorf("counts %+v matched %d checked %d capped %v complete %v more %v err %v", ov.Counts, ov.Matched, ov.Checked, ov.Capped, ov.Complete, ov.MatchedMore, ov.Err())
	}
	if want := []string{"Checked the first 2 of 5 matching campaigns; raise -max (at most 1000) or narrow with search."}; !slices.Equal(ov.Notes, want) {
		t.Errorf("notes %q", ov.Notes)
	}
	// Exactly as many as the cap: all checked, nothing capped.
	f = &ovFake{camps: ovCamps(2)}
	ov, err = BuildOverview(context.Background(), f.client(t), OverviewOptions{MaxCampaigns: 2}, ovNow)
	if err != nil {
		t.Fatal(err)
	}
	if ov.Counts != (OverviewCounts{OK: 2}) || ov.Capped || !ov.Complete || len(ov.Notes) != 0 {
		t.Errorf("2 of 2: counts %+v capped %v complete %v notes %q", ov.Counts, ov.Capped, ov.Complete, ov.Notes)
	}
}

// Pages are followed by their cursor; an id seen again (in any case) counts
// once; a page with a cursor but no items ends the listing.
func TestBuildOverviewPaging(t *testing.T) {
	camps := ovCamps(4)
	dup := camps[1]
	dup.id = strings.ToUpper(dup.id)
	camps = append(camps, dup)
	f := &ovFake{camps: camps, perPage: 2}
	ov, err := BuildOverview(context.Background(), f.client(t), OverviewOptions{Status: "paused"}, ovNow)
	if err != nil {
		t.Fatal(err)
	}
	wantQ := []string{"limit=100&status=2", "limit=100&starting_after=" + ovID(1) + "&status=2", "limit=100&starting_after=" + ovID(3) + "&status=2"}
	if q := f.listQueries(); !slices.Equal(q, wantQ) {
		t.Errorf("list queries %q\nwant %q", q, wantQ)
	}
	if ov.Matched != 4 || ov.Checked != 4 || !ov.Complete || f.statusCalls(ovID(1)) != 1 {
		t.Errorf("matched %d checked %d complete %v; %d calls for the duplicate", ov.Matched, ov.Checked, ov.Complete, f.statusCalls(ovID(1)))
	}
	f = &ovFake{emptyNext: true}
	ov, err = BuildOverview(context.Background(), f.client(t), OverviewOptions{}, ovNow)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.listQueries()); n != 1 || ov.Matched != 0 || !ov.Complete {
		t.Errorf("empty page with a cursor: %d list requests, matched %d, complete %v", n, ov.Matched, ov.Complete)
	}
}

// The listing stops after overviewMaxPages pages: the count is "more than".
func TestBuildOverviewPageCap(t *testing.T) {
	f := &ovFake{camps: ovCamps(overviewMaxPages + 1), perPage: 1}
	ov, err := BuildOverview(context.Background(), f.client(t), OverviewOptions{MaxCampaigns: 1}, ovNow)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.listQueries()); n != overviewMaxPages {
		t.Errorf("%d list requests, want %d", n, overviewMaxPages)
	}
	want := []string{
		"Only the first 100 matching campaigns were counted; narrow with search.",
		"Checked the first 1 of more than 100 matching campaigns; raise max_campaigns (at most 1000) or narrow with search.",
	}
	if ov.Matched != 100 || !ov.MatchedMore || ov.Complete || !ov.Capped || ov.Counts != (OverviewCounts{OK: 1, NotChecked: 99}) || !slices.Equal(ov.Notes, want) {
		t.Errorf("matched %d more %v complete %v capped %v counts %+v notes %q", ov.Matched, ov.MatchedMore, ov.Complete, ov.Capped, ov.Counts, ov.Notes)
	}
}

// A first page that cannot be listed is the overview's error; a later page
// that fails for good leaves what was listed, a note and Err; one that fails
// for a moment is listed again in the retry pass, from where it stopped.
func TestBuildOverviewListFailure(t *testing.T) {
	f := &ovFake{camps: ovCamps(3), listFault: map[int]ovFault{1: {code: 403}}}
	ov, err := BuildOverview(context.Background(), f.client(t), OverviewOptions{}, ovNow)
	var er *instantly.ErrorResponse
	if ov != nil || !errors.As(err, &er) || er.StatusCode != 403 {
		t.Errorf("first page 403: %v, %v", ov, err)
	}

	f = &ovFake{camps: ovCamps(3), perPage: 2, listFault: map[int]ovFault{2: {code: 403}}}
	ov, err = BuildOverview(context.Background(), f.client(t), OverviewOptions{RetryPause: time.Millisecond}, ovNow)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Listing the campaigns failed after 2 of them: Instantly refused access (403 Forbidden). " +
		"The API key lacks a scope this server reads with: campaigns:read, subsequences:read, accounts:read, audit_logs:read, account_campaign_mappings:read and custom_tags:read (or all:read)."}
	if ov.Matched != 2 || ov.Checked != 2 || !ov.MatchedMore || ov.Complete || ov.Capped || !slices.Equal(ov.Notes, want) || len(f.listQueries()) != 2 {
		t.Errorf("second page 403: matched %d checked %d more %v complete %v capped %v notes %q, %d list requests",
			ov.Matched, ov.Checked, ov.MatchedMore, ov.Complete, ov.Capped, ov.Notes, len(f.listQueries()))
	}
	if err := ov.Err(); !errors.As(err, &er) || er.StatusCode != 403 {
		t.Errorf("second page 403: Err() = %v", err)
	}

	f = &ovFake{camps: ovCamps(3), perPage: 2, listFault: map[int]ovFault{2: {code: 503}}}
	ov, err = BuildOverview(context.Background(), f.client(t), OverviewOptions{RetryPause: time.Millisecond}, ovNow)
	if err != nil {
		t.Fatal(err)
	}
	wantQ := []string{"limit=100", "limit=100&starting_after=" + ovID(1), "limit=100&starting_after=" + ovID(1)}
	if q := f.listQueries(); !slices.Equal(q, wantQ) || ov.Matched != 3 || ov.Checked != 3 || ov.MatchedMore || !ov.Complete || len(ov.Notes) != 0 || ov.Err() != nil {
		t.Errorf("second page 503 once: queries %q matched %d checked %d more %v complete %v notes %q err %v",
			q, ov.Matched, ov.Checked, ov.MatchedMore, ov.Complete, ov.Notes, ov.Err())
	}
}

// A campaign that fails for a moment is tried once more after the pause and
// counted; one that fails again is listed with its message; one that fails
// for good is not tried again.
func TestBuildOverviewRetryPass(t *testing.T) {
	f := &ovFake{camps: ovCamps(4), stFault: map[string][]ovFault{
		ovID(0): {{code: 500}},              // then fine
		ovID(1): {{code: 502}, {code: 502}}, // fails again
		ovID(2): {{code: 404}},              // not temporary
	}}
	type report struct{ done, total, failed int }
	var got []report
	ov, err := BuildOverview(context.Background(), f.client(t), OverviewOptions{Workers: 1, RetryPause: time.Millisecond,
		Progress: func(done, total, failed int) { got = append(got, report{done, total, failed}) }}, ovNow)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{2, 2, 1, 1} {
		if n := f.statusCalls(ovID(i)); n != want {
			t.Errorf("campaign %d: %d status calls, want %d", i, n, want)
		}
	}
	if !slices.Equal(ovIDs(ov.OK), []string{ovID(0), ovID(3)}) || len(ov.Failed) != 2 || ov.Failed[0].ID != ovID(1) || ov.Failed[1].ID != ovID(2) {
		t.Fatalf("ok %q failed %+v", ovIDs(ov.OK), ov.Failed)
	}
	if want := `Instantly failed to answer (HTTP 502) after retries. Instantly said: "status failed". This is on Instantly's side; try again in a few minutes.`; ov.Failed[0].Error != want {
		t.Errorf("message %q", ov.Failed[0].Error)
	}
	if len(got) == 0 || got[len(got)-1] != (report{4, 4, 2}) {
		t.Errorf("progress %+v, want last {4 4 2}", got)
	}
}

// expiredWhenCancelled reads as out of time once its parent is cancelled: a
// deadline that passes exactly when the test says.
type expiredWhenCancelled struct{ context.Context }

func (c expiredWhenCancelled) Err() error {
	if c.Context.Err() != nil {
		return context.DeadlineExceeded
	}
	return nil
}

// A context that ends stops the overview: before anything was checked it is
// the error; after, the overview says why and how far it got.
func TestBuildOverviewContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f := &ovFake{camps: ovCamps(3)}
	if ov, err := BuildOverview(ctx, f.client(t), OverviewOptions{}, ovNow); ov != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: %v, %v", ov, err)
	}
	for _, deadline := range []bool{false, true} {
		parent, cancel := context.WithCancel(context.Background())
		ctx, reason, want := context.Context(parent), "cancelled", context.Canceled
		if deadline {
			ctx, reason, want = expiredWhenCancelled{parent}, "out of time", context.DeadlineExceeded
		}
		// Campaigns 5 and 6 answer only when the context ends; the progress
		// report after the fifth campaign ends it.
		f := &ovFake{camps: ovCamps(7), hold: map[string]bool{ovID(5): true, ovID(6): true}}
		ov, err := BuildOverview(ctx, f.client(t), OverviewOptions{Workers: 1, Progress: func(done, total, failed int) {
			if done == 5 {
				cancel()
			}
		}}, ovNow)
		if err != nil {
			t.Fatal(err)
		}
		notes := []string{"Stopped early (" + reason + "): 5 of 7 matching campaigns checked; ask again for the rest."}
		if ov.Checked != 5 || ov.Counts != (OverviewCounts{OK: 5, NotChecked: 2}) || ov.Complete || ov.Capped || len(ov.Failed) != 0 ||
			!slices.Equal(ov.Notes, notes) || ov.Err() != want {
			t.Errorf("%s: checked %d counts %+v complete %v capped %v failed %d notes %q err %v",
				reason, ov.Checked, ov.Counts, ov.Complete, ov.Capped, len(ov.Failed), ov.Notes, ov.Err())
		}
		cancel()
	}
}

// report calls Progress every step campaigns, when all are done, and at the
// end; never twice for the same count, never without a callback.
func TestOverviewReport(t *testing.T) {
	var got [][3]int
	r := &overviewRun{ov: &Overview{}, step: 5, progress: func(done, total, failed int) { got = append(got, [3]int{done, total, failed}) }}
	at := func(done, total int, final bool, want ...[3]int) {
		t.Helper()
		got = nil
		r.done, r.total = done, total
		r.report(final)
		if !slices.Equal(got, want) {
			t.Errorf("done %d total %d final %v: reports %v, want %v", done, total, final, got, want)
		}
	}
	at(0, 0, true)                   // nothing done: no report even at the end
	at(4, 0, false)                  // fewer than a step
	at(5, 0, false, [3]int{5, 0, 0}) // a step
	r.ov.Failed = make([]OverviewFailure, 1)
	at(6, 100, false)                // one more of many
	at(7, 7, false, [3]int{7, 7, 1}) // all done
	at(7, 7, true)                   // already reported
	at(8, 0, true, [3]int{8, 0, 1})  // the end
	r = &overviewRun{ov: &Overview{}, step: 5, done: 9}
	r.report(true) // no callback: nothing to call
}

// finish sorts, counts and writes every note, in order, with its numbers.
func TestOverviewFinish(t *testing.T) {
	oc := func(name, id, seen string) OverviewCampaign {
		return OverviewCampaign{Name: name, ID: id, IssueFirstSeenAt: seen}
	}
	r := &overviewRun{matched: 10, queued: 4, listMore: true, ov: &Overview{
		Checked:        3,
		ActionRequired: []OverviewCampaign{oc("b", "1", ""), oc("a", "2", "2026-11-02"), oc("a", "3", ""), oc("z", "4", "2026-11-01"), oc("a", "0", "2026-11-02")},
		Waiting:        []OverviewCampaign{oc("x", "1", ""), oc("y", "2", "2026-01-01")},
		Unknown:        []OverviewCampaign{oc("b", "1", "2026-01-01"), oc("a", "2", "")},
		OK:             []OverviewCampaign{oc("b", "1", ""), oc("a", "3", ""), oc("a", "2", "")},
		Failed:         []OverviewFailure{{Name: "f", ID: "2"}, {Name: "f", ID: "1"}, {Name: "e", ID: "3"}},
		ctxErr:         fmt.Errorf("stop: %w", context.Canceled),
		listErr:        &instantly.ErrorResponse{StatusCode: 418},
	}}
	r.finish("-max")
	ov := r.ov
	ids := func(list []OverviewCampaign) string {
		var s []string
		for _, oc := range list {
			s = append(s, oc.ID)
		}
		return strings.Join(s, " ")
	}
	var fails []string
	for _, f := range ov.Failed {
		fails = append(fails, f.ID)
	}
	for _, c := range [][2]string{
		{ids(ov.ActionRequired), "4 0 2 3 1"}, {ids(ov.Waiting), "2 1"}, {ids(ov.Unknown), "2 1"}, {ids(ov.OK), "2 3 1"},
		{strings.Join(fails, " "), "3 1 2"},
	} {
		if c[0] != c[1] {
			t.Errorf("order %q, want %q", c[0], c[1])
		}
	}
	wantCounts := OverviewCounts{ActionRequired: 5, Waiting: 2, OK: 3, Unknown: 2, Failed: 3, NotChecked: 4}
	if ov.Counts != wantCounts || ov.Matched != 10 || !ov.MatchedMore || !ov.Capped || ov.Complete {
		t.Errorf("counts %+v matched %d more %v capped %v complete %v", ov.Counts, ov.Matched, ov.MatchedMore, ov.Capped, ov.Complete)
	}
	want := []string{
		"Stopped early (cancelled): 3 of more than 10 matching campaigns checked; ask again for the rest.",
		"Listing the campaigns failed after 10 of them: Instantly answered HTTP 418 for the campaign list.",
		"Checked the first 4 of more than 10 matching campaigns; raise -max (at most 1000) or narrow with search.",
		`3 campaigns could not be checked (listed under "Could not check"); try those again in a minute.`,
	}
	if !slices.Equal(ov.Notes, want) {
		t.Errorf("notes:\n%q\nwant\n%q", ov.Notes, want)
	}

	// One failure, nothing left out: the singular, and never a negative count.
	r = &overviewRun{matched: 2, queued: 2, ov: &Overview{Checked: 1, Failed: []OverviewFailure{{}}, Notes: []string{}}}
	r.finish("max_campaigns")
	if ov := r.ov; ov.Counts != (OverviewCounts{Failed: 1}) || ov.Capped || ov.Complete ||
		!slices.Equal(ov.Notes, []string{`1 campaign could not be checked (listed under "Could not check"); try those again in a minute.`}) {
		t.Errorf("one failure: counts %+v capped %v complete %v notes %q", ov.Counts, ov.Capped, ov.Complete, ov.Notes)
	}
	r = &overviewRun{matched: 1, queued: 1, ov: &Overview{Checked: 1, Notes: []string{}}}
	r.finish("max_campaigns")
	if ov := r.ov; ov.Counts != (OverviewCounts{}) || !ov.Complete || len(ov.Notes) != 0 {
		t.Errorf("all checked: counts %+v complete %v notes %q", ov.Counts, ov.Complete, ov.Notes)
	}
}

func TestCtxReason(t *testing.T) {
	for err, want := range map[error]string{
		context.DeadlineExceeded:                      "out of time",
		fmt.Errorf("x: %w", context.DeadlineExceeded): "out of time",
		context.Canceled:                              "cancelled",
		errors.New("other"):                           "cancelled",
	} {
		if got := ctxReason(err); got != want {
			t.Errorf("ctxReason(%v) = %q, want %q", err, got, want)
		}
	}
}

// A deep overview cross-checks the first DeepMax campaigns that need action
// (oldest issue first) and leads their line with the concrete cause; the
// others keep the one-request text. No campaign needing action, no note.
func TestOverviewDeepFirstCampaigns(t *testing.T) {
	client := func() *instantly.Client {
		h := instantlytest.NewHandler(instantlytest.DemoWorkspace(ovNow))
		c, err := instantly.NewClient(instantlytest.DemoAPIKey, instantly.WithBaseURL("http://demo.invalid"),
			instantly.WithHTTPClient(&http.Client{Transport: instantlytest.NewTransport(h)}), instantly.WithoutRateLimit())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	shallow, err := BuildOverview(context.Background(), client(), OverviewOptions{Status: "all"}, ovNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ most, budget, wantBudget int }{{2, 0, DefaultCrossCheckBudget}, {3, 5, 5}} {
		ov, err := BuildOverview(context.Background(), client(), OverviewOptions{Status: "all", Deep: true, DeepMax: c.most, Budget: c.budget}, ovNow)
		if err != nil {
			t.Fatal(err)
		}
		n := len(ov.ActionRequired)
		if n != len(shallow.ActionRequired) || n <= c.most {
			t.Fatalf("%d campaigns need action, %d without deep", n, len(shallow.ActionRequired))
		}
		note := fmt.Sprintf("Deep: cross-checked %d of %d campaigns that need action (at most %d per overview, up to %d requests each).", c.most, n, c.most, c.wantBudget)
		if ov.CrossChecked != c.most || ov.Notes[len(ov.Notes)-1] != note {
			t.Errorf("cross-checked %d, notes %q; want %d, %q", ov.CrossChecked, ov.Notes, c.most, note)
		}
		for i, oc := range ov.ActionRequired {
			was := shallow.ActionRequired[i]
			if i < c.most {
				if oc.Answer == "" || oc.Summary != oc.Title+"; "+oc.Answer || !strings.Contains(oc.Headline, oc.Answer) {
					t.Errorf("%d: answer %q summary %q headline %q", i, oc.Answer, oc.Summary, oc.Headline)
				}
				continue
			}
			if !reflect.DeepEqual(oc, was) {
				t.Errorf("%d, not cross-checked:\n got %+v\nwant %+v", i, oc, was)
			}
		}
	}
	f := &ovFake{camps: ovCamps(2)}
	ov, err := BuildOverview(context.Background(), f.client(t), OverviewOptions{Deep: true}, ovNow)
	if err != nil {
		t.Fatal(err)
	}
	if ov.CrossChecked != 0 || len(ov.Notes) != 0 {
		t.Errorf("nothing needs action: cross-checked %d, notes %q", ov.CrossChecked, ov.Notes)
	}
}

// Without a failure there is no retry pass, so no pause: with a pause of an
// hour the overview still ends well within the context's 10 s (a pause
// would run into the deadline and stop the overview early with a note).
func TestBuildOverviewNoFailureNoPause(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f := &ovFake{camps: ovCamps(2)}
	ov, err := BuildOverview(ctx, f.client(t), OverviewOptions{RetryPause: time.Hour}, ovNow)
	if err != nil {
		t.Fatal(err)
	}
	if ov.Checked != 2 || !ov.Complete || len(ov.Notes) != 0 || ov.Err() != nil {
		t.Errorf("checked %d complete %v notes %q err %v", ov.Checked, ov.Complete, ov.Notes, ov.Err())
	}
}

// A context that ends after the listing but before any campaign was
// checked is the overview's error; when some failed before it ended, the
// overview is returned with them.
func TestBuildOverviewEndsBeforeAnyCheck(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := &ovFake{camps: ovCamps(1), hold: map[string]bool{ovID(0): true}, onHold: cancel}
	if ov, err := BuildOverview(ctx, f.client(t), OverviewOptions{}, ovNow); ov != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("nothing checked: %v, %v; want the cancellation", ov, err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	// Five campaigns fail for good; the progress report after them ends the
	// context while the sixth is held.
	f = &ovFake{camps: ovCamps(6), hold: map[string]bool{ovID(5): true}, stFault: map[string][]ovFault{}}
	for i := range 5 {
		f.stFault[ovID(i)] = []ovFault{{code: 404}}
	}
	ov, err := BuildOverview(ctx, f.client(t), OverviewOptions{Workers: 1, Progress: func(done, total, failed int) {
		if failed == 5 {
			cancel()
		}
	}}, ovNow)
	if err != nil {
		t.Fatalf("five failed, then cancelled: %v", err)
	}
	if ov.Checked != 0 || len(ov.Failed) != 5 || !ov.AllFailed() || ov.Counts.NotChecked != 1 || !errors.Is(ov.ctxErr, context.Canceled) {
		t.Errorf("checked %d failed %d counts %+v ctxErr %v", ov.Checked, len(ov.Failed), ov.Counts, ov.ctxErr)
	}
}

// A Retry-After of exactly maxRetryAfterWait is waited out, not refused: the
// overview waits for it (here into the context's deadline, so the campaign
// is not reported failed, and nothing checked is the error). One beyond it
// is refused at once: the campaign fails with Instantly's 429.
func TestBuildOverviewRetryAfterAtTheLimit(t *testing.T) {
	for _, c := range []struct {
		retryAfter string
		failed     bool
	}{{"5", false}, {"6", true}} {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		f := &ovFake{camps: ovCamps(1), stFault: map[string][]ovFault{ovID(0): {{code: 429, retryAfter: c.retryAfter}}}}
		ov, err := BuildOverview(ctx, f.client(t), OverviewOptions{RetryPause: time.Millisecond}, ovNow)
		cancel()
		if !c.failed {
			if ov != nil || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Retry-After %s: %+v, %v; want the deadline, no failure", c.retryAfter, ov, err)
			}
			continue
		}
		if err != nil || len(ov.Failed) != 1 || ov.Checked != 0 || f.statusCalls(ovID(0)) != 1 ||
			!strings.HasPrefix(ov.Failed[0].Error, "Instantly is rate limiting this workspace (429") {
			t.Errorf("Retry-After %s: %+v, %v; want one failure with its 429", c.retryAfter, ov, err)
		}
	}
}
