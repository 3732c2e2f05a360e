package diagnosis

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// StatusResult's JSON: Instantly's blocks as sent (null when absent), our
// analysis in place of any of Instantly's, Instantly's other members after.
func TestStatusResultJSON(t *testing.T) {
	an := Analysis{Kind: "campaign", ID: "c", Status: "x"}
	aj, err := json.Marshal(an)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		st   *instantly.SendingStatus
		want string
	}{
		{"no answer", nil, `{"diagnostics":null,"summary":null,"analysis":` + string(aj) + `}`},
		{"an answer without its text", &instantly.SendingStatus{}, `{"diagnostics":null,"summary":null,"analysis":` + string(aj) + `}`},
		{"an answer with more members", &instantly.SendingStatus{Raw: []byte(`{"extra":1,"summary":{"s":2},"analysis":"theirs","diagnostics":{"d":1},"z":[]}`)},
			`{"diagnostics":{"d":1},"summary":{"s":2},"analysis":` + string(aj) + `,"extra":1,"z":[]}`},
		{"an answer with spaces and escapes", &instantly.SendingStatus{Raw: []byte("{ \"diagnostics\" : { \"d\" : [ 1 , 2 ] },\n \"n\\u00e9\": \"a\\\"b\" }")},
			`{"diagnostics":{"d":[1,2]},"summary":null,"analysis":` + string(aj) + `,"n\u00e9":"a\"b"}`},
	} {
		got, err := json.Marshal(StatusResult{Instantly: c.st, Analysis: an})
		if err != nil || string(got) != c.want {
			t.Errorf("%s: %s, %v\nwant %s", c.name, got, err, c.want)
		}
	}
	for _, raw := range []string{`[1]`, `{"a":1,"a":2}`, `{"a":1} {}`, `{"a":}`, `{"a":1`} {
		if got, err := (StatusResult{Instantly: &instantly.SendingStatus{Raw: []byte(raw)}, Analysis: an}).MarshalJSON(); err == nil {
			t.Errorf("%s: %s, want an error", raw, got)
		}
	}
}

// BenchmarkStatusResultJSON: the structured content of one answer, from
// Instantly's bytes and our analysis.
func BenchmarkStatusResultJSON(b *testing.B) {
	raw := []byte(`{"diagnostics":{"campaign_id":"019a0000-0000-7000-8000-000000000001","last_updated":"2026-12-08T00:23:31.812Z",` +
		`"status":"account_daily_limit_met","issue_tracking":{"current_status_code":"account_daily_limit_met","issue_first_seen_at":"2026-12-07T21:15:31.812Z",` +
		`"consecutive_loops_with_issue":38,"last_healthy_send_at":"2026-12-07T21:13:31.812Z"},"accounts_summary":{"total_connected":10,"available":0,` +
		`"unavailable":{"daily_limit_hit":7,"slow_ramp_limit_hit":2,"disconnected":0,"global_gap_not_met":1}},"campaign_daily_limit":{"limit":300,"sent":184,"limit_hit":false},` +
		`"new_lead_limit":{"enabled":true,"limit":150,"contacted":97,"limit_hit":false},"schedule_status":{"in_schedule":true},` +
		`"send_one_by_one":{"enabled":false,"single_account_per_wait_gap":false},"follow_ups_waiting":{"count":63,"earliest_wait_time_seconds":0},` +
		`"esp_routing_status":{"enabled":false,"waiting_for_match":false,"connected_esps":[2,3]},"domain_limiter":{"active":true,"domains_at_limit":0},` +
		`"leads_status":{"no_leads_ready":false,"account_unavailable_skips":211,"delay_not_met_skips":0}},"summary":{"status":"account_daily_limit_met",` +
		`"status_message":"All 10 sending accounts have reached their daily limits","issue_started_at":"2026-12-07T21:15:31.812Z","last_healthy_send_at":"2026-12-07T21:13:31.812Z"}}`)
	st := &instantly.SendingStatus{Raw: raw}
	if err := json.Unmarshal(raw, st); err != nil {
		b.Fatal(err)
	}
	r := StatusResult{Instantly: st, Analysis: Analyze("campaign", "019a0000-0000-7000-8000-000000000001", st, time.Date(2026, 12, 8, 0, 25, 0, 0, time.UTC))}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}
