package tools

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
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
			"diagnostics": openObject("Instantly's sending-status data, as sent", instantlyDiagnosticsFields),
			"summary":     openObject("Instantly's summary, as sent (strings or null)", instantlySummaryFields),
			"analysis":    analysisSchema(),
		},
		PropertyOrder: []string{"diagnostics", "summary", "analysis"},
	}
	return withContentID(s, "sending-status")
}

// instantlyDiagnosticsFields are the top-level members of diagnostics that
// Instantly documents ("object" ones are blocks of counters).
var instantlyDiagnosticsFields = []string{
	"campaign_id", "subsequence_id", "last_updated", "status (string or null)", "issue_tracking", "accounts_summary",
	"campaign_daily_limit", "new_lead_limit", "schedule_status", "send_one_by_one", "follow_ups_waiting",
	"esp_routing_status", "domain_limiter", "leads_status",
}

// instantlySummaryFields are summary's documented members, each a string or
// null.
var instantlySummaryFields = []string{"status", "status_message", "issue_started_at", "last_healthy_send_at", "ai_summary"}

// openObject is a nullable object that keeps whatever Instantly sends. Its
// documented members are named in the description, not typed: each typed
// member is code a client generates and runs on tools/list, and Instantly's
// members are passed through unchanged, not ours to check.
func openObject(desc string, fields []string) *jsonschema.Schema {
	return &jsonschema.Schema{Types: []string{"object", "null"}, Description: desc + "; documented members: " + strings.Join(fields, ", ")}
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
