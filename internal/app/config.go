package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/redisbudget"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
	"github.com/instantly-status/instantly-status-mcp/internal/httpserver"
	"github.com/instantly-status/instantly-status-mcp/internal/stdx"
)

// settings names this program's settings (config below, httpserver's key
// header) in the messages of internal/diagnosis, as the server's tools say
// them.
var settings = diagnosis.Settings{
	APIKey: "INSTANTLY_API_KEY", Timeout: "INSTANTLY_TIMEOUT", BaseURL: "INSTANTLY_BASE_URL",
	KeyPerRequest: httpserver.KeyHelp,
}

// CLISettings are settings in the terminal's words: a person at a terminal
// finds a campaign with a command, not with a tool.
var CLISettings = func() diagnosis.Settings {
	s := settings
	s.KeyPerRequest = ""
	s.FindCampaign = "`instantly-status-mcp overview -status all` lists the workspace's campaigns; diagnose also takes a campaign's name"
	return s
}()

// The Claude Desktop extension's settings, as manifest.json titles them: a
// bundle has no environment a person edits, so its messages name these.
const (
	ExtensionName       = "Instantly Sending Status"
	ExtensionKeySetting = "Instantly API key"
	ExtensionDemoSwitch = "Demo mode"
)

// serverSettings are the words of the server's messages: the extension's
// settings when the Claude Desktop extension started it (Bundle).
func (c Config) serverSettings() diagnosis.Settings {
	s := settings
	if c.Bundle {
		s.APIKey = "the extension's \"" + ExtensionKeySetting + "\" setting"
		s.KeyPerRequest = ""
		s.SetKey = "in Claude Desktop, open Settings -> Extensions -> " + ExtensionName + " and paste a key into \"" +
			ExtensionKeySetting + "\", or switch on \"" + ExtensionDemoSwitch + "\" to try a made-up workspace"
	}
	return s
}

// Config is the whole configuration, read once from the environment (and, for
// a few settings, overridden by flags). Secrets are only ever read from the
// environment, never from flags, so they do not show up in process lists.
type Config struct {
	APIKey  string        `env:"INSTANTLY_API_KEY"`
	BaseURL string        `env:"INSTANTLY_BASE_URL" envDefault:"https://api.instantly.ai"`
	Timeout time.Duration `env:"INSTANTLY_TIMEOUT" envDefault:"30s"`
	// Demo serves the built-in demo workspace instead of Instantly.
	Demo     bool       `env:"INSTANTLY_DEMO"`
	LogLevel slog.Level `env:"LOG_LEVEL" envDefault:"info"`

	Transport      string   `env:"MCP_TRANSPORT" envDefault:"stdio"`
	Addr           string   `env:"MCP_ADDR" envDefault:"127.0.0.1:8080"`
	Stateless      bool     `env:"MCP_STATELESS"`
	AuthToken      string   `env:"MCP_AUTH_TOKEN"`
	AllowedOrigins []string `env:"MCP_ALLOWED_ORIGINS" envSeparator:","`
	MaxBodyBytes   int64    `env:"MCP_MAX_BODY_BYTES" envDefault:"1048576"`
	// Stateful HTTP sessions (streamable HTTP sessions, SSE streams): idle
	// expiry and how many are kept live.
	SessionIdleTimeout time.Duration `env:"MCP_SESSION_IDLE_TIMEOUT" envDefault:"30m"`
	MaxSessions        int           `env:"MCP_MAX_SESSIONS" envDefault:"1000"`
	// Process-wide bounds: tool calls served at once, and requests to
	// Instantly on the wire at once.
	MaxConcurrentCalls    int `env:"MCP_MAX_CONCURRENT_CALLS" envDefault:"32"`
	MaxConcurrentRequests int `env:"INSTANTLY_MAX_CONCURRENT_REQUESTS" envDefault:"32"`

	// Several replicas: RedisURL shares each workspace's rate budget
	// between them (redis:// or rediss://; the password from the URL or
	// RedisPassword). Replicas scales the in-process budget used while
	// Redis is down. Metrics serves /metrics on the HTTP transports.
	RedisURL      string `env:"REDIS_URL"`
	RedisPassword string `env:"REDIS_PASSWORD"`
	// RedisKeySecret names each workspace's budget in Redis (an HMAC), the
	// same on every replica; derived from MCP_AUTH_TOKEN when unset.
	RedisKeySecret string `env:"REDIS_KEY_SECRET"`
	Replicas       int    `env:"INSTANTLY_REPLICAS"`
	Metrics        bool   `env:"MCP_METRICS"`

	// Bundle is set by the Claude Desktop extension (manifest.json), so
	// that what the server tells a person names the extension's settings
	// rather than an environment variable.
	Bundle bool `env:"INSTANTLY_BUNDLE"`

	// CrossCheckBudget caps the requests of one deep diagnosis (the
	// sending-status call included).
	CrossCheckBudget int `env:"INSTANTLY_CROSS_CHECK_BUDGET" envDefault:"8"`
}

// MinAuthTokenLen is the shortest MCP_AUTH_TOKEN accepted: the token is
// the only thing between the network and the workspace, and a short one
// could neither resist guessing nor be redacted from logs without giving
// itself away.
const MinAuthTokenLen = 32

// LoadConfig reads the environment; environ is passed in so tests need not
// touch the process environment.
func LoadConfig(environ map[string]string) (Config, error) {
	cfg, err := env.ParseAsWithOptions[Config](env.Options{Environment: environ})
	if err != nil {
		return cfg, configError(err, environ)
	}
	return cfg, nil
}

// configError names the environment variable, says what a right value looks
// like in words (never a Go type name) and keeps to one line:
// `INSTANTLY_TIMEOUT must be a duration such as 30s or 2m, got "soon"`.
func configError(err error, environ map[string]string) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return errors.New(stdx.OneLine(err.Error()))
	}
	var parts []string
	for _, e := range agg.Errors {
		var pe env.ParseError
		if errors.As(e, &pe) {
			name := pe.Name
			if f, ok := reflect.TypeFor[Config]().FieldByName(pe.Name); ok {
				name = f.Tag.Get("env")
			}
			parts = append(parts, fmt.Sprintf("%s must be %s, got %s", name, wantOf(pe.Type),
				QuoteArg(stdx.OneLine(environ[name]), 40, environ["INSTANTLY_API_KEY"], environ["MCP_AUTH_TOKEN"])))
			continue
		}
		parts = append(parts, stdx.OneLine(e.Error()))
	}
	return errors.New(strings.Join(parts, "; "))
}

// wantOf describes a right value of a configuration type, for people.
func wantOf(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[time.Duration]():
		return "a duration such as 30s or 2m"
	case reflect.TypeFor[slog.Level]():
		return "debug, info, warn or error"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a valid value"
}

// ValidateClient checks what the terminal commands need (they have no
// transport): each error is one line that names the variable and what
// would be right.
func (c Config) ValidateClient() error {
	if n := len(strings.TrimSpace(c.APIKey)); n > 0 && n < instantly.MinSecretLen && !c.Demo {
		return fmt.Errorf("INSTANTLY_API_KEY is %d characters long, too short to be an Instantly API key (at least %d); "+
			"copy the whole key from Settings -> Integrations -> API Keys", n, instantly.MinSecretLen)
	}
	if c.Timeout <= 0 || c.Timeout > 10*time.Minute {
		return fmt.Errorf("INSTANTLY_TIMEOUT must be a duration between 1ms and 10m, such as 30s, got %s", c.Timeout)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("INSTANTLY_BASE_URL must be an absolute http(s) URL such as https://api.instantly.ai")
	}
	return nil
}

// Validate checks the server's configuration. transportSource names where
// the transport came from ("-transport" or "MCP_TRANSPORT"), so the error
// names what to change.
func (c Config) Validate(transportSource string) error {
	if err := c.ValidateClient(); err != nil {
		return err
	}
	if n := len(strings.TrimSpace(c.AuthToken)); n > 0 && n < MinAuthTokenLen {
		return fmt.Errorf("MCP_AUTH_TOKEN is %d characters long; use at least %d random characters (e.g. openssl rand -hex 32)",
			n, MinAuthTokenLen)
	}
	switch c.Transport {
	case "stdio", "http", "sse":
	default:
		return fmt.Errorf("%s must be stdio, http or sse, got %q", transportSource, stdx.Truncate(stdx.OneLine(c.Transport), 20))
	}
	if c.RedisURL != "" {
		u, err := url.Parse(c.RedisURL)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
			// Not the value: it may hold a password.
			return fmt.Errorf("configuration: REDIS_URL must be redis://[user:password@]host:port[/db] or rediss://…")
		}
	}
	if c.RedisURL != "" && !c.Demo {
		if _, err := c.redisKeySecret(); err != nil {
			return err
		}
	}
	if c.Replicas < 0 || c.Replicas > 1000 {
		return fmt.Errorf("configuration: INSTANTLY_REPLICAS must be between 1 and 1000 (got %d)", c.Replicas)
	}
	if c.MaxBodyBytes < 1024 {
		return fmt.Errorf("MCP_MAX_BODY_BYTES must be at least 1024")
	}
	if c.SessionIdleTimeout < time.Second || c.SessionIdleTimeout > 24*time.Hour {
		return fmt.Errorf("MCP_SESSION_IDLE_TIMEOUT must be a duration between 1s and 24h, such as 30m, got %s", c.SessionIdleTimeout)
	}
	if c.MaxConcurrentCalls < 1 || c.MaxConcurrentCalls > 10000 {
		return fmt.Errorf("MCP_MAX_CONCURRENT_CALLS must be between 1 and 10000, got %d", c.MaxConcurrentCalls)
	}
	if c.MaxConcurrentRequests < 1 || c.MaxConcurrentRequests > 10000 {
		return fmt.Errorf("INSTANTLY_MAX_CONCURRENT_REQUESTS must be between 1 and 10000, got %d", c.MaxConcurrentRequests)
	}
	if c.MaxSessions < 1 || c.MaxSessions > 100000 {
		return fmt.Errorf("MCP_MAX_SESSIONS must be between 1 and 100000, got %d", c.MaxSessions)
	}
	if c.CrossCheckBudget < 1 || c.CrossCheckBudget > 50 {
		return fmt.Errorf("configuration: INSTANTLY_CROSS_CHECK_BUDGET must be between 1 and 50 requests per diagnosis (got %d)", c.CrossCheckBudget)
	}
	return nil
}

// ValidateAddr checks the listen address of the HTTP transports before
// anything starts, so a wrong one is one line naming what to change:
// addrSource is "-addr" or "MCP_ADDR".
func (c Config) ValidateAddr(addrSource string) error {
	if c.Transport == "stdio" {
		return nil
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("%s must be host:port, such as 127.0.0.1:8080, got %q", addrSource, stdx.Truncate(stdx.OneLine(c.Addr), 40))
	}
	return nil
}

// ServeFlags binds the flags of the server command onto cfg.
func ServeFlags(cfg *Config) (*flag.FlagSet, *bool) {
	fs := flag.NewFlagSet("instantly-status-mcp", flag.ContinueOnError)
	fs.StringVar(&cfg.Transport, "transport", cfg.Transport, "transport: stdio, http (streamable HTTP at /mcp) or sse (legacy HTTP+SSE at /sse) [MCP_TRANSPORT]")
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address of the http and sse transports [MCP_ADDR]")
	fs.BoolVar(&cfg.Stateless, "stateless", cfg.Stateless, "streamable HTTP without sessions, for replicas behind a load balancer [MCP_STATELESS]")
	fs.BoolVar(&cfg.Demo, "demo", cfg.Demo, "serve the built-in demo workspace instead of Instantly; no API key needed [INSTANTLY_DEMO]")
	fs.Var(levelFlag{&cfg.LogLevel}, "log-level", "log `level`: debug, info, warn or error (logs go to stderr) [LOG_LEVEL]")
	showVersion := fs.Bool("version", false, "print the version and exit")
	return fs, showVersion
}

// levelFlag is -log-level, with an error in words.
type levelFlag struct{ l *slog.Level }

func (f levelFlag) String() string {
	if f.l == nil {
		return "info"
	}
	return strings.ToLower(f.l.String())
}

func (f levelFlag) Set(s string) error {
	if err := f.l.UnmarshalText([]byte(s)); err != nil {
		return errors.New("must be debug, info, warn or error")
	}
	return nil
}

// redisKeySecret is the secret that names the budgets in Redis:
// REDIS_KEY_SECRET, or else one derived from MCP_AUTH_TOKEN (which every
// replica behind one address shares). Never logged.
func (c Config) redisKeySecret() ([]byte, error) {
	if s := strings.TrimSpace(c.RedisKeySecret); s != "" {
		if len(s) < redisbudget.MinKeySecretLen {
			return nil, fmt.Errorf("REDIS_KEY_SECRET is %d characters long; use at least %d random characters, the same on every replica "+
				"(e.g. openssl rand -hex 32)", len(s), redisbudget.MinKeySecretLen)
		}
		return []byte(s), nil
	}
	if tok := strings.TrimSpace(c.AuthToken); tok != "" {
		m := hmac.New(sha256.New, []byte(tok))
		m.Write([]byte("instantly-status-mcp redis key names"))
		return m.Sum(nil), nil
	}
	return nil, fmt.Errorf("REDIS_URL needs REDIS_KEY_SECRET (or MCP_AUTH_TOKEN to derive it from): at least %d random characters, "+
		"the same on every replica (e.g. openssl rand -hex 32); it names each workspace's budget in Redis, so that what Redis "+
		"holds cannot be checked against a guessed API key", redisbudget.MinKeySecretLen)
}
