package instantly

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

const (
	opListAccounts = "GET /api/v2/accounts"
	opGetAccount   = "GET /api/v2/accounts/{email}"
	opTestVitals   = "POST /api/v2/accounts/test/vitals"
)

// Account is a sending account (components.schemas.Account) as far as a
// diagnosis reads it. Fields the schema does not define are not read.
type Account struct {
	Email string `json:"email"`
	// Status: 1 active, 2 paused, 3 maintenance, -1 connection error,
	// -2 soft bounce error, -3 sending error. Not in the schema's required
	// list, so it may be absent.
	Status *float64 `json:"status"`
	// StatusMessage is the raw SMTP/IMAP error of the last failure.
	StatusMessage *AccountStatusMessage `json:"status_message"`
	// AutofixFailed: nil = reconnection in progress (or unknown), true =
	// automatic reconnection failed, false = it succeeded.
	AutofixFailed *bool `json:"autofix_failed"`
	SetupPending  bool  `json:"setup_pending"`
	// WarmupStatus: 0 paused, 1 active, -1 banned, -2 spam folder unknown,
	// -3 permanent suspension.
	WarmupStatus float64 `json:"warmup_status"`
	// ProviderCode: 1 custom IMAP/SMTP, 2 Google, 3 Microsoft, 4 AWS,
	// 8 AirMail, 11 Airmail Instant.
	ProviderCode     float64        `json:"provider_code"`
	DailyLimit       *float64       `json:"daily_limit"`
	SendingGap       *float64       `json:"sending_gap"`
	EnableSlowRamp   *bool          `json:"enable_slow_ramp"`
	Warmup           *AccountWarmup `json:"warmup"`
	TimestampCreated string         `json:"timestamp_created"`
	// Tags is filled only when the list asked for include_tags=true.
	Tags []AccountTag `json:"tags"`
}

// AccountStatusMessage is the documented shape of Account.status_message
// (an object with additionalProperties: true). A value that is not an object
// is kept whole in EMessage rather than failing the account list.
type AccountStatusMessage struct {
	Code         string   `json:"code"`
	Command      string   `json:"command"`
	Response     string   `json:"response"`
	EMessage     string   `json:"e_message"`
	ResponseCode *float64 `json:"responseCode"`
}

// UnmarshalJSON accepts the documented object, and keeps anything else as text.
func (m *AccountStatusMessage) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		type plain AccountStatusMessage
		var p plain
		if err := json.Unmarshal(b, &p); err == nil {
			*m = AccountStatusMessage(p)
			return nil
		}
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		m.EMessage = s
		return nil
	}
	m.EMessage = string(b)
	return nil
}

// Text is the most telling line of the message: the SMTP response when
// there is one, else the error message, else the code.
func (m *AccountStatusMessage) Text() string {
	if m == nil {
		return ""
	}
	for _, s := range []string{m.Response, m.EMessage, m.Code} {
		if s = strings.Join(strings.Fields(s), " "); s != "" {
			return s
		}
	}
	return ""
}

// AccountWarmup is the account's warmup (and slow ramp) settings.
type AccountWarmup struct {
	Limit *float64 `json:"limit"`
	// Increment is the slow-ramp increment: "disabled" or "0".."4". The spec
	// gives it as an enum of strings; a number is accepted too.
	Increment *FlexString `json:"increment"`
}

// FlexString is a JSON string, or a number read as its text.
type FlexString string

// UnmarshalJSON accepts a string or a number.
func (f *FlexString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = FlexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("want a string or a number")
	}
	*f = FlexString(n.String())
	return nil
}

// AccountTag is a custom tag on an account (include_tags=true).
type AccountTag struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// AccountPage is one page of GET /api/v2/accounts.
type AccountPage struct {
	Items             []Account `json:"items"`
	NextStartingAfter string    `json:"next_starting_after,omitempty"`
}

// ListAccountsOptions are the query parameters of ListAccounts. Zero values
// are not sent.
type ListAccountsOptions struct {
	Limit         int    // 1..100; 0 leaves it to the API
	StartingAfter string // NextStartingAfter of the previous page
	Search        string
	Status        *int
	// TagIDs: accounts having any of these tags (tag_ids, comma-separated).
	TagIDs      []string
	IncludeTags bool
}

// ListAccounts returns one page of sending accounts. Scopes: accounts:read
// (or accounts:all, all:read, all:all).
//
// Instantly API: GET /api/v2/accounts
func (c *Client) ListAccounts(ctx context.Context, opts *ListAccountsOptions) (*AccountPage, error) {
	q := url.Values{}
	if opts != nil {
		if opts.Limit < 0 || opts.Limit > 100 {
			return nil, fmt.Errorf("instantly: ListAccounts: limit must be between 1 and 100 (0 for the API's default), got %d", opts.Limit)
		}
		setQuery(q, "limit", count(opts.Limit), "starting_after", opts.StartingAfter, "search", opts.Search)
		if opts.Status != nil {
			q.Set("status", strconv.Itoa(*opts.Status))
		}
		if len(opts.TagIDs) > 0 {
			for _, t := range opts.TagIDs {
				if _, err := ParseID(t); err != nil {
					return nil, err
				}
			}
			q.Set("tag_ids", strings.Join(opts.TagIDs, ","))
		}
		if opts.IncludeTags {
			q.Set("include_tags", "true")
		}
	}
	return getJSON[AccountPage](ctx, c, opListAccounts, "/api/v2/accounts", q, json.Unmarshal)
}

var errBadEmail = errors.New("instantly: an account email must be an address such as jane@acme.com")

// GetAccount returns one account by its email. Scopes as ListAccounts.
//
// Instantly API: GET /api/v2/accounts/{email}
func (c *Client) GetAccount(ctx context.Context, email string) (*Account, error) {
	email = strings.TrimSpace(email)
	if !looksLikeEmail(email) {
		return nil, errBadEmail
	}
	return getJSON[Account](ctx, c, opGetAccount, "/api/v2/accounts/"+email, nil, json.Unmarshal)
}

func looksLikeEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " /?#\t\r\n")
}

// DomainVitals is the DNS check of one sending domain.
type DomainVitals struct {
	Domain  string `json:"domain"`
	AllPass bool   `json:"allPass"`
	MX      bool   `json:"mx"`
	SPF     bool   `json:"spf"`
	DKIM    bool   `json:"dkim"`
	DMARC   bool   `json:"dmarc"`
}

// Failing names the checks that failed, e.g. ["SPF", "DMARC"].
func (v DomainVitals) Failing() []string {
	var out []string
	for _, c := range []struct {
		ok   bool
		name string
	}{{v.MX, "MX"}, {v.SPF, "SPF"}, {v.DKIM, "DKIM"}, {v.DMARC, "DMARC"}} {
		if !c.ok {
			out = append(out, c.name)
		}
	}
	return out
}

// AccountVitals is the answer of the vitals test: results are keyed by
// domain, not by account.
type AccountVitals struct {
	Status      string         `json:"status"`
	SuccessList []DomainVitals `json:"success_list"`
	FailureList []DomainVitals `json:"failure_list"`
}

// TestAccountVitals checks MX, SPF, DKIM and DMARC of the accounts' domains.
// It changes nothing (a POST only because it takes a list). Scopes as
// ListAccounts.
//
// Instantly API: POST /api/v2/accounts/test/vitals
func (c *Client) TestAccountVitals(ctx context.Context, emails []string) (*AccountVitals, error) {
	if len(emails) == 0 {
		return nil, errors.New("instantly: TestAccountVitals needs at least one account")
	}
	body, err := json.Marshal(struct {
		Accounts []string `json:"accounts"`
	}{emails})
	if err != nil {
		return nil, err
	}
	out := new(AccountVitals)
	if err := c.call(ctx, http.MethodPost, opTestVitals, "/api/v2/accounts/test/vitals", nil, body, func(b []byte) error { return json.Unmarshal(b, out) }); err != nil {
		return nil, err
	}
	return out, nil
}
