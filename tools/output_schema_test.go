package tools

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/jsonschema-go/jsonschema"

	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

// TestSendingStatusOutputSchema keeps sending_status.schema.json what
// diagnosis.Analysis and Instantly's documented members make of it. Under
// UPDATE_TOOLSNAPS=1 it rewrites the file; the toolsnaps, which embed it,
// follow on the next run.
func TestSendingStatusOutputSchema(t *testing.T) {
	want := deriveSendingStatusOutputSchema()
	if os.Getenv("UPDATE_TOOLSNAPS") == "1" {
		if err := os.WriteFile("sending_status.schema.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(sendingStatusSchemaFile, want) {
		t.Errorf("sending_status.schema.json no longer matches diagnosis.Analysis; run UPDATE_TOOLSNAPS=1 go test ./tools "+
			"twice (the schema, then the toolsnaps) (-file +derived):\n%s", cmp.Diff(string(sendingStatusSchemaFile), string(want)))
	}
}

// deriveSendingStatusOutputSchema builds what sending_status.schema.json
// holds.
func deriveSendingStatusOutputSchema() json.RawMessage {
	s := &jsonschema.Schema{
		Type:     "object",
		Required: []string{"diagnostics", "summary", "analysis"},
		Properties: map[string]*jsonschema.Schema{
			"diagnostics": openObject("Instantly's data, as sent", instantlyDiagnosticsFields),
			"summary":     openObject("Instantly's summary, as sent", instantlySummaryFields),
			"analysis":    analysisSchema(),
		},
		PropertyOrder: []string{"diagnostics", "summary", "analysis"},
	}
	return withContentID(s, "sending-status")
}

// instantlyDiagnosticsFields are the top-level members of diagnostics that
// Instantly documents, with their documented types; "object" members are
// blocks of counters passed through unchanged.
var instantlyDiagnosticsFields = []field{
	{"campaign_id", "string"}, {"subsequence_id", "string"}, {"last_updated", "string"}, {"status", "string|null"},
	{"issue_tracking", "object"}, {"accounts_summary", "object"}, {"campaign_daily_limit", "object"},
	{"new_lead_limit", "object"}, {"schedule_status", "object"}, {"send_one_by_one", "object"},
	{"follow_ups_waiting", "object"}, {"esp_routing_status", "object"}, {"domain_limiter", "object"},
	{"leads_status", "object"},
}

// instantlySummaryFields are summary's documented members, each nullable.
var instantlySummaryFields = []field{
	{"status", "string|null"}, {"status_message", "string|null"}, {"issue_started_at", "string|null"},
	{"last_healthy_send_at", "string|null"}, {"ai_summary", "string|null"},
}

type field struct{ name, typ string }

// openObject is a nullable object whose listed members are typed and which
// keeps any member Instantly adds later.
func openObject(desc string, fields []field) *jsonschema.Schema {
	s := &jsonschema.Schema{Types: []string{"object", "null"}, Description: desc, Properties: map[string]*jsonschema.Schema{}}
	for _, f := range fields {
		p := &jsonschema.Schema{Type: f.typ}
		if f.typ == "string|null" {
			p = &jsonschema.Schema{Types: []string{"string", "null"}}
		}
		s.Properties[f.name] = p
		s.PropertyOrder = append(s.PropertyOrder, f.name)
	}
	return s
}

// analysisDescriptions say what a field's name and type do not. Fields with
// none are described by their names.
var analysisDescriptions = map[string]string{
	"":             "This server's reading of the status; the cross-check fields only when cross_check ran",
	"status":       "Instantly's code; empty when it has no data yet",
	"next_send_at": "When it resumes by itself (RFC 3339, UTC)",
}

// analysisSchema is derived from diagnosis.Analysis, so a field added to the
// analysis is in the schema (and the toolsnaps) with no edit here: required
// are the members always written (no omitempty), and optional the others.
func analysisSchema() *jsonschema.Schema {
	s, err := jsonschema.For[diagnosis.Analysis](&jsonschema.ForOptions{TypeSchemas: map[reflect.Type]*jsonschema.Schema{
		reflect.TypeFor[catalog.Severity](): {Type: "string", Enum: []any{
			catalog.SeverityOK, catalog.SeverityWaiting, catalog.SeverityActionRequired, catalog.SeverityUnknown}},
	}})
	if err != nil {
		panic("analysis output schema: " + err.Error()) // a type For cannot describe: caught by every test
	}
	tidy(s)
	s.Properties["kind"].Enum = []any{campaignKind.kind, subsequenceKind.kind}
	s.Description = analysisDescriptions[""]
	for name, d := range analysisDescriptions {
		if p := s.Properties[name]; p != nil {
			p.Description = d
		}
	}
	return s
}

// tidy drops what jsonschema.For writes that only costs bytes and compile
// work here: "additionalProperties": false (the schema is made from the very
// type that writes the result), and "null" on a member that is omitted when
// empty (omitempty never writes null).
func tidy(s *jsonschema.Schema) {
	if s == nil {
		return
	}
	s.AdditionalProperties = nil
	for name, p := range s.Properties {
		if len(p.Types) == 2 && p.Types[0] == "null" && !slices.Contains(s.Required, name) {
			p.Type, p.Types = p.Types[1], nil
		}
		tidy(p)
	}
	tidy(s.Items)
}

// withContentID names the schema by a hash of its content ("$id"), so two
// different schemas (another version of this server) never share a name in
// a client's cache. The file is indented; tools/list carries it compacted.
func withContentID(s *jsonschema.Schema, name string) json.RawMessage {
	b := mustMarshalSchema(s)
	sum := sha256.Sum256(b)
	s.ID = "urn:instantly-status-mcp:" + name + ":" + hex.EncodeToString(sum[:8])
	var out bytes.Buffer
	if err := json.Indent(&out, mustMarshalSchema(s), "", "  "); err != nil {
		panic(err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

func mustMarshalSchema(s *jsonschema.Schema) json.RawMessage {
	b, err := json.Marshal(s)
	if err != nil {
		panic("output schema: " + err.Error())
	}
	return b
}
