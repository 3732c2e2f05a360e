package diagnosis_test

import (
	"errors"
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
