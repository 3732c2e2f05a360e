package e2etest

import (
	"encoding/json"
	"slices"
	"testing"
)

// completion/complete on the shipped server (the binary main builds), for
// both the prompt argument and the resource template argument. Capability
// tests run against this server, never one assembled in the test.
func TestCompletionOfTheShippedServer(t *testing.T) {
	s := startStdio(t, []string{"LOG_LEVEL=warn"}, "-demo")
	s.send(stdioInit,
		rpcReq(1, "completion/complete", `{"ref":{"type":"ref/resource","uri":"instantly://sending-status/codes/{code}"},"argument":{"name":"code","value":"dai"}}`),
		rpcReq(2, "completion/complete", `{"ref":{"type":"ref/prompt","name":"sending_status_remediation"},"argument":{"name":"status","value":"dai"}}`),
	)
	got := s.replies(3)
	for _, id := range []string{"1", "2"} {
		var res struct {
			Completion struct{ Values []string } `json:"completion"`
		}
		r := got[id]
		if r.Error != nil || json.Unmarshal(r.Result, &res) != nil || !slices.Contains(res.Completion.Values, "daily_limit_met") {
			t.Errorf("request %s: %+v %s", id, r.Error, r.Result)
		}
	}
}
