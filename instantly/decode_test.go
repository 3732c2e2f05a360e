package instantly

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ptr[T any](v T) *T { return &v }

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wantFull is the typed view of testdata/sending_status_full.json.
func wantFull() *SendingStatus {
	return &SendingStatus{
		Diagnostics: &Diagnostics{
			CampaignID:  "019e18e2-a52f-78e7-96f2-b33ee19bb50a",
			LastUpdated: "2026-05-11T21:12:43.288Z",
			Status:      ptr(StatusAccountDailyLimitMet),
			IssueTracking: &IssueTracking{
				CurrentStatusCode:         ptr(StatusAccountDailyLimitMet),
				IssueFirstSeenAt:          ptr("2026-05-11T08:00:12.001Z"),
				ConsecutiveLoopsWithIssue: ptr(37.0),
				LastHealthySendAt:         ptr("2026-05-11T07:58:40.120Z"),
			},
			AccountsSummary: &AccountsSummary{
				TotalConnected: ptr(5.0),
				Available:      ptr(0.0),
				Unavailable: &UnavailableAccounts{
					DailyLimitHit: ptr(3.0), SlowRampLimitHit: ptr(1.0), Disconnected: ptr(1.0), GlobalGapNotMet: ptr(0.0),
				},
			},
			CampaignDailyLimit: &CampaignDailyLimit{Limit: ptr(150.0), Sent: ptr(90.0), LimitHit: ptr(false)},
			NewLeadLimit:       &NewLeadLimit{Enabled: ptr(true), Contacted: ptr(25.0), LimitHit: ptr(false)},
			ScheduleStatus:     &ScheduleStatus{InSchedule: ptr(true)},
			SendOneByOne:       &SendOneByOne{Enabled: ptr(false), SingleAccountPerWaitGap: ptr(false)},
			FollowUpsWaiting:   &FollowUpsWaiting{Count: ptr(12.0), EarliestWaitTimeSeconds: ptr(3600.5)},
			ESPRoutingStatus:   &ESPRoutingStatus{Enabled: ptr(true), WaitingForMatch: ptr(false), ConnectedESPs: []float64{1, 2, 12}},
			DomainLimiter:      &DomainLimiter{Active: ptr(false), DomainsAtLimit: ptr(0.0)},
			LeadsStatus:        &LeadsStatus{NoLeadsReady: ptr(false), AccountUnavailableSkips: ptr(41.0), DelayNotMetSkips: ptr(7.0)},
		},
		Summary: &Summary{
			Status:            ptr(StatusAccountDailyLimitMet),
			StatusMessage:     ptr("All sending accounts have reached their daily limit. Sending resumes after midnight UTC."),
			IssueStartedAt:    ptr("2026-05-11T08:00:12.001Z"),
			LastHealthySendAt: ptr("2026-05-11T07:58:40.120Z"),
			AISummary: ptr("Your campaign is paused by account limits: 3 of 5 accounts hit their daily cap, one is ramping up " +
				"slowly and one is disconnected. Reconnect the disconnected account and consider raising the per-account " +
				"limit to about 30 emails/day, or add more sending accounts. Sending resumes automatically after midnight UTC."),
		},
	}
}

// TestRepairsInvalidUTF8: invalid bytes become U+FFFD in Raw and in the
// typed view; valid bodies are not touched.
func TestRepairsInvalidUTF8(t *testing.T) {
	body := []byte("{\"summary\": {\"status\": \"a\xffb\", \"new\": \"\xfe\"}, \"diagnostics\": null}")
	got, err := getBody(t, body, func(c *Client) (*SendingStatus, error) {
		return c.GetCampaignSendingStatus(context.Background(), testID, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "{\"summary\": {\"status\": \"a\uFFFDb\", \"new\": \"\uFFFD\"}, \"diagnostics\": null}"; string(got.Raw) != want {
		t.Errorf("Raw = %q, want %q", got.Raw, want)
	}
	if *got.Summary.Status != "a\uFFFDb" {
		t.Errorf("status = %q", *got.Summary.Status)
	}
}

func TestDecodeNulls(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *SendingStatus
	}{
		{"no data yet", `{"diagnostics": null, "summary": null}`, &SendingStatus{}},
		{"empty object", `{}`, &SendingStatus{}},
		{"null at the top", `null`, &SendingStatus{}},
		{"null fields and blocks", `{"diagnostics": {"campaign_id": "c", "last_updated": null, "status": null,
			"issue_tracking": null, "accounts_summary": {"unavailable": null, "available": null},
			"esp_routing_status": {"connected_esps": null}, "x": null}, "summary": {"ai_summary": null}}`,
			&SendingStatus{
				Diagnostics: &Diagnostics{CampaignID: "c", AccountsSummary: &AccountsSummary{}, ESPRoutingStatus: &ESPRoutingStatus{}},
				Summary:     &Summary{},
			}},
		{"missing optional blocks (out of schedule)", `{"diagnostics": {"campaign_id": "c", "last_updated": "t",
			"status": "out_of_schedule", "issue_tracking": {"consecutive_loops_with_issue": 0}}, "summary": {"status": "out_of_schedule"}}`,
			&SendingStatus{
				Diagnostics: &Diagnostics{CampaignID: "c", LastUpdated: "t", Status: ptr(StatusOutOfSchedule),
					IssueTracking: &IssueTracking{ConsecutiveLoopsWithIssue: ptr(0.0)}},
				Summary: &Summary{Status: ptr(StatusOutOfSchedule)},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got SendingStatus
			if err := decodeStrict([]byte(tt.in), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, &got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeWrongTypes(t *testing.T) {
	tests := []struct {
		in, path, wantMsg string
	}{
		{`{"diagnostics": {"campaign_daily_limit": {"limit": "100"}}}`, "diagnostics.campaign_daily_limit.limit", "got string, want number"},
		{`{"diagnostics": "healthy"}`, "diagnostics", "got string, want object"},
		{`{"diagnostics": {"status": 3}}`, "diagnostics.status", "got number, want string"},
		{`{"diagnostics": {"schedule_status": {"in_schedule": "yes"}}}`, "diagnostics.schedule_status.in_schedule", "got string, want boolean"},
		{`{"diagnostics": {"esp_routing_status": {"connected_esps": ["gmail"]}}}`, "diagnostics.esp_routing_status.connected_esps[0]", "got string, want number"},
		{`{"diagnostics": {"esp_routing_status": {"connected_esps": 1}}}`, "diagnostics.esp_routing_status.connected_esps", "got number, want array"},
		{`{"diagnostics": {"accounts_summary": {"unavailable": [1]}}}`, "diagnostics.accounts_summary.unavailable", "got array, want object"},
		{`{"diagnostics": {"accounts_summary": {"available": 1e400}}}`, "diagnostics.accounts_summary.available", "got number, want number within range"},
		{`{"summary": {"status": {"a": 1}}}`, "summary.status", "got object, want string"},
		{`[]`, "", "got array, want object"},
	}
	var page CampaignPage
	if err := decodeStrict([]byte(`{"items": [{"status": 1.5}]}`), &page); err == nil ||
		err.Error() != `JSON field "items[0].status": got number, want whole number within range` {
		t.Errorf("status 1.5: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got SendingStatus
			err := decodeStrict([]byte(tt.in), &got)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want *FieldError", err)
			}
			if fe.Path != tt.path || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("err = %q (path %q), want path %q and %q", err, fe.Path, tt.path, tt.wantMsg)
			}
		})
	}
	// Invalid JSON, a duplicate key and trailing data are syntax errors.
	for _, in := range []string{``, `{`, `{"diagnostics": {`, `{"a":}`, `nul`, `{"a":1}x`, `{"summary":null,"summary":{}}`} {
		var got SendingStatus
		var se *SyntaxError
		if err := decodeStrict([]byte(in), &got); !errors.As(err, &se) {
			t.Errorf("decodeStrict(%q) = %v, want a *SyntaxError", in, err)
		}
	}
}

func TestDecodeStrictKeys(t *testing.T) {
	// encoding/json matches keys case-insensitively; here only the exact
	// key fills a typed field.
	var d Diagnostics
	if err := decodeStrict([]byte(`{"STATUS": "healthy", "Campaign_Id": "x", "campaign\u005fid": "c"}`), &d); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Diagnostics{CampaignID: "c"}, d); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestTruncatedBeatsTypeMismatch(t *testing.T) {
	// The mismatch comes first, but the body is cut short: report that.
	var s SendingStatus
	err := decodeStrict([]byte(`{"diagnostics": {"status": 5, "campaign_id": "019e`), &s)
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Errorf("err = %v, want *SyntaxError", err)
	}
}

// A whole number out of range names the kind of number wanted, for every
// integer kind up to uint64 (1e400 fits none).
func TestOutOfRangeWholeNumbers(t *testing.T) {
	for name, v := range map[string]any{
		"int":    new(struct{ N int }),
		"int64":  new(struct{ N int64 }),
		"uint":   new(struct{ N uint }),
		"uint64": new(struct{ N uint64 }),
	} {
		err := decodeStrict([]byte(`{"N": 1e400}`), v)
		if err == nil || err.Error() != `JSON field "N": got number, want whole number within range` {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := decodeStrict([]byte(`{"N": 1e400}`), new(struct{ N float64 })); err == nil ||
		err.Error() != `JSON field "N": got number, want number within range` {
		t.Errorf("float64: %v", err)
	}
}
