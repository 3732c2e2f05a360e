package instantly

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// flightEntered counts callers registered with a call (their own or a
// shared one); flightJoined those that got a shared call's result (tests).
var flightEntered, flightJoined atomic.Int64

// shared is do, deduplicated: concurrent identical requests (the same API
// key, by hash, and URL, so the same id and options) of a Client and its
// WithAPIKey copies share one upstream call. A server asked the same
// question by several clients at once asks Instantly once. The call runs
// detached from the cancellation of whichever caller started it (one caller
// going away must not fail the others), but keeps that caller's deadline
// and values; each caller still stops waiting when its own context ends, and
// when the last one has gone the call is cancelled too, so an abandoned call
// does not go on waiting for budget, retrying or sending. The result's body
// is shared: it is only read (decoded) by each caller.
func (c *Client) shared(ctx context.Context, op string, u *url.URL) (result, error) {
	start := time.Now()
	key := string(c.keyHash[:]) + " " + u.String()
	f, first := c.flights.join(ctx, key)
	if first {
		go func() {
			defer f.cancel()
			res, err := c.do(f.ctx, op, request{method: http.MethodGet, url: u})
			c.flights.finish(key, f, res, err)
		}()
	}
	flightEntered.Add(1)
	select {
	case <-f.done:
		res := f.res
		if f.joined > 1 {
			flightJoined.Add(1)
			if res.body != nil {
				// decode may keep the body (see get): each
				// caller gets a body of its own.
				res.body = bytes.Clone(res.body)
			}
		}
		return res, f.err
	case <-ctx.Done():
		if c.flights.leave(key, f) {
			// The last caller waits for the cancelled call to end
			// (at once: every wait in do ends with its context), so
			// that nothing it started runs on after it returns.
			<-f.done
		}
		return result{}, c.contextError(ctx, op, start)
	}
}

// flightGroup holds the calls in flight by key. (golang.org/x/sync's
// singleflight cannot tell a caller which call it joined, so it cannot
// cancel a call when its last caller has gone.)
type flightGroup struct {
	mu    sync.Mutex
	calls map[string]*flight
}

// flight is one upstream call and the callers waiting for it.
type flight struct {
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed when res and err are set
	res    result
	err    error
	// waiting: callers still waiting (under flightGroup.mu). joined: callers
	// ever given this call, read after done (no one joins once it ends).
	waiting, joined int
}

// join gives the caller the call in flight for key, or a new one (first:
// the caller starts it), detached from ctx's cancellation but with its
// deadline and values.
func (g *flightGroup) join(ctx context.Context, key string) (f *flight, first bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if f = g.calls[key]; f != nil {
		f.waiting++
		f.joined++
		return f, false
	}
	detached := context.WithoutCancel(ctx)
	var callCtx context.Context
	var cancel context.CancelFunc
	if dl, ok := ctx.Deadline(); ok {
		callCtx, cancel = context.WithDeadline(detached, dl)
	} else {
		callCtx, cancel = context.WithCancel(detached)
	}
	f = &flight{ctx: callCtx, cancel: cancel, done: make(chan struct{}), waiting: 1, joined: 1}
	if g.calls == nil {
		g.calls = map[string]*flight{}
	}
	g.calls[key] = f
	return f, true
}

// leave drops a caller that stopped waiting and reports whether it was the
// last. The last one cancels the call and forgets it, so a later caller
// starts a fresh call rather than joining a cancelled one.
func (g *flightGroup) leave(key string, f *flight) (last bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	f.waiting--
	if f.waiting > 0 {
		return false
	}
	f.cancel()
	if g.calls[key] == f {
		delete(g.calls, key)
	}
	return true
}

// finish hands the result to the callers still waiting.
func (g *flightGroup) finish(key string, f *flight, res result, err error) {
	g.mu.Lock()
	if g.calls[key] == f {
		delete(g.calls, key)
	}
	g.mu.Unlock()
	f.res, f.err = res, err
	close(f.done)
}
