package instantly

import (
	"errors"
	"strings"
	"unicode"

	"github.com/google/uuid"
)

// ErrSecretSearch is the error of a campaign search or name that is the
// client's API key (or a run of it) or looks like a secret: it is not sent to
// Instantly, and the message does not repeat it.
var ErrSecretSearch = errors.New("that looks like a secret (an API key or a token), not a campaign name, " +
	"so it was not searched for, sent to Instantly or repeated")

// secretPrefixes start tokens that are secrets whatever follows: Stripe-style
// and other API keys, GitHub and Slack tokens, a JWT's encoded header.
var secretPrefixes = []string{"sk_", "sk-", "pk_", "rk_", "ghp_", "gho_", "github_pat_", "xoxb-", "xoxp-", "eyj"}

// LooksLikeSecret reports whether s, given where a campaign name is
// expected, looks like a secret instead: one token of at least 20
// characters without white space, not a UUID, that starts like a known
// secret or whose letters and digits change class (lower case, upper case,
// digit) at least once every three characters, as random keys and base64 do
// and names ("BlackFridayOutreach2026", "webinar-follow-up-2026-03") do not.
func LooksLikeSecret(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 20 || strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return false
	}
	if _, err := uuid.Parse(s); err == nil {
		return false
	}
	lower := strings.ToLower(s)
	for _, p := range secretPrefixes {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	var alnum, changes int
	prev := 0 // class of the previous character: 0 none or separator
	for _, r := range s {
		class := 0
		switch {
		case r >= 'a' && r <= 'z':
			class = 1
		case r >= 'A' && r <= 'Z':
			class = 2
		case r >= '0' && r <= '9':
			class = 3
		}
		if class != 0 {
			alnum++
			if prev != 0 && prev != class {
				changes++
			}
		}
		prev = class
	}
	return alnum >= 16 && changes*3 >= alnum
}
