package diagnosis

import (
	"encoding/json"
	"testing"

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
	} {
		got, err := json.Marshal(StatusResult{Instantly: c.st, Analysis: an})
		if err != nil || string(got) != c.want {
			t.Errorf("%s: %s, %v\nwant %s", c.name, got, err, c.want)
		}
	}
	if got, err := (StatusResult{Instantly: &instantly.SendingStatus{Raw: []byte(`[1]`)}, Analysis: an}).MarshalJSON(); err == nil {
		t.Errorf("an answer that is not an object: %s, want an error", got)
	}
}
