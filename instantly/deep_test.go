package instantly_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

var deepNow = time.Date(2026, 12, 1, 15, 40, 0, 0, time.UTC)

func deepClient(t *testing.T, ws *instantlytest.Workspace, opts ...instantlytest.Option) (*instantly.Client, *instantlytest.Handler) {
	t.Helper()
	h := instantlytest.NewHandler(ws, opts...)
	c, err := instantly.NewClient(instantlytest.DemoAPIKey, instantly.WithBaseURL("http://demo.invalid"),
		instantly.WithHTTPClient(&http.Client{Transport: instantlytest.NewTransport(h)}), instantly.WithBackoff(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return c, h
}

func TestGetCampaignDetails(t *testing.T) {
	c, _ := deepClient(t, instantlytest.DemoWorkspace(deepNow))
	id := instantlytest.DemoID(instantly.StatusOutOfSchedule)
	d, err := c.GetCampaignDetails(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != id || len(d.CampaignSchedule.Schedules) != 2 || d.CampaignSchedule.Schedules[0].Timezone != "Europe/Belgrade" ||
		len(d.EmailList) != 6 || len(d.EmailTagList) != 1 || len(d.Sequences) != 1 || len(d.Sequences[0].Steps) != 3 {
		t.Fatalf("campaign decoded as %+v", d)
	}
	if d.DailyLimit == nil || *d.DailyLimit != 180 {
		t.Fatalf("daily_limit %v", d.DailyLimit)
	}
	_, err = c.GetCampaignDetails(context.Background(), "019e0000-0000-7000-8000-0000000000ff")
	var er *instantly.ErrorResponse
	if !errors.As(err, &er) || er.StatusCode != 404 {
		t.Fatalf("unknown campaign: %v", err)
	}
}

func TestListAccountsPagingAndFilters(t *testing.T) {
	ws := instantlytest.DemoWorkspace(deepNow)
	c, _ := deepClient(t, ws)
	ctx := context.Background()
	seen := map[string]bool{}
	after := ""
	pages := 0
	for {
		p, err := c.ListAccounts(ctx, &instantly.ListAccountsOptions{Limit: 40, StartingAfter: after})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, a := range p.Items {
			if seen[a.Email] {
				t.Fatalf("%s on two pages", a.Email)
			}
			seen[a.Email] = true
		}
		if p.NextStartingAfter == "" {
			break
		}
		if !strings.Contains(p.NextStartingAfter, "&") {
			t.Fatalf("cursor %q is not timestamp_created&email", p.NextStartingAfter)
		}
		after = p.NextStartingAfter
	}
	if want := len(ws.Accounts()); len(seen) != want || pages != (want+39)/40 {
		t.Fatalf("%d accounts in %d pages, want %d", len(seen), pages, want)
	}

	st := -1
	p, err := c.ListAccounts(ctx, &instantly.ListAccountsOptions{Limit: 100, Status: &st})
	if err != nil || len(p.Items) == 0 {
		t.Fatalf("status=-1: %v %v", p, err)
	}
	for _, a := range p.Items {
		if a.Status == nil || *a.Status != -1 || a.StatusMessage.Text() == "" {
			t.Fatalf("status filter let through %+v", a)
		}
	}
	d, _ := c.GetCampaignDetails(ctx, instantlytest.DemoID(instantly.StatusCampaignAccountsUnhealthy))
	p, err = c.ListAccounts(ctx, &instantly.ListAccountsOptions{Limit: 100, TagIDs: d.EmailTagList, IncludeTags: true})
	if err != nil || len(p.Items) != 6 {
		t.Fatalf("tag filter: %d items, %v", len(p.Items), err)
	}
	for _, a := range p.Items {
		if len(a.Tags) != 1 || a.Tags[0].ID != d.EmailTagList[0] {
			t.Fatalf("include_tags: %+v", a.Tags)
		}
	}
	if _, err := c.ListAccounts(ctx, &instantly.ListAccountsOptions{TagIDs: []string{"not-a-uuid"}}); err == nil {
		t.Fatal("a bad tag id reached Instantly")
	}
}

func TestGetAccount(t *testing.T) {
	ws := instantlytest.DemoWorkspace(deepNow)
	c, _ := deepClient(t, ws)
	email := ws.Accounts()[0]
	a, err := c.GetAccount(context.Background(), email)
	if err != nil || a.Email != email {
		t.Fatalf("%+v %v", a, err)
	}
	_, err = c.GetAccount(context.Background(), "nobody@nowhere.example")
	var er *instantly.ErrorResponse
	if !errors.As(err, &er) || er.StatusCode != 404 {
		t.Fatalf("unknown account: %v", err)
	}
	if _, err := c.GetAccount(context.Background(), "../campaigns"); err == nil {
		t.Fatal("a path reached Instantly as an email")
	}
}

func TestAnalyticsSubsequencesVitals(t *testing.T) {
	ws := instantlytest.DemoWorkspace(deepNow)
	c, h := deepClient(t, ws)
	ctx := context.Background()
	an, err := c.GetCampaignAnalytics(ctx, instantlytest.DemoID(instantly.StatusWaitingForLeads))
	if err != nil || an == nil || an.LeadsCount != 1200 || an.ContactedCount != 1200 || an.CompletedCount != 1137 {
		t.Fatalf("analytics %+v %v", an, err)
	}
	if an, err := c.GetCampaignAnalytics(ctx, "019e0000-0000-7000-8000-0000000000ff"); err != nil || an != nil {
		t.Fatalf("unknown campaign's analytics: %+v %v", an, err)
	}

	d, _ := c.GetCampaignDetails(ctx, instantlytest.DemoCampaigns[0].ID)
	rows, err := c.GetAccountDailyAnalytics(ctx, d.EmailList, "2026-12-01", "2026-12-01")
	if err != nil || len(rows) != 10 {
		t.Fatalf("daily rows %d, %v", len(rows), err)
	}
	if _, err := c.GetAccountDailyAnalytics(ctx, nil, "", ""); err == nil {
		t.Fatal("daily analytics without emails reached Instantly (it answers 413)")
	}
	_, err = c.GetAccountDailyAnalytics(ctx, d.EmailList, "2026-12-02", "2026-12-01")
	var er *instantly.ErrorResponse
	if !errors.As(err, &er) || er.StatusCode != 400 || !strings.Contains(er.Message, "earlier") {
		t.Fatalf("start after end: %v", err)
	}

	parent := instantlytest.DemoID(instantly.StatusCampaignRunningSubsequences)
	sp, err := c.ListSubsequences(ctx, parent, 0, "")
	if err != nil || len(sp.Items) != 1 || sp.Items[0].ParentCampaign != parent || len(sp.Items[0].SubsequenceSchedule.Schedules) != 1 {
		t.Fatalf("subsequences %+v %v", sp, err)
	}

	v, err := c.TestAccountVitals(ctx, []string{"a@trynorthpeak.example", "b@trynorthpeak.example", "c@getnorthpeak.example"})
	if err != nil || len(v.FailureList) != 1 || len(v.SuccessList) != 1 {
		t.Fatalf("vitals %+v %v", v, err)
	}
	if f := v.FailureList[0].Failing(); strings.Join(f, ",") != "SPF,DMARC" {
		t.Fatalf("failing %v", f)
	}
	last := h.Requests()[len(h.Requests())-1]
	if last.Method != http.MethodPost || last.Path != "/api/v2/accounts/test/vitals" {
		t.Fatalf("vitals went out as %s %s", last.Method, last.Path)
	}
}

func TestScopeErrorsAreTyped(t *testing.T) {
	for _, status := range []int{401, 403} {
		c, _ := deepClient(t, instantlytest.DemoWorkspace(deepNow), instantlytest.WithScopeError(status, "accounts"))
		_, err := c.ListAccounts(context.Background(), nil)
		var er *instantly.ErrorResponse
		if !errors.As(err, &er) || er.StatusCode != status || er.Operation != "GET /api/v2/accounts" {
			t.Fatalf("%d: %v", status, err)
		}
		if _, err := c.GetCampaignDetails(context.Background(), instantlytest.DemoID(instantly.StatusHealthy)); err != nil {
			t.Fatalf("campaigns must still work: %v", err)
		}
	}
}

// A vitals POST is retried like a GET, body and all.
func TestVitalsPostRetried(t *testing.T) {
	ws := instantlytest.DemoWorkspace(deepNow)
	c, h := deepClient(t, ws)
	h.SetFault("", instantlytest.Fault{Status: 503, Times: 1})
	v, err := c.TestAccountVitals(context.Background(), []string{"a@trynorthpeak.example"})
	if err != nil || len(v.FailureList) != 1 {
		t.Fatalf("%+v %v", v, err)
	}
	if n := len(h.Requests()); n != 2 {
		t.Fatalf("%d requests, want 2 (one retry)", n)
	}
}

// status_message is an object by the docs; anything else is kept as text
// rather than failing the whole account list. warmup.increment may be a
// string or a number.
func TestAccountDecodingIsTolerant(t *testing.T) {
	ws := instantlytest.NewWorkspace()
	ws.AddAccount([]byte(`{"email":"a@x.example","status":-1,"status_message":"SMTP login failed","warmup":{"increment":2},"timestamp_created":"2026-01-01T00:00:00.000Z"}`))
	ws.AddAccount([]byte(`{"email":"b@x.example","status":-3,"status_message":{"code":"EENVELOPE","responseCode":550,"response":"550  5.4.5\n Daily   limit"},"warmup":{"increment":"disabled"},"timestamp_created":"2026-01-02T00:00:00.000Z"}`))
	c, _ := deepClient(t, ws)
	p, err := c.ListAccounts(context.Background(), nil)
	if err != nil || len(p.Items) != 2 {
		t.Fatalf("%+v %v", p, err)
	}
	a, b := p.Items[0], p.Items[1]
	if a.StatusMessage.Text() != "SMTP login failed" || string(*a.Warmup.Increment) != "2" {
		t.Fatalf("a: %+v %v", a.StatusMessage, *a.Warmup.Increment)
	}
	if b.StatusMessage.Text() != "550 5.4.5 Daily limit" || *b.StatusMessage.ResponseCode != 550 || string(*b.Warmup.Increment) != "disabled" {
		t.Fatalf("b: %+v", b.StatusMessage)
	}
}
