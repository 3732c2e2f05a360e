package demo

import (
	"encoding/json"
	"testing"
)

func TestRemoveMember(t *testing.T) {
	for in, want := range map[string]string{
		`{"summary":{"ai_summary":"x"}}`:                                    `{"summary":{}}`,
		`{"summary":{"a":1,"ai_summary":"x"}}`:                              `{"summary":{"a":1}}`,
		`{"summary":{"ai_summary":"x","a":1}}`:                              `{"summary":{"a":1}}`,
		`{"summary":{"a":1,"ai_summary":"x","b":2}}`:                        `{"summary":{"a":1,"b":2}}`,
		` { "summary" : { "a" : 1 , "ai_summary" : "}\"{" , "b" : [2] } } `: `{"summary":{"a":1,"b":[2]}}`,
		`{"summary":{"ai\u005fsummary":"x","ai_summary":null,"c":{}}}`:      `{"summary":{"c":{}}}`,
		`{"x":{"summary":{"ai_summary":1}},"summary":{"ai_summary":1}}`:     `{"x":{"summary":{"ai_summary":1}},"summary":{}}`,
		`{"summary":null,"ai_summary":1}`:                                   `{"summary":null,"ai_summary":1}`,
		` {"summary": {"a": 1}} `:                                           ` {"summary": {"a": 1}} `,     // nothing to remove: unchanged
		`{"summary":{"ai_summary":1}`:                                       `{"summary":{"ai_summary":1}`, // invalid: unchanged
		`{"summary":{"ai_summary":1}} x`:                                    `{"summary":{"ai_summary":1}} x`,
		`[1]`:                                                               `[1]`,
		``:                                                                  ``,
	} {
		if got := string(removeMember([]byte(in), []string{"summary"}, "ai_summary")); got != want {
			t.Errorf("removeMember(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestInsertMember(t *testing.T) {
	for _, c := range []struct {
		in   string
		path []string
		want string
	}{
		{`{}`, nil, `{"k":[1]}`},
		{` {"a": 1.50} `, nil, `{"a":1.50,"k":[1]}`},
		{`{"d":{"u":{}}}`, []string{"d", "u"}, `{"d":{"u":{"k":[1]}}}`},
		{`{"d":null}`, []string{"d"}, `{"d":null}`},
		{`{"d":{}}`, []string{"missing"}, `{"d":{}}`},
	} {
		if got := string(insertMember([]byte(c.in), c.path, "k", []byte(`[1]`))); got != c.want {
			t.Errorf("insertMember(%s, %v) = %s, want %s", c.in, c.path, got, c.want)
		}
	}
}

func FuzzRemoveMember(f *testing.F) {
	for _, s := range []string{`{"summary":{"ai_summary":"x","a":[{"b":"}"}]}}`, `{"summary":{}}`, `{"a":"\\\""}`, `{`, `"x"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		out := removeMember(doc, []string{"summary"}, "ai_summary")
		_ = insertMember(doc, []string{"summary"}, "k", []byte(`1`))
		if !json.Valid(doc) {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid result %s", out)
		}
		if len(out) > len(doc) {
			t.Fatalf("removeMember grew %s to %s", doc, out)
		}
	})
}
