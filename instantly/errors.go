package instantly

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/instantly-status/instantly-status-mcp/internal/stdx"
)

// ErrNoAPIKey is returned, before any request is made, by a call on a Client
// that has no API key.
var ErrNoAPIKey = errors.New("instantly: no API key configured")

// ErrAPIKeyTooShort is returned, before any request is made, by a call on a
// Client whose key is shorter than MinSecretLen: no Instantly key is that
// short, and so short a secret could not be kept out of logs and results.
var ErrAPIKeyTooShort = fmt.Errorf("instantly: the API key is shorter than %d characters, so it is not an Instantly API key", MinSecretLen)

// ErrResponseTooLarge is wrapped by the *ResponseError of a response whose
// body exceeds the client's limit (WithMaxBodyBytes, default 4 MiB).
var ErrResponseTooLarge = errors.New("response body too large")

// errorBodyLimit caps what is read of a non-2xx body: the documented error
// JSON is a few hundred bytes, and a gateway's HTML page is never shown.
const errorBodyLimit = 64 << 10

// ErrorResponse is a non-2xx answer from Instantly. The documented error body
// is {"statusCode": N, "error": "...", "message": "..."}; other bodies (a
// gateway's HTML page, truncated or empty bodies) are described in Message
// without being repeated.
type ErrorResponse struct {
	StatusCode int
	// ErrorName is the API's "error" (e.g. "Not Found"), or the standard
	// status text when the body is not the documented JSON.
	ErrorName string
	// Message is the API's "message", or a description of what came back
	// when the body is not the documented JSON. The API key is replaced by
	// [REDACTED] if Instantly echoes it.
	Message string
	// RetryAfter is the server's Retry-After, 0 when it sent none.
	RetryAfter time.Duration
	// Operation is the API operation with the path template, e.g.
	// "GET /api/v2/campaigns/{id}/sending-status".
	Operation string
	// Attempts is how many requests were made, retries included.
	Attempts int
}

func (e *ErrorResponse) Error() string {
	var b strings.Builder
	b.WriteString("instantly: ")
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.ErrorName != "" {
		b.WriteByte(' ')
		b.WriteString(e.ErrorName)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after ")
		b.WriteString(e.RetryAfter.String())
		b.WriteByte(')')
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// ResponseError is a 2xx answer whose body cannot be used: not JSON, not the
// documented shape, empty, or larger than the client's limit (then Err is
// ErrResponseTooLarge). The body itself is never repeated.
type ResponseError struct {
	StatusCode  int
	Operation   string
	ContentType string // media type only, sanitized
	Size        int64  // bytes read, -1 when the body was refused unread
	Err         error
}

func (e *ResponseError) Error() string {
	msg := fmt.Sprintf("instantly: %s: %d response", e.Operation, e.StatusCode)
	switch {
	case errors.Is(e.Err, ErrResponseTooLarge):
		return msg + ": " + e.Err.Error()
	case e.Size == 0:
		return msg + ": empty body"
	}
	var fe *FieldError
	if errors.As(e.Err, &fe) {
		return msg + ": unexpected JSON: " + fe.Error()
	}
	msg = fmt.Sprintf("%s: body is not valid JSON (%s, %d bytes)", msg, e.ContentType, e.Size)
	// The syntax error's own text could quote a character of the body; the
	// offset says as much without repeating anything.
	if se := (*SyntaxError)(nil); errors.As(e.Err, &se) {
		msg += fmt.Sprintf(", error at byte %d", se.Offset)
	}
	return msg
}

func (e *ResponseError) Unwrap() error { return e.Err }

// TimeoutError is a call that got no usable answer within its time budget
// (WithTimeout, or the caller's deadline if that came first), retries
// included. It unwraps to context.DeadlineExceeded.
type TimeoutError struct {
	Operation string
	After     time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("instantly: %s: no answer from Instantly within %s", e.Operation, e.After)
}

func (e *TimeoutError) Unwrap() error { return context.DeadlineExceeded }

// Timeout reports true, like net.Error.
func (e *TimeoutError) Timeout() bool { return true }

// NetworkError is a request that failed below HTTP: connection refused or
// reset, DNS, TLS. Error() never contains the API key; Unwrap gives the
// underlying error for errors.Is (e.g. syscall.ECONNREFUSED).
type NetworkError struct {
	Operation string
	Attempts  int
	Err       error
	msg       string // redacted text of Err
}

func (e *NetworkError) Error() string {
	s := fmt.Sprintf("instantly: %s: cannot reach Instantly: %s", e.Operation, e.msg)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

func (e *NetworkError) Unwrap() error { return e.Err }

// Cause is the redacted network failure alone ("dial tcp: lookup
// api.instantly.ai: no such host"), for a message that already says it
// could not reach Instantly.
func (e *NetworkError) Cause() string { return e.msg }

func newNetworkError(op string, err error, r *Redactor) *NetworkError {
	inner := err
	if ue, ok := errors.AsType[*url.Error](err); ok {
		inner = ue.Err // the URL adds nothing but length
	}
	return &NetworkError{Operation: op, Err: err, msg: r.String(inner.Error())}
}

// RateLimitError is returned, without sending, when this process's own
// budget for the API key (see WithRateLimits) would make the request wait
// past the call's deadline.
type RateLimitError struct {
	Operation  string
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("instantly: %s: client-side rate limit for this API key reached, request not sent (retry after %s)",
		e.Operation, e.RetryAfter.Round(time.Millisecond))
}

// checkResponse turns a non-2xx response into an *ErrorResponse. It reads at
// most limit bytes of the body and leaves draining and closing to the caller.
// The Message is redacted of r's secrets, then sanitized and shortened. The
// text of a 401 or 403 is not kept at all: it is where a server or a proxy
// echoes the credentials it refused, and the status says what matters.
func checkResponse(resp *http.Response, op string, limit int64, r *Redactor) error {
	er := &ErrorResponse{
		StatusCode: resp.StatusCode,
		Operation:  op,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return err // the caller maps it (timeout, network)
	}
	ctype := r.String(mediaType(resp.Header.Get("Content-Type")))
	var doc struct {
		Error   json.RawMessage `json:"error"`
		Message json.RawMessage `json:"message"`
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		// No upstream text: ErrorName is the standard status text.
	case int64(len(body)) > limit:
		er.Message = fmt.Sprintf("response body is larger than %s (%s); not shown", stdx.FormatBytes(limit), ctype)
	case len(strings.TrimSpace(string(body))) == 0:
		er.Message = "empty response body"
	case !json.Valid(body):
		er.Message = fmt.Sprintf("response body is not JSON (%s, %d bytes); not shown", ctype, len(body))
	case json.Unmarshal(body, &doc) != nil:
		er.Message = fmt.Sprintf("response body is JSON but not the documented error object (%s, %d bytes); not shown", ctype, len(body))
	default:
		er.ErrorName = sanitize(jsonText(doc.Error), r, 100)
		er.Message = sanitize(jsonText(doc.Message), r, 500)
	}
	if er.ErrorName == "" {
		er.ErrorName = http.StatusText(resp.StatusCode)
	}
	return er
}

// jsonText reads a string, or an array of strings (the shape validation
// errors often take), from raw; anything else gives "".
func jsonText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, "; ")
	}
	return ""
}

// sanitize makes server text safe to show: the secrets redacted first (a
// secret cut short by the limit would no longer be recognised), then control
// and bidirectional formatting characters turned into spaces, at most max
// runes.
func sanitize(s string, r *Redactor, max int) string {
	s = r.String(s)
	var b strings.Builder
	n := 0
	for _, c := range s {
		if n == max {
			b.WriteString("…")
			break
		}
		if unicode.IsControl(c) || unicode.Is(unicode.Bidi_Control, c) {
			c = ' '
		}
		b.WriteRune(c)
		n++
	}
	return strings.TrimSpace(b.String())
}

// mediaType returns the media type of a Content-Type header, or a placeholder:
// the header is server-controlled and ends up in error messages.
func mediaType(h string) string {
	if h == "" {
		return "no content type"
	}
	mt, _, err := mime.ParseMediaType(h)
	if err != nil || len(mt) > 64 {
		return "unparsable content type"
	}
	return mt
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP-date.
// Missing, malformed or past values give 0.
func parseRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second) // no overflow, and "a day" is plenty
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d.Round(time.Second), 24*time.Hour)
		}
	}
	return 0
}

// IsTemporary reports whether a failed call may succeed if made again later:
// 429 and the 5xx statuses the client retries, network failures other than a
// certificate or an unknown host, timeouts, this process's own rate limit, a
// body cut short or malformed (but not one over the size limit). The client
// has already retried these; a caller retries only after a longer pause.
func IsTemporary(err error) bool {
	var (
		er *ErrorResponse
		ne *NetworkError
		te *TimeoutError
		rl *RateLimitError
		re *ResponseError
	)
	switch {
	case errors.As(err, &er):
		return retryableStatus(er.StatusCode)
	case errors.As(err, &ne):
		return retryableNetError(ne.Err)
	case errors.As(err, &re):
		return !errors.Is(err, ErrResponseTooLarge)
	}
	return errors.As(err, &te) || errors.As(err, &rl)
}
