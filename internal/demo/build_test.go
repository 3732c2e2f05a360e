package demo

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

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
