package instantly

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"time"

	"github.com/instantly-status/instantly-status-mcp/internal/stdx"
)

// errCallTimeout is the cause of a call's own deadline (WithTimeout), which
// tells it apart from a deadline of the caller's context.
var errCallTimeout = errors.New("instantly: call timeout")

// result is a 2xx answer.
type result struct {
	body        []byte
	status      int
	contentType string
}

// do makes the request, retrying what a retry can fix: 429, 500, 502, 503,
// 504 and connection failures, up to maxAttempts requests. It waits the
// server's Retry-After when there is one, else a jittered exponential
// backoff. It never waits past the call's deadline: when the next wait would
// not fit, or Retry-After is longer than maxRetryAfter, the last error is
// returned at once. Other 4xx are final. GET is idempotent, so a retry
// after a lost connection cannot do harm.
func (c *Client) do(parent context.Context, op string, u request) (result, error) {
	start := time.Now()
	ctx, cancel := context.WithTimeoutCause(parent, c.timeout, errCallTimeout)
	defer cancel()
	for attempt := 1; ; attempt++ {
		res, retryable, err := c.attempt(ctx, op, u)
		if err == nil {
			return res, nil
		}
		var er *ErrorResponse
		isAnswer := errors.As(err, &er)
		if !isAnswer && ctx.Err() != nil {
			// The failure is the deadline or the cancellation (the
			// transport reports it in many shapes); say so plainly.
			return result{}, c.contextError(ctx, op, start)
		}
		setAttempts(err, attempt)
		if !retryable || attempt >= c.maxAttempts {
			return result{}, err
		}
		var wait time.Duration
		switch {
		case isAnswer && er.RetryAfter > c.maxRetryAfter:
			return result{}, err // the caller decides whether to come back
		case isAnswer && er.RetryAfter > 0:
			wait = er.RetryAfter
		default:
			wait = c.backoff(attempt)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= wait {
			return result{}, err // a retry could not finish in time
		}
		if !stdx.Sleep(ctx, wait) {
			return result{}, c.contextError(ctx, op, start)
		}
	}
}

// attempt makes one request. retryable says whether another could succeed.
func (c *Client) attempt(ctx context.Context, op string, u request) (res result, retryable bool, err error) {
	if c.limiters != nil {
		if err := c.limiters.Wait(ctx, c.keyHash, op); err != nil {
			return result{}, false, err
		}
	}
	select {
	case c.inFlight <- struct{}{}:
		defer func() { <-c.inFlight }() // after the body is read and closed
	case <-ctx.Done():
		return result{}, false, context.Cause(ctx)
	}
	req, err := c.newRequest(ctx, u)
	if err != nil {
		return result{}, false, fmt.Errorf("instantly: %s: %s", op, c.redactor.String(err.Error()))
	}
	resp, err := c.httpClient.Do(req)
	if err != nil {
		return result{}, retryableNetError(err), newNetworkError(op, err, c.redactor)
	}
	// Drain what is left (bounded) before closing, so the connection can be
	// reused for the next call.
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, errorBodyLimit))
		_ = resp.Body.Close()
	}()

	ctype := c.redactor.String(mediaType(resp.Header.Get("Content-Type")))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		body, size, err := readBody(resp, c.maxBodyBytes)
		switch {
		case errors.Is(err, ErrResponseTooLarge):
			return result{}, false, &ResponseError{StatusCode: resp.StatusCode, Operation: op,
				ContentType: ctype, Size: size, Err: err}
		case err != nil: // connection lost mid-body
			return result{}, true, newNetworkError(op, err, c.redactor)
		}
		return result{body: body, status: resp.StatusCode, contentType: ctype}, false, nil
	}
	err = checkResponse(resp, op, errorBodyLimit, c.redactor)
	var er *ErrorResponse
	if !errors.As(err, &er) {
		return result{}, true, newNetworkError(op, err, c.redactor)
	}
	return result{}, retryableStatus(resp.StatusCode), er
}

// readBody reads a 2xx body of at most max bytes. size is the number of bytes
// seen, -1 when a Content-Length over the limit refused the body unread.
func readBody(resp *http.Response, max int64) (body []byte, size int64, err error) {
	tooLarge := fmt.Errorf("%w: more than %s", ErrResponseTooLarge, stdx.FormatBytes(max))
	if resp.ContentLength > max {
		return nil, -1, tooLarge
	}
	if resp.ContentLength >= 0 {
		// The transport holds the body to its Content-Length, so one
		// exact allocation is enough.
		body = make([]byte, resp.ContentLength)
		n, err := io.ReadFull(resp.Body, body)
		return body, int64(n), err
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, max+1))
	if int64(len(body)) > max {
		return nil, int64(len(body)), tooLarge
	}
	return body, int64(len(body)), err
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableNetError is false for failures a retry cannot fix: a certificate
// that does not verify, a host name that does not exist.
func retryableNetError(err error) bool {
	if _, ok := errors.AsType[*tls.CertificateVerificationError](err); ok {
		return false
	}
	if dns, ok := errors.AsType[*net.DNSError](err); ok && dns.IsNotFound {
		return false
	}
	return true
}

func setAttempts(err error, n int) {
	if er, ok := errors.AsType[*ErrorResponse](err); ok {
		er.Attempts = n
	}
	if ne, ok := errors.AsType[*NetworkError](err); ok {
		ne.Attempts = n
	}
}

// backoff is the wait before retry number attempt (1-based): uniform in
// [0, min(backoffMax, backoffBase*2^(attempt-1))].
func (c *Client) backoff(attempt int) time.Duration {
	d := c.backoffMax
	if shift := attempt - 1; shift < 32 {
		if b := c.backoffBase << shift; b >= 0 && b < d {
			d = b
		}
	}
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}

// contextError describes why ctx ended: the call's own timeout or the
// caller's deadline (*TimeoutError), or the caller's cancellation.
func (c *Client) contextError(ctx context.Context, op string, start time.Time) error {
	if errors.Is(context.Cause(ctx), errCallTimeout) {
		return &TimeoutError{Operation: op, After: c.timeout}
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &TimeoutError{Operation: op, After: time.Since(start).Round(time.Millisecond)}
	}
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, ctx.Err()) {
		// Who cancelled: a server shutting down says so in its cause.
		return fmt.Errorf("instantly: %s: %w: %w", op, ctx.Err(), cause)
	}
	return fmt.Errorf("instantly: %s: %w", op, ctx.Err())
}
