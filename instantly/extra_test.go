package instantly

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ptr[T any](v T) *T { return &v }

func raw(s string) json.RawMessage { return json.RawMessage(s) }

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wantFull is testdata/sending_status_full.json as typed values.
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
				Extra:                     map[string]json.RawMessage{"loop_interval_seconds": raw("300")},
			},
			AccountsSummary: &AccountsSummary{
				TotalConnected: ptr(5.0),
				Available:      ptr(0.0),
				Unavailable: &UnavailableAccounts{
					DailyLimitHit: ptr(3.0), SlowRampLimitHit: ptr(1.0), Disconnected: ptr(1.0), GlobalGapNotMet: ptr(0.0),
					Extra: map[string]json.RawMessage{"warmup_paused": raw("2")},
				},
			},
			CampaignDailyLimit: &CampaignDailyLimit{Limit: ptr(150.0), Sent: ptr(90.0), LimitHit: ptr(false)},
			NewLeadLimit:       &NewLeadLimit{Enabled: ptr(true), Contacted: ptr(25.0), LimitHit: ptr(false)},
			ScheduleStatus: &ScheduleStatus{InSchedule: ptr(true),
				Extra: map[string]json.RawMessage{"next_window_start": raw(`"2026-05-12T08:00:00.000Z"`)}},
			SendOneByOne:     &SendOneByOne{Enabled: ptr(false), SingleAccountPerWaitGap: ptr(false)},
			FollowUpsWaiting: &FollowUpsWaiting{Count: ptr(12.0), EarliestWaitTimeSeconds: ptr(3600.5)},
			ESPRoutingStatus: &ESPRoutingStatus{Enabled: ptr(true), WaitingForMatch: ptr(false), ConnectedESPs: []float64{1, 2, 12}},
			DomainLimiter:    &DomainLimiter{Active: ptr(false), DomainsAtLimit: ptr(0.0)},
			LeadsStatus:      &LeadsStatus{NoLeadsReady: ptr(false), AccountUnavailableSkips: ptr(41.0), DelayNotMetSkips: ptr(7.0)},
			Extra: map[string]json.RawMessage{
				"warmup_health": raw(`{"score": 97.5, "tags": ["gmail", "outlook"], "notes": null}`),
			},
		},
		Summary: &Summary{
			Status:            ptr(StatusAccountDailyLimitMet),
			StatusMessage:     ptr("All sending accounts have reached their daily limit. Sending resumes after midnight UTC."),
			IssueStartedAt:    ptr("2026-05-11T08:00:12.001Z"),
			LastHealthySendAt: ptr("2026-05-11T07:58:40.120Z"),
			AISummary: ptr("Your campaign is paused by account limits: 3 of 5 accounts hit their daily cap, one is ramping up " +
				"slowly and one is disconnected. Reconnect the disconnected account and consider raising the per-account " +
				"limit to about 30 emails/day, or add more sending accounts. Sending resumes automatically after midnight UTC."),
			Extra: map[string]json.RawMessage{"severity": raw(`"warning"`)},
		},
		Extra: map[string]json.RawMessage{
			"request_id":   raw(`"req_7Hq2m\u00e9 \"quoted\""`),
			"generated_at": raw("1778533963288"),
		},
	}
}

func TestDecodeFull(t *testing.T) {
	body := readFixture(t, "sending_status_full.json")
	for name, decode := range map[string]func([]byte, *SendingStatus) error{
		"json.Unmarshal": func(b []byte, s *SendingStatus) error { return json.Unmarshal(b, s) },
		"decodeOwned":    decodeOwned[SendingStatus],
	} {
		t.Run(name, func(t *testing.T) {
			var got SendingStatus
			if err := decode(body, &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantFull(), &got); diff != "" {
				t.Errorf("decode mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRoundTripKeepsUnknownFields: unknown keys, top level and nested, come
// back out with the same bytes and the same meaning.
func TestRoundTripKeepsUnknownFields(t *testing.T) {
	body := readFixture(t, "sending_status_full.json")
	var ss SendingStatus
	if err := json.Unmarshal(body, &ss); err != nil {
		t.Fatal(err)
	}
	out, err := ss.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	// Same document, compared as generic JSON (numbers kept as written),
	// except that a typed field sent as null is omitted (omitempty).
	in := generic(t, body)
	delete(in.(map[string]any)["diagnostics"].(map[string]any)["new_lead_limit"].(map[string]any), "limit")
	if diff := cmp.Diff(in, generic(t, out)); diff != "" {
		t.Errorf("round trip changed the document (-in +out):\n%s", diff)
	}
	// Every unknown value is written with its original bytes (direct
	// MarshalJSON of the level that holds it).
	for _, want := range []string{`"request_id":"req_7Hq2m\u00e9 \"quoted\""`, `"generated_at":1778533963288`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("top-level output lacks %s:\n%s", want, out)
		}
	}
	diag, err := ss.Diagnostics.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if want := `"warmup_health":{"score": 97.5, "tags": ["gmail", "outlook"], "notes": null}`; !bytes.Contains(diag, []byte(want)) {
		t.Errorf("diagnostics output lacks %s:\n%s", want, diag)
	}
	// A second trip is a fixed point.
	var again SendingStatus
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatal(err)
	}
	out2, err := json.Marshal(&again)
	if err != nil {
		t.Fatal(err)
	}
	out1, _ := json.Marshal(&ss)
	if !bytes.Equal(out1, out2) {
		t.Errorf("encoding is not stable:\n%s\n%s", out1, out2)
	}
}

func generic(t testing.TB, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return v
}

func TestDecodeNulls(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *SendingStatus
	}{
		{"no data yet", `{"diagnostics": null, "summary": null}`, &SendingStatus{}},
		{"empty object", `{}`, &SendingStatus{}},
		{"null fields and blocks", `{"diagnostics": {"campaign_id": "c", "last_updated": null, "status": null,
			"issue_tracking": null, "accounts_summary": {"unavailable": null, "available": null},
			"esp_routing_status": {"connected_esps": null}, "x": null}, "summary": {"ai_summary": null}}`,
			&SendingStatus{
				Diagnostics: &Diagnostics{CampaignID: "c", AccountsSummary: &AccountsSummary{},
					ESPRoutingStatus: &ESPRoutingStatus{}, Extra: map[string]json.RawMessage{"x": raw("null")}},
				Summary: &Summary{},
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
			if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, &got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			out, err := json.Marshal(&got)
			if err != nil {
				t.Fatal(err)
			}
			var back SendingStatus
			if err := json.Unmarshal(out, &back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&got, &back); diff != "" {
				t.Errorf("round trip (-first +second):\n%s", diff)
			}
		})
	}
	// null at the top leaves the value alone, as encoding/json does.
	s := &Summary{Status: ptr("x")}
	if err := s.UnmarshalJSON([]byte("null")); err != nil || *s.Status != "x" {
		t.Errorf("null: err %v, value %+v", err, s)
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
		{`{"diagnostics": {"esp_routing_status": {"connected_esps": ["gmail"]}}}`, "diagnostics.esp_routing_status.connected_esps", "got string, want number"},
		{`{"diagnostics": {"esp_routing_status": {"connected_esps": 1}}}`, "diagnostics.esp_routing_status.connected_esps", "got number, want array"},
		{`{"diagnostics": {"accounts_summary": {"unavailable": [1]}}}`, "diagnostics.accounts_summary.unavailable", "got array, want object"},
		{`{"diagnostics": {"accounts_summary": {"available": 1e400}}}`, "diagnostics.accounts_summary.available", "got number 1e400"},
		{`{"summary": {"status": {"a": 1}}}`, "summary.status", "got object, want string"},
		{`[]`, "", "got array, want object"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got SendingStatus
			err := json.Unmarshal([]byte(tt.in), &got)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want *FieldError", err)
			}
			if fe.Path != tt.path || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("err = %q (path %q), want path %q and %q", err, fe.Path, tt.path, tt.wantMsg)
			}
		})
	}
	// Invalid JSON is a syntax error, not a panic.
	for _, in := range []string{``, `{`, `{"diagnostics": {`, `{"a":}`, `nul`, `{"a":1}x`} {
		var got SendingStatus
		if err := got.UnmarshalJSON([]byte(in)); err == nil {
			t.Errorf("UnmarshalJSON(%q) = nil error", in)
		}
	}
}

func TestDecodeStrictKeys(t *testing.T) {
	// encoding/json matches keys case-insensitively; here only the exact
	// key fills a typed field, and the other spelling is kept as unknown.
	var d Diagnostics
	if err := json.Unmarshal([]byte(`{"STATUS": "healthy", "campaign\u005fid": "c"}`), &d); err != nil {
		t.Fatal(err)
	}
	want := Diagnostics{CampaignID: "c", Extra: map[string]json.RawMessage{"STATUS": raw(`"healthy"`)}}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDecodeCopiesExtra(t *testing.T) {
	in := []byte(`{"new": [1, 2]}`)
	var s Summary
	if err := json.Unmarshal(in, &s); err != nil {
		t.Fatal(err)
	}
	copy(in, bytes.Repeat([]byte("x"), len(in)))
	if got := string(s.Extra["new"]); got != "[1, 2]" {
		t.Errorf("Extra aliases the input: %q", got)
	}
}

func TestMarshalExtra(t *testing.T) {
	s := Summary{
		Status: ptr("healthy"),
		Extra: map[string]json.RawMessage{
			"status":  raw(`"shadowed"`), // a typed key in Extra never duplicates it
			"b":       raw(`2`),
			"a":       raw(` {"x" : 1} `),
			"nil":     nil,
			"<html>":  raw(`true`),
			"quote\"": raw(`"q"`),
		},
	}
	out, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"status":"healthy","\u003chtml\u003e":true,"a":{"x":1},"b":2,"nil":null,"quote\"":"q"}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
	s.Extra = map[string]json.RawMessage{"bad": raw(`{`)}
	if _, err := json.Marshal(s); err == nil {
		t.Error("invalid Extra value marshalled without error")
	}
	// Campaign values in a slice use the value-receiver MarshalJSON.
	page := CampaignPage{Items: []Campaign{{ID: "i", Name: "n", Extra: map[string]json.RawMessage{"pl_value": raw("1")}}}}
	out, err = json.Marshal(page)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"pl_value":1`)) {
		t.Errorf("campaign Extra lost: %s", out)
	}
}

func TestEveryTypeHasExtraMethods(t *testing.T) {
	// Each type decodes an unknown key into Extra and writes it back.
	types := map[string]interface {
		json.Marshaler
		json.Unmarshaler
	}{
		"SendingStatus": &SendingStatus{}, "Diagnostics": &Diagnostics{}, "IssueTracking": &IssueTracking{},
		"AccountsSummary": &AccountsSummary{}, "UnavailableAccounts": &UnavailableAccounts{},
		"CampaignDailyLimit": &CampaignDailyLimit{}, "NewLeadLimit": &NewLeadLimit{},
		"ScheduleStatus": &ScheduleStatus{}, "SendOneByOne": &SendOneByOne{},
		"FollowUpsWaiting": &FollowUpsWaiting{}, "ESPRoutingStatus": &ESPRoutingStatus{},
		"DomainLimiter": &DomainLimiter{}, "LeadsStatus": &LeadsStatus{}, "Summary": &Summary{}, "Campaign": &Campaign{},
	}
	for name, v := range types {
		if err := v.UnmarshalJSON([]byte(`{"zz_new_field": {"nested": [true, null]}}`)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out, err := v.MarshalJSON()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.HasSuffix(out, []byte(`"zz_new_field":{"nested": [true, null]}}`)) {
			t.Errorf("%s: %s", name, out)
		}
	}
}

func TestTruncatedBeatsTypeMismatch(t *testing.T) {
	// The mismatch comes first, but the body is cut short: report that.
	var s SendingStatus
	err := decodeOwned([]byte(`{"diagnostics": {"status": 5, "campaign_id": "019e`), &s)
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Errorf("err = %v, want *SyntaxError", err)
	}
}
