// Package instantly is a typed client for the parts of the Instantly API v2
// this project uses: campaign and subsequence sending status, the campaign
// list, and for the cross-checks of a deep diagnosis the whole campaign,
// sending accounts, analytics, subsequences and account vitals. Calls are
// bounded in time, retried when that can help, rate-limited per API key, and
// never put the API key in an error.
package instantly

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/http/httpguts"
)

// DefaultBaseURL is Instantly's API server.
const DefaultBaseURL = "https://api.instantly.ai"

// DefaultUserAgent is sent when WithUserAgent is not given. Callers should
// pass their name and version with WithUserAgent.
const DefaultUserAgent = "instantly-status-mcp"

// Defaults of the options below.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultMaxAttempts   = 3
	DefaultBackoffBase   = 250 * time.Millisecond
	DefaultBackoffMax    = 2 * time.Second
	DefaultMaxRetryAfter = 5 * time.Second
	DefaultMaxBodyBytes  = 4 << 20
)

// The operations, as they appear in errors: the path template, not the id.
const (
	opCampaignSendingStatus    = "GET /api/v2/campaigns/{id}/sending-status"
	opSubsequenceSendingStatus = "GET /api/v2/subsequences/{id}/sending-status"
	opListCampaigns            = "GET /api/v2/campaigns"
	opGetCampaign              = "GET /api/v2/campaigns/{id}"
)

// Client calls the Instantly API v2. It is safe for concurrent use; it is
// never modified after NewClient, so WithAPIKey copies can share its parts.
type Client struct {
	apiKey  string
	keyHash [32]byte // the rate-limit budget's name for apiKey
	// redactor takes apiKey, the keys of the clients this one was copied
	// from and the secrets of WithSecrets out of every body and error.
	redactor *Redactor
	secrets  []string // WithSecrets, and the keys this client was copied from

	baseURL       *url.URL
	httpClient    *http.Client
	userAgent     string
	timeout       time.Duration
	maxAttempts   int
	backoffBase   time.Duration
	backoffMax    time.Duration
	maxRetryAfter time.Duration
	maxBodyBytes  int64
	limiters      Limiter // nil: no client-side rate limit
	flights       *flightGroup
	inFlight      chan struct{} // a slot per request on the wire (WithMaxConcurrentRequests)
}

// Option configures a Client in NewClient.
type Option func(*Client) error

// NewClient returns a client that authenticates with apiKey (surrounding white
// space is dropped). An empty key is allowed, for servers that only use
// per-request keys through WithAPIKey; calls then fail with ErrNoAPIKey.
func NewClient(apiKey string, opts ...Option) (*Client, error) {
	base, _ := url.Parse(DefaultBaseURL)
	c := &Client{
		baseURL: base,
		// Instantly's API does not redirect. Not following redirects
		// means a misconfigured base URL or proxy shows up as a plain
		// 3xx error, and the Authorization header is never replayed
		// to wherever a Location points.
		httpClient: &http.Client{
			Transport: defaultTransport,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
		userAgent:     DefaultUserAgent,
		timeout:       DefaultTimeout,
		maxAttempts:   DefaultMaxAttempts,
		backoffBase:   DefaultBackoffBase,
		backoffMax:    DefaultBackoffMax,
		maxRetryAfter: DefaultMaxRetryAfter,
		maxBodyBytes:  DefaultMaxBodyBytes,
		limiters:      defaultLimiters,
		flights:       new(flightGroup),
		inFlight:      defaultInFlight,
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	c.setKey(apiKey)
	return c, nil
}

// WithBaseURL sets the API server, e.g. a test server. It must be an absolute
// http or https URL without credentials, query or fragment.
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil {
			return fmt.Errorf("instantly: base URL is not a URL")
		}
		switch {
		case u.Scheme != "http" && u.Scheme != "https":
			return fmt.Errorf("instantly: base URL must start with http:// or https://")
		case u.Host == "" || u.Opaque != "":
			return fmt.Errorf("instantly: base URL has no host")
		case u.User != nil:
			return fmt.Errorf("instantly: base URL must not contain credentials")
		case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
			return fmt.Errorf("instantly: base URL must not have a query or fragment")
		}
		u.Path = strings.TrimRight(u.Path, "/")
		u.RawPath = ""
		c.baseURL = u
		return nil
	}
}

// WithHTTPClient sets the HTTP client (transport, proxy, TLS). Its Timeout
// should be 0: the call's time budget comes from WithTimeout. The default
// client does not follow redirects; this one's CheckRedirect decides.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("instantly: nil HTTP client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithUserAgent sets the User-Agent header, e.g. "instantly-status-mcp/1.2.0".
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if ua == "" || !httpguts.ValidHeaderFieldValue(ua) {
			return errors.New("instantly: user agent must be a non-empty header value")
		}
		c.userAgent = ua
		return nil
	}
}

// WithTimeout sets the time budget of a whole call, retries and waits
// included (default 30s). A shorter deadline on the caller's context wins.
func WithTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return errors.New("instantly: timeout must be positive")
		}
		c.timeout = d
		return nil
	}
}

// WithMaxAttempts sets how many requests a call may make, the first included
// (default 3; 1 disables retries).
func WithMaxAttempts(n int) Option {
	return func(c *Client) error {
		if n < 1 {
			return errors.New("instantly: max attempts must be at least 1")
		}
		c.maxAttempts = n
		return nil
	}
}

// WithBackoff sets the retry backoff when the server gives no Retry-After: the
// n-th retry waits a random time in [0, min(max, base*2^(n-1))] ("full
// jitter", so clients that failed together do not retry together).
// Defaults: 250ms and 2s.
func WithBackoff(base, max time.Duration) Option {
	return func(c *Client) error {
		if base < 0 || max < base {
			return errors.New("instantly: backoff needs 0 <= base <= max")
		}
		c.backoffBase, c.backoffMax = base, max
		return nil
	}
}

// WithMaxRetryAfter sets the longest Retry-After a call waits out by itself
// (default 5s). A longer one fails the call at once with an *ErrorResponse
// whose RetryAfter tells the caller when to come back.
func WithMaxRetryAfter(d time.Duration) Option {
	return func(c *Client) error {
		if d < 0 {
			return errors.New("instantly: max Retry-After must not be negative")
		}
		c.maxRetryAfter = d
		return nil
	}
}

// WithMaxBodyBytes caps the size of a response body (default 4 MiB); a larger
// one fails with a *ResponseError wrapping ErrResponseTooLarge.
func WithMaxBodyBytes(n int64) Option {
	return func(c *Client) error {
		if n < 1 {
			return errors.New("instantly: max body bytes must be positive")
		}
		c.maxBodyBytes = n
		return nil
	}
}

// WithRateLimits sets the client-side budget per API key (default 100/s and
// 6,000/min, Instantly's limits, shared process-wide by every Client using
// the defaults). A Client given its own limits has its own budgets, shared
// only with its WithAPIKey copies.
func WithRateLimits(perSecond, perMinute int) Option {
	return func(c *Client) error {
		if perSecond < 1 || perMinute < 1 {
			return errors.New("instantly: rate limits must be positive")
		}
		c.limiters = newLimiterRegistry(perSecond, perMinute)
		return nil
	}
}

// DefaultMaxConcurrentRequests bounds the requests to Instantly on the wire
// at once, in the whole process (every Client built without
// WithMaxConcurrentRequests shares the bound): one workspace may send 100 a
// second, but a shared server with many keys must not open hundreds of
// connections at once to a slow Instantly and grow with them.
const DefaultMaxConcurrentRequests = 32

var defaultInFlight = make(chan struct{}, DefaultMaxConcurrentRequests)

// WithMaxConcurrentRequests bounds the requests on the wire at once for the
// client and its WithAPIKey copies (default: DefaultMaxConcurrentRequests,
// shared process-wide). A request waits for a slot within its call's time
// budget.
func WithMaxConcurrentRequests(n int) Option {
	return func(c *Client) error {
		if n < 1 {
			return errors.New("instantly: max concurrent requests must be at least 1")
		}
		c.inFlight = make(chan struct{}, n)
		return nil
	}
}

// WithoutRateLimit turns the client-side rate limit off.
func WithoutRateLimit() Option {
	return func(c *Client) error {
		c.limiters = nil
		return nil
	}
}

// WithSecrets adds secrets that every answer and error of the client is
// redacted of, besides its own API key (e.g. the server's access token).
func WithSecrets(secrets ...string) Option {
	return func(c *Client) error {
		c.secrets = append(c.secrets, secrets...)
		return nil
	}
}

// WithAPIKey returns a shallow copy of c that authenticates with key, for
// per-request keys in shared deployments. The copy shares c's HTTP client and
// rate-limit budgets, so copies made with the same key share one budget. Its
// answers are redacted of key and of c's own key and secrets as well.
func (c *Client) WithAPIKey(key string) *Client {
	cp := *c
	if c.apiKey != "" {
		cp.secrets = append(slices.Clip(c.secrets), c.apiKey)
	}
	cp.setKey(key)
	return &cp
}

func (c *Client) setKey(key string) {
	c.apiKey = strings.TrimSpace(key)
	c.keyHash = keyHash(c.apiKey)
	c.redactor = NewRedactor(append([]string{c.apiKey}, c.secrets...)...)
}

// Redactor returns the redactor of the client's key and secrets.
func (c *Client) Redactor() *Redactor { return c.redactor }

// HasAPIKey reports whether the client has an API key.
func (c *Client) HasAPIKey() bool { return c.apiKey != "" }

// Timeout returns the time budget of one call.
func (c *Client) Timeout() time.Duration { return c.timeout }

// BaseURL returns the API server's URL, without a trailing slash.
func (c *Client) BaseURL() string { return c.baseURL.String() }

// SendingStatusOptions are the query parameters of the sending-status
// endpoints.
type SendingStatusOptions struct {
	// WithAISummary asks Instantly for Summary.AISummary
	// (with_ai_summary=true). Slower; leave false unless it is shown.
	WithAISummary bool
}

// GetCampaignSendingStatus explains why a campaign is not sending, or sending
// slower than expected. id must be a UUID. Both Diagnostics and Summary are
// nil when Instantly has no data yet.
//
// Instantly API: GET /api/v2/campaigns/{id}/sending-status
func (c *Client) GetCampaignSendingStatus(ctx context.Context, id string, opts *SendingStatusOptions) (*SendingStatus, error) {
	return c.sendingStatus(ctx, opCampaignSendingStatus, "/api/v2/campaigns/", id, opts)
}

// GetSubsequenceSendingStatus is GetCampaignSendingStatus for a subsequence;
// Diagnostics.SubsequenceID is set in the answer.
//
// Instantly API: GET /api/v2/subsequences/{id}/sending-status
func (c *Client) GetSubsequenceSendingStatus(ctx context.Context, id string, opts *SendingStatusOptions) (*SendingStatus, error) {
	return c.sendingStatus(ctx, opSubsequenceSendingStatus, "/api/v2/subsequences/", id, opts)
}

func (c *Client) sendingStatus(ctx context.Context, op, prefix, id string, opts *SendingStatusOptions) (*SendingStatus, error) {
	id, err := parseIDFor(id, c.redactor)
	if err != nil {
		return nil, err
	}
	var q url.Values
	if opts != nil && opts.WithAISummary {
		q = url.Values{"with_ai_summary": {"true"}}
	}
	ss := new(SendingStatus)
	err = c.call(ctx, http.MethodGet, op, prefix+id+"/sending-status", q, nil, func(body []byte) error {
		if err := decodeStrict(body, ss); err != nil {
			return err
		}
		ss.Raw = body
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ss, nil
}

// MaxSearchLen is the longest search text, in characters, that
// CheckSearch accepts: the search matches campaign names, which are far
// shorter.
const MaxSearchLen = 100

// CheckSearch returns a search text for ListCampaignsOptions without
// surrounding white space, or an error saying why it is not one: more than
// MaxSearchLen characters, control characters, or a text that looks like a
// secret (ErrSecretSearch, see LooksLikeSecret). The error does not repeat
// s.
func CheckSearch(s string) (string, error) {
	s = strings.TrimSpace(s)
	if LooksLikeSecret(s) {
		return "", ErrSecretSearch
	}
	if n := utf8.RuneCountInString(s); n > MaxSearchLen {
		return "", fmt.Errorf("at most %d characters of a campaign name, got %d", MaxSearchLen, n)
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "", errors.New("control characters are not allowed")
	}
	return s, nil
}

// ListCampaignsOptions are the query parameters of ListCampaigns. Zero
// values are not sent.
type ListCampaignsOptions struct {
	// Search matches the campaign name (see CheckSearch).
	Search string
	// Status filters by campaign status (CampaignStatus* constants).
	Status *CampaignStatus
	// Limit is the page size, 1..100; 0 leaves it to the API.
	Limit int
	// StartingAfter is the NextStartingAfter of the previous page.
	StartingAfter string
}

// ListCampaigns returns one page of campaigns.
//
// Instantly API: GET /api/v2/campaigns
func (c *Client) ListCampaigns(ctx context.Context, opts *ListCampaignsOptions) (*CampaignPage, error) {
	q := url.Values{}
	if opts != nil {
		if opts.Limit < 0 || opts.Limit > 100 {
			return nil, fmt.Errorf("instantly: ListCampaigns: limit must be between 1 and 100 (0 for the API's default), got %d", opts.Limit)
		}
		setQuery(q, "limit", count(opts.Limit), "starting_after", opts.StartingAfter)
		if opts.Search != "" {
			s, err := CheckSearch(opts.Search)
			if err == nil && c.redactor.Redacts(s) {
				err = ErrSecretSearch // the key itself, or a run of it
			}
			if err != nil {
				return nil, fmt.Errorf("instantly: ListCampaigns: search: %w", err)
			}
			q.Set("search", s)
		}
		if opts.Status != nil {
			q.Set("status", strconv.Itoa(int(*opts.Status)))
		}
	}
	return getJSON[CampaignPage](ctx, c, opListCampaigns, "/api/v2/campaigns", q, decodeStrict)
}

// GetCampaign returns one campaign. id must be a UUID.
//
// Instantly API: GET /api/v2/campaigns/{id}
func (c *Client) GetCampaign(ctx context.Context, id string) (*Campaign, error) {
	id, err := parseIDFor(id, c.redactor)
	if err != nil {
		return nil, err
	}
	return getJSON[Campaign](ctx, c, opGetCampaign, "/api/v2/campaigns/"+id, nil, decodeStrict)
}

// getJSON is a GET call decoding the 2xx body into a new T with decode.
func getJSON[T any](ctx context.Context, c *Client, op, path string, query url.Values, decode func([]byte, any) error) (*T, error) {
	v := new(T)
	if err := c.call(ctx, http.MethodGet, op, path, query, nil, func(body []byte) error { return decode(body, v) }); err != nil {
		return nil, err
	}
	return v, nil
}

// setQuery sets the parameters of the (name, value) pairs whose value is
// not empty, and returns q.
func setQuery(q url.Values, pairs ...string) url.Values {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			q.Set(pairs[i], pairs[i+1])
		}
	}
	return q
}

// count is n as a query value, "" (not sent) for 0.
func count(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// errInvalidAPIKey: net/http would refuse the header anyway; checked first so
// the error is ours and says what is wrong.
var errInvalidAPIKey = errors.New("instantly: API key contains characters not allowed in an HTTP header")

// call performs one API call (with retries) and hands the 2xx body to
// decode, valid UTF-8: Instantly's strings end up in MCP answers, which must
// be UTF-8, so invalid bytes are repaired (as U+FFFD), not rejected. decode
// may keep the body. A POST (reqBody, JSON) retries like a GET: only
// read-only POSTs, tests that change nothing such as the account vitals, go
// through it.
func (c *Client) call(ctx context.Context, method, op, path string, query url.Values, reqBody []byte, decode func([]byte) error) error {
	if c.apiKey == "" {
		return ErrNoAPIKey
	}
	if !httpguts.ValidHeaderFieldValue(c.apiKey) {
		return errInvalidAPIKey
	}
	if len(c.apiKey) < MinSecretLen {
		return ErrAPIKeyTooShort
	}
	u := c.baseURL.JoinPath(path)
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	var res result
	var err error
	if method == http.MethodGet {
		res, err = c.shared(ctx, op, u) // identical concurrent GETs share one request
	} else {
		res, err = c.do(ctx, op, request{method: method, url: u, body: reqBody})
	}
	if err != nil {
		return err
	}
	if len(res.body) == 0 {
		return &ResponseError{StatusCode: res.status, Operation: op, ContentType: res.contentType}
	}
	body := res.body
	if !utf8.Valid(body) {
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	// Before anything reads it: a key Instantly (or a proxy) echoes in an
	// answer must reach neither the typed view, nor Raw, nor a result.
	body = c.redactor.JSON(body)
	if err := decode(body); err != nil {
		return &ResponseError{StatusCode: res.status, Operation: op, ContentType: res.contentType,
			Size: int64(len(res.body)), Err: err}
	}
	return nil
}

// request is what one call sends: the method, the URL and, for a POST, the
// JSON body (sent again on every attempt).
type request struct {
	method string
	url    *url.URL
	body   []byte
}

// newRequest builds one attempt's request.
func (c *Client) newRequest(ctx context.Context, r request) (*http.Request, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url.String(), body)
	if err != nil {
		return nil, err
	}
	if r.body != nil {
		req.Header["Content-Type"] = []string{"application/json"}
	}
	req.Header["Authorization"] = []string{"Bearer " + c.apiKey}
	req.Header["Accept"] = []string{"application/json"}
	req.Header["User-Agent"] = []string{c.userAgent}
	return req, nil
}

// defaultTransport is shared by every Client built without WithHTTPClient.
// http.DefaultTransport keeps only 2 idle connections per host, so under
// concurrent calls (an overview, a shared HTTP deployment) almost every call
// would dial, and against Instantly pay a TLS handshake: keep enough idle
// connections for the concurrency we actually run.
var defaultTransport = func() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	t.IdleConnTimeout = 90 * time.Second
	return t
}()
