package app

import (
	"testing"
	"time"
)

// MCP_SESSION_IDLE_TIMEOUT and MCP_MAX_SESSIONS: defaults, and the bounds
// accepted (1s..24h, 1..100000) exactly.
func TestSessionLimitsConfig(t *testing.T) {
	cfg, err := LoadConfig(map[string]string{})
	if err != nil || cfg.SessionIdleTimeout != 30*time.Minute || cfg.MaxSessions != 1000 {
		t.Fatalf("defaults: %v %v %d", err, cfg.SessionIdleTimeout, cfg.MaxSessions)
	}
	for _, c := range []struct {
		idle, max string
		ok        bool
	}{
		{"1s", "1", true}, {"24h", "100000", true},
		{"999ms", "1", false}, {"24h0m0.001s", "1", false},
		{"1s", "0", false}, {"1s", "100001", false}, {"1s", "-1", false},
	} {
		cfg, err := LoadConfig(map[string]string{"MCP_SESSION_IDLE_TIMEOUT": c.idle, "MCP_MAX_SESSIONS": c.max})
		if err != nil {
			t.Fatal(err)
		}
		if err := cfg.Validate("MCP_TRANSPORT"); (err == nil) != c.ok {
			t.Errorf("idle %s, max %s: %v, want ok=%v", c.idle, c.max, err, c.ok)
		}
	}
}
