package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

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

	// Several replicas: RedisURL shares each workspace's rate budget
	// between them (redis:// or rediss://; the password from the URL or
	// RedisPassword). Replicas scales the in-process budget used while
	// Redis is down. Metrics serves /metrics on the HTTP transports.
	RedisURL      string `env:"REDIS_URL"`
	RedisPassword string `env:"REDIS_PASSWORD"`
	Replicas      int    `env:"INSTANTLY_REPLICAS"`
	Metrics       bool   `env:"MCP_METRICS"`

	// CrossCheckBudget caps the requests of one deep diagnosis (the
	// sending-status call included).
	CrossCheckBudget int `env:"INSTANTLY_CROSS_CHECK_BUDGET" envDefault:"8"`
}

// loadConfig reads the environment; environ is passed in so tests need not
// touch the process environment.
func loadConfig(environ map[string]string) (Config, error) {
	cfg, err := env.ParseAsWithOptions[Config](env.Options{Environment: environ})
	if err != nil {
		return cfg, configError(err)
	}
	return cfg, nil
}

// configError names the environment variable, not the Go field, and keeps to
// one line: "INSTANTLY_TIMEOUT: time: invalid duration "soon"".
func configError(err error) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return fmt.Errorf("configuration: %w", err)
	}
	var parts []string
	for _, e := range agg.Errors {
		var pe env.ParseError
		if errors.As(e, &pe) {
			name := pe.Name
			if f, ok := reflect.TypeFor[Config]().FieldByName(pe.Name); ok {
				name = f.Tag.Get("env")
			}
			// The library quotes the bad value: keep it short and on one line.
			parts = append(parts, fmt.Sprintf("%s is not a valid %s (%s)", name, pe.Type,
				truncate(strings.Join(strings.Fields(pe.Err.Error()), " "), 120)))
			continue
		}
		parts = append(parts, e.Error())
	}
	return fmt.Errorf("configuration: %s", strings.Join(parts, "; "))
}

// validate checks what the types alone cannot. Each error is one line that
// names the variable and what would be right.
func (c Config) validate() error {
	if c.Timeout <= 0 || c.Timeout > 10*time.Minute {
		return fmt.Errorf("configuration: INSTANTLY_TIMEOUT must be a duration between 1ms and 10m, such as 30s (got %s)", c.Timeout)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("configuration: INSTANTLY_BASE_URL must be an absolute http(s) URL such as https://api.instantly.ai")
	}
	switch c.Transport {
	case "stdio", "http", "sse":
	default:
		return fmt.Errorf("configuration: transport must be stdio, http or sse (got %q)", truncate(c.Transport, 20))
	}
	if c.RedisURL != "" {
		u, err := url.Parse(c.RedisURL)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
			// Not the value: it may hold a password.
			return fmt.Errorf("configuration: REDIS_URL must be redis://[user:password@]host:port[/db] or rediss://…")
		}
	}
	if c.Replicas < 0 || c.Replicas > 1000 {
		return fmt.Errorf("configuration: INSTANTLY_REPLICAS must be between 1 and 1000 (got %d)", c.Replicas)
	}
	if c.MaxBodyBytes < 1024 {
		return fmt.Errorf("configuration: MCP_MAX_BODY_BYTES must be at least 1024")
	}
	if c.CrossCheckBudget < 1 || c.CrossCheckBudget > 50 {
		return fmt.Errorf("configuration: INSTANTLY_CROSS_CHECK_BUDGET must be between 1 and 50 requests per diagnosis (got %d)", c.CrossCheckBudget)
	}
	return nil
}

// serveFlags binds the flags of the server command onto cfg.
func serveFlags(cfg *Config, out io.Writer) (*flag.FlagSet, *bool) {
	fs := flag.NewFlagSet("instantly-status-mcp", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&cfg.Transport, "transport", cfg.Transport, "transport: stdio, http (streamable HTTP at /mcp) or sse (legacy HTTP+SSE at /sse) [MCP_TRANSPORT]")
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address of the http and sse transports [MCP_ADDR]")
	fs.BoolVar(&cfg.Stateless, "stateless", cfg.Stateless, "streamable HTTP without sessions, for replicas behind a load balancer [MCP_STATELESS]")
	fs.BoolVar(&cfg.Demo, "demo", cfg.Demo, "serve the built-in demo workspace instead of Instantly; no API key needed [INSTANTLY_DEMO]")
	fs.TextVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "log level: debug, info, warn or error (logs go to stderr) [LOG_LEVEL]")
	showVersion := fs.Bool("version", false, "print the version and exit")
	return fs, showVersion
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
