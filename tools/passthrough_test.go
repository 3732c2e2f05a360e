package tools_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
	"github.com/instantly-status/instantly-status-mcp/tools"
)

// schema is the part of JSON Schema that Instantly's CampaignSendingStatus
// uses.
type schema struct {
	Type       any                `json:"type"` // "object" or ["null", "object"]
	Properties map[string]*schema `json:"properties"`
	Items      *schema            `json:"items"`
	Enum       []any              `json:"enum"`
}

func (s *schema) types() []string {
	switch t := s.Type.(type) {
	case string:
		return []string{t}
	case []any:
		out := make([]string, len(t))
		for i, x := range t {
			out[i] = x.(string)
		}
		return out
	}
	return []string{"object"}
}

// gen generates random responses that follow a schema, with what Instantly
// may send and what it may add later: null where the schema allows it,
// missing and empty blocks, empty arrays, and unknown members of every JSON
// kind at every level (the schema says additionalProperties: true).
type gen struct{ r *rand.Rand }

var genStrings = []string{"", "x", "2026-11-25T14:55:00.000Z", "é ü 中文 🚀", `quote " back \ slash`, "<b>&amp;</b>", "line\nbreak\ttab", "\u2028\u2029", "\u0000\u001f"}

func (g gen) scalar() any {
	switch g.r.IntN(6) {
	case 0:
		return nil
	case 1:
		return g.r.IntN(2) == 0
	case 2:
		return json.Number(fmt.Sprint(g.r.IntN(2000) - 1000))
	case 3:
		return json.Number([]string{"0.5", "1e3", "-0", "12345678901234567890", "3.14159265358979323846", "1E-7"}[g.r.IntN(6)])
	default:
		return genStrings[g.r.IntN(len(genStrings))]
	}
}

func (g gen) unknown(depth int) any {
	if depth > 2 {
		return g.scalar()
	}
	switch g.r.IntN(5) {
	case 0:
		return []any{}
	case 1:
		return []any{g.unknown(depth + 1), g.scalar()}
	case 2:
		return g.object(&schema{}, depth+1)
	default:
		return g.scalar()
	}
}

// object returns the members of an object in a random order.
func (g gen) object(s *schema, depth int) orderedObject {
	var o orderedObject
	for name, p := range s.Properties {
		if g.r.IntN(6) == 0 {
			continue // missing
		}
		o = append(o, kv{name, g.value(p, depth+1)})
	}
	for i := range g.r.IntN(3) {
		o = append(o, kv{fmt.Sprintf("added_later_%d_%d", depth, i), g.unknown(depth + 1)})
	}
	g.r.Shuffle(len(o), func(i, j int) { o[i], o[j] = o[j], o[i] })
	return o
}

func (g gen) value(s *schema, depth int) any {
	ts := s.types()
	switch t := ts[g.r.IntN(len(ts))]; t {
	case "null":
		return nil
	case "object":
		return g.object(s, depth)
	case "array":
		out := []any{}
		for range g.r.IntN(4) {
			out = append(out, g.value(s.Items, depth+1))
		}
		return out
	case "string":
		if len(s.Enum) > 0 && g.r.IntN(5) > 0 {
			return s.Enum[g.r.IntN(len(s.Enum))]
		}
		return genStrings[g.r.IntN(len(genStrings))]
	case "number":
		return json.Number([]string{"0", "7", "150", "3600.5", "1e2", "-1"}[g.r.IntN(6)])
	case "boolean":
		return g.r.IntN(2) == 0
	default:
		panic("schema type " + t)
	}
}

type kv struct {
	k string
	v any
}

// orderedObject is a JSON object that keeps its member order.
type orderedObject []kv

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.k)
		v, err := json.Marshal(m.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// decodeExact decodes JSON with numbers kept as their text.
func decodeExact(t *testing.T, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return v
}

// TestPassThroughExactly generates responses from Instantly's own schema of
// the sending-status endpoint, serves each through the fake to the real MCP
// server and checks that structuredContent carries every member Instantly
// sent, at every level, with the same value: nulls and empty arrays of known
// fields, unknown fields, numbers as written, Unicode.
func TestPassThroughExactly(t *testing.T) {
	raw, err := os.ReadFile("testdata/campaign_sending_status.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var root schema
	if err := json.Unmarshal(raw, &root); err != nil {
		t.Fatal(err)
	}
	// The server is driven with JSON-RPC bytes and its answer read as bytes,
	// as a client on a transport sees them (mcp-go's in-process client would
	// decode the structured content into float64s on the way).
	ws := instantlytest.NewWorkspace()
	const id = "019e0000-0000-7000-8000-0000000abcde"
	ws.AddCampaign(instantly.Campaign{ID: id, Name: "Generated", Status: 1}, nil)
	fake := instantlytest.NewServer(ws)
	t.Cleanup(fake.Close)
	api, err := instantly.NewClient(testKey, instantly.WithBaseURL(fake.URL), instantly.WithoutRateLimit())
	if err != nil {
		t.Fatal(err)
	}
	s := tools.NewMCPServer(tools.Options{GetClient: tools.ClientResolver(api), Now: func() time.Time { return fixedNow }, ValidateOutput: true})
	ctx := context.Background()
	s.HandleMessage(ctx, []byte(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`))
	call := []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_campaign_sending_status","arguments":{"id":"` + id + `","with_ai_summary":true}}}`)
	g := gen{rand.New(rand.NewPCG(10, 2026))}
	n := 300
	if testing.Short() {
		n = 50
	}
	var nulls, empties int
	for i := range n {
		body, err := json.Marshal(g.object(&root, 0))
		if err != nil {
			t.Fatal(err)
		}
		nulls += strings.Count(string(body), ":null")
		empties += strings.Count(string(body), ":[]")
		ws.SetSendingStatus(id, body)
		wire, err := json.Marshal(s.HandleMessage(ctx, call))
		if err != nil {
			t.Fatal(err)
		}
		var resp struct {
			Result struct {
				IsError           bool            `json:"isError"`
				StructuredContent json.RawMessage `json:"structuredContent"`
			} `json:"result"`
		}
		if err := json.Unmarshal(wire, &resp); err != nil || resp.Result.IsError || resp.Result.StructuredContent == nil {
			t.Fatalf("response %d: %v %.500s\nfor %s", i, err, wire, body)
		}
		out := resp.Result.StructuredContent
		sent := decodeExact(t, body).(map[string]any)
		got := decodeExact(t, out).(map[string]any)
		if _, ok := got["analysis"].(map[string]any); !ok {
			t.Fatalf("response %d: no analysis in %s", i, out)
		}
		delete(got, "analysis")
		delete(sent, "analysis")
		for _, k := range []string{"diagnostics", "summary"} {
			if _, ok := sent[k]; !ok {
				sent[k] = nil // absent comes back as null
			}
		}
		if !reflect.DeepEqual(sent, got) {
			t.Fatalf("response %d changed on the way:\nsent %s\ngot  %s", i, body, out)
		}
	}
	if nulls < n || empties < n/4 {
		t.Errorf("the generator sent only %d nulls and %d empty arrays in %d responses", nulls, empties, n)
	}
}

// The members around Instantly's: absent diagnostics and summary come back
// as null, an "analysis" of Instantly's own is replaced by ours, and the
// other top-level members follow in Instantly's order.
func TestStatusResultShape(t *testing.T) {
	st := &instantly.SendingStatus{Raw: []byte(` {"zz": [], "analysis": "theirs", "summary": {"status": null}, "aa": null} `)}
	out, err := json.Marshal(diagnosis.BuildStatusResult("campaign", "019e0000-0000-7000-8000-0000000abcde", st, fixedNow))
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	if !strings.HasPrefix(got, `{"diagnostics":null,"summary":{"status":null},"analysis":{`) || !strings.HasSuffix(got, `},"zz":[],"aa":null}`) ||
		strings.Contains(got, "theirs") {
		t.Errorf("got %s", got)
	}
}
