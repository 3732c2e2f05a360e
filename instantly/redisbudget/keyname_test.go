package redisbudget

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

var testKeySecret = []byte("test-redis-key-secret-0123456789abcdef")

// A budget's Redis key is an HMAC under the shared secret: not the key's
// plain SHA-256 (which anyone reading Redis could check a guessed key
// against), the same on every replica with the same secret, different
// under another secret.
func TestKeyNamesAreKeyedHashes(t *testing.T) {
	mk := func(secret []byte) *Limiter {
		l, err := New(Options{URL: "redis://127.0.0.1:1/0", KeySecret: secret, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		return l
	}
	key := instantly.KeyHash("sk_live_guessable_key_0123456789")
	a, b := mk(testKeySecret), mk(testKeySecret)
	other := mk(bytes.Repeat([]byte("x"), 40))
	name := a.keyName(key)
	plain := sha256.Sum256([]byte("sk_live_guessable_key_0123456789"))
	if !strings.HasPrefix(name, KeyPrefix) || strings.Contains(name, hex.EncodeToString(plain[:])) {
		t.Errorf("key name %s is the key's plain hash", name)
	}
	if b.keyName(key) != name || other.keyName(key) == name {
		t.Error("key names do not depend on the secret alone")
	}
	if _, err := New(Options{URL: "redis://127.0.0.1:1/0", KeySecret: []byte("short")}); err == nil {
		t.Error("a short key secret was accepted")
	}
}

// While Redis stays down, go-redis repeats "failed to dial" on every probe:
// it reaches the debug log once per state change.
func TestRedisLogOncePerState(t *testing.T) {
	var buf bytes.Buffer
	d := debugLogger{slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	lastRedisLog.Store(nil)
	for i := range 5 {
		d.Printf(context.Background(), "redis: failed to dial after %d attempts: dial tcp 127.0.0.1:6379: connection refused", i+1)
	}
	if n := strings.Count(buf.String(), "failed to dial"); n != 1 {
		t.Fatalf("%d lines, want 1:\n%s", n, buf.String())
	}
	l := &Limiter{log: slog.New(slog.DiscardHandler)}
	l.ep.Store(newEpoch(false))
	l.switchTo(true, context.DeadlineExceeded)
	d.Printf(context.Background(), "redis: failed to dial after %d attempts: dial tcp 127.0.0.1:6379: connection refused", 9)
	if n := strings.Count(buf.String(), "failed to dial"); n != 2 {
		t.Fatalf("after a state change: %d lines, want 2", n)
	}
}
