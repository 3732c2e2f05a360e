package prompts

import (
	"errors"
	"strings"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
	"github.com/instantly-status/instantly-status-mcp/internal/rpcerr"
)

// mcp-go passes prompt arguments through unchecked (required ones included),
// so every handler validates its own. Errors name the argument and what is
// expected, and repeat at most a short sanitized prefix of a bad value.

var errMissing = errors.New("missing")

// statusArg returns the catalog entry of a required status argument.
func statusArg(args map[string]string) (catalog.Entry, error) {
	raw := strings.TrimSpace(args["status"])
	if raw == "" {
		return catalog.Entry{}, rpcerr.InvalidParams("missing required argument \"status\": give one of the sending-status codes: %s",
			strings.Join(catalog.Codes(), ", "))
	}
	e, ok := catalog.Lookup(raw)
	if !ok {
		return catalog.Entry{}, rpcerr.InvalidParams("unknown status %q: give one of the sending-status codes: %s",
			catalog.Echo(raw, catalog.MaxEchoCode), strings.Join(catalog.Codes(), ", "))
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
	// ParseID also accepts the braced, urn: and undashed forms; the id is
	// written back in the canonical form the API returns.
	id, err := instantly.ParseID(raw)
	if err != nil {
		return "", rpcerr.InvalidParams("invalid campaign_id %q: must be the campaign's UUID, such as 019e18e2-9617-78c8-b2bf-2f764ab33d2b (from the campaign's URL in Instantly)",
			catalog.Echo(raw, catalog.MaxEchoBad))
	}
	return id, nil
}

// searchArg returns the optional search text: short and free of control
// characters, as it is written into the prompt and passed to a tool.
func searchArg(args map[string]string) (string, error) {
	s, err := instantly.CheckSearch(args["search"])
	if err != nil {
		return "", rpcerr.InvalidParams("invalid search %q: %v", catalog.Echo(args["search"], catalog.MaxEchoBad), err)
	}
	return s, nil
}
