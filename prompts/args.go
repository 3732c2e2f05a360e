package prompts

import (
	"errors"
	"strings"
	"unicode"

	"github.com/google/uuid"

	"github.com/instantly-status/instantly-status-mcp/internal/rpcerr"
)

// mcp-go passes prompt arguments through unchecked (required ones included),
// so every handler validates its own. Errors name the argument and what is
// expected, and repeat at most a short sanitized prefix of a bad value.

const maxSearchLen = 100 // Instantly's search matches campaign names; a name is far shorter

var errMissing = errors.New("missing")

// statusArg returns the catalog entry of a required status argument.
func statusArg(args map[string]string) (Entry, error) {
	raw := strings.TrimSpace(args["status"])
	if raw == "" {
		return Entry{}, rpcerr.InvalidParams("missing required argument \"status\": give one of the sending-status codes: %s",
			strings.Join(Codes(), ", "))
	}
	e, ok := Lookup(raw)
	if !ok {
		return Entry{}, rpcerr.InvalidParams("unknown status %q: give one of the sending-status codes: %s",
			sanitizeEcho(raw, maxEchoCode), strings.Join(Codes(), ", "))
	}
	return e, nil
}

// campaignIDArg returns the campaign id in canonical form, "" with errMissing
// when it is absent.
func campaignIDArg(args map[string]string) (string, error) {
	raw := strings.TrimSpace(args["campaign_id"])
	if raw == "" {
		return "", errMissing
	}
	// uuid.Parse also accepts the braced, urn: and undashed forms; the id is
	// written back in the canonical form the API returns.
	id, err := uuid.Parse(raw)
	if err != nil {
		return "", rpcerr.InvalidParams("invalid campaign_id %q: must be the campaign's UUID, such as 019e18e2-9617-78c8-b2bf-2f764ab33d2b (from the campaign's URL in Instantly)",
			sanitizeEcho(raw, maxEchoBad))
	}
	return id.String(), nil
}

// searchArg returns the optional search text: short and free of control
// characters, as it is written into the prompt and passed to a tool.
func searchArg(args map[string]string) (string, error) {
	s := strings.TrimSpace(args["search"])
	if len([]rune(s)) > maxSearchLen {
		return "", rpcerr.InvalidParams("invalid search %q: at most %d characters of a campaign name", sanitizeEcho(s, maxEchoBad), maxSearchLen)
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "", rpcerr.InvalidParams("invalid search %q: control characters are not allowed", sanitizeEcho(s, maxEchoBad))
	}
	return s, nil
}
