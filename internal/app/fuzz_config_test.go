package app

import (
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzConfig feeds the configuration parser (environment, then flags, then
// validation) arbitrary values. It never panics, and a refusal never repeats
// the API key. Run with
//
//	go test -run '^$' -fuzz '^FuzzConfig$' -fuzztime 15s ./internal/app
func FuzzConfig(f *testing.F) {
	f.Add("30s", "https://api.instantly.ai", "info", "stdio", "127.0.0.1:8080", "1048576", "true", "https://a.example,*", "-transport=http")
	f.Add("soon", "ftp://x", "loud", "carrier-pigeon", ":0", "12", "maybe", ",,,", "-log-level=\x00")
	f.Add("-5s", "http://user:pass@host/x?y#z", "DEBUG", "sse", "[::1]:99999", "-1", "1", "null", "-demo=2")
	f.Add("11m", "https://"+strings.Repeat("a", 300), "warn+4", "http", "", "9223372036854775808", "", "https://\xff", "-addr")
	const key = "sk_fuzz_config_key_8Hj3"
	f.Fuzz(func(t *testing.T, timeout, baseURL, level, transport, addr, maxBody, demo, origins, flagArg string) {
		environ := map[string]string{
			"INSTANTLY_API_KEY": key, "INSTANTLY_TIMEOUT": timeout, "INSTANTLY_BASE_URL": baseURL,
			"LOG_LEVEL": level, "MCP_TRANSPORT": transport, "MCP_ADDR": addr, "MCP_MAX_BODY_BYTES": maxBody,
			"INSTANTLY_DEMO": demo, "MCP_ALLOWED_ORIGINS": origins,
		}
		cfg, err := LoadConfig(environ)
		if err == nil {
			fs, _ := ServeFlags(&cfg)
			fs.SetOutput(io.Discard)
			if fs.Parse([]string{flagArg}) == nil {
				err = cfg.Validate("MCP_TRANSPORT")
			}
		}
		if err == nil {
			return
		}
		msg := err.Error()
		if strings.Contains(msg, key) {
			t.Fatalf("key in the error: %s", msg)
		}
		// A refusal may quote bad values (they are the operator's own,
		// escaped), but nothing more than that.
		in := timeout + baseURL + level + transport + addr + maxBody + demo + origins + flagArg
		if len(msg) > 6*len(in)+600 {
			t.Fatalf("error of %d bytes for %d bytes of input", len(msg), len(in))
		}
		if strings.Contains(msg, "\n") {
			t.Fatalf("error of more than one line: %q", msg)
		}
		for _, goName := range []string{"time.Duration", "slog.Level", "int64", "strconv.", "reflect"} {
			if strings.Contains(msg, goName) {
				t.Fatalf("error speaks Go (%s): %s", goName, msg)
			}
		}
		if !utf8.ValidString(msg) && utf8.ValidString(in) {
			t.Fatalf("error is not UTF-8: %q", msg)
		}
	})
}
