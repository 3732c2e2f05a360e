package demo

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/schedule"
)

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

	headline, _ := w.Campaign(DemoCampaigns[0].ID)
	senders := headline.EmailList
	if len(senders) != 10 || len(d.mappings) != 10 {
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
	if len(ids) != 5 || !slices.IsSortedFunc(ids, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
		t.Errorf("tags not by id: %v", ids)
	}
	// The second campaign's senders follow the first one's ten.
	if second, _ := w.Campaign(DemoCampaigns[1].ID); len(second.EmailList) != 8 || second.EmailList[0] != "quinn@northpeakhq.example" ||
		second.EmailList[2] != "alex@getnorthpeak.example" {
		t.Errorf("second campaign's senders %v", second.EmailList)
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
	w := DemoWorkspace(testNow)
	for _, e := range DemoCampaigns {
		var c instantly.CampaignDetails
		if raw, ok := w.campaignDetails(e.ID); !ok || e.Kind != KindCampaign || json.Unmarshal(raw, &c) != nil {
			continue
		}
		var disabled []int
		for i, st := range c.Sequences[0].Steps {
			for _, v := range st.Variants {
				if v.VDisabled != nil && *v.VDisabled {
					disabled = append(disabled, i+1)
				}
			}
		}
		want := []int(nil)
		if e.Code == instantly.StatusCampaignDraft {
			want = []int{2, 2}
		}
		if !reflect.DeepEqual(disabled, want) {
			t.Errorf("%s: disabled variants in steps %v, want %v", e.Name, disabled, want)
		}
	}
}

// Every demo campaign's analytics row is coherent: no more contacted than
// leads, no more completed, bounced or unsubscribed than contacted, at
// least one email per contacted lead.
func TestDemoLeadsRows(t *testing.T) {
	d := DemoWorkspace(testNow).deepData()
	for _, e := range DemoCampaigns {
		if e.Kind != KindCampaign {
			continue
		}
		var r instantly.CampaignAnalytics
		if err := json.Unmarshal(d.analytics[e.ID], &r); err != nil {
			t.Fatalf("%s: %v", e.Name, err)
		}
		if r.ContactedCount > r.LeadsCount || r.CompletedCount > r.ContactedCount || r.BouncedCount > r.ContactedCount ||
			r.UnsubscribedCount > r.ContactedCount || r.EmailsSentCount < r.ContactedCount {
			t.Errorf("%s: incoherent leads row %+v", e.Name, r)
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
	for _, e := range DemoCampaigns {
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

// Each campaign's senders are in the states its accounts_summary counts, in
// order: at their daily limit (30 of 30 sent today), held by the slow ramp,
// in error, waiting for the 30-minute gap, then fine. The errors come in
// turn (SMTP login, daily limit, soft bounce, IMAP login; all unhealthy:
// IMAP, soft bounce, SMTP); the suspended sender is a Microsoft one out of
// warmup.
func TestDemoAccountsStates(t *testing.T) {
	w := DemoWorkspace(testNow)
	store := w.deepData()
	wantErrors := map[string]string{
		instantly.StatusCampaignAccountsUnhealthy: "-1/EAUTH/1/2 -3/EENVELOPE/1/3",
		instantly.StatusAllAccountsUnhealthy:      "-1/AUTHENTICATIONFAILED/1/3 -2/EENVELOPE/1/3 -1/EAUTH/1/3",
		instantly.StatusCampaignAccountSuspended:  "-1/EAUTH/-3/3",
	}
	for _, x := range campaignsWithDiagnostics(w) {
		e, c := x.entry, x.campaign
		if x.diag.AccountsSummary == nil {
			continue
		}
		u := x.diag.AccountsSummary.Unavailable
		ends := []float64{deref(u.DailyLimitHit)}
		for _, n := range []*float64{u.SlowRampLimitHit, u.Disconnected, u.GlobalGapNotMet} {
			ends = append(ends, ends[len(ends)-1]+deref(n))
		}
		var errs []string
		for i, email := range c.EmailList {
			var a instantly.Account
			if err := json.Unmarshal(store.byEmail[email].json, &a); err != nil {
				t.Fatal(err)
			}
			state := 4 // fine
			switch {
			case deref(a.Status) < 0:
				state = 2
				errs = append(errs, fmt.Sprintf("%v/%s/%v/%v", deref(a.Status), a.StatusMessage.Code, a.WarmupStatus, a.ProviderCode))
			case a.EnableSlowRamp != nil && *a.EnableSlowRamp:
				state = 1
			case deref(a.SendingGap) == 30:
				state = 3
			case sentToday(t, store, email) == 30:
				state = 0
			}
			want := 4
			for k := len(ends) - 1; k >= 0; k-- {
				if float64(i) < ends[k] {
					want = k
				}
			}
			if state != want {
				t.Errorf("%s: sender %d (%s) in state %d, want %d", e.Name, i, email, state, want)
			}
		}
		if w, ok := wantErrors[e.Code]; ok && strings.Join(errs, " ") != w {
			t.Errorf("%s: errors %q, want %q", e.Name, errs, w)
		}
	}
}

// sentToday is what the daily counts say email sent at testNow.
func sentToday(t *testing.T, d *deepStore, email string) float64 {
	for _, raw := range d.daily[email] {
		var r instantly.AccountDailyAnalytics
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		if r.Date == testNow.Format(time.DateOnly) {
			return r.Sent
		}
	}
	return 0
}

// Which senders carry what: each sender is on one of its campaign's
// connected ESPs, and the ESP-match campaign's are all on Google (its
// waiting leads are on Outlook); the campaign's tag is on its first four
// senders, on all of them for accounts_unhealthy and out_of_schedule, and
// never for the Acme client tag.
func TestDemoAccountsProvidersAndTags(t *testing.T) {
	w := DemoWorkspace(testNow)
	d := w.deepData()
	const acme = "019a3b7e-8e57-7c83-b1d5-6f2a9c4e8b55"
	for _, x := range campaignsWithDiagnostics(w) {
		e, c := x.entry, x.campaign
		if x.diag.ESPRoutingStatus == nil {
			continue
		}
		esps := x.diag.ESPRoutingStatus.ConnectedESPs
		tagged := 0
		for _, email := range c.EmailList {
			var a instantly.Account
			if err := json.Unmarshal(d.byEmail[email].json, &a); err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(esps, a.ProviderCode) && len(esps) > 0 || e.Code == instantly.StatusWaitingForESPMatch && a.ProviderCode != 2 {
				t.Errorf("%s: %s on provider %v, ESPs %v", e.Name, email, a.ProviderCode, esps)
			}
			if len(c.EmailTagList) > 0 && slices.Contains(d.byEmail[email].tags, c.EmailTagList[0]) {
				tagged++
			}
		}
		want := min(4, len(c.EmailList))
		switch {
		case len(c.EmailTagList) == 0 || c.EmailTagList[0] == acme:
			want = 0
		case e.Code == instantly.StatusCampaignAccountsUnhealthy || e.Code == instantly.StatusOutOfSchedule:
			want = len(c.EmailList)
		}
		if tagged != want {
			t.Errorf("%s: %d senders carry its tag, want %d", e.Name, tagged, want)
		}
	}
}

// The demo's cross-check data agrees with each campaign's sending status
// whatever the hour (the senders' states: TestDemoAccountsStates): the
// schedule open now unless the code is out_of_schedule, every sender found,
// every tag carried by its campaign's senders only, every subsequence's
// schedule readable.
func TestDemoDeepDataAgreesWithStatus(t *testing.T) {
	for _, now := range []time.Time{
		time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 8, 8, 30, 0, 0, time.UTC),    // America/Chicago springs forward
		time.Date(2026, 11, 29, 23, 59, 0, 0, time.UTC), // Sunday night UTC
	} {
		w := DemoWorkspace(now)
		d := w.deepData()
		tagOwner := map[string]string{}
		for _, e := range DemoCampaigns {
			if e.Kind != KindCampaign {
				continue
			}
			var c instantly.CampaignDetails
			if err := json.Unmarshal(d.details[e.ID], &c); err != nil {
				t.Fatalf("%s: %v", e.Name, err)
			}
			r := schedule.Next(c.CampaignSchedule, now)
			open := r.Next != nil && !r.Next.Start.After(now)
			if e.Code == instantly.StatusCampaignCompleted {
				if !r.EndDatePassed {
					t.Errorf("%s at %v: completed, but its end date has not passed", e.Name, now)
				}
				continue
			}
			if open != (e.Code != instantly.StatusOutOfSchedule) {
				t.Errorf("%s (%s) at %v: schedule open now = %v (%+v, %q)", e.Name, e.Code, now, open, r.Next, r.Problems)
			}
			for _, email := range c.EmailList {
				a, ok := d.byEmail[strings.ToLower(email)]
				if !ok {
					t.Fatalf("%s: sender %s has no account", e.Name, email)
				}
				for _, tag := range a.tags {
					if o, seen := tagOwner[tag]; seen && o != e.ID {
						t.Errorf("tag %s carried by senders of two campaigns", tag)
					}
					tagOwner[tag] = e.ID
				}
			}
		}
		for parent, subs := range d.subs { // the subsequences' schedules read too
			for _, s := range subs {
				var info instantly.SubsequenceInfo
				if err := json.Unmarshal(s.json, &info); err != nil || info.ParentCampaign != parent || len(info.SubsequenceSchedule.Schedules) != 1 {
					t.Errorf("subsequence %s: %+v, %v", s.id, info, err)
				}
			}
		}
	}
}

// Each placeholder at a fixed moment (Wednesday 2026-11-25 01:30 UTC), and
// the ones the data must never hold.
func TestPlaceholders(t *testing.T) {
	now := time.Date(2026, 11, 25, 1, 30, 0, 0, time.UTC)
	for p, want := range map[string]string{
		"now":                                    `"2026-11-25T01:30:00.000Z"`,
		"now-2d3h10m":                            `"2026-11-22T22:20:00.000Z"`,
		"now+3d500ms":                            `"2026-11-28T01:30:00.500Z"`,
		"date now-2h":                            `"2026-11-24"`,
		"date now Australia/Melbourne":           `"2026-11-25"`,
		"date now America/Chicago":               `"2026-11-24"`,
		"hours around now Europe/Belgrade":       `{"from":"00:00","to":"09:00"}`,
		"hours around now Asia/Kolkata":          `{"from":"04:00","to":"13:00"}`,
		"hours 8 from now+20h Europe/Belgrade":   `{"from":"22:00","to":"23:59"}`,
		"hours 2 from now+1h UTC":                `{"from":"02:00","to":"04:00"}`,
		"weekdays and now-2h America/Chicago":    `{"0":false,"1":true,"2":true,"3":true,"4":true,"5":true,"6":false}`,
		"weekdays and now+4d Europe/Isle_of_Man": `{"0":true,"1":true,"2":true,"3":true,"4":true,"5":true,"6":false}`,
		"date now-1d Nowhere/Atlantis":           "error",
		"now-2x":                                 "error",
		"now 3d":                                 "error",
		"tomorrow":                               "error",
		"hours around then UTC":                  "error",
		"hours eight from now UTC":               "error",
	} {
		got, err := expand(p, now)
		if err != nil {
			got = []byte("error")
		}
		if string(got) != want {
			t.Errorf("{{%s}} = %s (%v), want %s", p, got, err, want)
		}
	}
	// Instantly's own variables in a sequence are not placeholders.
	if b := placeholder.Find([]byte(`"{{firstName}}"`)); b != nil {
		t.Errorf("%s taken for a placeholder", b)
	}
}

// demoCampaign is a demo campaign with its Campaign object and diagnostics.
type demoCampaign struct {
	entry    DemoEntry
	campaign instantly.Campaign
	diag     *instantly.Diagnostics
}

// campaignsWithDiagnostics is each demo campaign of w that has diagnostics.
func campaignsWithDiagnostics(w *Workspace) (out []demoCampaign) {
	for _, e := range DemoCampaigns {
		c, _ := w.Campaign(e.ID)
		body, _ := w.SendingStatus(e.ID)
		var st instantly.SendingStatus
		if e.Kind == KindCampaign && json.Unmarshal(body, &st) == nil && st.Diagnostics != nil {
			out = append(out, demoCampaign{e, c, st.Diagnostics})
		}
	}
	return out
}
