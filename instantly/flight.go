package instantly

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// flightEntered counts callers registered with a call (their own or a
// shared one); flightJoined those that got a shared call's result (tests).
var flightEntered, flightJoined atomic.Int64

// shared is do, deduplicated: concurrent identical requests (the same API
// key, by hash, and URL, so the same id and options) of a Client and its
// WithAPIKey copies share one upstream call. A server asked the same
// question by several clients at once asks Instantly once. The call runs detached from the cancellation
// of whichever caller started it (one caller going away must not fail the
// others), but keeps that caller's deadline and values; each caller still
// stops waiting when its own context ends. The result's body is shared: it
// is only read (decoded) by each caller.
func (c *Client) shared(ctx context.Context, op string, u *url.URL) (result, error) {
	start := time.Now()
	key := string(c.keyHash[:]) + " " + u.String()
	run := func() (any, error) {
		callCtx := context.WithoutCancel(ctx)
		if dl, ok := ctx.Deadline(); ok {
			var cancel context.CancelFunc
			callCtx, cancel = context.WithDeadline(callCtx, dl)
			defer cancel()
		}
		res, err := c.do(callCtx, op, request{method: http.MethodGet, url: u})
		return res, err
	}
	ch := c.flights.DoChan(key, run)
	flightEntered.Add(1)
	select {
	case r := <-ch:
		if r.Shared {
			flightJoined.Add(1)
		}
		res, _ := r.Val.(result)
		if r.Shared && res.body != nil {
			// decode may keep the body (see get): each
			// caller gets a body of its own.
			res.body = bytes.Clone(res.body)
		}
		return res, r.Err
	case <-ctx.Done():
		return result{}, c.contextError(ctx, op, start)
	}
}
