package app

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

// The stdio server in-process (Serve, demo): every request read before
// the end of input is answered, the last one without its newline too, then
// exit 0 and nothing but protocol on stdout.
func TestStdioInProcessAnswersAllBeforeEOF(t *testing.T) {
	id := instantlytest.DemoID(instantly.StatusDailyLimitMet)
	in := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}
{"jsonrpc":"2.0","method":"notifications/initialized"}
{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_campaign_sending_status","arguments":{"id":"` + id + `","cross_check":false}}}
{"jsonrpc":"2.0","id":3,"method":"ping"}`
	var out, errb strings.Builder
	cfg, err := LoadConfig(map[string]string{"INSTANTLY_DEMO": "true", "LOG_LEVEL": "error"})
	if err != nil {
		t.Fatal(err)
	}
	if err := Serve(context.Background(), cfg, NewLogger(&errb, cfg.LogLevel), strings.NewReader(in), &out, &errb); err != nil || errb.String() != "" {
		t.Fatalf("Serve: %v, stderr %q", err, errb.String())
	}
	got := map[string]json.RawMessage{}
	for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		var m struct {
			ID     json.RawMessage `json:"id"`
			Result json.RawMessage `json:"result"`
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil || m.Result == nil {
			t.Fatalf("not a result line: %q (%v)", l, err)
		}
		got[string(m.ID)] = m.Result
	}
	if len(got) != 3 || got["1"] == nil || got["2"] == nil || string(got["3"]) != "{}" {
		t.Fatalf("answers %v, want ids 1, 2, 3 (ping {}):\n%s", slices.Collect(func(yield func(string) bool) {
			for k := range got {
				if !yield(k) {
					return
				}
			}
		}), out.String())
	}
	var call struct {
		IsError bool `json:"isError"`
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
		StructuredContent struct {
			Analysis struct {
				Status string `json:"status"`
			} `json:"analysis"`
		} `json:"structuredContent"`
	}
	if err := json.Unmarshal(got["2"], &call); err != nil || call.IsError || len(call.Content) == 0 ||
		call.StructuredContent.Analysis.Status != instantly.StatusDailyLimitMet {
		t.Fatalf("tool call: %v %s", err, got["2"])
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

// On stdio the GC runs at stdioGCPercent, unless GOGC says otherwise.
func TestStdioGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	if !stdioGC(func(string) (string, bool) { return "", false }) {
		t.Fatal("not applied without GOGC")
	}
	if got := debug.SetGCPercent(100); got != stdioGCPercent {
		t.Errorf("GC percent %d, want %d", got, stdioGCPercent)
	}
	if stdioGC(func(k string) (string, bool) { return "200", k == "GOGC" }) {
		t.Error("applied over GOGC")
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent %d with GOGC set, want it left alone (100)", got)
	}
}
