package instantly

import (
	"net/url"
	"strings"
	"unicode"

	"github.com/google/uuid"
)

// InvalidIDError reports an id that is not a UUID. Instantly's campaign and
// subsequence ids are UUIDs. The error repeats nothing of the input: a
// rejected id may be an API key pasted into the wrong field (or a prompt
// injected by whoever wrote it), and even a sanitized prefix of a key is part
// of a secret. It says what the input looked like instead.
type InvalidIDError struct {
	// Empty is true when there was no id at all.
	Empty bool
	// LooksLikeName is true when the input holds white space, as a
	// campaign name does and an id or key never does.
	LooksLikeName bool
	// URL is true when the input was a URL that does not hold exactly one
	// UUID.
	URL bool
}

func (e *InvalidIDError) Error() string {
	const want = "must be a UUID such as 019e18e2-a52f-78e7-96f2-b33ee19bb50a"
	switch {
	case e.Empty:
		return "no id given: it " + want
	case e.URL:
		return "invalid id: that URL does not hold one campaign id; the id " + want
	case e.LooksLikeName:
		return "invalid id: that looks like a campaign name, not an id; the id " + want
	}
	return "invalid id: it " + want + " (the value is not repeated here, in case it was a secret)"
}

// ParseID checks that s is a UUID and returns its canonical lowercase form
// (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx). Surrounding white space is ignored
// because ids are often pasted; the braced, urn:uuid: and undashed forms that
// github.com/google/uuid accepts are accepted too, since the output is
// canonical either way, and so is a URL copied from the app that holds one
// UUID (https://app.instantly.ai/app/campaign/<id>/analytics). Any other
// input yields an *InvalidIDError.
func ParseID(s string) (string, error) {
	s = strings.TrimSpace(s)
	if u, err := uuid.Parse(s); err == nil {
		return u.String(), nil
	}
	if id, isURL, ok := idFromURL(s); isURL {
		if !ok {
			return "", &InvalidIDError{URL: true}
		}
		return id, nil
	}
	return "", &InvalidIDError{
		Empty:         s == "",
		LooksLikeName: strings.IndexFunc(s, unicode.IsSpace) >= 0,
	}
}

// idFromURL takes the one UUID out of an http(s) URL pasted from the app.
// isURL reports that s is such a URL at all.
func idFromURL(s string) (id string, isURL, ok bool) {
	if !strings.HasPrefix(strings.ToLower(s), "https://") && !strings.HasPrefix(strings.ToLower(s), "http://") {
		return "", false, false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "", true, false
	}
	// Runs of hex digits and dashes that are a dashed UUID (no regexp: it
	// would be compiled at start-up, on the server's cold path too).
	found := map[string]bool{}
	isHexOrDash := func(r rune) bool { return r == '-' || unicode.Is(unicode.ASCII_Hex_Digit, r) }
	for _, f := range strings.FieldsFunc(u.Path+"?"+u.RawQuery+"#"+u.Fragment, func(r rune) bool { return !isHexOrDash(r) }) {
		if len(f) != 36 || strings.Count(f, "-") != 4 {
			continue
		}
		if id, err := uuid.Parse(f); err == nil {
			found[id.String()] = true
		}
	}
	if len(found) != 1 {
		return "", true, false
	}
	for m := range found {
		id = m
	}
	return id, true, true
}

// parseIDFor is ParseID for a client whose secrets r redacts: when the
// rejected input holds a run of one (a key pasted into the id argument), the
// error says nothing about it at all, not even that it looked like a name.
func parseIDFor(s string, r *Redactor) (string, error) {
	id, err := ParseID(s)
	if err != nil && r.Redacts(s) {
		return "", &InvalidIDError{}
	}
	return id, err
}
