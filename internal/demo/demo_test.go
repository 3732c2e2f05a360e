package demo

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

func TestDemoEntries(t *testing.T) {
	seen := map[string]bool{}
	var campaigns []string
	codes := map[string]int{}
	subs := 0
	for _, e := range DemoCampaigns {
		if !isUUID(e.ID) || e.ID != strings.ToLower(e.ID) || !strings.ContainsAny(e.ID[14:15], "47") || !strings.ContainsAny(e.ID[19:20], "89ab") {
			t.Errorf("%s: not a lowercase v4/v7 UUID", e.ID)
		}
		if seen[e.ID] {
			t.Errorf("%s: duplicate id", e.ID)
		}
		seen[e.ID] = true
		if e.Name == "" {
			t.Errorf("%s: no name", e.ID)
		}
		switch e.Kind {
		case KindCampaign:
			if e.ParentCampaignID != "" {
				t.Errorf("%s: campaign with a parent", e.ID)
			}
			if subs > 0 {
				t.Errorf("%s: campaign after a subsequence", e.ID)
			}
			campaigns = append(campaigns, e.ID)
			codes[e.Code]++
		case KindSubsequence:
			subs++
			if !slices.Contains(campaigns, e.ParentCampaignID) {
				t.Errorf("%s: parent %q is not a demo campaign", e.ID, e.ParentCampaignID)
			}
		default:
			t.Errorf("%s: kind %q", e.ID, e.Kind)
		}
	}
	for _, c := range instantly.StatusCodes {
		if codes[c] == 0 {
			t.Errorf("no demo campaign has code %s", c)
		}
	}
	if codes[""] != 1 || codes[WarmupInProgress] != 1 {
		t.Errorf("want one no-data and one %s campaign: %v", WarmupInProgress, codes)
	}
	if subs < 3 {
		t.Errorf("%d subsequences, want >= 3", subs)
	}
	if !slices.IsSorted(campaigns) {
		t.Error("demo campaigns are not in list (id) order")
	}
	if DemoCampaigns[0].ID != "019a0000-0000-7000-8000-000000000001" {
		t.Errorf("headline id %s", DemoCampaigns[0].ID)
	}
	for _, c := range append(slices.Clone(instantly.StatusCodes), "", WarmupInProgress) {
		id := DemoID(c)
		i := slices.IndexFunc(DemoCampaigns, func(e DemoEntry) bool { return e.ID == id })
		if i < 0 || DemoCampaigns[i].Code != c || DemoCampaigns[i].Kind != KindCampaign {
			t.Errorf("DemoID(%q) = %q", c, id)
		}
	}
	if DemoID("no_such_code") != "" {
		t.Error("DemoID of an unknown code")
	}
}

// TestDemoSendingStatus checks every demo entry's response on both
// endpoints, with and without the AI summary.
func TestDemoSendingStatus(t *testing.T) {
	h := NewHandler(DemoWorkspace(testNow))
	for _, e := range DemoCampaigns {
		t.Run(e.Name, func(t *testing.T) {
			path, wrong := statusPath, subsequencePath
			if e.Kind == KindSubsequence {
				path, wrong = subsequencePath, statusPath
			}
			wantError(t, get(t, h, wrong(e.ID, false)), http.StatusNotFound, "")
			for _, ai := range []bool{false, true} {
				w := get(t, h, path(e.ID, ai))
				if w.Code != http.StatusOK || w.Header().Get("Content-Type") != contentTypeJSON {
					t.Fatalf("%d %s %s", w.Code, w.Header().Get("Content-Type"), w.Body)
				}
				var st instantly.SendingStatus
				if err := json.Unmarshal(w.Body.Bytes(), &st); err != nil {
					t.Fatalf("decode: %v\n%s", err, w.Body)
				}
				if e.Code == "" {
					if w.Body.String() != `{"diagnostics":null,"summary":null}` || st.Diagnostics != nil || st.Summary != nil {
						t.Fatalf("no-data campaign: %s", w.Body)
					}
					continue
				}
				d, s := st.Diagnostics, st.Summary
				if d == nil || s == nil || d.Status == nil || *d.Status != e.Code || s.Status == nil || *s.Status != e.Code {
					t.Fatalf("status is not %s: %s", e.Code, w.Body)
				}
				wantCampaign, wantSub := e.ID, ""
				if e.Kind == KindSubsequence {
					wantCampaign, wantSub = e.ParentCampaignID, e.ID
				}
				if d.CampaignID != wantCampaign || deref(d.SubsequenceID) != wantSub {
					t.Errorf("campaign_id %s subsequence_id %v", d.CampaignID, deref(d.SubsequenceID))
				}
				if ai != (s.AISummary != nil && *s.AISummary != "") {
					t.Errorf("with_ai_summary=%v: ai_summary %v", ai, s.AISummary)
				}
				if ai && !strings.Contains(*s.AISummary, e.Name) {
					t.Errorf("ai_summary does not name the campaign: %s", *s.AISummary)
				}
				checkConsistent(t, w.Body.Bytes(), testNow)
			}
		})
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// checkConsistent checks that the numbers of one sending-status response
// agree with each other and with its code. It reads the raw JSON, so that
// unknown fields count too.
func checkConsistent(t *testing.T, raw []byte, now time.Time) {
	t.Helper()
	var doc struct {
		Diagnostics map[string]any `json:"diagnostics"`
		Summary     map[string]any `json:"summary"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	d, s := doc.Diagnostics, doc.Summary
	code, _ := d["status"].(string)
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s: %s\n%s", code, fmt.Sprintf(format, args...), raw)
	}
	obj := func(m map[string]any, k string) map[string]any { v, _ := m[k].(map[string]any); return v }
	num := func(m map[string]any, k string) float64 {
		v, ok := m[k].(float64)
		if !ok {
			fail("%s is not a number", k)
		}
		return v
	}
	boolean := func(m map[string]any, k string) bool {
		v, ok := m[k].(bool)
		if !ok {
			fail("%s is not a boolean", k)
		}
		return v
	}
	ts := func(v any, what string) *time.Time {
		if v == nil {
			return nil
		}
		str, _ := v.(string)
		tm, err := time.Parse(time.RFC3339Nano, str)
		if err != nil || !strings.HasSuffix(str, "Z") || len(str) != len("2026-05-11T21:12:43.288Z") {
			fail("%s %v is not an ISO timestamp", what, v)
			return nil
		}
		if tm.After(now) {
			fail("%s %v is in the future", what, v)
		}
		return &tm
	}

	// Always present.
	it := obj(d, "issue_tracking")
	if it == nil || d["campaign_id"] == nil || d["last_updated"] == nil || obj(d, "schedule_status") == nil {
		fail("an always-present field is missing")
		return
	}
	updated := ts(d["last_updated"], "last_updated")
	if updated == nil || now.Sub(*updated) > 10*time.Minute || now.Sub(*updated) < time.Minute {
		fail("last_updated is not a few minutes ago")
	}
	if it["current_status_code"] != code || s["status"] != code {
		fail("codes differ: issue_tracking %v summary %v", it["current_status_code"], s["status"])
	}
	if msg, _ := s["status_message"].(string); msg == "" {
		fail("no status_message")
	}
	first := ts(it["issue_first_seen_at"], "issue_first_seen_at")
	lastSend := ts(it["last_healthy_send_at"], "last_healthy_send_at")
	loops := num(it, "consecutive_loops_with_issue")
	if s["issue_started_at"] != it["issue_first_seen_at"] || s["last_healthy_send_at"] != it["last_healthy_send_at"] {
		fail("summary and issue_tracking timestamps differ")
	}
	if code == instantly.StatusHealthy {
		if first != nil || loops != 0 || lastSend == nil || now.Sub(*lastSend) > time.Hour {
			fail("healthy with an issue, or no recent send")
		}
	} else {
		if first == nil || loops < 1 {
			fail("issue without issue_first_seen_at or loops")
		} else if want := math.Max(1, math.Floor(float64(now.Sub(*first))/float64(loopInterval))); loops != want {
			fail("%v loops for an issue of %v", loops, now.Sub(*first))
		}
	}
	inSchedule := boolean(obj(d, "schedule_status"), "in_schedule")
	if inSchedule != (code != instantly.StatusOutOfSchedule) {
		fail("in_schedule %v", inSchedule)
	}
	blocks := []string{"accounts_summary", "campaign_daily_limit", "new_lead_limit", "send_one_by_one",
		"follow_ups_waiting", "esp_routing_status", "domain_limiter", "leads_status"}
	if code == instantly.StatusOutOfSchedule {
		for _, b := range blocks {
			if d[b] != nil {
				fail("out of schedule with %s", b)
			}
		}
		return
	}
	for _, b := range blocks {
		if obj(d, b) == nil {
			fail("%s missing", b)
			return
		}
	}

	acc := obj(d, "accounts_summary")
	total, avail := num(acc, "total_connected"), num(acc, "available")
	sum := 0.0
	for k, v := range obj(acc, "unavailable") {
		n, ok := v.(float64)
		if !ok || n < 0 {
			fail("unavailable.%s = %v", k, v)
		}
		sum += n
	}
	if avail < 0 || avail+sum != total {
		fail("available %v + unavailable %v != total_connected %v", avail, sum, total)
	}
	unavail := obj(acc, "unavailable")

	dl := obj(d, "campaign_daily_limit")
	limit, sent, hit := num(dl, "limit"), num(dl, "sent"), boolean(dl, "limit_hit")
	if limit <= 0 || sent < 0 || sent > limit || hit != (sent >= limit) {
		fail("daily limit %v sent %v limit_hit %v", limit, sent, hit)
	}
	if hit != (code == instantly.StatusDailyLimitMet) {
		fail("limit_hit %v", hit)
	}

	nl := obj(d, "new_lead_limit")
	nlHit := boolean(nl, "limit_hit")
	if boolean(nl, "enabled") {
		if nlHit != (num(nl, "contacted") >= num(nl, "limit")) {
			fail("new lead limit_hit %v", nlHit)
		}
	} else if nl["limit"] != nil || nlHit {
		fail("disabled new lead limit with a limit")
	}
	if nlHit != (code == instantly.StatusNewLeadLimitMet) {
		fail("new lead limit_hit %v", nlHit)
	}
	if num(nl, "contacted") > sent && code != instantly.StatusNewLeadLimitMet {
		fail("more new leads than emails sent")
	}

	fu := obj(d, "follow_ups_waiting")
	count := num(fu, "count")
	if (count > 0) != (fu["earliest_wait_time_seconds"] != nil) {
		fail("earliest_wait_time_seconds without follow-ups or the reverse")
	}
	if code == instantly.StatusFollowUpDelayNotMet && (count == 0 || num(fu, "earliest_wait_time_seconds") <= 0) {
		fail("follow-up delay with nothing waiting")
	}

	esp := obj(d, "esp_routing_status")
	waiting := boolean(esp, "waiting_for_match")
	if waiting != (code == instantly.StatusWaitingForESPMatch) || (waiting && !boolean(esp, "enabled")) {
		fail("waiting_for_match %v enabled %v", waiting, esp["enabled"])
	}

	dom := obj(d, "domain_limiter")
	atLimit := num(dom, "domains_at_limit")
	if (atLimit > 0 && !boolean(dom, "active")) || (atLimit > 0) != (code == instantly.StatusDomainLimitReached) {
		fail("domain limiter %v", dom)
	}

	noLeads := boolean(obj(d, "leads_status"), "no_leads_ready")
	if code == instantly.StatusWaitingForLeads && !noLeads {
		fail("waiting for leads with leads ready")
	}

	switch code {
	case instantly.StatusHealthy:
		if avail == 0 || noLeads {
			fail("healthy but nothing can send")
		}
	case instantly.StatusAccountDailyLimitMet:
		if avail != 0 || num(unavail, "daily_limit_hit") == 0 {
			fail("account daily limit met with accounts available")
		}
	case instantly.StatusAllAccountsUnhealthy:
		if total == 0 || avail != 0 {
			fail("all accounts unhealthy: %v of %v available", avail, total)
		}
	case instantly.StatusCampaignAccountsUnhealthy:
		if avail == 0 || avail == total {
			fail("some accounts unhealthy: %v of %v available", avail, total)
		}
	case instantly.StatusCampaignAccountSuspended:
		if avail == total {
			fail("suspended account but all available")
		}
	case instantly.StatusNoAccountsAvailable, WarmupInProgress:
		if avail != 0 {
			fail("%v accounts available", avail)
		}
	case instantly.StatusCampaignDraft:
		if sent != 0 || lastSend != nil {
			fail("draft has sent")
		}
	}
}

func TestDemoPassThrough(t *testing.T) {
	h := NewHandler(DemoWorkspace(testNow))
	w := get(t, h, statusPath(DemoID(WarmupInProgress), true))
	type obj = map[string]any
	var st obj
	if err := json.Unmarshal(w.Body.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	d, _ := st["diagnostics"].(obj)
	s, _ := st["summary"].(obj)
	as, _ := d["accounts_summary"].(obj)
	un, _ := as["unavailable"].(obj)
	if st["schema_version"] == nil || d["warmup_status"] == nil || s["severity"] == nil || un["warming_up"] == nil {
		t.Errorf("unknown fields were not kept: %s", w.Body)
	}
}

func TestDemoCampaignObjects(t *testing.T) {
	ws := DemoWorkspace(testNow)
	h := NewHandler(ws)
	w := get(t, h, "/api/v2/campaigns?limit=100")
	var page instantly.CampaignPage
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil {
		t.Fatal(err)
	}
	var want []DemoEntry
	for _, e := range DemoCampaigns {
		if e.Kind == KindCampaign {
			want = append(want, e)
		}
	}
	if len(page.Items) != len(want) || page.NextStartingAfter != "" {
		t.Fatalf("%d items, next %q; want %d", len(page.Items), page.NextStartingAfter, len(want))
	}
	for i, c := range page.Items {
		e := want[i]
		if c.ID != e.ID || c.Name != e.Name {
			t.Errorf("item %d is %s %q, want %s %q", i, c.ID, c.Name, e.ID, e.Name)
		}
		if c.Status != campaignStatusFor(e.Code) {
			t.Errorf("%s: status %v for %s", e.Name, c.Status, e.Code)
		}
		created, err1 := time.Parse(time.RFC3339, c.TimestampCreated)
		updated, err2 := time.Parse(time.RFC3339, c.TimestampUpdated)
		if err1 != nil || err2 != nil || updated.Before(created) || updated.After(testNow) {
			t.Errorf("%s: timestamps %s %s", e.Name, c.TimestampCreated, c.TimestampUpdated)
		}
		one := get(t, h, "/api/v2/campaigns/"+e.ID)
		if !strings.Contains(one.Body.String(), `"campaign_schedule":{"schedules":[`) {
			t.Errorf("%s: no campaign_schedule", e.Name)
		}
		var got instantly.Campaign
		if err := json.Unmarshal(one.Body.Bytes(), &got); err != nil || got.ID != e.ID {
			t.Errorf("get campaign %s: %v %s", e.ID, err, one.Body)
		}
		if e.Code == "" {
			continue
		}
		var st instantly.SendingStatus
		if err := json.Unmarshal(get(t, h, statusPath(e.ID, false)).Body.Bytes(), &st); err != nil {
			t.Fatal(err)
		}
		if dl := st.Diagnostics.CampaignDailyLimit; dl != nil && (c.DailyLimit == nil || *c.DailyLimit != *dl.Limit) {
			t.Errorf("%s: daily_limit %v, sending status limit %v", e.Name, c.DailyLimit, *dl.Limit)
		}
		if a := st.Diagnostics.AccountsSummary; a != nil && float64(len(c.EmailList)) != *a.TotalConnected {
			t.Errorf("%s: %d accounts in email_list, %v connected", e.Name, len(c.EmailList), *a.TotalConnected)
		}
	}
	statuses := map[instantly.CampaignStatus]int{}
	for _, c := range page.Items {
		statuses[c.Status]++
	}
	if statuses[instantly.CampaignStatusActive] < 3 {
		t.Errorf("statuses %v", statuses)
	}
	if got := ws.Campaigns(); len(got) != len(want) || ws.Len() != len(want) {
		t.Errorf("Campaigns() has %d", len(got))
	}
	if subs := ws.Subsequences(); len(subs) < 3 {
		t.Errorf("Subsequences() has %d", len(subs))
	}
}

func TestDemoWorkspaceIndependent(t *testing.T) {
	a, b := DemoWorkspace(testNow), DemoWorkspace(testNow)
	a.SetSendingStatus(DemoID(instantly.StatusHealthy), []byte(`{}`))
	got, _ := b.SendingStatus(DemoID(instantly.StatusHealthy))
	if string(got) == `{}` {
		t.Error("demo workspaces share state")
	}
	later, _ := DemoWorkspace(testNow.Add(time.Hour)).SendingStatus(DemoID(instantly.StatusHealthy))
	if string(later) == string(got) {
		t.Error("timestamps do not follow now")
	}
}

// TestAddGenerated: generated campaigns of every code have numbers that
// agree with their code, like the demo's; the same random state gives the
// same bytes.
func TestAddGenerated(t *testing.T) {
	codes := append(slices.Clone(instantly.StatusCodes), "", WarmupInProgress)
	gen := func(seed uint64) *Workspace {
		ws := NewWorkspace()
		r := rand.New(rand.NewPCG(seed, 1))
		for i := range 10 * len(codes) {
			ws.AddGenerated(fmt.Sprintf("019a0000-0000-7000-8000-%012d", i), fmt.Sprintf("Campaign %d", i), codes[i%len(codes)], r, testNow)
		}
		return ws
	}
	body := func(ws *Workspace) string { // every byte it serves
		var sb strings.Builder
		for _, e := range ws.listed {
			sb.Write(e.json)
			sb.Write(e.status.withAI)
		}
		return sb.String()
	}
	a := gen(42)
	if body(a) != body(gen(42)) {
		t.Error("same seed, different workspaces")
	}
	if body(a) == body(gen(43)) {
		t.Error("different seeds, same workspace")
	}
	for i, c := range a.Campaigns() {
		code := codes[i%len(codes)]
		raw, _ := a.SendingStatus(c.ID)
		var st instantly.SendingStatus
		if err := json.Unmarshal(raw, &st); err != nil {
			t.Fatal(err)
		}
		got := ""
		if st.Diagnostics != nil {
			got = *st.Diagnostics.Status
			checkConsistent(t, raw, testNow)
		}
		if got != code || c.Status != campaignStatusFor(code) {
			t.Errorf("%s: code %q status %v, want %q", c.Name, got, c.Status, code)
		}
	}
}
