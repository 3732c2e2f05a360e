package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// validConfig is a configuration validate accepts: every bound case below
// changes one field of it.
func validConfig() Config {
	return Config{
		Timeout: 30 * time.Second, BaseURL: "https://api.instantly.ai", Transport: "stdio",
		MaxBodyBytes: 1 << 20, SessionIdleTimeout: 30 * time.Minute, MaxSessions: 1000, CrossCheckBudget: 8,
		MaxConcurrentCalls: 32, MaxConcurrentRequests: 32,
	}
}

// Every bound of validate and ValidateClient, at the bound (accepted) and one
// step past it (refused with its exact line).
func TestValidateBoundsExactly(t *testing.T) {
	const (
		timeoutErr = "INSTANTLY_TIMEOUT must be a duration between 1ms and 10m, such as 30s, got "
		baseErr    = "INSTANTLY_BASE_URL must be an absolute http(s) URL such as https://api.instantly.ai"
		redisErr   = "configuration: REDIS_URL must be redis://[user:password@]host:port[/db] or rediss://…"
		idleErr    = "MCP_SESSION_IDLE_TIMEOUT must be a duration between 1s and 24h, such as 30m, got "
	)
	cases := []struct {
		name string
		set  func(*Config)
		want string // "" = accepted
	}{
		{"valid", func(*Config) {}, ""},
		{"timeout 0", func(c *Config) { c.Timeout = 0 }, timeoutErr + "0s"},
		{"timeout -1ns", func(c *Config) { c.Timeout = -1 }, timeoutErr + "-1ns"},
		{"timeout 1ns", func(c *Config) { c.Timeout = 1 }, ""},
		{"timeout 10m", func(c *Config) { c.Timeout = 10 * time.Minute }, ""},
		{"timeout 10m+1ns", func(c *Config) { c.Timeout = 10*time.Minute + 1 }, timeoutErr + "10m0.000000001s"},
		{"base http", func(c *Config) { c.BaseURL = "http://localhost:9" }, ""},
		{"base https", func(c *Config) { c.BaseURL = "https://h" }, ""},
		{"base ftp", func(c *Config) { c.BaseURL = "ftp://h" }, baseErr},
		{"base no host", func(c *Config) { c.BaseURL = "https://" }, baseErr},
		{"base relative", func(c *Config) { c.BaseURL = "api.instantly.ai" }, baseErr},
		{"base unparsable", func(c *Config) { c.BaseURL = "http://h/%zz" }, baseErr},
		{"transport http", func(c *Config) { c.Transport = "http" }, ""},
		{"transport sse", func(c *Config) { c.Transport = "sse" }, ""},
		{"transport bad", func(c *Config) { c.Transport = "smoke\nsignals" }, `SRC must be stdio, http or sse, got "smoke signals"`},
		{"redis", func(c *Config) { c.RedisURL, c.RedisKeySecret = "redis://h:6379/0", strings.Repeat("s", 32) }, ""},
		{"rediss", func(c *Config) { c.RedisURL, c.AuthToken = "rediss://u:p@h:6380", strings.Repeat("t", 32) }, ""},
		{"redis no key secret", func(c *Config) { c.RedisURL = "redis://h:6379/0" }, "REDIS_URL needs REDIS_KEY_SECRET (or MCP_AUTH_TOKEN to derive it from): at least 32 random characters, " +
			"the same on every replica (e.g. openssl rand -hex 32); it names each workspace's budget in Redis, so that what Redis " +
			"holds cannot be checked against a guessed API key"},
		{"redis key secret 31", func(c *Config) { c.RedisURL, c.RedisKeySecret = "redis://h:6379/0", strings.Repeat("s", 31) },
			"REDIS_KEY_SECRET is 31 characters long; use at least 32 random characters, the same on every replica (e.g. openssl rand -hex 32)"},
		{"redis http", func(c *Config) { c.RedisURL = "http://h:6379" }, redisErr},
		{"redis no host", func(c *Config) { c.RedisURL = "redis://" }, redisErr},
		{"redis unparsable", func(c *Config) { c.RedisURL = "redis://h/%zz" }, redisErr},
		{"replicas -1", func(c *Config) { c.Replicas = -1 }, "configuration: INSTANTLY_REPLICAS must be between 1 and 1000 (got -1)"},
		{"replicas 0", func(c *Config) { c.Replicas = 0 }, ""},
		{"replicas 1000", func(c *Config) { c.Replicas = 1000 }, ""},
		{"replicas 1001", func(c *Config) { c.Replicas = 1001 }, "configuration: INSTANTLY_REPLICAS must be between 1 and 1000 (got 1001)"},
		{"body 1023", func(c *Config) { c.MaxBodyBytes = 1023 }, "MCP_MAX_BODY_BYTES must be at least 1024"},
		{"body 1024", func(c *Config) { c.MaxBodyBytes = 1024 }, ""},
		{"idle 1s-1ns", func(c *Config) { c.SessionIdleTimeout = time.Second - 1 }, idleErr + "999.999999ms"},
		{"idle 1s", func(c *Config) { c.SessionIdleTimeout = time.Second }, ""},
		{"idle 24h", func(c *Config) { c.SessionIdleTimeout = 24 * time.Hour }, ""},
		{"idle 24h+1ns", func(c *Config) { c.SessionIdleTimeout = 24*time.Hour + 1 }, idleErr + "24h0m0.000000001s"},
		{"sessions 0", func(c *Config) { c.MaxSessions = 0 }, "MCP_MAX_SESSIONS must be between 1 and 100000, got 0"},
		{"sessions 1", func(c *Config) { c.MaxSessions = 1 }, ""},
		{"sessions 100000", func(c *Config) { c.MaxSessions = 100000 }, ""},
		{"sessions 100001", func(c *Config) { c.MaxSessions = 100001 }, "MCP_MAX_SESSIONS must be between 1 and 100000, got 100001"},
		{"calls 0", func(c *Config) { c.MaxConcurrentCalls = 0 }, "MCP_MAX_CONCURRENT_CALLS must be between 1 and 10000, got 0"},
		{"calls 10000", func(c *Config) { c.MaxConcurrentCalls = 10000 }, ""},
		{"requests 10001", func(c *Config) { c.MaxConcurrentRequests = 10001 }, "INSTANTLY_MAX_CONCURRENT_REQUESTS must be between 1 and 10000, got 10001"},
		{"requests 1", func(c *Config) { c.MaxConcurrentRequests = 1 }, ""},
		{"budget 0", func(c *Config) { c.CrossCheckBudget = 0 }, "configuration: INSTANTLY_CROSS_CHECK_BUDGET must be between 1 and 50 requests per diagnosis (got 0)"},
		{"budget 1", func(c *Config) { c.CrossCheckBudget = 1 }, ""},
		{"budget 50", func(c *Config) { c.CrossCheckBudget = 50 }, ""},
		{"budget 51", func(c *Config) { c.CrossCheckBudget = 51 }, "configuration: INSTANTLY_CROSS_CHECK_BUDGET must be between 1 and 50 requests per diagnosis (got 51)"},
	}
	for _, c := range cases {
		cfg := validConfig()
		c.set(&cfg)
		got := ""
		if err := cfg.Validate("SRC"); err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("%s: validate = %q, want %q", c.name, got, c.want)
		}
		// ValidateClient checks the first two settings only.
		wantClient := ""
		if strings.HasPrefix(c.want, "INSTANTLY_TIMEOUT") || strings.HasPrefix(c.want, "INSTANTLY_BASE_URL") {
			wantClient = c.want
		}
		got = ""
		if err := cfg.ValidateClient(); err != nil {
			got = err.Error()
		}
		if got != wantClient {
			t.Errorf("%s: ValidateClient = %q, want %q", c.name, got, wantClient)
		}
	}
}

// Configuration errors, in words, through LoadConfig and configError.
func TestConfigErrorWords(t *testing.T) {
	for _, c := range []struct {
		environ map[string]string
		want    string
	}{
		{map[string]string{"INSTANTLY_REPLICAS": "2.5"}, `INSTANTLY_REPLICAS must be a whole number, got "2.5"`},
		{map[string]string{"MCP_STATELESS": "yes please"}, `MCP_STATELESS must be true or false, got "yes please"`},
		{map[string]string{"LOG_LEVEL": "loud\nlouder"}, `LOG_LEVEL must be debug, info, warn or error, got "loud louder"`},
		{map[string]string{"INSTANTLY_TIMEOUT": strings.Repeat("x", 50)}, `INSTANTLY_TIMEOUT must be a duration such as 30s or 2m, got "` + strings.Repeat("x", 40) + `…"`},
		// Two at once: both, in field order, one line.
		{map[string]string{"INSTANTLY_TIMEOUT": "soon", "MCP_MAX_SESSIONS": "many"},
			`INSTANTLY_TIMEOUT must be a duration such as 30s or 2m, got "soon"; MCP_MAX_SESSIONS must be a whole number, got "many"`},
	} {
		cfg, err := LoadConfig(c.environ)
		if err == nil || err.Error() != c.want {
			t.Errorf("%v: %v, want %q", c.environ, err, c.want)
		}
		_ = cfg
	}
	cfg, err := LoadConfig(map[string]string{"INSTANTLY_TIMEOUT": "2m", "MCP_ALLOWED_ORIGINS": "https://a.example,https://b.example"})
	if err != nil || cfg.Timeout != 2*time.Minute || !reflect.DeepEqual(cfg.AllowedOrigins, []string{"https://a.example", "https://b.example"}) ||
		cfg.BaseURL != "https://api.instantly.ai" || cfg.Transport != "stdio" || cfg.Addr != "127.0.0.1:8080" ||
		cfg.MaxBodyBytes != 1048576 || cfg.CrossCheckBudget != 8 || cfg.LogLevel != slog.LevelInfo {
		t.Errorf("LoadConfig: %v %+v", err, cfg)
	}
	// An error that is not env's aggregate one: its text on one line.
	if got := configError(errors.New("first\n  second"), nil).Error(); got != "first second" {
		t.Errorf("plain error: %q", got)
	}
	for typ, want := range map[reflect.Type]string{
		reflect.TypeFor[time.Duration](): "a duration such as 30s or 2m",
		reflect.TypeFor[slog.Level]():    "debug, info, warn or error",
		reflect.TypeFor[bool]():          "true or false",
		reflect.TypeFor[uint16]():        "a whole number",
		reflect.TypeFor[int64]():         "a whole number",
		reflect.TypeFor[float32]():       "a number",
		reflect.TypeFor[[]string]():      "a valid value",
	} {
		if got := wantOf(typ); got != want {
			t.Errorf("wantOf(%v) = %q, want %q", typ, got, want)
		}
	}
}

// -log-level: its default text, a value set, a bad value in words.
func TestLevelFlag(t *testing.T) {
	if got := (levelFlag{}).String(); got != "info" {
		t.Errorf("zero levelFlag: %q", got)
	}
	l := slog.LevelInfo
	f := levelFlag{&l}
	if err := f.Set("WARN"); err != nil || l != slog.LevelWarn || f.String() != "warn" {
		t.Errorf("Set(WARN): %v, level %v, String %q", err, l, f.String())
	}
	if err := f.Set("loud"); err == nil || err.Error() != "must be debug, info, warn or error" || l != slog.LevelWarn {
		t.Errorf("Set(loud): %v, level %v", err, l)
	}
}

// A cancelled call says who cancelled it, and does not blame Instantly.
func TestCancelledCallMessage(t *testing.T) {
	byClient := settings.ErrorMessage("campaign x", fmt.Errorf("GET: %w", context.Canceled))
	if !strings.Contains(byClient, "cancelled by the client") || !strings.Contains(byClient, "not at fault") || strings.Contains(byClient, "shutting down") {
		t.Errorf("client: %s", byClient)
	}
	byServer := settings.ErrorMessage("campaign x", fmt.Errorf("GET: %w: %w", context.Canceled, instantly.ErrShuttingDown))
	if !strings.Contains(byServer, "server is shutting down") || strings.Contains(byServer, "client") {
		t.Errorf("shutdown: %s", byServer)
	}
}
