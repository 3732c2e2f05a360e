package instantly

import (
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// idEchoLimit is how many characters of a rejected id an error repeats. Enough
// to recognise which argument was wrong, too short to carry a secret (an API
// key pasted into the id field, say) or a prompt injected by whoever wrote it.
const idEchoLimit = 8

// InvalidIDError reports an id that is not a UUID. Instantly's campaign and
// subsequence ids are UUIDs; refusing anything else before a request is built
// means nothing but a canonical UUID ever reaches a URL path.
type InvalidIDError struct {
	// Prefix is a short, sanitized prefix of the input (at most 8
	// characters, anything but letters, digits and '-' replaced by '?'),
	// empty when the input was empty or must not be echoed at all.
	Prefix string
	// Truncated is true when the input was longer than Prefix.
	Truncated bool
}

func (e *InvalidIDError) Error() string {
	if e.Prefix == "" && !e.Truncated {
		return "instantly: invalid id: must be a UUID such as 019e18e2-a52f-78e7-96f2-b33ee19bb50a"
	}
	p := e.Prefix
	if e.Truncated {
		p += "…"
	}
	return "instantly: invalid id \"" + p + "\": must be a UUID such as 019e18e2-a52f-78e7-96f2-b33ee19bb50a"
}

// ParseID checks that s is a UUID and returns its canonical lowercase form
// (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx). Surrounding white space is ignored
// because ids are often pasted; the braced, urn:uuid: and undashed forms that
// github.com/google/uuid accepts are accepted too, since the output is
// canonical either way. Any other input yields an *InvalidIDError.
func ParseID(s string) (string, error) {
	u, err := uuid.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", newInvalidIDError(s)
	}
	return u.String(), nil
}

func newInvalidIDError(s string) *InvalidIDError {
	s = strings.TrimSpace(s)
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == idEchoLimit {
			break
		}
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('?')
		}
		n++
	}
	return &InvalidIDError{Prefix: b.String(), Truncated: utf8.RuneCountInString(s) > n}
}

// parseIDFor is ParseID for a client holding key: when the rejected input
// contains the key (a key pasted into the id argument), the error echoes
// nothing at all, not even a prefix.
func parseIDFor(s, key string) (string, error) {
	id, err := ParseID(s)
	if err != nil && key != "" && (strings.Contains(s, key) || strings.Contains(key, strings.TrimSpace(s))) {
		return "", &InvalidIDError{}
	}
	return id, err
}
