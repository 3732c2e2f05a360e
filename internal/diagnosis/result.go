package diagnosis

import (
	"bytes"
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

// statusMembers splits Instantly's answer: its diagnostics and summary as
// Instantly sent them, an "analysis" of its own (replaced by ours), and the
// other top-level members, in its order.
type statusMembers struct {
	Diagnostics jsontext.Value `json:"diagnostics"`
	Summary     jsontext.Value `json:"summary"`
	Analysis    jsontext.Value `json:"analysis"`
	Rest        jsontext.Value `json:",embed"`
}

// MarshalJSON writes Instantly's diagnostics and summary (null where
// absent), our analysis, then Instantly's other members. Instantly's members
// are split once (checked, never decoded into Go values) and copied as they
// are: this is the one encoding of the result on a call's way out (the
// transport's encoder compacts what it embeds).
func (r StatusResult) MarshalJSON() ([]byte, error) {
	var w statusMembers
	var raw []byte
	if r.Instantly != nil && len(r.Instantly.Raw) > 0 {
		raw = r.Instantly.Raw
		if err := jsonv2.Unmarshal(raw, &w); err != nil {
			return nil, err
		}
	}
	analysis, err := json.Marshal(r.Analysis)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(raw)+len(analysis)+48)
	out = append(out, `{"diagnostics":`...)
	out = appendOrNull(out, w.Diagnostics)
	out = append(out, `,"summary":`...)
	out = appendOrNull(out, w.Summary)
	out = append(out, `,"analysis":`...)
	out = append(out, analysis...)
	// Rest is an object of the other members, or empty: its members go
	// after ours.
	if rest := bytes.TrimSpace(w.Rest); len(rest) > 2 {
		if inner := bytes.TrimSpace(rest[1 : len(rest)-1]); len(inner) > 0 {
			out = append(out, ',')
			out = append(out, inner...)
		}
	}
	return append(out, '}'), nil
}

func appendOrNull(out []byte, v jsontext.Value) []byte {
	if len(v) == 0 {
		return append(out, "null"...)
	}
	return append(out, v...)
}

// BuildStatusResult pairs Instantly's answer with our analysis.
func BuildStatusResult(kind, id string, st *instantly.SendingStatus, now time.Time) StatusResult {
	return StatusResult{Instantly: st, Analysis: Analyze(kind, id, st, now)}
}
