package redisbudget

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// redisURL is a Redis the test may write to (.ci/run starts one); without
// it the tests that need one skip, unless CI_REQUIRE_REDIS is set.
func redisURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("INSTANTLY_TEST_REDIS_URL")
	if u == "" {
		msg := "needs a Redis: set INSTANTLY_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/0); .ci/run does"
		if os.Getenv("CI_REQUIRE_REDIS") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return u
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuf) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuf) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func uniqueKey(t *testing.T) [32]byte {
	return instantly.KeyHash(t.Name() + time.Now().String())
}

// TestSharedBudget: two limiters (two replicas) share one budget: 95 go out
// at once, the next waits for the window; a wait past the deadline is
// refused without taking anything; a cancelled wait gives its slot back.
func TestSharedBudget(t *testing.T) {
	u := redisURL(t)
	// A long Redis timeout: on a busy machine a stalled heartbeat must not
	// switch these limiters to their fallback mid-test.
	a, err := New(Options{URL: u, OpTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, _ := New(Options{URL: u, OpTimeout: 5 * time.Second})
	defer b.Close()
	key := uniqueKey(t)
	ctx := context.Background()
	start := time.Now()
	for i := range 95 {
		l := a
		if i%2 == 1 {
			l = b
		}
		if err := l.Wait(ctx, key, "op"); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d > 900*time.Millisecond {
		t.Fatalf("95 admissions took %s: they should not wait", d)
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	var rl *instantly.RateLimitError
	if err := b.Wait(short, key, "GET x"); !errors.As(err, &rl) || rl.RetryAfter < 500*time.Millisecond {
		t.Fatalf("96th with a short deadline: %v, want *RateLimitError", err)
	}
	// A waiter that gives up gives its slot back: the next one gets the
	// same slot, not the one after.
	waitCtx, cancelWait := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Wait(waitCtx, key, "op") }()
	rkey := KeyPrefix + hex.EncodeToString(key[:])
	for a.rdb.ZCard(ctx, rkey).Val() != 96 { // until it has its reservation
		runtime.Gosched()
	}
	cancelWait()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v", err)
	}
	if n := a.rdb.ZCard(ctx, rkey).Val(); n != 95 {
		t.Errorf("%d entries after the cancelled wait, want 95", n)
	}
	// Refused: the reply says how long; with the slot given back it is the
	// same wait as before minus the time passed, not one more slot later.
	probe, cancelProbe := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancelProbe()
	err = b.Wait(probe, key, "op")
	if !errors.As(err, &rl) || rl.RetryAfter > 1100*time.Millisecond {
		t.Errorf("after the cancelled wait: %v", err)
	}
	if a.State() != "redis" || a.FallbackCalls() != 0 {
		t.Errorf("state %s, %d fallback calls", a.State(), a.FallbackCalls())
	}
}

// TestFallbackWhenDown: with Redis unreachable, calls go through the
// in-process budget, one warning is logged, and the password is not in it.
func TestFallbackWhenDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	var logs syncBuf
	l, err := New(Options{URL: "redis://:s3cret-pass@" + addr + "/0", Replicas: 3,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	key := uniqueKey(t)
	for range 5 {
		if err := l.Wait(context.Background(), key, "op"); err != nil {
			t.Fatal(err)
		}
	}
	if l.State() != "fallback" || l.FallbackCalls() != 5 {
		t.Errorf("state %s, %d fallback calls; want fallback, 5", l.State(), l.FallbackCalls())
	}
	out := logs.String()
	if n := strings.Count(out, "Redis rate budget unavailable"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, out)
	}
	if strings.Contains(out, "s3cret-pass") {
		t.Errorf("password logged:\n%s", out)
	}
}

func TestBadURL(t *testing.T) {
	_, err := New(Options{URL: "http://user:s3cret@host"})
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("err = %v", err)
	}
}
