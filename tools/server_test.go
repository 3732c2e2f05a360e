package tools_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/tools"
)

// The per-call line is written at Options.CallLogLevel: at debug (stdio) a
// server logging at info writes nothing per call; at info it writes the
// tool's name and outcome, never its arguments.
func TestCallLogLevel(t *testing.T) {
	for _, tc := range []struct {
		level slog.Level
		want  bool
	}{{slog.LevelDebug, false}, {slog.LevelInfo, true}} {
		var buf bytes.Buffer
		s := tools.NewMCPServer(tools.Options{
			Logger:       slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})),
			CallLogLevel: tc.level,
		})
		ctx := context.Background()
		s.HandleMessage(ctx, []byte(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`))
		s.HandleMessage(ctx, []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_campaign_sending_status","arguments":{"id":"not-a-uuid-secret-arg"}}}`))
		got := buf.String()
		if has := strings.Contains(got, "tool call"); has != tc.want {
			t.Errorf("CallLogLevel %v: per-call line written = %v, want %v; log:\n%s", tc.level, has, tc.want, got)
		}
		if tc.want && (!strings.Contains(got, "tool=get_campaign_sending_status") || !strings.Contains(got, "is_error=true")) {
			t.Errorf("the line lacks the tool or its outcome:\n%s", got)
		}
		if strings.Contains(got, "not-a-uuid-secret-arg") {
			t.Errorf("arguments were logged:\n%s", got)
		}
	}
}
