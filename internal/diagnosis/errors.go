package diagnosis

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// Settings names what a person changes to fix a failure: the messages point
// to it, and the code that owns the names passes them in (package main: its
// environment variables; httpserver: how a request brings its own key).
type Settings struct {
	APIKey  string // where the server's API key is set, e.g. "INSTANTLY_API_KEY"
	Timeout string // the timeout of a call to Instantly
	BaseURL string // Instantly's URL
	// KeyPerRequest says how a request brings its own key, e.g. "over
	// HTTP, send it with each request in the ... header".
	KeyPerRequest string
	// SetKey, when set, is the whole advice to a person without a key,
	// for a host whose settings are not an environment (the Claude
	// Desktop extension: "fill in its \"Instantly API key\" setting, or
	// switch on \"Demo mode\"").
	SetKey string
	// FindCampaign says how a person finds a campaign of the workspace in
	// this program's words, e.g. "list_campaigns lists the workspace's
	// campaigns and finds one by name".
	FindCampaign string
}

// noKey is what a call without any Instantly API key gets. It says how to
// pass one for each way the server can be run, and the scopes the key needs.
func (s Settings) noKey() string {
	how := s.SetKey
	if how == "" {
		how = "set " + s.APIKey + " in the server's environment (the \"env\" block of your MCP client's config)"
		if s.KeyPerRequest != "" {
			how += ", or, " + s.KeyPerRequest
		}
	}
	return "no Instantly API key: " + how + ". Create a key in Instantly under Settings -> Integrations -> API Keys " +
		"with the scopes " + instantly.ScopeSentence()
}

// findCampaign is FindCampaign, in the tools' words when it is not set.
func (s Settings) findCampaign() string {
	if s.FindCampaign != "" {
		return s.FindCampaign
	}
	return "list_campaigns lists the workspace's campaigns and finds one by name"
}

// ErrorMessage turns any failure of an Instantly call into a message that
// says what to do: the text of the tools' error results and of the commands'
// errors. It is the one place that knows how API errors read to a person.
// what names the object, e.g. "campaign 0199…".
func (s Settings) ErrorMessage(what string, err error) string {
	var (
		apiErr  *instantly.ErrorResponse
		idErr   *instantly.InvalidIDError
		tErr    *instantly.TimeoutError
		netErr  *instantly.NetworkError
		bodyErr *instantly.ResponseError
		rlErr   *instantly.RateLimitError
	)
	switch {
	case errors.Is(err, instantly.ErrNoAPIKey):
		return s.noKey()
	case errors.Is(err, instantly.ErrAPIKeyTooShort):
		return fmt.Sprintf("The Instantly API key is shorter than %d characters, so it is not an Instantly API key; nothing was "+
			"sent to Instantly. Check %s, or the key the request sent: copy the whole key from Settings -> Integrations -> API Keys.",
			instantly.MinSecretLen, s.APIKey)
	case errors.Is(err, instantly.ErrSecretSearch):
		return "The campaign name given looks like a secret (an API key or a token), so it was not searched for, sent to " +
			"Instantly or repeated. Give the campaign's id, or a part of its name."
	case errors.As(err, &idErr):
		return capitalize(idErr.Error()) + ". Pass the campaign's URL from the app (app.instantly.ai/app/campaign/<id>/...) " +
			"or its id (" + s.findCampaign() + ")."
	case errors.As(err, &rlErr):
		return fmt.Sprintf("Not sent: this server is pacing calls for this API key to stay under Instantly's limits "+
			"(100 requests/s and 6,000/min per workspace), and the call could not go out before its deadline. "+
			"Retry after %d s.", int(math.Ceil(rlErr.RetryAfter.Seconds())))
	case errors.As(err, &apiErr):
		return s.apiErrorMessage(what, apiErr)
	case errors.As(err, &tErr):
		return fmt.Sprintf("Instantly did not answer within %s for %s. It may be slow or down; try again in a minute "+
			"(the timeout is %s).", tErr.After, what, s.Timeout)
	case errors.Is(err, instantly.ErrShuttingDown):
		return "The call was stopped because this server is shutting down; Instantly was not at fault. " +
			"Call again once the server is back."
	case errors.Is(err, context.Canceled):
		// Not Instantly's doing: the client sent notifications/cancelled
		// or hung up (a shutdown carries ErrShuttingDown as its cause).
		return "The call was cancelled by the client (it cancelled the request or disconnected) before it finished; " +
			"Instantly was not at fault. Call again for the answer."
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("Instantly did not answer in time for %s. Try again in a minute.", what)
	case errors.As(err, &bodyErr):
		return fmt.Sprintf("Instantly sent an answer this server cannot read (%s). This is on Instantly's side; try again in a minute.", bodyErr.Error())
	case errors.As(err, &netErr):
		attempts := ""
		if netErr.Attempts > 1 {
			attempts = fmt.Sprintf(", %d attempts", netErr.Attempts)
		}
		return fmt.Sprintf("Could not reach Instantly for %s (%s%s). Check the network and %s, then try again.",
			what, netErr.Cause(), attempts, s.BaseURL)
	default:
		return fmt.Sprintf("The request for %s failed: %s. Try again; if it keeps failing, report it.", what, err.Error())
	}
}

func (s Settings) apiErrorMessage(what string, e *instantly.ErrorResponse) string {
	detail := ""
	if e.Message != "" {
		detail = fmt.Sprintf(" Instantly said: %q.", e.Message)
	}
	switch {
	case e.StatusCode == 401:
		return "Instantly rejected the API key (401 Unauthorized)." + detail + " Check " + s.APIKey + ": it must be a current " +
			"API v2 key (Settings -> Integrations -> API Keys) with the scopes " + instantly.ScopeSentence() + "."
	case e.StatusCode == 403:
		return "Instantly refused access (403 Forbidden)." + detail + " The API key lacks a scope this server reads with: " +
			instantly.ScopeSentence() + "."
	case e.StatusCode == 402:
		return "Instantly answered 402 Payment Required: the workspace needs an active paid plan to use the API." + detail
	case e.StatusCode == 404:
		// Worded for the demo workspace too, which has no API key.
		return fmt.Sprintf("Instantly has no %s in the workspace this server reads (404).%s Check the id, and that it "+
			"belongs to this workspace (%s).", what, detail, s.findCampaign())
	case e.StatusCode == 429:
		if e.RetryAfter > 0 {
			return fmt.Sprintf("Instantly is rate limiting this workspace (429; limits: 100 requests/s and 6,000/min for all "+
				"keys together). Retry after %d s.", int(math.Ceil(e.RetryAfter.Seconds())))
		}
		return "Instantly is rate limiting this workspace (429; limits: 100 requests/s and 6,000/min for all keys together). " +
			"Retried with backoff and still limited; wait a minute and try again."
	case e.StatusCode >= 500:
		return fmt.Sprintf("Instantly failed to answer (HTTP %d) after retries.%s This is on Instantly's side; try again in a few minutes.",
			e.StatusCode, detail)
	default:
		return fmt.Sprintf("Instantly answered HTTP %d for %s.%s", e.StatusCode, what, detail)
	}
}
