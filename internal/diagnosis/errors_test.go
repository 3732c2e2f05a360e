package diagnosis_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

// The one translation of client errors into what a person should do.
func TestErrorMessages(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&instantly.RateLimitError{Operation: "GET x", RetryAfter: 2500 * time.Millisecond}, "Retry after 3 s"},
		{&instantly.ErrorResponse{StatusCode: 403}, "scope"},
		{&instantly.ErrorResponse{StatusCode: 418, Message: "teapot"}, "HTTP 418"},
		{errors.New("something odd"), "something odd"},
		// The names of the settings are the caller's.
		{instantly.ErrNoAPIKey, "set MY_KEY in the server's environment"},
		{instantly.ErrNoAPIKey, "or, over a wire, send it along. Create a key"},
		{&instantly.ErrorResponse{StatusCode: 401}, "Check MY_KEY:"},
		{&instantly.TimeoutError{Operation: "GET x", After: time.Second}, "(the timeout is MY_TIMEOUT)"},
	}
	words := diagnosis.Settings{APIKey: "MY_KEY", Timeout: "MY_TIMEOUT", BaseURL: "MY_URL", KeyPerRequest: "over a wire, send it along"}
	for _, c := range cases {
		if got := words.ErrorMessage("campaign x", c.err); !strings.Contains(got, c.want) {
			t.Errorf("%T: %q lacks %q", c.err, got, c.want)
		}
	}
}

type refusingTransport struct{}

func (refusingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("connection refused")
}

// networkErrorAfter is the client's own *NetworkError after two attempts
// (its cause text is unexported, so it is made by a call).
func networkErrorAfter(t *testing.T, attempts int) error {
	t.Helper()
	c, err := instantly.NewClient("k-0123456789abcdef", instantly.WithBaseURL("http://instantly.invalid"),
		instantly.WithHTTPClient(&http.Client{Transport: refusingTransport{}}),
		instantly.WithMaxAttempts(attempts), instantly.WithBackoff(0, 0), instantly.WithoutRateLimit())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetCampaignSendingStatus(context.Background(), "019a0000-0000-7000-8000-00000000000a", nil)
	var ne *instantly.NetworkError
	if !errors.As(err, &ne) || ne.Attempts != attempts {
		t.Fatalf("want a NetworkError after %d attempts, got %#v", attempts, err)
	}
	return err
}

// Every branch of ErrorMessage and apiErrorMessage, whole text, with the
// edges of its numbers: Retry-After rounded up, 0 Retry-After, one attempt
// vs two, 499 vs 500, a message from Instantly or none.
func TestErrorMessageTexts(t *testing.T) {
	words := diagnosis.Settings{APIKey: "MY_KEY", Timeout: "MY_TIMEOUT", BaseURL: "MY_URL", KeyPerRequest: "over a wire, send it along"}
	const what = "campaign x"
	said := ` Instantly said: "nope".`
	const limits429 = "Instantly is rate limiting this workspace (429; limits: 100 requests/s and 6,000/min for all keys together). "
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"no key", fmt.Errorf("wrapped: %w", instantly.ErrNoAPIKey),
			"no Instantly API key: set MY_KEY in the server's environment (the \"env\" block of your MCP client's config), or, " +
				"over a wire, send it along. Create a key in Instantly under Settings -> Integrations -> API Keys with the scopes " +
				"campaigns:read, subsequences:read, accounts:read, audit_logs:read, account_campaign_mappings:read and custom_tags:read (or all:read)"},
		{"invalid id", &instantly.InvalidIDError{Empty: true},
			"No id given: it must be a UUID such as 019e18e2-a52f-78e7-96f2-b33ee19bb50a. Pass the campaign's URL from the app " +
				"(app.instantly.ai/app/campaign/<id>/...) or its id (list_campaigns lists the workspace's campaigns and finds one by name)."},
		{"own rate limit, rounded up", &instantly.RateLimitError{RetryAfter: 2001 * time.Millisecond},
			"Not sent: this server is pacing calls for this API key to stay under Instantly's limits (100 requests/s and 6,000/min " +
				"per workspace), and the call could not go out before its deadline. Retry after 3 s."},
		{"own rate limit, whole", &instantly.RateLimitError{RetryAfter: 2 * time.Second},
			"Not sent: this server is pacing calls for this API key to stay under Instantly's limits (100 requests/s and 6,000/min " +
				"per workspace), and the call could not go out before its deadline. Retry after 2 s."},
		{"401", &instantly.ErrorResponse{StatusCode: 401},
			"Instantly rejected the API key (401 Unauthorized). Check MY_KEY: it must be a current API v2 key (Settings -> " +
				"Integrations -> API Keys) with the scopes campaigns:read, subsequences:read, accounts:read, audit_logs:read, account_campaign_mappings:read and custom_tags:read (or all:read)."},
		{"401 with a message", &instantly.ErrorResponse{StatusCode: 401, Message: "nope"},
			"Instantly rejected the API key (401 Unauthorized)." + said + " Check MY_KEY: it must be a current API v2 key (Settings -> " +
				"Integrations -> API Keys) with the scopes campaigns:read, subsequences:read, accounts:read, audit_logs:read, account_campaign_mappings:read and custom_tags:read (or all:read)."},
		{"403", &instantly.ErrorResponse{StatusCode: 403, Message: "nope"},
			"Instantly refused access (403 Forbidden)." + said + " The API key lacks a scope this server reads with: " +
				"campaigns:read, subsequences:read, accounts:read, audit_logs:read, account_campaign_mappings:read and custom_tags:read (or all:read)."},
		{"402", &instantly.ErrorResponse{StatusCode: 402, Message: "nope"},
			"Instantly answered 402 Payment Required: the workspace needs an active paid plan to use the API." + said},
		{"404", &instantly.ErrorResponse{StatusCode: 404},
			"Instantly has no campaign x in the workspace this server reads (404). Check the id, and that it belongs to this " +
				"workspace (list_campaigns lists the workspace's campaigns and finds one by name)."},
		{"429 with Retry-After", &instantly.ErrorResponse{StatusCode: 429, RetryAfter: 1500 * time.Millisecond},
			limits429 + "Retry after 2 s."},
		{"429 without", &instantly.ErrorResponse{StatusCode: 429},
			limits429 + "Retried with backoff and still limited; wait a minute and try again."},
		{"500", &instantly.ErrorResponse{StatusCode: 500, Message: "nope"},
			"Instantly failed to answer (HTTP 500) after retries." + said + " This is on Instantly's side; try again in a few minutes."},
		{"499", &instantly.ErrorResponse{StatusCode: 499},
			"Instantly answered HTTP 499 for campaign x."},
		{"418 with a message", &instantly.ErrorResponse{StatusCode: 418, Message: "nope"},
			"Instantly answered HTTP 418 for campaign x." + said},
		{"timeout", &instantly.TimeoutError{Operation: "GET x", After: 1500 * time.Millisecond},
			"Instantly did not answer within 1.5s for campaign x. It may be slow or down; try again in a minute (the timeout is MY_TIMEOUT)."},
		{"shutting down, with its cancellation", fmt.Errorf("%w: %w", instantly.ErrShuttingDown, context.Canceled),
			"The call was stopped because this server is shutting down; Instantly was not at fault. Call again once the server is back."},
		{"cancelled", fmt.Errorf("x: %w", context.Canceled),
			"The call was cancelled by the client (it cancelled the request or disconnected) before it finished; " +
				"Instantly was not at fault. Call again for the answer."},
		{"deadline", context.DeadlineExceeded,
			"Instantly did not answer in time for campaign x. Try again in a minute."},
		{"unreadable answer", &instantly.ResponseError{Operation: "GET x", StatusCode: 200},
			"Instantly sent an answer this server cannot read (instantly: GET x: 200 response: empty body). " +
				"This is on Instantly's side; try again in a minute."},
		{"network, one attempt", networkErrorAfter(t, 1),
			"Could not reach Instantly for campaign x (connection refused). Check the network and MY_URL, then try again."},
		{"network, two attempts", networkErrorAfter(t, 2),
			"Could not reach Instantly for campaign x (connection refused, 2 attempts). Check the network and MY_URL, then try again."},
		{"anything else", errors.New("something odd"),
			"The request for campaign x failed: something odd. Try again; if it keeps failing, report it."},
	}
	for _, c := range cases {
		if got := words.ErrorMessage(what, c.err); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}
