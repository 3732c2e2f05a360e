package app

import (
	"strconv"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/stdx"
)

// QuoteArg is a value a person gave (an argument, a setting), quoted for a
// one-line message: without control characters, secrets redacted before it
// is cut to n characters (cut first, a key would no longer be recognised),
// and not at all when it looks like a secret.
func QuoteArg(s string, n int, secrets ...string) string {
	if instantly.LooksLikeSecret(s) {
		return "(a value that looks like a secret, not repeated)"
	}
	return strconv.Quote(stdx.Truncate(instantly.Redact(stdx.SafeText(s), secrets...), n))
}
