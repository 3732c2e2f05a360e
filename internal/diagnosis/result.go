package diagnosis

import (
	"encoding/json"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// StatusResult is the structured content of the sending-status tools:
// Instantly's answer exactly as it came, and our analysis.
type StatusResult struct {
	Instantly *instantly.SendingStatus // nil only in tests
	Analysis  Analysis
}

// statusWire is StatusResult as JSON: Instantly's diagnostics and summary as
// Instantly sent them (null where absent), our analysis, then the other
// top-level members Instantly sent, in its order (an "analysis" of its own
// would be replaced by ours).
type statusWire struct {
	Diagnostics jsontext.Value `json:"diagnostics"`
	Summary     jsontext.Value `json:"summary"`
	Analysis    jsontext.Value `json:"analysis"`
	Rest        jsontext.Value `json:",embed"`
}

// MarshalJSON writes the result in the shape of statusWire.
func (r StatusResult) MarshalJSON() ([]byte, error) {
	var w statusWire
	if r.Instantly != nil && len(r.Instantly.Raw) > 0 {
		if err := jsonv2.Unmarshal(r.Instantly.Raw, &w); err != nil {
			return nil, err
		}
	}
	a, err := json.Marshal(r.Analysis)
	if err != nil {
		return nil, err
	}
	w.Analysis = a
	return jsonv2.Marshal(w)
}

// BuildStatusResult pairs Instantly's answer with our analysis.
func BuildStatusResult(kind, id string, st *instantly.SendingStatus, now time.Time) StatusResult {
	return StatusResult{Instantly: st, Analysis: Analyze(kind, id, st, now)}
}
