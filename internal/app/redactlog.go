package app

import (
	"encoding"
	"fmt"
	"io"
	"log/slog"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// redactAttr is the loggers' ReplaceAttr: it takes every secret out of an
// attribute, whatever its kind. Strings are redacted in place; an error, a
// fmt.Stringer, a TextMarshaler, []byte or any other value is rendered as
// the text handler would render it and, when that text holds a secret,
// replaced by the redacted text. Values inside groups come through here one
// by one (the handler recurses), and LogValuers are resolved before.
func redactAttr(secrets []string) func([]string, slog.Attr) slog.Attr {
	return func(_ []string, a slog.Attr) slog.Attr {
		a.Key = instantly.Redact(a.Key, secrets...)
		switch a.Value.Kind() {
		case slog.KindString:
			a.Value = slog.StringValue(instantly.Redact(a.Value.String(), secrets...))
		case slog.KindAny:
			s := anyText(a.Value.Any())
			if r := instantly.Redact(s, secrets...); r != s {
				a.Value = slog.StringValue(r)
			}
		}
		return a
	}
}

// anyText is the text slog's TextHandler writes for an Any value.
func anyText(v any) string {
	switch v := v.(type) {
	case nil:
		return "<nil>"
	case error:
		return v.Error()
	case encoding.TextMarshaler:
		b, err := v.MarshalText()
		if err != nil {
			return fmt.Sprintf("!ERROR:%v", err)
		}
		return string(b)
	case []byte:
		return string(v)
	case fmt.Stringer:
		return v.String()
	default:
		return fmt.Sprintf("%+v", v)
	}
}

// NewLogger writes text logs to stderr: stdout belongs to the stdio protocol.
// Every message and attribute passes through the redactor, so the key cannot
// reach a log even by accident.
func NewLogger(w io.Writer, level slog.Level, secrets ...string) *slog.Logger {
	h := slog.NewTextHandler(w, &slog.HandlerOptions{
		Level:       level,
		ReplaceAttr: redactAttr(secrets),
	})
	return slog.New(h)
}
