package instantly

import (
	"context"
	"net/http"
	"testing"
)

// The related lists' parameters at their bounds:
// the exact query sent, or the exact refusal with no request.
func TestRelatedListParameters(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{
		"GET /api/v2/audit-logs":                              reply(200, `{"items":[]}`),
		"GET /api/v2/custom-tags":                             reply(200, `{"items":[]}`),
		"GET /api/v2/account-campaign-mappings/ops@acme.test": reply(200, `{"items":[]}`),
	})
	c := srv.client(t)
	ctx := context.Background()
	const tag = "019a3b7e-52c1-7d04-9e6a-8f1d2c3b4a50"
	for _, tc := range []struct {
		name, wantQuery, wantErr string
		call                     func() error
	}{
		{"audit limit 0", "", "", func() error { _, err := c.ListAuditLogs(ctx, &ListAuditLogsOptions{}); return err }},
		{"audit limit 1000", "limit=1000", "", func() error {
			_, err := c.ListAuditLogs(ctx, &ListAuditLogsOptions{Limit: 1000})
			return err
		}},
		{"audit limit 1001", "", "instantly: ListAuditLogs: limit must be between 1 and 1000 (0 for the API's default), got 1001", func() error {
			_, err := c.ListAuditLogs(ctx, &ListAuditLogsOptions{Limit: 1001})
			return err
		}},
		{"audit limit -1", "", "instantly: ListAuditLogs: limit must be between 1 and 1000 (0 for the API's default), got -1", func() error {
			_, err := c.ListAuditLogs(ctx, &ListAuditLogsOptions{Limit: -1})
			return err
		}},
		{"mappings limit 0", "starting_after=2026-11-01T00%3A00%3A00Z", "", func() error {
			_, err := c.GetAccountCampaignMappings(ctx, " ops@acme.test ", 0, "2026-11-01T00:00:00Z")
			return err
		}},
		{"mappings limit -1", "", "instantly: GetAccountCampaignMappings: limit must not be negative", func() error {
			_, err := c.GetAccountCampaignMappings(ctx, "ops@acme.test", -1, "")
			return err
		}},
		{"tags limit 0, empty id lists", "", "", func() error {
			_, err := c.ListCustomTags(ctx, &ListCustomTagsOptions{TagIDs: []string{}, ResourceIDs: []string{}})
			return err
		}},
		{"tags limit 100 with ids", "limit=100&resource_ids=r1%2Cr2&tag_ids=" + tag + "%2C" + tag, "", func() error {
			_, err := c.ListCustomTags(ctx, &ListCustomTagsOptions{Limit: 100, TagIDs: []string{tag, tag}, ResourceIDs: []string{"r1", "r2"}})
			return err
		}},
		{"tags limit 101", "", "instantly: ListCustomTags: limit must be between 1 and 100 (0 for the API's default), got 101", func() error {
			_, err := c.ListCustomTags(ctx, &ListCustomTagsOptions{Limit: 101})
			return err
		}},
		{"tags limit -1", "", "instantly: ListCustomTags: limit must be between 1 and 100 (0 for the API's default), got -1", func() error {
			_, err := c.ListCustomTags(ctx, &ListCustomTagsOptions{Limit: -1})
			return err
		}},
		{"tags bad id", "", "no id given: it must be a UUID such as 019e18e2-a52f-78e7-96f2-b33ee19bb50a", func() error {
			_, err := c.ListCustomTags(ctx, &ListCustomTagsOptions{TagIDs: []string{tag, " "}})
			return err
		}},
	} {
		before := srv.count()
		err := tc.call()
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr || srv.count() != before {
				t.Errorf("%s: err %v, %d requests; want %q, none", tc.name, err, srv.count()-before, tc.wantErr)
			}
			continue
		}
		if err != nil || srv.count() != before+1 {
			t.Errorf("%s: err %v, %d requests; want nil, 1", tc.name, err, srv.count()-before)
			continue
		}
		reqs := srv.requests()
		if q := reqs[len(reqs)-1].RawQuery; q != tc.wantQuery {
			t.Errorf("%s: query %q, want %q", tc.name, q, tc.wantQuery)
		}
	}
}
