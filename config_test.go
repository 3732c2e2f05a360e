package main

import (
	"errors"
	"flag"
	"log/slog"
	"net"
	"os"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// s9iValidConfig is a configuration validate accepts: every bound case below
// changes one field of it.
func s9iValidConfig() Config {
	return Config{
		Timeout: 30 * time.Second, BaseURL: "https://api.instantly.ai", Transport: "stdio",
		MaxBodyBytes: 1 << 20, SessionIdleTimeout: 30 * time.Minute, MaxSessions: 1000, CrossCheckBudget: 8,
	}
}

// Every bound of validate and validateClient, at the bound (accepted) and one
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
		{"redis", func(c *Config) { c.RedisURL = "redis://h:6379/0" }, ""},
		{"rediss", func(c *Config) { c.RedisURL = "rediss://u:p@h:6380" }, ""},
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
		{"budget 0", func(c *Config) { c.CrossCheckBudget = 0 }, "configuration: INSTANTLY_CROSS_CHECK_BUDGET must be between 1 and 50 requests per diagnosis (got 0)"},
		{"budget 1", func(c *Config) { c.CrossCheckBudget = 1 }, ""},
		{"budget 50", func(c *Config) { c.CrossCheckBudget = 50 }, ""},
		{"budget 51", func(c *Config) { c.CrossCheckBudget = 51 }, "configuration: INSTANTLY_CROSS_CHECK_BUDGET must be between 1 and 50 requests per diagnosis (got 51)"},
	}
	for _, c := range cases {
		cfg := s9iValidConfig()
		c.set(&cfg)
		got := ""
		if err := cfg.validate("SRC"); err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("%s: validate = %q, want %q", c.name, got, c.want)
		}
		// validateClient checks the first two settings only.
		wantClient := ""
		if strings.HasPrefix(c.want, "INSTANTLY_TIMEOUT") || strings.HasPrefix(c.want, "INSTANTLY_BASE_URL") {
			wantClient = c.want
		}
		got = ""
		if err := cfg.validateClient(); err != nil {
			got = err.Error()
		}
		if got != wantClient {
			t.Errorf("%s: validateClient = %q, want %q", c.name, got, wantClient)
		}
	}
}

// Configuration errors, in words, through loadConfig and configError.
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
		cfg, err := loadConfig(c.environ)
		if err == nil || err.Error() != c.want {
			t.Errorf("%v: %v, want %q", c.environ, err, c.want)
		}
		_ = cfg
	}
	cfg, err := loadConfig(map[string]string{"INSTANTLY_TIMEOUT": "2m", "MCP_ALLOWED_ORIGINS": "https://a.example,https://b.example"})
	if err != nil || cfg.Timeout != 2*time.Minute || !reflect.DeepEqual(cfg.AllowedOrigins, []string{"https://a.example", "https://b.example"}) ||
		cfg.BaseURL != "https://api.instantly.ai" || cfg.Transport != "stdio" || cfg.Addr != "127.0.0.1:8080" ||
		cfg.MaxBodyBytes != 1048576 || cfg.CrossCheckBudget != 8 || cfg.LogLevel != slog.LevelInfo {
		t.Errorf("loadConfig: %v %+v", err, cfg)
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
func TestLevelFlagValues(t *testing.T) {
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

// parseAnywhere: flags before, between and after the arguments; "--" ends them.
func TestParseAnywhereTable(t *testing.T) {
	for _, c := range []struct {
		args []string
		pos  []string
		json bool
		max  int
	}{
		{nil, nil, false, 0},
		{[]string{"a"}, []string{"a"}, false, 0},
		{[]string{"-json", "a"}, []string{"a"}, true, 0},
		{[]string{"a", "-json"}, []string{"a"}, true, 0},
		{[]string{"a", "-max", "3", "b"}, []string{"a", "b"}, false, 3},
		{[]string{"-max", "2", "a", "b", "-json"}, []string{"a", "b"}, true, 2},
		{[]string{"--", "-json"}, []string{"-json"}, false, 0},
		{[]string{"a", "--", "-json", "b"}, []string{"a", "-json", "b"}, false, 0},
		{[]string{"-json", "--"}, nil, true, 0},
		{[]string{"a", "-json", "--", "--"}, []string{"a", "--"}, true, 0},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		json := fs.Bool("json", false, "")
		maxN := fs.Int("max", 0, "")
		pos, err := parseAnywhere(fs, c.args)
		if err != nil || !reflect.DeepEqual(pos, c.pos) || *json != c.json || *maxN != c.max {
			t.Errorf("%q: pos %q json %v max %d err %v; want %q %v %d", c.args, pos, *json, *maxN, err, c.pos, c.json, c.max)
		}
	}
}

// The flag package's errors, reworded exactly.
func TestFlagErrTextExact(t *testing.T) {
	for in, want := range map[string]string{
		`invalid value "abc" for flag -max: parse error`:                       `-max must be a whole number, got "abc"`,
		`invalid value "9x" for flag -max: strconv.ParseInt: bad`:              `-max must be a whole number, got "9x"`,
		`invalid boolean value "maybe" for -json: parse error`:                 `invalid boolean value "maybe" for -json: parse error`,
		`invalid value "maybe" for flag -json: invalid boolean flag`:           `-json is a switch (true or false), got "maybe"`,
		`invalid value "loud" for flag -log-level: must be debug, info,  warn`: `-log-level must be debug, info, warn, got "loud"`,
		`invalid value "x" for flag -z: out of range`:                          `-z: out of range (got "x")`,
		`invalid value "x" for flag -t`:                                        `-t:  (got "x")`,
		"flag provided but not defined: -nope":                                 "unknown flag -nope",
		"flag needs an argument: -max":                                         "-max needs a value",
		"something\nelse":                                                      "something else",
		`invalid value without the flag part`:                                  `invalid value without the flag part`,
	} {
		if got := flagErrText(errors.New(in)); got != want {
			t.Errorf("flagErrText(%q) = %q, want %q", in, got, want)
		}
	}
}

// flagList: one line per flag, the value name only when the flag takes one,
// the default only when it says something.
func TestFlagListExact(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.Bool("b", false, "a switch")
	fs.Bool("on", true, "on by default")
	fs.Int("n", 0, "a count")
	fs.Int("m", 5, "a `limit`")
	fs.String("s", "", "a text")
	fs.String("addr", "127.0.0.1:8080", "listen `host:port`")
	var b strings.Builder
	flagList(&b, fs)
	want := "" +
		"  -addr host:port      listen host:port (default 127.0.0.1:8080)\n" +
		"  -b                   a switch\n" +
		"  -m limit             a limit (default 5)\n" +
		"  -n int               a count\n" +
		"  -on                  on by default (default true)\n" +
		"  -s string            a text\n"
	if b.String() != want {
		t.Errorf("flagList:\n%s\nwant:\n%s", b.String(), want)
	}
}

// envHelp: the names asked for, each with its words and default, NO_COLOR
// only when asked for (or for all).
func TestEnvHelpExact(t *testing.T) {
	got := envHelp([]string{"INSTANTLY_TIMEOUT", "INSTANTLY_API_KEY", "NO_COLOR"})
	want := "\nEnvironment:\n" +
		"  INSTANTLY_API_KEY             Instantly API v2 key with the scopes campaigns:read, subsequences:read, accounts:read, audit_logs:read, account_campaign_mappings:read and custom_tags:read (or all:read); never a flag\n" +
		"  INSTANTLY_TIMEOUT             longest wait for one answer from Instantly, retries included, such as 30s (default 30s)\n" +
		"  NO_COLOR                      set: no colors or styles in terminal output\n"
	if got != want {
		t.Errorf("envHelp:\n%q\nwant\n%q", got, want)
	}
	if got := envHelp([]string{"MCP_MAX_SESSIONS"}); got != "\nEnvironment:\n  MCP_MAX_SESSIONS              "+envDoc["MCP_MAX_SESSIONS"]+" (default 1000)\n" {
		t.Errorf("envHelp(MCP_MAX_SESSIONS) = %q", got)
	}
	all := envHelp(nil)
	if n := strings.Count(all, "\n  "); n != reflect.TypeFor[Config]().NumField()+1 {
		t.Errorf("envHelp(nil) lists %d variables, want every field and NO_COLOR:\n%s", n, all)
	}
	if !strings.HasSuffix(all, "  NO_COLOR                      set: no colors or styles in terminal output\n") {
		t.Errorf("envHelp(nil) ends without NO_COLOR:\n%s", all)
	}
}

// listenError: the system's reason without Go's wrapping, and the hint.
func TestListenErrorWords(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&net.OpError{Op: "listen", Net: "tcp", Err: os.NewSyscallError("bind", syscall.EADDRINUSE)},
			"cannot listen on h:1: address already in use (set -addr or MCP_ADDR)"},
		{&net.OpError{Op: "listen", Net: "tcp", Err: errors.New("no such host")},
			"cannot listen on h:1: no such host (set -addr or MCP_ADDR)"},
		{errors.New("odd"), "cannot listen on h:1: odd"},
	} {
		if got := listenError("h:1", c.err).Error(); got != c.want {
			t.Errorf("listenError(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

// trimNewline takes off trailing CR and LF only.
func TestTrimNewlineTable(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "\n": "", "a\r\n": "a", "a\n\n\r": "a", "a\nb\n": "a\nb", "a ": "a ", "\ra": "\ra",
	} {
		if got := string(trimNewline([]byte(in))); got != want {
			t.Errorf("trimNewline(%q) = %q, want %q", in, got, want)
		}
	}
	var b strings.Builder
	n, err := slogWriter{slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))}.Write([]byte("mcp-go said\n"))
	if n != len("mcp-go said\n") || err != nil || b.String() != "level=WARN msg=\"mcp-go said\"\n" {
		t.Errorf("slogWriter: %d %v %q", n, err, b.String())
	}
}
