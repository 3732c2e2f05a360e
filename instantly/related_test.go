package instantly_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

func TestListAuditLogs(t *testing.T) {
	c, h := deepClient(t, instantlytest.DemoWorkspace(deepNow))
	ctx := context.Background()
	paused := instantlytest.DemoID(instantly.StatusCampaignPaused)
	p, err := c.ListAuditLogs(ctx, &instantly.ListAuditLogsOptions{Limit: 100, ActivityType: instantly.AuditCampaignPause, StartDate: "2026-11-01", EndDate: "2026-12-01"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 {
		t.Fatalf("%d pause records, want 2: %+v", len(p.Items), p.Items)
	}
	// Newest first in the fake: the paused campaign's pause (3 days ago),
	// then another campaign's API pause (10 days ago).
	got := p.Items[0]
	if got.ActivityType != instantly.AuditCampaignPause || got.CampaignID == nil || *got.CampaignID != paused ||
		got.UserName == nil || *got.UserName != "Dana Whitfield" || got.FromAPI || got.Timestamp != "2026-11-28T15:40:00.000Z" {
		t.Fatalf("first record %+v %q %q", got, *got.CampaignID, *got.UserName)
	}
	if o := p.Items[1]; !o.FromAPI || o.APIKeyID == nil || o.UserName != nil {
		t.Fatalf("API pause record %+v", o)
	}
	q, _ := url.ParseQuery(h.Requests()[0].RawQuery)
	if q.Get("activity_type") != "5" || q.Get("limit") != "100" || q.Get("start_date") != "2026-11-01" || q.Get("end_date") != "2026-12-01" {
		t.Fatalf("query %v", q)
	}
	// Paging: one record a page, the cursor is the last id.
	p1, err := c.ListAuditLogs(ctx, &instantly.ListAuditLogsOptions{Limit: 1})
	if err != nil || len(p1.Items) != 1 || p1.NextStartingAfter != p1.Items[0].ID {
		t.Fatalf("page 1 %+v %v", p1, err)
	}
	p2, err := c.ListAuditLogs(ctx, &instantly.ListAuditLogsOptions{Limit: 1, StartingAfter: p1.NextStartingAfter})
	if err != nil || len(p2.Items) != 1 || p2.Items[0].ID == p1.Items[0].ID {
		t.Fatalf("page 2 %+v %v", p2, err)
	}
	for _, bad := range []int{-1, 1001} {
		if _, err := c.ListAuditLogs(ctx, &instantly.ListAuditLogsOptions{Limit: bad}); err == nil {
			t.Fatalf("limit %d accepted", bad)
		}
	}
	// A start after the end: Instantly's 400, typed.
	_, err = c.ListAuditLogs(ctx, &instantly.ListAuditLogsOptions{StartDate: "2026-12-02", EndDate: "2026-12-01"})
	var er *instantly.ErrorResponse
	if !errors.As(err, &er) || er.StatusCode != 400 {
		t.Fatalf("dates reversed: %v", err)
	}
}

func TestGetAccountCampaignMappings(t *testing.T) {
	ws := instantlytest.DemoWorkspace(deepNow)
	c, _ := deepClient(t, ws)
	ctx := context.Background()
	capped := instantlytest.DemoID(instantly.StatusAccountDailyLimitMet)
	first := ws.Accounts()[0]
	var email string
	// The first sender of the campaign at its accounts' limit.
	cd, err := c.GetCampaignDetails(ctx, capped)
	if err != nil {
		t.Fatal(err)
	}
	email = cd.EmailList[0]
	p, err := c.GetAccountCampaignMappings(ctx, email, 100, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 || p.Items[1].CampaignID != capped && p.Items[0].CampaignID != capped {
		t.Fatalf("mappings %+v", p.Items)
	}
	for _, m := range p.Items {
		if m.CampaignName == "" || m.TimestampCreated == "" || m.Status == nil || *m.Status != instantly.CampaignStatusActive {
			t.Fatalf("mapping %+v", m)
		}
	}
	// Paging by timestamp.
	p1, err := c.GetAccountCampaignMappings(ctx, email, 1, "")
	if err != nil || len(p1.Items) != 1 || p1.NextStartingAfter != p1.Items[0].TimestampCreated {
		t.Fatalf("page 1 %+v %v", p1, err)
	}
	// An account without mappings: an empty list; an unknown one: 404.
	if p, err := c.GetAccountCampaignMappings(ctx, first, 0, ""); err != nil || p == nil {
		t.Fatalf("%s: %+v %v", first, p, err)
	}
	_, err = c.GetAccountCampaignMappings(ctx, "nobody@nowhere.example", 0, "")
	var er *instantly.ErrorResponse
	if !errors.As(err, &er) || er.StatusCode != 404 || er.Operation != "GET /api/v2/account-campaign-mappings/{email}" {
		t.Fatalf("unknown account: %v", err)
	}
	for _, bad := range []string{"", "no-at-sign", "a@b/c"} {
		if _, err := c.GetAccountCampaignMappings(ctx, bad, 0, ""); err == nil {
			t.Fatalf("%q accepted", bad)
		}
	}
}

func TestListCustomTags(t *testing.T) {
	c, h := deepClient(t, instantlytest.DemoWorkspace(deepNow))
	ctx := context.Background()
	acme := "019a3b7e-8e57-7c83-b1d5-6f2a9c4e8b55"
	p, err := c.ListCustomTags(ctx, &instantly.ListCustomTagsOptions{Limit: 100, TagIDs: []string{acme}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || p.Items[0].ID != acme || !strings.HasPrefix(p.Items[0].Label, "Acme Corp") || p.Items[0].Description == nil {
		t.Fatalf("%+v", p.Items)
	}
	q, _ := url.ParseQuery(h.Requests()[0].RawQuery)
	if q.Get("tag_ids") != acme || q.Get("limit") != "100" {
		t.Fatalf("query %v", q)
	}
	all, err := c.ListCustomTags(ctx, &instantly.ListCustomTagsOptions{Limit: 100})
	if err != nil || len(all.Items) != 5 {
		t.Fatalf("%+v %v", all, err)
	}
	if _, err := c.ListCustomTags(ctx, &instantly.ListCustomTagsOptions{TagIDs: []string{"not-a-uuid"}}); err == nil {
		t.Fatal("a tag id that is no UUID went out")
	}
	if _, err := c.ListCustomTags(ctx, &instantly.ListCustomTagsOptions{Limit: 101}); err == nil {
		t.Fatal("limit 101 accepted")
	}
	// Accounts listed with include_tags carry the same label.
	ap, err := c.ListAccounts(ctx, &instantly.ListAccountsOptions{Limit: 100, IncludeTags: true, TagIDs: []string{"019a3b7e-52c1-7d04-9e6a-8f1d2c3b4a50"}})
	if err != nil || len(ap.Items) == 0 || len(ap.Items[0].Tags) != 1 || ap.Items[0].Tags[0].Label != "Black Friday senders" {
		t.Fatalf("%+v %v", ap, err)
	}
}

// A key without the scope gets a typed 401/403 from each related endpoint,
// and its key never shows in the error.
func TestRelatedScopeErrors(t *testing.T) {
	for _, res := range []string{"audit_logs", "account_campaign_mappings", "custom_tags"} {
		c, _ := deepClient(t, instantlytest.DemoWorkspace(deepNow), instantlytest.WithScopeError(403, res))
		ctx := context.Background()
		var err error
		switch res {
		case "audit_logs":
			_, err = c.ListAuditLogs(ctx, nil)
		case "account_campaign_mappings":
			_, err = c.GetAccountCampaignMappings(ctx, "alex@northpeakhq.example", 0, "")
		case "custom_tags":
			_, err = c.ListCustomTags(ctx, nil)
		}
		var er *instantly.ErrorResponse
		if !errors.As(err, &er) || er.StatusCode != 403 {
			t.Fatalf("%s: %v", res, err)
		}
		if strings.Contains(err.Error(), instantlytest.DemoAPIKey) {
			t.Fatalf("%s: the key leaked: %v", res, err)
		}
	}
}
