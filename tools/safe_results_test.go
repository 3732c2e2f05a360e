package tools

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// A status result is JSON already: redacted as bytes, every other byte kept
// (numbers as sent), and returned as it came when it holds no secret.
func TestRedactStructuredRawJSON(t *testing.T) {
	key := "MjU0ZDYxNzQtNGE5Ny1hYmNkLWVmMDEyMzQ1Njc4OQ"
	r := instantly.NewRedactor(key)
	in := json.RawMessage(`{"status_message":"bad key ` + key + `","limit":1.50}`)
	got, ok := redactStructured(in, r).(json.RawMessage)
	if !ok {
		t.Fatalf("redactStructured of raw JSON = %T, want json.RawMessage", redactStructured(in, r))
	}
	if strings.Contains(string(got), key[:12]) || !strings.Contains(string(got), `"limit":1.50`) {
		t.Errorf("redacted = %s", got)
	}
	clean := json.RawMessage(`{"limit":1.50}`)
	if same := redactStructured(clean, r).(json.RawMessage); &same[0] != &clean[0] {
		t.Errorf("a result without a secret was copied: %s", same)
	}
	m := map[string]any{"search": key}
	if out, _ := json.Marshal(redactStructured(m, r)); strings.Contains(string(out), key[:12]) {
		t.Errorf("redacted map = %s", out)
	}
}
