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
	}
	for _, c := range cases {
		if got := diagnosis.ErrorMessage("campaign x", c.err); !strings.Contains(got, c.want) {
			t.Errorf("%T: %q lacks %q", c.err, got, c.want)
		}
	}
}
