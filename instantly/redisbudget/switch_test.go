package redisbudget

import (
	"bufio"
	"context"
	"crypto/sha256"
	"io"
	"log/slog"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// cutProxy forwards TCP to Redis until cut: then it drops every connection
// and refuses new ones, as a Redis gone away would, until restored.
type cutProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]bool
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p
}

func (p *cutProxy) serve(c net.Conn) {
	p.mu.Lock()
	if p.down {
		p.mu.Unlock()
		c.Close()
		return
	}
	p.mu.Unlock()
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.down {
		p.mu.Unlock()
		c.Close()
		up.Close()
		return
	}
	p.conns[c], p.conns[up] = true, true
	p.mu.Unlock()
	go func() { _, _ = io.Copy(up, c); up.Close() }()
	_, _ = io.Copy(c, up)
	c.Close()
}

func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

func (p *cutProxy) restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

func waitState(t *testing.T, l *Limiter, want string) time.Time {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for l.State() != want {
		if time.Now().After(deadline) {
			t.Fatalf("state %s, want %s", l.State(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Now()
}

// TestSwitchRevokesAndHolds: a slot granted ahead by the budget in use is
// not used after a switch (the request waits again, in the other budget),
// and nothing goes out until the quiet window after the switch has passed,
// both ways. Before the switch revoked them, the Redis slot was used as granted, and
// the fallback started at once after a 1.1 s pause from its own switch:
// slots granted further ahead than that then went out on top of it.
func TestSwitchRevokesAndHolds(t *testing.T) {
	u := redisURL(t)
	opt, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	p := newCutProxy(t, opt.Addr)
	l, err := New(Options{KeySecret: testKeySecret, URL: "redis://" + p.ln.Addr().String() + "/" + strconv.Itoa(opt.DB), Password: opt.Password,
		// A timeout long enough that a busy machine does not switch it
		// by itself (the cut refuses at once, the timeout plays no part).
		Replicas: 3, ProbeInterval: 50 * time.Millisecond, OpTimeout: time.Second,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if got, want := l.QuietWindow(), 1100*time.Millisecond+1050*time.Millisecond; got != want {
		t.Fatalf("quiet window %s, want %s (one window + probe interval + timeout)", got, want)
	}
	key := uniqueKey(t)
	ctx := context.Background()

	// Redis → fallback. 95 go out at once; the 96th is granted a slot
	// about 1.1 s ahead.
	for range 95 {
		if err := l.Wait(ctx, key, "op"); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan time.Time, 1)
	go func() {
		if err := l.Wait(ctx, key, "op"); err != nil {
			t.Error(err)
		}
		done <- time.Now()
	}()
	rkey := l.keyName(key)
	for l.rdb.ZCard(ctx, rkey).Val() != 96 { // until it has its slot
		runtime.Gosched()
	}
	granted := time.Now()
	p.cut()
	waitState(t, l, "fallback")
	out := <-done
	if out.Sub(granted) < l.QuietWindow() {
		t.Errorf("the request granted ahead by Redis went out %s after the cut: its slot was used (want >= %s, the quiet window)", out.Sub(granted), l.QuietWindow())
	}

	// Fallback → Redis. The local budget is 31 per window (95/3); the
	// 32nd is granted a slot about 1.1 s ahead.
	for range 30 { // the 96th above took one
		if err := l.Wait(ctx, key, "op"); err != nil {
			t.Fatal(err)
		}
	}
	entered := make(chan struct{}, 1)
	l.local = enteredLimiter{l.local, entered}
	go func() {
		if err := l.Wait(ctx, key, "op"); err != nil {
			t.Error(err)
		}
		done <- time.Now()
	}()
	<-entered // it takes its slot (the in-process limiter reserves at once)
	back := time.Now()
	p.restore()
	waitState(t, l, "redis")
	out = <-done
	if out.Sub(back) < l.QuietWindow() {
		t.Errorf("the request granted ahead by the fallback went out %s after Redis returned (want >= %s)", out.Sub(back), l.QuietWindow())
	}
	if l.FallbackCalls() != 31 {
		t.Errorf("%d calls on the fallback, want 31", l.FallbackCalls())
	}
}

type enteredLimiter struct {
	instantly.Limiter
	entered chan struct{}
}

func (e enteredLimiter) Wait(ctx context.Context, key [sha256.Size]byte, op string) error {
	select {
	case e.entered <- struct{}{}:
	default:
	}
	return e.Limiter.Wait(ctx, key, op)
}

// respServer speaks just enough RESP for the tests' fake Redis servers: it
// reads each command's arguments and writes what reply returns for them.
func respServer(t *testing.T, reply func(args []string) string) (addr string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil || !strings.HasPrefix(line, "*") {
						return
					}
					n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
					var args []string
					for range n {
						if _, err := r.ReadString('\n'); err != nil { // $len
							return
						}
						arg, err := r.ReadString('\n')
						if err != nil {
							return
						}
						args = append(args, strings.TrimSpace(arg))
					}
					if len(args) == 0 {
						return
					}
					if _, err := io.WriteString(c, reply(args)); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// pingOnlyRedis answers PING and refuses every other command, as a Redis
// that is up but refuses scripts or writes would. It counts the scripts
// tried.
func pingOnlyRedis(t *testing.T) (addr string, scripts *atomic.Int64) {
	scripts = &atomic.Int64{}
	addr = respServer(t, func(args []string) string {
		switch cmd := strings.ToUpper(args[0]); {
		case cmd == "PING":
			return "+PONG\r\n"
		case strings.HasPrefix(cmd, "EVAL"):
			scripts.Add(1)
		}
		return "-ERR refused by the test\r\n"
	})
	return addr, scripts
}

// TestNoFlappingWhenOnlyPingWorks: a replica on the fallback goes back to
// Redis only when the budget's script runs there, not when PING answers;
// otherwise it would switch back and forth four times a second, each switch
// holding every request for a quiet window.
func TestNoFlappingWhenOnlyPingWorks(t *testing.T) {
	addr, scripts := pingOnlyRedis(t)
	var logs syncBuf
	l, err := New(Options{KeySecret: testKeySecret, URL: "redis://" + addr + "/0", ProbeInterval: 10 * time.Millisecond, OpTimeout: 100 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	// Flapping would hold this call in quiet windows until its deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := l.Wait(ctx, uniqueKey(t), "op"); err != nil {
		t.Fatal(err)
	}
	if l.State() != "fallback" {
		t.Fatalf("state %s after the script was refused", l.State())
	}
	// The call's script, then probes on the heartbeat (or a switch back).
	for scripts.Load() < 6 && !strings.Contains(logs.String(), "available again") {
		runtime.Gosched()
	}
	if l.State() != "fallback" || strings.Contains(logs.String(), "available again") {
		t.Errorf("switched back to a Redis that refuses the script: state %s\n%s", l.State(), logs.String())
	}
}
