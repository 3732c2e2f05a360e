package app

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

type keyStringer struct{ k string }

func (s keyStringer) String() string { return "stringer " + s.k }

type keyValuer struct{ k string }

func (v keyValuer) LogValue() slog.Value { return slog.StringValue("valuer " + v.k) }

// Every attribute kind is redacted: a library's error that carries the key
// (net/http's *url.Error names the URL it failed on), logged as mcp-go logs
// errors and panics ("err", err / "panic", r), Stringers, groups, values
// bound with With, byte slices, maps and LogValuers.
func TestLoggerRedactsEveryAttributeKind(t *testing.T) {
	const key = "sk_live_SECRET/key+value_123"
	// A real library error carrying the key: a GET to a closed port with the
	// key in the query string.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close()
	_, libErr := http.Get("http://" + dead + "/api/v2/campaigns?api_key=" + url.QueryEscape(key))
	if libErr == nil || !strings.Contains(libErr.Error(), url.QueryEscape(key)) {
		t.Fatalf("setup: want an error that carries the key, got %v", libErr)
	}

	var buf bytes.Buffer
	log := NewLogger(&buf, slog.LevelDebug, key)
	log.Error("Failed to write response", "err", libErr)
	log.Error("panic in tool handler", "panic", fmt.Errorf("wrapped: %w", errors.New("bad key "+key)))
	log.Warn("stringer", "s", keyStringer{key})
	log.Warn("group", slog.Group("req", "err", libErr, slog.Group("inner", "k", keyStringer{key})))
	log.With("bound", fmt.Errorf("bound %s", key)).Info("with")
	log.Info("bytes", "b", []byte("raw "+key))
	log.Info("map", "m", map[string]string{"key": key})
	log.Info("valuer", "v", keyValuer{key})
	log.Info("message carries it too: " + key)
	log.Info("url", "u", &url.URL{Scheme: "https", Host: "api.instantly.ai", RawQuery: "api_key=" + url.QueryEscape(key)})

	out := buf.String()
	for _, leak := range []string{key, url.QueryEscape(key), url.PathEscape(key), "SECRET"} {
		if strings.Contains(out, leak) {
			t.Errorf("log holds %q:\n%s", leak, out)
		}
	}
	if n := strings.Count(out, "[REDACTED]"); n < 11 {
		t.Errorf("%d redactions, want at least 11:\n%s", n, out)
	}
	if !strings.Contains(out, "connection refused") {
		t.Errorf("the error's other words must stay:\n%s", out)
	}
}

type failingText struct{}

func (failingText) MarshalText() ([]byte, error) { return nil, errors.New("boom") }

type textValue struct{}

func (textValue) MarshalText() ([]byte, error) { return []byte("as text"), nil }

type stringerValue struct{}

func (stringerValue) String() string { return "as string" }

// anyText renders each kind as slog's text handler does.
func TestAnyTextKinds(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{nil, "<nil>"}, {errors.New("e"), "e"}, {textValue{}, "as text"}, {failingText{}, "!ERROR:boom"},
		{[]byte("raw"), "raw"}, {stringerValue{}, "as string"}, {struct{ A int }{3}, "{A:3}"},
	} {
		if got := anyText(c.v); got != c.want {
			t.Errorf("anyText(%#v) = %q, want %q", c.v, got, c.want)
		}
	}
	// Without a secret, an Any value is left as it is (not turned into a string).
	r := redactAttr([]string{"sk_secret_value_123456"})
	if a := r(nil, slog.Any("k", stringerValue{})); a.Value.Kind() != slog.KindAny {
		t.Errorf("clean Any value rewritten: %v", a.Value.Kind())
	}
	if a := r(nil, slog.Any("k", errors.New("has sk_secret_value_123456 in it"))); a.Value.Kind() != slog.KindString || strings.Contains(a.Value.String(), "sk_secret_value_123456") {
		t.Errorf("secret Any value: %v %q", a.Value.Kind(), a.Value.String())
	}
}
