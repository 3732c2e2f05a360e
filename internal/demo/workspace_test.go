package demo

import "testing"

// Without with_ai_summary, summary.ai_summary goes and every other byte
// stays, wherever the member sits; anything else is served as it is.
func TestWithoutAISummary(t *testing.T) {
	for in, want := range map[string]string{
		`{"summary":{"a":1,"ai_summary":"x","b":2}}`:          `{"summary":{"a":1,"b":2}}`,
		`{"summary":{"a":1, "ai_summary":"x"}, "d":null}`:     `{"summary":{"a":1}, "d":null}`,
		`{"summary":{ "ai_summary":"x" , "b":[1, 2]}}`:        `{"summary":{ "b":[1, 2]}}`,
		`{"d":{"ai_summary":1},"summary":{"ai_summary":{}}}`:  `{"d":{"ai_summary":1},"summary":{}}`,
		`{"summary":{"status":"ok"}}`:                         `{"summary":{"status":"ok"}}`,
		`{"summary":null,"ai_summary":"top level stays"}`:     `{"summary":null,"ai_summary":"top level stays"}`,
		`{"summary":{"ai_summary":"cut short`:                 `{"summary":{"ai_summary":"cut short`,
		`[{"summary":{"ai_summary":"x"}}]`:                    `[{"summary":{"ai_summary":"x"}}]`,
		`not json`:                                            `not json`,
		`{"summary":{"ai_summary":"x","ai_summary":"twice"}}`: `{"summary":{"ai_summary":"x","ai_summary":"twice"}}`,
	} {
		if got := string(withoutAISummary([]byte(in))); got != want {
			t.Errorf("withoutAISummary(%s) = %s, want %s", in, got, want)
		}
	}
}
