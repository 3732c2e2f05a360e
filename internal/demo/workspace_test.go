package demo

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/schedule"
)

// randomSpec's numbers stay in the ranges its code documents, for every
// code and 300 seeds each: accounts 2-10, 20/25/30 emails per account,
// updated 1-6 min ago, an issue of 10 min to 6 days whose last send came
// 0-9 min before it, a new-lead limit above what was contacted, and each
// code's own numbers.
func TestRandomSpecRanges(t *testing.T) {
	codes := []string{"", instantly.StatusHealthy, instantly.StatusCampaignDraft, instantly.StatusCampaignPaused,
		instantly.StatusCampaignCompleted, instantly.StatusCampaignRunningSubsequences, instantly.StatusCampaignBounceProtect,
		instantly.StatusCampaignAccountsUnhealthy, instantly.StatusAllAccountsUnhealthy, instantly.StatusCampaignAccountSuspended,
		instantly.StatusNoAccountsAvailable, instantly.StatusOutOfSchedule, instantly.StatusWaitingForLeads,
		instantly.StatusDailyLimitMet, instantly.StatusAccountDailyLimitMet, instantly.StatusNewLeadLimitMet,
		instantly.StatusWaitingForESPMatch, instantly.StatusDomainLimitReached, instantly.StatusFollowUpDelayNotMet, WarmupInProgress}
	allAbove := 0
	for _, code := range codes {
		var withLimit, withDomain, longIssue, lateSend, maxAbove int
		for seed := range uint64(300) {
			s := randomSpec(code, rand.New(rand.NewPCG(seed, 7)))
			fail := func(format string, args ...any) {
				t.Helper()
				t.Fatalf("%q seed %d: "+format+" (%+v)", append(append([]any{code, seed}, args...), s)...)
			}
			if code == instantly.StatusNoAccountsAvailable {
				if s.accounts != 0 || s.dailyLimit != 50 || s.lastSendAgo != -1 || s.sent != 0 {
					fail("no accounts: accounts %d limit %d lastSendAgo %v sent %d", s.accounts, s.dailyLimit, s.lastSendAgo, s.sent)
				}
			} else if s.accounts < 2 || s.accounts > 10 || s.dailyLimit%s.accounts != 0 ||
				!(s.dailyLimit/s.accounts == 20 || s.dailyLimit/s.accounts == 25 || s.dailyLimit/s.accounts == 30) {
				fail("accounts %d, daily limit %d", s.accounts, s.dailyLimit)
			}
			if s.updatedAgo < time.Minute || s.updatedAgo >= 6*time.Minute {
				fail("updated %v ago", s.updatedAgo)
			}
			if s.sent < 0 || s.newLeads < 0 || s.newLeads > max(s.sent, s.newLeadLimit) {
				fail("sent %d, new leads %d", s.sent, s.newLeads)
			}
			if code == instantly.StatusDailyLimitMet {
				if s.sent != s.dailyLimit {
					fail("daily limit met with %d of %d", s.sent, s.dailyLimit)
				}
			} else if s.sent >= s.dailyLimit && code != instantly.StatusNoAccountsAvailable {
				fail("sent %d of %d without daily_limit_met", s.sent, s.dailyLimit)
			}
			if s.newLeadLimit > 0 {
				withLimit++
				if code == instantly.StatusNewLeadLimitMet {
					// 10-79, below the daily limit (at least 40 here).
					if s.newLeads != s.newLeadLimit || s.newLeadLimit < 10 || s.newLeadLimit > 79 || s.newLeadLimit >= s.dailyLimit || s.followUps != 0 {
						fail("new lead limit met: %d of %d (daily %d)", s.newLeads, s.newLeadLimit, s.dailyLimit)
					}
				} else if s.newLeads >= s.newLeadLimit {
					fail("new leads %d, limit %d", s.newLeads, s.newLeadLimit)
				}
				// The limit is drawn 1-40 above the leads contacted (which
				// the idle codes then reset to 0).
				switch code {
				case instantly.StatusNewLeadLimitMet, instantly.StatusCampaignDraft, instantly.StatusCampaignCompleted,
					instantly.StatusCampaignRunningSubsequences, instantly.StatusNoAccountsAvailable, WarmupInProgress:
				default:
					if d := s.newLeadLimit - s.newLeads; d < 1 || d > 40 {
						fail("new-lead limit %d for %d contacted", s.newLeadLimit, s.newLeads)
					} else {
						maxAbove = max(maxAbove, d)
					}
				}
			}
			if s.domainLimiter {
				withDomain++
			}
			switch code {
			case instantly.StatusHealthy:
				if s.issueFor != 0 || s.lastSendAgo < time.Minute || s.lastSendAgo > 15*time.Minute || s.followUps < 0 || s.followUps >= 40 {
					fail("healthy: issue %v, last send %v ago", s.issueFor, s.lastSendAgo)
				}
			case instantly.StatusCampaignDraft, WarmupInProgress:
				if s.lastSendAgo != -1 || s.sent != 0 || s.followUps != 0 {
					fail("never sent: last send %v, sent %d", s.lastSendAgo, s.sent)
				}
			case instantly.StatusNoAccountsAvailable:
			default:
				if s.issueFor < 10*time.Minute || s.issueFor >= 10*time.Minute+6*24*time.Hour {
					fail("issue for %v", s.issueFor)
				}
				if d := s.lastSendAgo - s.issueFor; d < 0 || d > 9*time.Minute {
					fail("last send %v ago, issue for %v", s.lastSendAgo, s.issueFor)
				}
				if s.issueFor > 3*24*time.Hour {
					longIssue++
				}
				if s.lastSendAgo-s.issueFor >= 5*time.Minute {
					lateSend++
				}
			}
			switch code {
			case instantly.StatusCampaignAccountsUnhealthy:
				if s.disconnected < 1 || s.disconnected > s.accounts-1 || s.accountSkips < 0 || s.accountSkips >= 100 {
					fail("accounts unhealthy: %d disconnected", s.disconnected)
				}
			case instantly.StatusAllAccountsUnhealthy:
				if s.disconnected != s.accounts || s.available() != 0 {
					fail("all unhealthy: %d of %d disconnected", s.disconnected, s.accounts)
				}
			case instantly.StatusAccountDailyLimitMet:
				if s.dailyHit < 1 || s.rampHit > s.accounts/3 || s.dailyHit+s.rampHit+s.gapNotMet != s.accounts || s.available() != 0 ||
					s.accountSkips < 1 || s.accountSkips > 300 || s.followUps >= 80 {
					fail("accounts at their limits: %d/%d/%d of %d, skips %d", s.dailyHit, s.rampHit, s.gapNotMet, s.accounts, s.accountSkips)
				}
			case instantly.StatusDomainLimitReached:
				if !s.domainLimiter || s.domainsAtLimit < 1 || s.domainsAtLimit > 60 {
					fail("domains at limit %d", s.domainsAtLimit)
				}
			case instantly.StatusFollowUpDelayNotMet:
				if s.followUps < 5 || s.followUps > 124 || s.followUpWait < 600 || s.followUpWait >= 600+86_400 || s.delaySkip != s.followUps || !s.noLeadsReady {
					fail("follow-ups %d waiting %d s", s.followUps, s.followUpWait)
				}
			case WarmupInProgress:
				if s.otherUnavailable != s.accounts || s.available() != 0 || len(s.extras) != 1 || s.extras[0].key != "warming_up" ||
					s.extras[0].value != itoa(s.accounts) {
					fail("warmup: %d unavailable, extras %+v", s.otherUnavailable, s.extras)
				}
			case instantly.StatusWaitingForESPMatch:
				if !s.espRouting || !reflect.DeepEqual(s.esps, []int{2}) {
					fail("ESP match: %v %v", s.espRouting, s.esps)
				}
			}
		}
		// About one in three has a new-lead limit; four in five a domain
		// limiter; issues spread over the six days, last sends over the nine
		// minutes.
		if code != instantly.StatusNewLeadLimitMet && (withLimit < 60 || withLimit > 140) {
			t.Errorf("%q: %d of 300 with a new-lead limit", code, withLimit)
		}
		switch code {
		case instantly.StatusNewLeadLimitMet, instantly.StatusCampaignDraft, instantly.StatusCampaignCompleted,
			instantly.StatusCampaignRunningSubsequences, instantly.StatusNoAccountsAvailable, WarmupInProgress:
		default:
			allAbove = max(allAbove, maxAbove)
			if maxAbove < 31 {
				t.Errorf("%q: new-lead limits at most %d above the leads contacted, want up to 40", code, maxAbove)
			}
		}
		if code != instantly.StatusDomainLimitReached && (withDomain < 200 || withDomain > 280) {
			t.Errorf("%q: %d of 300 with a domain limiter", code, withDomain)
		}
		switch code {
		case instantly.StatusHealthy, instantly.StatusCampaignDraft, WarmupInProgress, instantly.StatusNoAccountsAvailable:
		default:
			if longIssue < 50 || lateSend < 50 {
				t.Errorf("%q: %d issues over 3 days, %d sends 5+ min before the issue", code, longIssue, lateSend)
			}
		}
	}
	if allAbove != 40 {
		t.Errorf("new-lead limits at most %d above the leads contacted, want 40 (drawn 1-40 above)", allAbove)
	}
	// A generated campaign was created 1 h to 180 days ago.
	var old int
	for seed := range uint64(200) {
		w := NewWorkspace()
		w.AddGenerated("019a0000-0000-7000-8000-000000000001", "g", instantly.StatusHealthy, rand.New(rand.NewPCG(seed, 1)), testNow)
		c, _ := w.Campaign("019a0000-0000-7000-8000-000000000001")
		created, err := time.Parse(time.RFC3339, c.TimestampCreated)
		if err != nil {
			t.Fatal(err)
		}
		ago := testNow.Sub(created)
		if ago < time.Hour || ago > 180*24*time.Hour {
			t.Fatalf("seed %d: created %v ago", seed, ago)
		}
		if ago > 90*24*time.Hour {
			old++
		}
	}
	if old < 60 {
		t.Errorf("%d of 200 generated campaigns created over 90 days ago", old)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// human rounds down to whole minutes (at least 1), hours below two days,
// then days; the singular for 1.
func TestHumanDurations(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "1 minute", 30 * time.Second: "1 minute", time.Minute: "1 minute", 2 * time.Minute: "2 minutes",
		59*time.Minute + 59*time.Second: "59 minutes", time.Hour: "1 hour", 90 * time.Minute: "1 hour",
		2 * time.Hour: "2 hours", 47*time.Hour + 59*time.Minute: "47 hours", 48 * time.Hour: "2 days",
		71 * time.Hour: "2 days", 72 * time.Hour: "3 days", 24 * 24 * time.Hour: "24 days",
	} {
		if got := human(d); got != want {
			t.Errorf("human(%v) = %q, want %q", d, got, want)
		}
	}
}

// The texts that carry numbers, exactly.
func TestStatusTextsWithNumbers(t *testing.T) {
	unhealthy := statusSpec{code: instantly.StatusCampaignAccountsUnhealthy, accounts: 7, disconnected: 2, gapNotMet: 1}
	if got := statusMessage(unhealthy); got != "3 of 7 sending accounts have errors" {
		t.Errorf("statusMessage: %q", got)
	}
	if got := aiSummary(unhealthy, "C"); got != `3 of the 7 sending accounts of "C" have errors (2 disconnected). Open Email Accounts, filter by status, fix or reconnect them, then resume the campaign.` {
		t.Errorf("aiSummary: %q", got)
	}
	fu := statusSpec{code: instantly.StatusFollowUpDelayNotMet, followUps: 12, followUpWait: 3 * 3600}
	if got := statusMessage(fu); got != "Waiting for follow-up delays (next follow-up due in 3 hours)" {
		t.Errorf("statusMessage: %q", got)
	}
	if got := aiSummary(fu, "C"); got != `"C" has 12 follow-ups waiting for their step delay; the next is due in 3 hours. This is normal: follow-ups go out when their delay has passed, inside the schedule.` {
		t.Errorf("aiSummary: %q", got)
	}
	paused := statusSpec{code: instantly.StatusCampaignPaused, issueFor: 3 * 24 * time.Hour}
	if got := aiSummary(paused, "C"); got != `"C" has been paused for 3 days. Resume it to continue; sending restarts 10-15 minutes after resuming.` {
		t.Errorf("aiSummary: %q", got)
	}
	healthy := statusSpec{code: instantly.StatusHealthy, accounts: 8, disconnected: 1, sent: 40, dailyLimit: 240}
	if got := aiSummary(healthy, "C"); got != `"C" is sending normally: 40 of 240 emails sent today from 7 healthy sending accounts. No action is needed.` {
		t.Errorf("aiSummary: %q", got)
	}
	if got := statusMessage(statusSpec{code: "something_new"}); got != "Campaign is not sending" {
		t.Errorf("unknown code: %q", got)
	}
}

// The demo workspace's related records: who paused the paused campaign and
// when, the other campaign's API pause and launch, newest first; the capped
// campaign's senders mapped to it, the first three also to the healthy one
// (older mapping first); tags by id.
func TestDemoRelatedRecords(t *testing.T) {
	w := DemoWorkspace(testNow)
	d := w.deepData()
	type rec struct {
		ID, Campaign, User string
		Activity           float64
		At                 time.Duration // before testNow
		FromAPI            bool
	}
	var got []rec
	for _, it := range d.audit {
		var m map[string]any
		if err := json.Unmarshal(it.json, &m); err != nil {
			t.Fatal(err)
		}
		at, err := time.Parse(time.RFC3339, it.timestamp)
		if err != nil {
			t.Fatal(err)
		}
		user, _ := m["user_name"].(string)
		if (user != "") != (m["user_id"] != nil) || m["from_api"].(bool) != (m["api_key_id"] != nil) {
			t.Errorf("%s: user %v/%v, api %v/%v", it.id, m["user_id"], m["user_name"], m["from_api"], m["api_key_id"])
		}
		got = append(got, rec{it.id, m["campaign_id"].(string), user, it.activity, testNow.Sub(at).Round(time.Millisecond), m["from_api"].(bool)})
	}
	const paused, shared = "019b8f6b-460f-795d-b6f3-79a358fa0b1e", "019a6d64-37ed-7247-b88f-20dcba6074fb"
	want := []rec{
		{"019a0000-0000-7000-8000-00000000a003", paused, "Dana Whitfield", 5, 3 * day, false},
		{"019a0000-0000-7000-8000-00000000a004", shared, "", 4, 10*day - 40*minute, true},
		{"019a0000-0000-7000-8000-00000000a002", shared, "", 5, 10 * day, true},
		{"019a0000-0000-7000-8000-00000000a001", paused, "Dana Whitfield", 4, 26*day - 2*hour, false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("audit log:\n%+v\nwant\n%+v", got, want)
	}

	senders := senderEmails(10, 0)
	if len(d.mappings) != 10 {
		t.Errorf("%d senders mapped, want 10", len(d.mappings))
	}
	for i, e := range senders {
		var campaigns []string
		for _, m := range d.mappings[e] {
			var x instantly.AccountCampaignMapping
			if err := json.Unmarshal(m.json, &x); err != nil {
				t.Fatal(err)
			}
			campaigns = append(campaigns, x.CampaignID+" "+x.TimestampCreated)
		}
		want := []string{"019a0000-0000-7000-8000-000000000001 " + isoTime(testNow.Add(-41*day))}
		if i < 3 {
			want = append([]string{shared + " " + isoTime(testNow.Add(-120*day))}, want...)
		}
		if !reflect.DeepEqual(campaigns, want) {
			t.Errorf("%s: %q, want %q", e, campaigns, want)
		}
	}
	var ids []string
	for _, tg := range d.tags {
		ids = append(ids, tg.ID)
	}
	if len(ids) != len(demoTagLabels) || !strings.EqualFold(strings.Join(ids, ","), strings.Join(sortedLower(ids), ",")) {
		t.Errorf("tags not by id: %v", ids)
	}
	// The second campaign's senders follow the first one's ten.
	if got := demoSenders(demoSpecs[1]); len(got) != 8 || got[0] != "quinn@northpeakhq.example" || got[2] != "alex@getnorthpeak.example" {
		t.Errorf("demoSenders(second) = %v", got)
	}
}

func sortedLower(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if strings.ToLower(out[j]) < strings.ToLower(out[i]) {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// senderEmails: 12 names on 4 domains, then numbered.
func TestSenderEmailsTable(t *testing.T) {
	for _, c := range []struct {
		n, offset int
		want      []string
	}{
		{3, 0, []string{"alex@northpeakhq.example", "jordan@northpeakhq.example", "sam@northpeakhq.example"}},
		{2, 11, []string{"reese@northpeakhq.example", "alex@getnorthpeak.example"}},
		{2, 47, []string{"reese@trynorthpeak.example", "alex2@northpeakhq.example"}},
		{1, 96, []string{"alex3@northpeakhq.example"}},
		{1, 13, []string{"jordan@getnorthpeak.example"}},
		{0, 5, []string{}},
	} {
		if got := senderEmails(c.n, c.offset); !reflect.DeepEqual(got, c.want) {
			t.Errorf("senderEmails(%d, %d) = %q, want %q", c.n, c.offset, got, c.want)
		}
	}
	if got := campaignSettings(statusSpec{newLeadLimit: 0})["daily_max_leads"]; got != nil {
		t.Errorf("no new-lead limit: daily_max_leads %v", got)
	}
	if got := campaignSettings(statusSpec{newLeadLimit: 1})["daily_max_leads"]; got != 1 {
		t.Errorf("new-lead limit 1: daily_max_leads %v", got)
	}
}

// buildStatus at its edges: a send just now is a last healthy send; no
// ESPs is an empty list, ESPs are kept.
func TestBuildStatusEdges(t *testing.T) {
	decode := func(b []byte) map[string]any {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	s := statusSpec{code: instantly.StatusHealthy, accounts: 2, dailyLimit: 40, lastSendAgo: 0}
	m := decode(buildStatus(s, "n", "c", "", testNow))
	diag := m["diagnostics"].(map[string]any)
	if got := diag["issue_tracking"].(map[string]any)["last_healthy_send_at"]; got != isoTime(testNow) {
		t.Errorf("last send 0 ago: %v", got)
	}
	if got := diag["esp_routing_status"].(map[string]any)["connected_esps"]; !reflect.DeepEqual(got, []any{}) {
		t.Errorf("no ESPs: %#v", got)
	}
	s.esps, s.lastSendAgo = []int{1, 3}, -1
	m = decode(buildStatus(s, "n", "c", "", testNow))
	diag = m["diagnostics"].(map[string]any)
	if got := diag["esp_routing_status"].(map[string]any)["connected_esps"]; !reflect.DeepEqual(got, []any{1.0, 3.0}) {
		t.Errorf("ESPs 1, 3: %#v", got)
	}
	if got := diag["issue_tracking"].(map[string]any)["last_healthy_send_at"]; got != nil {
		t.Errorf("never sent: %v", got)
	}
}

// The handler and transport at their edges: an upper-case UUID, the
// accounts route, a request without RequestURI, a path-less URL, status
// codes at the bounds, a Content-Length of 0, a streamed body.
func TestHandlerTransportEdges(t *testing.T) {
	w := DemoWorkspace(testNow)
	h := NewHandler(w)
	c := &http.Client{Transport: NewTransport(h)}
	get := func(path string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, DemoBaseURL+path, nil)
		req.Header.Set("Authorization", "Bearer "+DemoAPIKey)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	upper := strings.ToUpper("019b8f6b-460f-795d-b6f3-79a358fa0b1e")
	if resp, body := get("/api/v2/campaigns/" + upper); resp.StatusCode != 200 || !strings.Contains(body, `"name":"Product Hunt Launch`) {
		t.Errorf("upper-case UUID: %d %.120s", resp.StatusCode, body)
	}
	if resp, body := get("/api/v2/accounts?limit=1"); resp.StatusCode != 200 || !strings.Contains(body, `"items"`) {
		t.Errorf("accounts: %d %.120s", resp.StatusCode, body)
	}
	// The deep routes answer GET and HEAD, nothing else.
	for method, want := range map[string]int{http.MethodHead: 200, http.MethodPost: 404, http.MethodPut: 404} {
		req, _ := http.NewRequest(method, DemoBaseURL+"/api/v2/accounts", nil)
		req.Header.Set("Authorization", "Bearer "+DemoAPIKey)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || (method == http.MethodHead && len(b) != 0) {
			t.Errorf("%s /api/v2/accounts: %d %q, want %d", method, resp.StatusCode, b, want)
		}
	}
	if resp, body := get(""); resp.StatusCode != 404 || !strings.Contains(body, "GET:/") || resp.Request.URL.Path != "" {
		t.Errorf("no path: %d %q", resp.StatusCode, body)
	}

	// Directly, with no RequestURI: the 404 names the URL's path.
	req := httptest.NewRequest(http.MethodGet, "/api/v2/nowhere?x=1", nil)
	req.RequestURI = ""
	req.Header.Set("Authorization", "Bearer "+DemoAPIKey)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), "/api/v2/nowhere?x=1") {
		t.Errorf("no RequestURI: %d %s", rec.Code, rec.Body.String())
	}

	for _, tc := range []struct {
		write  func(http.ResponseWriter)
		status int
		length int64
	}{
		{func(w http.ResponseWriter) { w.WriteHeader(999) }, 999, -1},
		{func(w http.ResponseWriter) { w.WriteHeader(100); w.WriteHeader(204) }, 204, -1},
		{func(w http.ResponseWriter) { w.WriteHeader(101) }, 101, -1},
		{func(w http.ResponseWriter) { w.Header().Set("Content-Length", "0"); w.WriteHeader(200) }, 200, 0},
		{func(w http.ResponseWriter) {
			w.Header().Set("Content-Length", "3")
			w.WriteHeader(200)
			w.Write([]byte("abc"))
		}, 200, 3},
		{func(w http.ResponseWriter) { w.Write([]byte("streamed")) }, 200, -1},
	} {
		tr := NewTransport(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { tc.write(w) }))
		req, _ := http.NewRequest(http.MethodGet, "http://x.example/p", nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.ContentLength != tc.length {
			t.Errorf("status %d length %d, want %d %d", resp.StatusCode, resp.ContentLength, tc.status, tc.length)
		}
	}
	// An empty first write sends the header without sniffing a type.
	for body, want := range map[string]string{"": "", "{}": "text/plain; charset=utf-8", "<html>": "text/html; charset=utf-8"} {
		tr := NewTransport(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(body)) }))
		req, _ := http.NewRequest(http.MethodGet, "http://x.example/p", nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Content-Type"); got != want || resp.StatusCode != 200 {
			t.Errorf("first write %q: Content-Type %q, status %d; want %q", body, got, resp.StatusCode, want)
		}
	}
}

// The warming-up campaign's members from a later API version: the
// estimated ready time is three days ahead.
func TestDemoWarmupExtras(t *testing.T) {
	body, ok := DemoWorkspace(testNow).SendingStatus("019d1932-9ac8-75cd-9648-fd71c6f4e21c")
	want := `"warmup_status":{"accounts_warming":4,"average_health_score":71,"estimated_ready_at":"` + isoTime(testNow.Add(3*day)) + `"}`
	if !ok || !strings.Contains(string(body), want) || !strings.Contains(string(body), `"schema_version":"2026-06"`) {
		t.Errorf("warmup campaign's status lacks %s:\n%s", want, body)
	}
}

// The draft's sequence has both variants of step 2 disabled (a cause the
// cross-check names); every other campaign's variants are all enabled.
func TestDemoSequenceDisabledVariants(t *testing.T) {
	disabled := func(code string) []int {
		var out []int
		steps := demoSequence(code)[0].(map[string]any)["steps"].([]any)
		for i, st := range steps {
			for _, v := range st.(map[string]any)["variants"].([]any) {
				if v.(map[string]any)["v_disabled"] == true {
					out = append(out, i+1)
				}
			}
		}
		return out
	}
	if got := disabled(instantly.StatusCampaignDraft); !reflect.DeepEqual(got, []int{2, 2}) {
		t.Errorf("draft: disabled variants in steps %v, want both of step 2", got)
	}
	for _, code := range []string{instantly.StatusHealthy, instantly.StatusCampaignPaused, ""} {
		if got := disabled(code); got != nil {
			t.Errorf("%q: disabled variants in steps %v", code, got)
		}
	}
}

// demoLeads: the analytics row (leads, contacted, completed, bounced,
// unsubscribed, sent) of a campaign without its own row is 800 leads plus
// 90 per account, 60% contacted, 30% completed, 1/70 bounced, 1/100
// unsubscribed, two emails per contacted lead; every demo row is coherent.
func TestDemoLeadsRows(t *testing.T) {
	if got := demoLeads(instantly.StatusHealthy, statusSpec{accounts: 5}); got != [6]int{1250, 750, 375, 17, 12, 1500} {
		t.Errorf("5 accounts: %v", got)
	}
	if got := demoLeads(instantly.StatusCampaignPaused, statusSpec{accounts: 0}); got != [6]int{800, 480, 240, 11, 8, 960} {
		t.Errorf("0 accounts: %v", got)
	}
	for _, d := range demoSpecs {
		r := demoLeads(d.Code, d.status)
		if r[1] > r[0] || r[2] > r[1] || r[3] > r[1] || r[4] > r[1] || r[5] < r[1] {
			t.Errorf("%s: incoherent leads row %v", d.Name, r)
		}
	}
}

// The cross-check details that carry a cause: the domain-limit campaign's
// per-company override (2 a day, workspace-wide) and nobody else's; the
// out-of-schedule campaign's earliest window 13h20m-14h20m ahead (its
// office hours), its second schedule 17h20m-18h20m ahead; the bounce-protect senders'
// last five days, the two worst bouncers' counts rising to 31 and 15.
func TestDemoDeepCauses(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 50, 0, 0, time.UTC)
	w := DemoWorkspace(now)
	d := w.deepData()
	for _, e := range demoSpecs {
		if e.Kind != KindCampaign {
			continue
		}
		var c struct {
			Override         map[string]any             `json:"limit_emails_per_company_override"`
			CampaignSchedule instantly.CampaignSchedule `json:"campaign_schedule"`
			EmailList        []string                   `json:"email_list"`
		}
		if err := json.Unmarshal(d.details[e.ID], &c); err != nil {
			t.Fatal(err)
		}
		wantOverride := map[string]any(nil)
		if e.Code == instantly.StatusDomainLimitReached {
			wantOverride = map[string]any{"mode": "custom", "daily_limit": 2.0, "scope": "across_workspace"}
		}
		if !reflect.DeepEqual(c.Override, wantOverride) {
			t.Errorf("%s: override %v, want %v", e.Name, c.Override, wantOverride)
		}
		var tags struct {
			Tags []string `json:"email_tag_list"`
		}
		if err := json.Unmarshal(d.details[e.ID], &tags); err != nil || tags.Tags == nil {
			t.Errorf("%s: email_tag_list null or missing (%v)", e.Name, err)
		}
		switch e.Code {
		case instantly.StatusAccountDailyLimitMet:
			// A sender at its daily limit: 30 sent today, 20 contacted, 10 new.
			var r instantly.AccountDailyAnalytics
			rows := d.daily[strings.ToLower(c.EmailList[0])]
			if len(rows) != 1 || json.Unmarshal(rows[0], &r) != nil || r.Date != now.Format("2006-01-02") ||
				r.Sent != 30 || r.Contacted != 20 || r.NewLeadsContacted != 10 {
				t.Errorf("%s: first sender's day %+v (%d rows)", e.Name, r, len(rows))
			}
		case instantly.StatusOutOfSchedule:
			if len(c.CampaignSchedule.Schedules) != 2 {
				t.Fatalf("%s: %d schedules", e.Name, len(c.CampaignSchedule.Schedules))
			}
			// Each opens on the hour before now + 14h20m (18h20m).
			for i, want := range []time.Duration{14*hour + 20*minute, 18*hour + 20*minute} {
				one := c.CampaignSchedule
				one.Schedules = one.Schedules[i : i+1]
				r := schedule.Next(one, now)
				if r.Next == nil || r.Next.Start.Sub(now) <= want-hour || r.Next.Start.Sub(now) > want {
					t.Errorf("%s: schedule %d opens at %+v, want %v-%v after now", e.Name, i, r.Next, want-hour, want)
				}
			}
		case instantly.StatusCampaignBounceProtect:
			for i, email := range c.EmailList {
				rows := d.daily[strings.ToLower(email)]
				if len(rows) != 5 {
					t.Fatalf("%s: %d daily rows, want 5", email, len(rows))
				}
				var dates []string
				var bounced []float64
				for _, raw := range rows {
					var r instantly.AccountDailyAnalytics
					if err := json.Unmarshal(raw, &r); err != nil {
						t.Fatal(err)
					}
					dates = append(dates, r.Date)
					bounced = append(bounced, r.Bounced)
					if r.Sent != float64(40+3*i) || r.Contacted != float64(30+i) {
						t.Errorf("%s: sent %v contacted %v, want %d %d", email, r.Sent, r.Contacted, 40+3*i, 30+i)
					}
				}
				if dates[0] != now.Add(-4*day).Format("2006-01-02") || dates[4] != now.Format("2006-01-02") {
					t.Errorf("%s: dates %v", email, dates)
				}
				switch i {
				case 1:
					if !reflect.DeepEqual(bounced, []float64{9, 14, 22, 27, 31}) {
						t.Errorf("sender 2 bounced %v", bounced)
					}
				case 4:
					if !reflect.DeepEqual(bounced, []float64{4, 7, 11, 13, 15}) {
						t.Errorf("sender 5 bounced %v", bounced)
					}
				}
			}
		}
	}
}

// campaignUpdated: when the current state began (a known issue younger than
// the campaign), else three quarters of the way from creation to now.
func TestCampaignUpdatedTable(t *testing.T) {
	age := 40 * day
	for _, c := range []struct {
		code     string
		issueFor time.Duration
		want     time.Duration // before testNow
	}{
		{instantly.StatusCampaignPaused, 3 * day, 3 * day},
		{instantly.StatusCampaignPaused, age - time.Nanosecond, age - time.Nanosecond},
		{instantly.StatusCampaignPaused, age, 10 * day},
		{instantly.StatusCampaignPaused, 0, 10 * day},
		{instantly.StatusHealthy, 3 * day, 10 * day},
		{"", 3 * day, 10 * day},
	} {
		got := testNow.Sub(campaignUpdated(age, c.code, statusSpec{issueFor: c.issueFor}, testNow))
		if got != c.want {
			t.Errorf("%q, issue for %v: updated %v ago, want %v", c.code, c.issueFor, got, c.want)
		}
	}
}

// demoAccounts: the provider of each sender follows the campaign's ESPs
// (Google 2 and Microsoft 3 kept, any other is 1; none: Google), and the
// first dailyHit senders are at their limit, the next rampHit held by the
// slow ramp, then the disconnected, then those waiting for the gap.
func TestDemoAccountsStates(t *testing.T) {
	emails := senderEmails(7, 0)
	s := statusSpec{accounts: 7, dailyHit: 2, rampHit: 2, disconnected: 1, gapNotMet: 1, esps: []int{2, 3, 4}}
	got := demoAccounts(instantly.StatusAccountDailyLimitMet, s, emails, nil)
	type row struct {
		provider, status, dailyLimit, sentToday, gap int
		ramp                                         bool
	}
	var rows []row
	for _, a := range got {
		rows = append(rows, row{a.provider, a.status, a.dailyLimit, a.sentToday, a.sendingGap, a.slowRamp})
	}
	want := []row{
		{2, 1, 30, 30, 10, false}, {3, 1, 30, 30, 10, false}, // at their daily limit
		{1, 1, 40, 8, 10, true}, {2, 1, 40, 10, 10, true}, // slow ramp: 8 + 2 per sender
		{3, -1, 30, 0, 10, false}, // SMTP login failed
		{1, 1, 30, 21, 30, false}, // waiting for the 30-minute gap
		{2, 1, 30, 0, 10, false},  // fine
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("accounts:\n%+v\nwant\n%+v", rows, want)
	}
	// The disconnected senders' errors, in turn: SMTP login, daily limit,
	// soft bounce, IMAP login; all unhealthy: IMAP, soft bounce, SMTP;
	// suspended: one suspended Microsoft sender out of warmup.
	errors := func(code string, s statusSpec) (out []string) {
		for _, a := range demoAccounts(code, s, emails[:s.accounts], nil) {
			if a.status < 0 {
				out = append(out, fmt.Sprintf("%d/%v/%d/%d", a.status, a.message["code"], a.warmupStatus, a.provider))
			}
		}
		return out
	}
	if got := errors(instantly.StatusCampaignAccountsUnhealthy, statusSpec{accounts: 6, dailyHit: 1, rampHit: 1, disconnected: 4}); !reflect.DeepEqual(got,
		[]string{"-1/EAUTH/1/2", "-3/EENVELOPE/1/2", "-2/EENVELOPE/1/2", "-1/AUTHENTICATIONFAILED/1/2"}) {
		t.Errorf("accounts unhealthy: %q", got)
	}
	if got := errors(instantly.StatusAllAccountsUnhealthy, statusSpec{accounts: 3, disconnected: 3}); !reflect.DeepEqual(got,
		[]string{"-1/AUTHENTICATIONFAILED/1/2", "-2/EENVELOPE/1/2", "-1/EAUTH/1/2"}) {
		t.Errorf("all unhealthy: %q", got)
	}
	if got := errors(instantly.StatusCampaignAccountSuspended, statusSpec{accounts: 2, disconnected: 1}); len(got) != 1 || !strings.HasSuffix(got[0], "/-3/3") || !strings.HasPrefix(got[0], "-1/") {
		t.Errorf("suspended: %q", got)
	}
	if got := demoAccounts(instantly.StatusHealthy, statusSpec{}, emails[:2], nil); got[0].provider != 2 || got[1].provider != 2 {
		t.Errorf("no ESPs: providers %d %d, want Google (2)", got[0].provider, got[1].provider)
	}
}

// The handler sees the request's Host, or the URL's host when the request
// has none.
func TestTransportHost(t *testing.T) {
	var seen string
	tr := NewTransport(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { seen = r.Host }))
	for host, want := range map[string]string{"": "x.example", "other.example": "other.example"} {
		req, _ := http.NewRequest(http.MethodGet, "http://x.example/p", nil)
		req.Host = host
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if seen != want {
			t.Errorf("Host %q: handler saw %q, want %q", host, seen, want)
		}
	}
}

// Which senders carry what: the ESP-match campaign's senders are all on
// Google (its waiting leads are on Outlook); the campaign's tag is on its
// first four senders, on all of them for accounts_unhealthy and
// out_of_schedule, and never for the Acme client tag.
func TestDemoAccountsProvidersAndTags(t *testing.T) {
	emails := senderEmails(6, 0)
	s := statusSpec{accounts: 6, esps: []int{2, 3}}
	for _, a := range demoAccounts(instantly.StatusWaitingForESPMatch, s, emails, nil) {
		if a.provider != 2 {
			t.Errorf("ESP match: %s on provider %d", a.email, a.provider)
		}
	}
	tagged := func(code string, tags []string) (n int) {
		for _, a := range demoAccounts(code, s, emails, tags) {
			if len(a.tags) > 0 {
				n++
			}
		}
		return n
	}
	for _, c := range []struct {
		code string
		tags []string
		want int
	}{
		{instantly.StatusHealthy, []string{"t1"}, 4},
		{instantly.StatusCampaignAccountsUnhealthy, []string{"t1"}, 6},
		{instantly.StatusOutOfSchedule, []string{"t1"}, 6},
		{instantly.StatusHealthy, []string{tagAcme}, 0},
		{instantly.StatusHealthy, nil, 0},
	} {
		if got := tagged(c.code, c.tags); got != c.want {
			t.Errorf("%s with tags %v: %d senders tagged, want %d", c.code, c.tags, got, c.want)
		}
	}
}
